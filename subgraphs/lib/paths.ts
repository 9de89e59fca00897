import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project's root folder (where the top package.json is), whether running from sources or from `dist/`. */
export const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)).replace(/[/\\]dist[/\\]?$/, ''));

/**
 * Resolves a file that lives beside a source module (an SDL, a CSV). Compiled JavaScript runs from `dist/`,
 * which holds no such files, so the path is mapped back into the source tree.
 */
export function sourceFile(moduleUrl: string, relative: string): string {
  const dir = path.dirname(fileURLToPath(moduleUrl));
  const fromRoot = path.relative(projectRoot, dir).replace(/^dist([/\\]|$)/, '');
  return path.join(projectRoot, fromRoot, relative);
}
