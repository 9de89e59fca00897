import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';

// What a user's `npm ci` installs, read from the lockfile: every package must accept every Node version the
// project supports (npm would print EBADENGINE otherwise), and every install script must be decided in
// package.json's allowScripts (npm 11 skips undecided ones and asks about them at every install).

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  os?: string[];
  cpu?: string[];
  hasInstallScript?: boolean;
  link?: boolean;
}

const read = (file: string) => JSON.parse(readFileSync(path.join(projectRoot, file), 'utf8')) as Record<string, unknown>;
const manifest = read('package.json') as { engines: { node: string }; allowScripts?: Record<string, boolean> };
const lock = read('package-lock.json') as { packages: Record<string, LockedPackage> };
// Packages for another platform (npm installs only the optional binary that matches) are left out.
const forHere = (p: LockedPackage) => (!p.cpu || p.cpu.includes(process.arch)) && (!p.os || p.os.includes(process.platform));
const installed = Object.entries(lock.packages).filter(([key, p]) => key.includes('node_modules/') && !p.link && forHere(p));
const nameOf = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('a clean install', () => {
  it('installs no package whose engines exclude a supported Node version', () => {
    // The lowest version of each line the project supports, and the one running the tests.
    const lowest = manifest.engines.node.split('||').map((range) => semver.minVersion(range)!.version);
    expect(lowest).toEqual(['20.19.0', '22.13.0', '24.0.0']);
    const supported = [...lowest, process.versions.node];
    const refused = installed.flatMap(([key, p]) => {
      const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
      if (!range) return [];
      const bad = supported.filter((version) => !semver.satisfies(version, range));
      return bad.length ? [`${nameOf(key)}@${p.version} wants node ${range} (not ${bad.join(', ')})`] : [];
    });
    expect(refused).toEqual([]);
  });

  it('decides every install script in allowScripts', () => {
    const decided = manifest.allowScripts ?? {};
    const undecided = installed.filter(([key, p]) => p.hasInstallScript && !(nameOf(key) in decided)).map(([key, p]) => `${nameOf(key)}@${p.version}`);
    expect(undecided).toEqual([]);
  });

  it('keeps the benchmark reference gateways out of the workspaces', () => {
    const names = installed.map(([key]) => nameOf(key));
    expect(names).not.toContain('@graphql-hive/gateway-runtime');
    expect(names).not.toContain('@graphql-hive/router-runtime');
    expect(names).not.toContain('@graphql-codegen/cli');
  });
});
