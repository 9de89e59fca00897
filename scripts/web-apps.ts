import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { webApps, type WebApp } from '@talent-hub/gateway/web';
import { projectRoot } from '@talent-hub/platform/paths';
import { buildInputsFile } from './web-app-inputs.js';

// The web apps the gateway serves (gateway/web.ts `webApps`) are Vite builds of their workspaces. `npm run
// build:web` builds each one whose folder exists; `npm start` and the browser tests build those that are missing
// or older than their sources, so that a fresh clone works and a warm start spends no time here.
//
// An app is stale when any file of its folder (but dist/ and node_modules/), package-lock.json (its dependencies),
// or a file its last build listed in dist/build-inputs.json (sources outside its folder, such as the explorer's
// example operations, and their folders, so that a new file counts) is newer than its dist/index.html.


/** The web apps of gateway/web.ts whose workspace exists in this checkout. */
export function presentWebApps(root = projectRoot): WebApp[] {
  return webApps.filter((app) => existsSync(path.join(root, app.name, 'package.json')));
}

/** Why the app needs a build, or undefined when its dist/ is newer than everything it was built from. */
export function staleReason(app: string, root = projectRoot): string | undefined {
  const folder = path.join(root, app);
  const built = path.join(folder, 'dist', 'index.html');
  if (!existsSync(built)) return 'not built';
  const builtAt = statSync(built).mtimeMs;
  const newer = (file: string) => {
    try {
      return statSync(file).mtimeMs > builtAt;
    } catch {
      return true; // an input that is gone: the build would differ
    }
  };
  if (newer(path.join(root, 'package-lock.json'))) return 'dependencies changed';
  const changed = newestIn(folder) > builtAt;
  if (changed) return 'sources changed';
  for (const input of recordedInputs(folder, root)) {
    if (newer(input) || newer(path.dirname(input))) return `${path.relative(root, input)} changed`;
  }
  return undefined;
}

/** Builds a web app workspace (`npm run build` in it, which is `vite build`); resolves with the seconds it took. */
export async function buildWebApp(app: string, root = projectRoot): Promise<number> {
  const started = performance.now();
  try {
    await promisify(execFile)('npm', ['run', 'build', '--workspace', app], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`The ${app} web app did not build (npm run build --workspace ${app}):\n${output}`, { cause: error });
  }
  return (performance.now() - started) / 1000;
}

/** Builds the app unless it is fresh (browser tests, npm start). */
export async function ensureBuilt(app: string, root = projectRoot): Promise<void> {
  if (staleReason(app, root) !== undefined) await buildWebApp(app, root);
}

/** Builds every present web app (all of them, or only the stale ones), one after the other; logs each. */
export async function buildWebApps(options: { onlyStale: boolean; log: (line: string) => void; root?: string }): Promise<void> {
  const root = options.root ?? projectRoot;
  for (const app of presentWebApps(root)) {
    const reason = options.onlyStale ? staleReason(app.name, root) : 'npm run build:web';
    if (reason === undefined) continue;
    options.log(`building the ${app.name} web app (${reason})`);
    const seconds = await buildWebApp(app.name, root);
    options.log(`${app.name} built in ${seconds.toFixed(1)} s: ${path.relative(root, path.join(root, app.name, 'dist'))}/`);
  }
}

function recordedInputs(folder: string, root: string): string[] {
  const file = path.join(folder, 'dist', buildInputsFile);
  if (!existsSync(file)) return [];
  const listed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(listed) || !listed.every((entry) => typeof entry === 'string')) {
    throw new Error(`${path.relative(root, file)} must be a JSON array of project-relative paths`);
  }
  return listed.map((entry) => path.join(root, entry));
}

function newestIn(folder: string): number {
  let newest = statSync(folder).mtimeMs;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// `npm run build:web`: every web app whose workspace exists, stale or not.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const apps = presentWebApps();
  if (apps.length === 0) console.log('No web app workspace to build.');
  try {
    await buildWebApps({ onlyStale: false, log: (line) => console.log(line) });
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
