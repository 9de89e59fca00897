// The callbacks handed to page.evaluate run in the browser.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import { ensureBuilt, launchBrowser, screenshotPath } from './browser.js';
import { startStack, type Stack } from './harness.js';

// The dashboard (dashboard/, built with Vite) in Debian's Chromium, served by the gateway at /dashboard over the
// seeded graph: each page renders the seeded figures, suppressed cells never show as numbers, filters round-trip
// through the URL, and a refused token shows the error state. Every page is photographed for the README.

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensureBuilt('dashboard');
  stack = await startStack('pglite', { webApps: true });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.stack ?? error.message}`));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const dashboardUrl = (route: string) => new URL(`/dashboard/${route}`, stack.gatewayUrl).href;

/** Opens a page of the dashboard and waits until it has left its loading state. */
async function open(route: string): Promise<void> {
  await page.goto(dashboardUrl(route));
  await settle();
}

async function settle(): Promise<void> {
  await page.waitForFunction(() => document.querySelector('#page .page-body') && !document.querySelector('[data-state="loading"]'), undefined, { timeout: 30_000 });
}

/** The data a chart box carries (data-chart), by its index on the page. */
async function chartData<T>(index = 0): Promise<T> {
  const text = await page.locator('[data-chart]').nth(index).getAttribute('data-chart');
  return JSON.parse(text!) as T;
}

/** The data of every chart on the page. */
const allChartData = async () => (await page.locator('[data-chart]').evaluateAll((boxes) => boxes.map((b) => (b as HTMLElement).dataset.chart!))).map((text) => JSON.parse(text) as Record<string, any>);

const shoot = (name: string) => page.screenshot({ path: screenshotPath(`dashboard-${name}`), fullPage: true });
const cellTexts = (selector: string) => page.locator(selector).allInnerTexts();

describe('the dashboard in Chromium', () => {
  it('lists the typed client among its build inputs, so that npm start rebuilds it when the client changes', () => {
    const inputs = JSON.parse(readFileSync(path.join(projectRoot, 'dashboard', 'dist', 'build-inputs.json'), 'utf8')) as string[];
    expect(inputs).toContain('examples/client.ts');
  });

  it("programmes: Emilia-Romagna's budget, maximum contribution and talents reached, to the cent", async () => {
    await open('programmes');
    expect(await page.locator('[data-kpi="budget"] .value').innerText()).toBe('EUR 2,232,176.90');
    expect(await page.locator('[data-kpi="max-contribution"] .value').innerText()).toBe('EUR 1,785,741.52');
    expect(await page.locator('[data-kpi="talents-reached"] .value').innerText()).toMatch(/^7,063\b/);
    expect(await page.locator('[data-kpi="cost-per-talent"] .value').innerText()).toBe('EUR 316.04');
    const { indicators } = await chartData<{ indicators: { code: string; value: number }[] }>();
    expect(indicators.find((i) => i.code === 'talents-reached')?.value).toBe(7063);
    await shoot('programmes');
  });

  it('regions: a choropleth of talents by NUTS 2 region where suppressed cells read "fewer than 5", never a number', async () => {
    await open('regions');
    const { level, cells } = await chartData<{ level: number; cells: { code: string; talents: number | null; suppressed: boolean; text: string }[] }>();
    expect(level).toBe(2);
    const { body } = await stack.query('{ talentStatistics(groupBy: [REGION], regionLevel: 2) { cells { region { code } talents suppressed } } }');
    const answer = body.data.talentStatistics.cells as { region: { code: string }; talents: number | null; suppressed: boolean }[];
    expect(cells.map((c) => c.code).sort()).toEqual(answer.map((c) => c.region.code).sort());
    const suppressed = cells.filter((c) => c.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(cells.find((c) => c.code === 'ITH5')).toMatchObject({ suppressed: false, talents: answer.find((c) => c.region.code === 'ITH5')!.talents });

    // What the chart was given and what its tooltip says: no number for a suppressed region.
    const drawn = await page.evaluate((codes) => {
      const box = document.querySelector('[data-chart]') as HTMLElement;
      const chart = (window as unknown as { echarts: { getInstanceByDom(el: HTMLElement): { getOption(): any } } }).echarts.getInstanceByDom(box);
      const option = chart.getOption();
      const data = option.series[0].data as { name: string; value: unknown }[];
      const formatter = option.tooltip[0].formatter as (item: { name: string }) => string;
      return codes.map((code) => ({ code, value: data.find((d) => d.name === code)?.value, tooltip: formatter({ name: code }) }));
    }, suppressed.map((c) => c.code));
    for (const { code, value, tooltip } of drawn) {
      expect(typeof value, code).not.toBe('number');
      expect(tooltip).toMatch(/: fewer than 5$/);
      // Beside the code in brackets and the words "fewer than 5", no digit: no count, however written.
      expect(tooltip.replace(`(${code})`, '').replace(/fewer than 5$/, '')).not.toMatch(/\d/);
    }
    for (const cell of suppressed) {
      expect(cell.talents).toBeNull();
      const row = page.locator('table tr', { has: page.locator(`td:text-is("${cell.code}")`) });
      expect(await row.locator('td').last().innerText()).toBe('fewer than 5');
    }
    // The legend's category, drawn by ECharts in the chart's SVG.
    expect(await page.locator('[data-chart] svg text', { hasText: 'fewer than 5' }).count()).toBeGreaterThan(0);
    await shoot('regions');
  });

  it('regions: the level and category filters live in the URL and survive a reload and the back button', async () => {
    await open('regions?level=1');
    expect(await page.locator('select[name="level"]').inputValue()).toBe('1');
    expect((await chartData<{ level: number }>()).level).toBe(1);
    await page.locator('select[name="category"]').selectOption('STUDENT');
    await page.waitForURL(/category=STUDENT/);
    await settle();
    expect(new URL(page.url()).searchParams.get('level')).toBe('1');
    await page.reload();
    await settle();
    expect(await page.locator('select[name="category"]').inputValue()).toBe('STUDENT');
    const { body } = await stack.query('{ talentStatistics(groupBy: [REGION], regionLevel: 1, filter: { category: STUDENT }) { cells { region { code } talents } } }');
    const { cells } = await chartData<{ cells: { code: string; talents: number | null }[] }>();
    expect(cells.map((c) => [c.code, c.talents]).sort()).toEqual(body.data.talentStatistics.cells.map((c: any) => [c.region.code, c.talents]).sort());
    await page.goBack();
    await settle();
    expect(new URL(page.url()).searchParams.get('category')).toBeNull();
    expect(await page.locator('select[name="category"]').inputValue()).toBe('');
  });

  it("retention: the seed's 2024 cohorts of the talent-hub network, and flows between its members", async () => {
    await open('retention');
    const expected = JSON.parse(readFileSync(path.join(projectRoot, 'examples', 'operations', 'network-retention.expected.json'), 'utf8')).data.networkRetention;
    const charts = await allChartData();
    // The seed's region cohorts are all below the threshold: a note says so instead of an empty heatmap.
    expect(await page.locator('p.note', { hasText: 'Share still living in the region: every share in this range is withheld' }).count()).toBe(1);
    const network = charts.find((c) => c.title === 'Share still with any member') as { cells: { quarter: string; horizon: string; text: string }[] };
    const q1 = expected.cohorts.find((c: any) => c.quarter === '2024-Q1');
    expect(network.cells.find((c) => c.quarter === '2024-Q1' && c.horizon === '12 months')?.text).toBe(`${(Number(q1.retained12Months) * 100).toFixed(1)} %`);
    const q4 = expected.cohorts.find((c: any) => c.quarter === '2024-Q4');
    expect(q4.retained24MonthsStatus).toBe('NOT_YET_OBSERVABLE');
    expect(network.cells.find((c) => c.quarter === '2024-Q4' && c.horizon === '24 months')?.text).toBe('not yet observable');
    const { flows } = charts.find((c) => c.flows) as { flows: { from: string; to: string; talents: number | null; suppressed: boolean }[] };
    expect(flows.length).toBe(expected.flows.length);
    for (const flow of flows.filter((f) => f.suppressed)) expect(flow.talents).toBeNull();
    expect(flows.filter((f) => !f.suppressed).map((f) => f.talents).sort()).toEqual(expected.flows.filter((f: any) => !f.suppressed).map((f: any) => f.talents).sort());
    await shoot('retention');
  });

  it('registrations: the seeded registrations by month and kind', async () => {
    await open('registrations');
    const { body } = await stack.query('{ registrationStatistics(groupBy: [MONTH, EVENT_KIND]) { month eventKind registrations { value suppressed } } }');
    const answer = body.data.registrationStatistics as { month: string; eventKind: string; registrations: { value: number | null; suppressed: boolean } }[];
    expect(answer.length).toBeGreaterThan(0);
    const { rows } = await chartData<{ rows: { month: string; kind: string; registrations: number | null; text: string }[] }>();
    expect(rows.map((r) => [r.month, r.kind, r.registrations]).sort()).toEqual(answer.map((c) => [c.month, c.eventKind, c.registrations.suppressed ? null : c.registrations.value]).sort());
    const tableTexts = await cellTexts('table tbody tr td:nth-child(4)');
    expect(tableTexts.sort()).toEqual(answer.map((c) => (c.registrations.suppressed ? 'fewer than 5' : c.registrations.value!.toLocaleString('en-GB'))).sort());
    await shoot('registrations');
  });

  it('events: the seats left on each seeded event', async () => {
    await open('events?seats=all');
    const { body } = await stack.query('{ events(first: 100) { nodes { id title status seatsLeft } } }');
    const answer = (body.data.events.nodes as { title: string; status: string; seatsLeft: number | null }[]).filter((e) => e.status !== 'CANCELLED');
    const titles = await cellTexts('table tbody tr td:nth-child(1)');
    const seats = await cellTexts('table tbody tr td:nth-child(7)');
    expect(titles).toEqual(answer.map((e) => e.title));
    expect(seats).toEqual(answer.map((e) => (e.seatsLeft === null ? 'unlimited' : e.seatsLeft.toLocaleString('en-GB'))));
    expect(answer.some((e) => e.seatsLeft !== null)).toBe(true);
    // By default the upcoming events with seats left: those the graph lists from now on, less the full ones. The
    // seed writes its demo trainings from the day it runs, one of them full (subgraphs/trainings/seed/upcoming.ts).
    const now = new Date().toISOString();
    await open('events');
    expect(await page.locator('select[name="seats"]').inputValue()).toBe('upcoming');
    const upcoming = await stack.query('query ($now: DateTime) { events(startsFrom: $now, first: 100) { nodes { title status seatsLeft } } }', { now });
    const all = (upcoming.body.data.events.nodes as { title: string; status: string; seatsLeft: number | null }[]).filter((e) => e.status !== 'CANCELLED');
    const withSeats = all.filter((e) => e.seatsLeft === null || e.seatsLeft > 0);
    expect(withSeats.length).toBeGreaterThan(0);
    expect(withSeats.length).toBeLessThan(all.length);
    expect(await cellTexts('table tbody tr td:nth-child(1)')).toEqual(withSeats.map((e) => e.title));
    await shoot('events');
  });

  it('a refused token shows the error state, and the development token button signs in again', async () => {
    await open('programmes');
    await page.locator('input[name="token"]').fill('not-a-token');
    await page.locator('button[name="use-token"]').click();
    await page.waitForSelector('[data-state="error"]');
    expect(await page.locator('[data-state="error"]').innerText()).toMatch(/refused the token: sign in again/);
    await shoot('error');
    await page.locator('button[name="sign-out"]').click();
    await page.locator('button[name="dev-token"]').click();
    await page.waitForSelector('[data-signed-in]');
    expect(await page.locator('[data-signed-in]').innerText()).toBe('Signed in as cemr');
    await settle();
    expect(await page.locator('[data-kpi="budget"] .value').innerText()).toBe('EUR 2,232,176.90');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
  });

  it('an unknown page shows an error, and no page threw', async () => {
    await page.goto(dashboardUrl('nowhere'));
    await page.waitForSelector('[data-state="error"]');
    expect(await page.locator('[data-state="error"]').innerText()).toMatch(/No such page/);
    expect(pageErrors).toEqual([]);
  });
});
