import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { presentWebApps, staleReason } from './web-apps.js';

// When `npm start` and the browser tests rebuild a web app: a project on disk with one app, its build and its inputs,
// their modification times set by hand.

describe('staleReason (whether a web app needs a build)', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

  const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, seconds));
  function project(): { root: string; write(file: string, text: string, seconds: number): void } {
    const root = mkdtempSync(path.join(os.tmpdir(), 'web-apps-'));
    roots.push(root);
    const write = (file: string, text: string, seconds: number) => {
      const full = path.join(root, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
      utimesSync(full, at(seconds), at(seconds));
      // The folders too, as if nothing had been added since: a test that adds a file sets its folder's time.
      for (let dir = path.dirname(full); dir.startsWith(root) && dir !== root; dir = path.dirname(dir)) utimesSync(dir, at(0), at(0));
    };
    write('package-lock.json', '{}', 0);
    write('explorer/package.json', '{}', 0);
    write('explorer/src/main.tsx', '', 0);
    write('examples/operations/a.graphql', 'query A { a }', 0);
    write('explorer/dist/index.html', '<!doctype html>', 10);
    write('explorer/dist/build-inputs.json', JSON.stringify(['examples/operations/a.graphql']), 10);
    return { root, write };
  }

  it('is fresh when the build is newer than everything it was built from', () => {
    const { root } = project();
    expect(staleReason('explorer', root)).toBeUndefined();
  });

  it('needs a build when there is none', () => {
    const { root } = project();
    rmSync(path.join(root, 'explorer', 'dist'), { recursive: true });
    expect(staleReason('explorer', root)).toBe('not built');
  });

  it('needs a build after a change to its sources, its dependencies or an input outside its folder', () => {
    const source = project();
    source.write('explorer/src/main.tsx', 'changed', 20);
    expect(staleReason('explorer', source.root)).toBe('sources changed');

    const lock = project();
    lock.write('package-lock.json', '{"changed":true}', 20);
    expect(staleReason('explorer', lock.root)).toBe('dependencies changed');

    const input = project();
    input.write('examples/operations/a.graphql', 'query A { b }', 20);
    expect(staleReason('explorer', input.root)).toBe(`${path.join('examples', 'operations', 'a.graphql')} changed`);
  });

  it('needs a build when a file appears beside its inputs, or an input is gone', () => {
    const added = project();
    added.write('examples/operations/b.graphql', 'query B { b }', 0);
    utimesSync(path.join(added.root, 'examples', 'operations'), at(20), at(20));
    expect(staleReason('explorer', added.root)).toMatch(/changed$/);

    const removed = project();
    rmSync(path.join(removed.root, 'examples', 'operations', 'a.graphql'));
    expect(staleReason('explorer', removed.root)).toMatch(/a\.graphql changed$/);
  });

  it('refuses a malformed list of inputs, naming the file', () => {
    const { root, write } = project();
    write('explorer/dist/build-inputs.json', '{"not": "a list"}', 10);
    expect(() => staleReason('explorer', root)).toThrow(`${path.join('explorer', 'dist', 'build-inputs.json')} must be a JSON array of project-relative paths`);
  });

  it("builds only the gateway's web apps that exist in the checkout", () => {
    const { root } = project();
    expect(presentWebApps(root).map((app) => app.name)).toEqual(['explorer']);
  });
});
