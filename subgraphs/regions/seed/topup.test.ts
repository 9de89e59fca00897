import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import type { RegionsDatabase } from '../db/types.js';
import { regionsSubgraph } from '../server.js';
import * as data from './data.js';
import { seed, SEED_VERSION } from './index.js';

// Seed version 2 tops up a database seeded with version 1: the Talent Hub network and the memberships arrive,
// nothing is duplicated, and values changed since version 1 was written are kept.

let database: Database<RegionsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

const counts = async () => {
  const { rows } = await sql<Record<string, number>>`select
    (select count(*)::int from regions) as regions, (select count(*)::int from organisations) as organisations,
    (select count(*)::int from organisation_leaders) as leaders, (select count(*)::int from organisation_figures) as figures,
    (select count(*)::int from organisation_memberships) as memberships, (select count(*)::int from programmes) as programmes,
    (select count(*)::int from programme_legal_acts) as legal_acts, (select count(*)::int from programme_partners) as partners,
    (select count(*)::int from programme_regions) as programme_regions, (select count(*)::int from projects) as projects,
    (select count(*)::int from programme_services) as services, (select count(*)::int from indicators) as indicators`.execute(database.db);
  return rows[0]!;
};

describe('demo seed version 2', () => {
  it('holds the networks: the Talent Hub organisation and every membership of the demo data', async () => {
    expect(SEED_VERSION).toBe(2);
    expect(await counts()).toMatchObject({ organisations: data.organisations.length, memberships: data.memberships.length });
    expect(data.memberships).toHaveLength(10);
    const hub = await database.db.selectFrom('organisations').selectAll().where('id', '=', 'talent-hub').executeTakeFirstOrThrow();
    expect(hub).toMatchObject({ name: 'Talent Hub for Cities and Regions', kind: 'NETWORK' });
  });

  it('tops up a version-1 database without duplicates, keeping values changed since', async () => {
    const full = await counts();
    const db = database.db;
    // Back to what version 1 left, plus an indicator updated since.
    await sql`delete from organisation_memberships`.execute(db);
    await sql`delete from organisations where id = 'talent-hub'`.execute(db);
    await sql`update indicators set value = 7500, as_of = '2024-12-31' where programme_id = 'emilia-romagna-talents' and code = 'talents-reached'`.execute(db);
    await sql`update demo_seed set version = 1 where name = 'regions'`.execute(db);

    expect(await seed(db)).toBe(true);
    expect(await counts()).toEqual(full);
    const memberships = await db.selectFrom('organisation_memberships').select(['network_id', 'member_id']).orderBy('network_id').orderBy('member_id').execute();
    expect(memberships).toEqual(data.memberships.map(({ network_id, member_id }) => ({ network_id, member_id })));
    const kept = await db.selectFrom('indicators').select(['value', 'as_of']).where('programme_id', '=', 'emilia-romagna-talents').where('code', '=', 'talents-reached').executeTakeFirstOrThrow();
    expect(kept).toEqual({ value: '7500', as_of: '2024-12-31' });
    const marker = await db.selectFrom('demo_seed').select('version').where('name', '=', 'regions').executeTakeFirstOrThrow();
    expect(marker.version).toBe(2);
    // At version 2 already: a restart writes nothing.
    expect(await seed(db)).toBe(false);
  });
});
