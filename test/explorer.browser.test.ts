// The callbacks handed to page.evaluate run in the browser.
/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, launchBrowser, screenshotPath } from './browser.js';
import { startStack, type Stack } from './harness.js';

// The explorer as `npm start` serves it: the gateway's own page at `/`, GraphiQL bundled from npm, run in Debian's
// Chromium against the seeded graph. Every request of the page is watched: none may leave the gateway's origin.

describe('the explorer at / (Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin: string;
  const requested: string[] = [];
  const foreign: string[] = [];
  const failed: string[] = [];
  /** Script errors, and console errors other than a failed request (those are in `failed`): CSP refusals among them. */
  const pageErrors: string[] = [];
  /** Paths whose error answers a test provokes on purpose. */
  const expectedFailures = new Set<string>();

  beforeAll(async () => {
    await ensureBuilt('explorer');
    stack = await startStack('pglite', { webApps: true });
    origin = new URL(stack.gatewayUrl).origin;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    // Requests to another origin are refused (and listed), so that the page cannot depend on one, even where the
    // machine happens to reach it.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requested.push(url);
      if (new URL(url).origin === origin) return route.continue();
      foreign.push(url);
      return route.abort('blockedbyclient');
    });
    context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) foreign.push(url);
    });
    context.on('response', async (response) => {
      if (response.status() < 400 || expectedFailures.has(new URL(response.url()).pathname)) return;
      failed.push(`${response.status()} ${response.request().method()} ${response.url()}: ${(await response.text().catch(() => '')).slice(0, 500)}`);
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const tab = (title: string) => page.locator(`.graphiql-tab button[title="${title}"]`);

  /** Opens an example tab and waits until the operation editor shows its operation. */
  async function openTab(title: string): Promise<void> {
    await tab(title).click();
    await page.locator('.graphiql-query-editor .view-lines').filter({ hasText: `query ${title}` }).waitFor();
  }

  /**
   * Clicks Run and returns the gateway's answer, once the response pane shows that answer (compared without white
   * space: GraphiQL indents it and wraps long lines), so that nothing is read from the pane of an earlier run.
   */
  async function run(): Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }> {
    const answered = page.waitForResponse(
      (r) => r.url() === `${origin}/graphql` && r.request().method() === 'POST' && !(r.request().postData() ?? '').includes('__schema'),
    );
    await page.locator('.graphiql-execute-button').click();
    const body = await (await answered).json();
    await page.waitForFunction(
      (shown) => (document.querySelector<HTMLElement>('.graphiql-response .view-lines')?.innerText ?? '').replace(/\s/g, '') === shown,
      JSON.stringify(body).replace(/\s/g, ''),
      { timeout: 30_000 },
    );
    return body;
  }

  /** Replaces the text of one of GraphiQL's Monaco editors as a user would: select all, then type over it. */
  async function replaceEditorText(selector: string, text: string): Promise<void> {
    await page.locator(`${selector} .monaco-editor`).first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // insertText types the text as one input (as a paste would): Monaco's bracket auto-closing stays out of it.
    await page.keyboard.insertText(text);
  }

  it('serves the product page with the example operations as tabs', async () => {
    const response = await page.goto(stack.gatewayUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
    expect(await page.title()).toBe('Talent Hub graph explorer');
    await expect(page.getByRole('heading', { name: 'Talent Hub graph explorer' }).isVisible()).resolves.toBe(true);
    await tab('RegionWithParent').waitFor();
    for (const title of ['RegionWithParent', 'EventWithAgenda', 'ProgrammeFinances', 'TalentNames', 'CreateEvent', 'RegisterForEvent']) {
      expect(await tab(title).count(), title).toBe(1);
    }
  });

  it("runs the first example tab with the README's variables", async () => {
    await page.locator('.graphiql-query-editor .view-lines').filter({ hasText: 'RegionWithParent' }).waitFor();
    await page.locator('.graphiql-editor-tool .view-lines').filter({ hasText: 'ITH5' }).waitFor();
    expect(await run()).toEqual({ data: { region: { name: 'Emilia-Romagna', parent: { code: 'ITH' } } } });
    await page.screenshot({ path: screenshotPath('explorer') });
  });

  it('returns data for a query typed into the editor', async () => {
    await page.locator('.graphiql-tab-add').click();
    await replaceEditorText('.graphiql-query-editor', 'query Typed { region(code: "ITH5") { code name } }');
    expect(await run()).toEqual({ data: { region: { code: 'ITH5', name: 'Emilia-Romagna' } } });
  });

  it('reads personal data after the development-token button put a token into the headers', async () => {
    await openTab('TalentNames');
    const anonymous = await run();
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(anonymous.data.talents.nodes[0]).toEqual({ displayName: expect.any(String), givenName: null });

    await page.getByRole('button', { name: 'Development token' }).click();
    await page.getByRole('status').filter({ hasText: 'Token of a viewer of cemr in the headers' }).waitFor();
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    // The headers editor shows the token (Monaco renders the lines a moment after the editor appears).
    await page.waitForFunction(
      () => [...document.querySelectorAll<HTMLElement>('.graphiql-editor-tool .view-lines')].some((lines) => /"Authorization":"Bearer[\w-]+\.[\w-]+\.[\w-]+"/.test(lines.innerText.replace(/\s/g, ''))),
      undefined,
      { timeout: 10_000 },
    );

    const signedIn = await run();
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.talents.nodes[0]).toEqual({ displayName: anonymous.data.talents.nodes[0].displayName, givenName: expect.stringMatching(/^\S+/) });
  });

  it('says so when the gateway mints no development tokens', async () => {
    // A gateway with a real secret or an identity provider has no POST /dev/token: its 404, as such a gateway answers.
    expectedFailures.add('/dev/token');
    await page.route('**/dev/token', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' }));
    await page.getByRole('button', { name: 'Development token' }).click();
    await page.getByRole('status').filter({ hasText: 'This gateway mints no development tokens' }).waitFor();
    await page.unroute('**/dev/token');
  });

  it('made no request to another origin, loaded its code from the gateway, and ran without errors', () => {
    expect(foreign).toEqual([]);
    expect(failed).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requested.some((url) => url.startsWith(`${origin}/explorer/assets/`) && url.includes('worker'))).toBe(true);
    expect(requested).toContain(`${origin}/graphql`);
  });
});
