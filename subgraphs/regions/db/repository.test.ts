import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { regionsSubgraph } from '../server.js';
import { createLoaders } from '../loaders.js';
import * as repo from './repository.js';
import type { RegionsDatabase } from './types.js';

let database: Database<RegionsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

describe('seed', () => {
  it('holds all 1,798 NUTS 2024 regions with consistent levels and parents', async () => {
    const rows = await database.db.selectFrom('regions').select(['code', 'level', 'parent_code', 'country_code']).execute();
    expect(rows).toHaveLength(1798);
    const counts = [0, 1, 2, 3].map((l) => rows.filter((r) => r.level === l).length);
    expect(counts).toEqual([39, 115, 299, 1345]);
    for (const r of rows) {
      expect(r.level).toBe(r.code.length - 2);
      expect(r.parent_code).toBe(r.level === 0 ? null : r.code.slice(0, -1));
      expect(r.country_code).toBe(r.code.slice(0, 2));
    }
  });

  it('is written once: a second run changes nothing', async () => {
    const before = await database.db.selectFrom('organisations').select(database.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(await regionsSubgraph.seed(database.db)).toBe(false);
    const after = await database.db.selectFrom('organisations').select(database.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('repository', () => {
  it('lists the children of many regions in one statement, bounded and ordered', async () => {
    const before = database.stats.statements;
    const rows = await repo.listChildRegions(database.db, ['ES51', 'IE04', 'ZZ']);
    expect(database.stats.statements - before).toBe(1);
    expect(rows.filter((r) => r.parent_code === 'ES51').map((r) => r.code)).toEqual(['ES511', 'ES512', 'ES513', 'ES514']);
    expect(rows.filter((r) => r.parent_code === 'IE04').map((r) => r.code)).toEqual(['IE041', 'IE042']);
  });

  it('pages organisations per region with a keyset (size + 1 rows, then strictly after the cursor)', async () => {
    const first = await repo.listOrganisationsInRegions(database.db, ['BE', 'ITH5'], { size: 1, after: null });
    expect(first.filter((o) => o.parent_key === 'BE').map((o) => o.id)).toEqual(['cemr', 'eurocities']);
    const next = await repo.listOrganisationsInRegions(database.db, ['BE'], { size: 1, after: ['cemr'] });
    expect(next.map((o) => o.id)).toEqual(['eurocities']);
  });
});

describe('loaders', () => {
  it('answer in key order with null for unknown keys, one statement per batch', async () => {
    const loaders = createLoaders(database.db);
    const before = database.stats.statements;
    const rows = await Promise.all(['uclg', 'nobody', 'aer'].map((id) => loaders.organisation.load(id)));
    expect(rows.map((r) => r?.id ?? null)).toEqual(['uclg', null, 'aer']);
    expect(database.stats.statements - before).toBe(1);
  });

  it('share one statement between parents asking for the same page', async () => {
    const loaders = createLoaders(database.db);
    const before = database.stats.statements;
    const pages = await Promise.all(['BE', 'ITH5', 'ES'].map((code) => loaders.organisationsInRegion.load(code, { first: 5 })));
    expect(database.stats.statements - before).toBe(1);
    expect(pages.map((p) => p.nodes.length)).toEqual([2, 2, 2]);
  });
});
