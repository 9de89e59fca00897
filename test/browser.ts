import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '@talent-hub/platform/paths';

// Browser tests: Debian's Chromium (`apt-get install -y chromium`; CHROMIUM_PATH overrides where it is) driven by
// playwright-core, against the web apps as the gateway serves them. Screenshots go to artifacts/screenshots/,
// which CI keeps; the README's pictures are copies of them (docs/screenshots/).

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const screenshotDir = path.join(projectRoot, 'artifacts', 'screenshots');

/** Headless Chromium that makes no connection of its own (this machine's network is closed, and tests must not depend on it). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export function screenshotPath(name: string): string {
  return path.join(screenshotDir, `${name}.png`);
}

// Tests build a web app the way `npm start` does: only when it is missing or older than its sources.
export { ensureBuilt } from '../scripts/web-apps.js';
