import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import * as launch from './launch.js';

// When `npm start` (scripts/launch.js) rebuilds the compiled services: a project on disk shaped like this one.

let root: string;
const past = new Date(Date.now() - 60_000);
const write = (file: string, text = '') => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
  utimesSync(path.join(root, file), past, past);
};
const age = (folder: string) => utimesSync(path.join(root, folder), past, past);

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'launch-'));
  write('package-lock.json', '{}');
  write('tsconfig.base.json', '{}');
  write('subgraphs/registry.json', JSON.stringify({ subgraphs: [{ name: 'talents' }] }));
  for (const folder of ['packages/platform', 'gateway', 'subgraphs/talents', 'scripts']) {
    write(`${folder}/tsconfig.build.json`, '{}');
    write(`${folder}/main.ts`, 'export {};');
  }
  write('subgraphs/other/tsconfig.build.json', '{}'); // not in the registry: not built by npm start
  for (const folder of ['packages/platform', 'packages', 'gateway', 'subgraphs/talents', 'subgraphs/other', 'subgraphs', 'scripts', '.']) age(folder);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** As after a successful build that began 10 s ago (a file saved since is newer). */
const built = () => {
  mkdirSync(path.dirname(launch.stampFile(root)), { recursive: true });
  writeFileSync(launch.stampFile(root), 'built');
  const began = new Date(Date.now() - 10_000);
  utimesSync(launch.stampFile(root), began, began);
  age('scripts');
};

describe('npm start rebuilds', () => {
  it('the shared packages, the gateway, the subgraphs of the registry and the scripts', () => {
    expect(launch.startProjects(root)).toEqual(['packages/platform', 'gateway', 'subgraphs/talents', 'scripts'].map(path.normalize));
  });

  it('when never built, and not when nothing changed since', () => {
    expect(launch.staleReason(root)).toBe('not built');
    built();
    expect(launch.staleReason(root)).toBeUndefined();
  });

  it('after a source file is edited, added or deleted', () => {
    built();
    writeFileSync(path.join(root, 'subgraphs/talents/main.ts'), 'export const edited = 1;');
    expect(launch.staleReason(root)).toBe(`${path.normalize('subgraphs/talents/main.ts')} changed`);

    built();
    age('subgraphs/talents');
    utimesSync(path.join(root, 'subgraphs/talents/main.ts'), past, past);
    expect(launch.staleReason(root)).toBeUndefined();
    unlinkSync(path.join(root, 'gateway/main.ts'));
    expect(launch.staleReason(root)).toBe('gateway changed');
  });

  it('after the lockfile, the shared tsconfig or the registry changes, but not for what it does not build', () => {
    built();
    writeFileSync(path.join(root, 'subgraphs/other/main.ts'), 'export {};');
    expect(launch.staleReason(root)).toBeUndefined();
    writeFileSync(path.join(root, 'package-lock.json'), '{ }');
    expect(launch.staleReason(root)).toBe('package-lock.json changed');
  });

  it('once per change: a build leaves nothing newer than its stamp, and the next edit makes it stale again', () => {
    // A stand-in for tsc -b: writes each project's output into its dist/, as the real one does.
    write(
      'node_modules/typescript/bin/tsc',
      `const fs = require('node:fs'); const path = require('node:path');
       for (const project of process.argv.slice(3)) {
         const dist = path.join(path.dirname(project), 'dist');
         fs.mkdirSync(dist, { recursive: true });
         fs.writeFileSync(path.join(dist, 'main.js'), 'export {};');
       }`,
    );
    const lines: string[] = [];
    expect(launch.buildIfStale(root, (line) => lines.push(line))).toBe(true);
    expect(lines[0]).toBe('building (not built): tsc -b');
    expect(launch.staleReason(root)).toBeUndefined();
    expect(launch.buildIfStale(root, () => {})).toBe(false);
    writeFileSync(path.join(root, 'packages/platform/main.ts'), 'export const edited = 1;');
    expect(launch.staleReason(root)).toBe(`${path.normalize('packages/platform/main.ts')} changed`);
  });

  it('and refuses to start on a failed build, leaving it stale', () => {
    // No TypeScript in this project: the build cannot run; the next start tries again.
    expect(() => launch.buildIfStale(root, () => {})).toThrow(/The build failed/);
    expect(launch.staleReason(root)).toBe('not built');
  });
});

describe('this project', () => {
  it('builds every workspace npm start runs, with the same projects as npm run build', () => {
    const buildScript = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build!;
    for (const folder of launch.startProjects(projectRoot)) {
      const project = `${folder.split(path.sep).join('/')}/tsconfig.build.json`;
      const globbed = project.replace(/^(packages|subgraphs)\/[^/]+\//, '$1/*/');
      expect(buildScript.includes(project) || buildScript.includes(globbed), project).toBe(true);
    }
  });
});
