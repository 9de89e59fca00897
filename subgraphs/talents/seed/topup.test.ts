import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import { SYNTHETIC_TALENT_COUNT, syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import type { TalentsDatabase } from '../db/types.js';
import { talentsSubgraph } from '../server.js';
import { readEscoSkills, seed, SEED_VERSION } from './index.js';
import { syntheticConsents, syntheticPersonalData } from './personal.js';
import { syntheticTalents } from './synthetic.js';

// The current seed tops up a database seeded with version 1: personal data, consents and affiliation histories
// arrive, nothing is duplicated, an erased demo talent stays erased, and personal data someone entered since is kept.

let database: Database<TalentsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(talentsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

const counts = async () => {
  const { rows } = await sql<any>`select
    (select count(*)::int from talents) as talents, (select count(*)::int from skills) as skills,
    (select count(*)::int from talent_skills) as talent_skills, (select count(*)::int from talent_languages) as languages,
    (select count(*)::int from residence_periods) as residences, (select count(*)::int from talent_consents) as consents,
    (select count(*)::int from affiliations) as affiliations`.execute(database.db);
  return rows[0];
};

describe('demo seed top-ups', () => {
  const demo = syntheticTalents(readEscoSkills().map((s) => s.uri));
  const personal = syntheticPersonalData(demo.talents);
  const consents = syntheticConsents(demo.talents);

  it('gives every demo talent personal data and seeds consents for three organisations', async () => {
    expect(SEED_VERSION).toBe(4);
    const { rows } = await sql<any>`select id, given_name, family_name, email, birth_year, phone from talents`.execute(database.db);
    expect(rows).toHaveLength(SYNTHETIC_TALENT_COUNT);
    for (const row of rows) expect(row).toEqual({ id: row.id, ...personal.get(row.id) });
    expect(new Set(rows.map((r: any) => r.email)).size).toBe(rows.length);
    expect(new Set(consents.map((c) => c.organisation_id))).toEqual(new Set(['cemr', 'eurocities', 'art-er']));
    expect((await counts()).consents).toBe(consents.length);
  });

  it('tops up a version-1 database without duplicates, keeping erasures and later edits', async () => {
    const full = await counts();
    const erased = syntheticTalentId(10);
    const edited = syntheticTalentId(11);
    const db = database.db;
    // Back to what version 1 left, plus an erasure and an edit made since.
    await sql`update talents set given_name = null, family_name = null, email = null, birth_year = null, phone = null`.execute(db);
    await sql`delete from talent_consents`.execute(db);
    await sql`update demo_seed set version = 1 where name = 'talents'`.execute(db);
    const erasedChildren = (await sql<any>`select (select count(*)::int from talent_skills where talent_id = ${erased}) as s,
      (select count(*)::int from talent_languages where talent_id = ${erased}) as l, (select count(*)::int from residence_periods where talent_id = ${erased}) as r,
      (select count(*)::int from affiliations where talent_id = ${erased}) as a`.execute(db)).rows[0];
    await sql`delete from affiliations`.execute(db);
    await sql`delete from talents where id = ${erased}`.execute(db);
    await sql`insert into erased_talents (talent_id) values (${erased})`.execute(db);
    await sql`update talents set phone = '+39 051 000000' where id = ${edited}`.execute(db);

    expect(await seed(db)).toBe(true);
    const erasedConsents = consents.filter((c) => c.talent_id === erased).length;
    expect(await counts()).toEqual({
      ...full,
      talents: full.talents - 1,
      talent_skills: full.talent_skills - erasedChildren.s,
      languages: full.languages - erasedChildren.l,
      residences: full.residences - erasedChildren.r,
      consents: full.consents - erasedConsents,
      affiliations: full.affiliations - erasedChildren.a,
    });
    expect((await sql`select 1 from talents where id = ${erased}`.execute(db)).rows).toHaveLength(0);
    const kept = (await sql<any>`select given_name, phone from talents where id = ${edited}`.execute(db)).rows[0];
    expect(kept).toEqual({ given_name: null, phone: '+39 051 000000' });
    const other = (await sql<any>`select email from talents where id = ${syntheticTalentId(12)}`.execute(db)).rows[0];
    expect(other.email).toBe(personal.get(syntheticTalentId(12))!.email);
    // At the current version already: a restart writes nothing.
    expect(await seed(db)).toBe(false);
  });

  it('publishes the demo profiles of a version-3 database (migration 0006 made them private), once', async () => {
    const db = database.db;
    const published = async () => (await sql<{ id: string }>`select id from talents where public_profile order by id`.execute(db)).rows.map((r) => r.id);
    const expected = demo.talents.filter((t) => t.public_profile).map((t) => t.id);
    const existing = new Set((await sql<{ id: string }>`select id from talents`.execute(db)).rows.map((r) => r.id));
    expect(expected.length).toBeGreaterThan(SYNTHETIC_TALENT_COUNT * 0.6);
    expect(expected.length).toBeLessThan(SYNTHETIC_TALENT_COUNT * 0.8);
    await sql`update talents set public_profile = false`.execute(db);
    await sql`update demo_seed set version = 3 where name = 'talents'`.execute(db);
    expect(await seed(db)).toBe(true);
    expect(await published()).toEqual(expected.filter((id) => existing.has(id)).sort());
    // A talent who unpublishes afterwards stays unpublished across restarts.
    const first = expected.find((id) => existing.has(id))!;
    await sql`update talents set public_profile = false where id = ${first}`.execute(db);
    expect(await seed(db)).toBe(false);
    expect(await published()).not.toContain(first);
  });
});
