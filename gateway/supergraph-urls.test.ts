import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSubgraphUrls, subgraphsNamedIn } from './server.js';
import { watchSupergraph } from './supergraph.js';

// A gateway process takes its subgraphs' URLs from the registry and the environment, never from the supergraph
// file: a supergraph naming a subgraph it has no URL for is refused at start, and on reload the previous one stays.

const supergraph = (...names: string[]) =>
  `enum join__Graph {\n${names.map((n) => `  ${n.toUpperCase()} @join__graph(name: "${n}", url: "http://127.0.0.1:1/graphql")`).join('\n')}\n}\n`;

describe('subgraph URLs of a supergraph', () => {
  it('reads the subgraphs a supergraph names', () => {
    expect(subgraphsNamedIn(supergraph('talents', 'skills-passport'))).toEqual([
      ['talents', 'http://127.0.0.1:1/graphql'],
      ['skills-passport', 'http://127.0.0.1:1/graphql'],
    ]);
  });

  it('refuses one naming a subgraph without a URL, saying what to do', () => {
    expect(() => checkSubgraphUrls(supergraph('talents'), { talents: 'http://t' })).not.toThrow();
    expect(() => checkSubgraphUrls(supergraph('talents', 'badges'), { talents: 'http://t' })).toThrow(
      'it names subgraph badges with no URL: add it to subgraphs/registry.json (and set BADGES_URL where it does not run on this machine)',
    );
  });

  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is checked before the first load (no start) and before each reload (the previous one stays)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-supergraph-'));
    dirs.push(dir);
    const file = path.join(dir, 'supergraph.graphql');
    const logged: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (m: unknown) => logged.push(String(m)) };
    const check = (sdl: string) => checkSubgraphUrls(sdl, { talents: 'http://t' });

    writeFileSync(file, supergraph('talents', 'badges'));
    await expect(watchSupergraph(file, { update: () => undefined, watch: false, logger, check })).rejects.toThrow(/cannot be served: it names subgraph badges with no URL/);

    writeFileSync(file, supergraph('talents'));
    const updates: string[] = [];
    const watched = await watchSupergraph(file, { update: (sdl) => updates.push(sdl), watch: true, logger, check });
    writeFileSync(file, supergraph('talents', 'badges'));
    for (let i = 0; i < 40 && logged.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    watched.close();
    expect(updates).toEqual([]);
    expect(logged).toEqual([expect.stringMatching(/was not loaded \(it names subgraph badges with no URL.*\); still serving the previous one/)]);
  });
});
