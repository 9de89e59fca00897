// @ts-check
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// `npm start`: builds what is stale, then runs the compiled start script (scripts/start.ts, in scripts/dist/),
// which runs every service compiled too. Plain JavaScript, because it runs before anything is built.
//
// Why compiled: run through tsx, each of the five processes spent ~1 s compiling its TypeScript (esbuild, cached
// only per file) and held ~60 MB more (tsx's loader thread; its esbuild service another ~95 MB), measured with
// `npm run bench:start`. `tsc -b` (TypeScript 7, native) builds everything in ~5 s on a fresh clone.
//
// Why a stamp: `tsc -b` is right about what to rebuild but takes ~0.5 s to say "nothing", and a warm start has a
// budget of 4 s; so it runs only when a file of a built workspace (or the lockfile, or the shared tsconfig) is
// newer than the stamp the last successful build left, or a folder is (a file added or deleted). Editing a source
// file therefore takes effect on the next `npm start`.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The registry's subgraph names (subgraphs/registry.json). */
function subgraphNames(projectRoot = root) {
  const registry = /** @type {{ subgraphs: { name: string }[] }} */ (JSON.parse(readFileSync(path.join(projectRoot, 'subgraphs', 'registry.json'), 'utf8')));
  return registry.subgraphs.map(({ name }) => name);
}

/** The tsc -b projects npm start runs: the shared packages, the gateway, every subgraph of the registry, the scripts. */
export function startProjects(projectRoot = root) {
  const packages = readdirSync(path.join(projectRoot, 'packages')).map((name) => path.join('packages', name));
  const folders = [...packages, 'gateway', ...subgraphNames(projectRoot).map((name) => path.join('subgraphs', name)), 'scripts'];
  return folders.filter((folder) => existsSync(path.join(projectRoot, folder, 'tsconfig.build.json')));
}

/** The file whose date says when the last successful build of npm start ended. */
export const stampFile = (projectRoot = root) => path.join(projectRoot, 'scripts', 'dist', '.start-build');

/** Why the compiled start is out of date, or undefined when it is not. */
export function staleReason(projectRoot = root) {
  const stamp = stampFile(projectRoot);
  if (!existsSync(stamp)) return 'not built';
  const builtAt = statSync(stamp).mtimeMs;
  for (const file of ['package-lock.json', 'tsconfig.base.json', path.join('subgraphs', 'registry.json')]) {
    if (mtime(path.join(projectRoot, file)) > builtAt) return `${file} changed`;
  }
  for (const folder of startProjects(projectRoot)) {
    const changed = newerIn(path.join(projectRoot, folder), builtAt);
    if (changed) return `${path.relative(projectRoot, changed)} changed`;
  }
  return undefined;
}

/** Builds the start projects when stale (`tsc -b`); throws with the compiler's output when the build fails. */
export function buildIfStale(projectRoot = root, log = startLog) {
  const reason = staleReason(projectRoot);
  if (reason === undefined) return false;
  const started = performance.now();
  // The stamp gets the time the build began: a file saved while tsc runs is then still newer than it. Each dist/
  // is made first, as making it would date its workspace's folder after the stamp (a rebuild on the next start).
  for (const folder of startProjects(projectRoot)) mkdirSync(path.join(projectRoot, folder, 'dist'), { recursive: true });
  const began = new Date();
  log(`building (${reason}): tsc -b`);
  const tsc = path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const projects = startProjects(projectRoot).map((folder) => path.join(folder, 'tsconfig.build.json'));
  const result = spawnSync(process.execPath, [tsc, '-b', ...projects], { cwd: projectRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`The build failed (tsc -b ${projects.join(' ')}):\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || result.error?.message}`);
  }
  mkdirSync(path.dirname(stampFile(projectRoot)), { recursive: true });
  writeFileSync(stampFile(projectRoot), `${began.toISOString()}\n`);
  utimesSync(stampFile(projectRoot), began, began);
  log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/** A line as scripts/start.ts writes its own: `start`, padded like the services' names, then the message. */
function startLog(/** @type {string} */ line, out = process.stdout) {
  const width = Math.max('gateway'.length, ...subgraphNames().map((name) => name.length)) + 1;
  out.write(`${'start'.padEnd(width)}| ${line}\n`);
}

/** @param {string} file */
function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Infinity; // gone: the build would differ
  }
}

/** The first file or folder under `folder` (not dist/ nor node_modules/) changed after `since`, or undefined. */
function newerIn(/** @type {string} */ folder, /** @type {number} */ since) {
  if (statSync(folder).mtimeMs > since) return folder;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    const found = entry.isDirectory() ? newerIn(full, since) : statSync(full).mtimeMs > since ? full : undefined;
    if (found) return found;
  }
  return undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    buildIfStale();
  } catch (error) {
    startLog(/** @type {Error} */ (error).message, process.stderr);
    process.exit(1);
  }
  await import(pathToFileURL(path.join(root, 'scripts', 'dist', 'start.js')).href);
}
