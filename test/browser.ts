import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
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

/** Builds a web app workspace (Vite) unless its dist/ is newer than every source file. */
export async function ensureBuilt(app: string): Promise<void> {
  const folder = path.join(projectRoot, app);
  const built = path.join(folder, 'dist', 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(folder)) return;
  await promisify(execFile)('npm', ['run', 'build', '--workspace', app], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
}

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}
