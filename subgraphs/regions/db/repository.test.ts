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

describe('organisation_memberships (migration 0004)', () => {
  const join = (network_id: string, member_id: string, joined_on: string | null = null) =>
    database.db.insertInto('organisation_memberships').values({ network_id, member_id, joined_on }).execute();

  it('refuses a self-membership, an unknown organisation on either side, and a membership held twice', async () => {
    await expect(join('aer', 'aer')).rejects.toMatchObject({ code: '23514', constraint: 'organisation_memberships_not_self' });
    await expect(join('aer', 'nobody')).rejects.toMatchObject({ code: '23503' });
    await expect(join('nobody', 'aer')).rejects.toMatchObject({ code: '23503' });
    await expect(join('aer', 'emilia-romagna-region')).rejects.toMatchObject({ code: '23505' });
  });

  it('takes a joining date, or none', async () => {
    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('organisation_memberships').values({ network_id: 'talent-hub', member_id: 'aer', joined_on: '2024-05-02' }).execute();
      const row = await trx.selectFrom('organisation_memberships').selectAll().where('network_id', '=', 'talent-hub').where('member_id', '=', 'aer').executeTakeFirstOrThrow();
      expect(row.joined_on).toBe('2024-05-02');
      await trx.deleteFrom('organisation_memberships').where('network_id', '=', 'talent-hub').where('member_id', '=', 'aer').execute();
    });
    const seeded = await database.db.selectFrom('organisation_memberships').select('joined_on').distinct().execute();
    expect(seeded).toEqual([{ joined_on: null }]);
  });

  it('lists members and networks of many organisations in one statement each, in id order', async () => {
    const before = database.stats.statements;
    const members = await repo.listMembersOf(database.db, ['aer', 'talent-hub', 'nobody'], { size: 2, after: null });
    const networks = await repo.listNetworksOf(database.db, ['donegal-county-council', 'uclg', 'art-er']);
    const counts = await repo.countMembersOf(database.db, ['aer', 'aer-irn', 'nobody']);
    expect(database.stats.statements - before).toBe(3);
    const of = <T extends { parent_key: string; id: string }>(rows: T[], key: string) => rows.filter((r) => r.parent_key === key).map((r) => r.id);
    // A page fetches size + 1 rows per parent: the extra one only says that a next page exists.
    expect(of(members, 'aer')).toEqual(['aer-irn', 'catalonia-social-rights', 'donegal-county-council']);
    expect(of(members, 'talent-hub')).toEqual(['cemr', 'eurocities', 'uclg']);
    expect(members).toHaveLength(6);
    expect(of(networks, 'donegal-county-council')).toEqual(['aer', 'aer-irn']);
    expect(of(networks, 'uclg')).toEqual(['talent-hub']);
    expect(networks).toHaveLength(3);
    expect(new Map(counts.map((c) => [c.parent_key, c.count]))).toEqual(new Map([['aer', 4], ['aer-irn', 3], ['nobody', 0]]));
    const next = await repo.listMembersOf(database.db, ['aer'], { size: 2, after: ['catalonia-social-rights'] });
    expect(next.map((o) => o.id)).toEqual(['donegal-county-council', 'emilia-romagna-region']);
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
