import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

/** True when this code runs compiled (from dist/, as `npm start` runs it), false from its TypeScript sources. */
export const runsCompiled = path.basename(here) === 'dist';

/**
 * The project's root folder (where the top package.json is), whether this module runs from its sources
 * (packages/platform/) or compiled (packages/platform/dist/).
 */
export const projectRoot = path.resolve(runsCompiled ? path.dirname(here) : here, '..', '..');

/**
 * Resolves a file that lives beside a source module (an SDL, a CSV). Compiled JavaScript runs from its workspace's
 * `dist/` folder, which holds no such files, so the path is mapped back into the source tree.
 */
export function sourceFile(moduleUrl: string, relative: string): string {
  const segments = path.relative(projectRoot, path.dirname(fileURLToPath(moduleUrl))).split(path.sep);
  const dist = segments.indexOf('dist');
  if (dist >= 0) segments.splice(dist, 1);
  return path.join(projectRoot, ...segments, relative);
}

/** The export condition under which the workspaces resolve each other to their TypeScript sources (see package.json). */
export const sourceCondition = '@talent-hub/source';

/** Node arguments that run a TypeScript entry point from the sources (npm start, tests that start a process). */
export const sourceNodeArgs: readonly string[] = [`--conditions=${sourceCondition}`, '--import', 'tsx'];

/**
 * Node arguments that run a workspace's entry point (`main` of `gateway`, `subgraphs/talents`) the way this code
 * runs: compiled from the workspace's dist/ (npm start builds it first, scripts/launch.js), or from the sources.
 */
export function entryPointArgs(workspace: string, entry: string): string[] {
  return runsCompiled ? [path.join(workspace, 'dist', `${entry}.js`)] : [...sourceNodeArgs, path.join(workspace, `${entry}.ts`)];
}
