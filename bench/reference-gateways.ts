import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '@talent-hub/platform/paths';

// The reference gateways Hive Gateway (targets C, C', C3) are their own small npm project, bench/reference-gateways/,
// outside the workspaces: their packages want Node 22, so a user's `npm ci` must not install them. The benchmark
// installs them (`npm ci` in that folder) the first time it measures one, and imports them from there.

export const referenceFolder = path.join(projectRoot, 'bench', 'reference-gateways');

/** Installs the reference gateways' packages unless what is installed is what their lockfile names. */
export function ensureReferenceGateways(log: (line: string) => void): void {
  const installed = path.join(referenceFolder, 'node_modules', '.package-lock.json');
  const lock = readFileSync(path.join(referenceFolder, 'package-lock.json'), 'utf8');
  if (existsSync(installed) && sameLock(lock, readFileSync(installed, 'utf8'))) return;
  log('installing the reference gateways (bench/reference-gateways, npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: referenceFolder, stdio: ['ignore', 'inherit', 'inherit'] });
}

// npm keeps a copy of the resolved tree in node_modules/.package-lock.json; the same packages at the same versions
// mean the install is current.
function sameLock(lock: string, installed: string): boolean {
  const versions = (text: string) => {
    const packages = (JSON.parse(text) as { packages?: Record<string, { version?: string }> }).packages ?? {};
    return JSON.stringify(Object.entries(packages).filter(([name]) => name !== '').map(([name, p]) => [name, p.version]).sort());
  };
  return versions(lock) === versions(installed);
}

/** Imports a package installed in bench/reference-gateways/ (not in the project's node_modules). */
export async function importReference<T>(specifier: string): Promise<T> {
  const resolved = createRequire(path.join(referenceFolder, 'package.json')).resolve(specifier);
  return (await import(pathToFileURL(resolved).href)) as T;
}
