import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import { createLoaders } from '../loaders.js';
import { talentsSubgraph } from '../server.js';
import * as repo from './repository.js';
import type { TalentsDatabase } from './types.js';

let database: Database<TalentsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(talentsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

const ANONYMOUS: repo.Viewer = { organisationId: null };

describe('visibility', () => {
  it('shows published profiles to everyone, private ones to the owner and the consented organisations only', async () => {
    const db = database.db;
    const all = await db.selectFrom('talents').select(['id', 'organisation_id', 'public_profile']).execute();
    const consents = await db.selectFrom('talent_consents').select(['talent_id', 'organisation_id']).execute();
    const published = all.filter((t) => t.public_profile);
    expect(published.length).toBeGreaterThan(0);
    expect(published.length).toBeLessThan(all.length);
    const seen = async (viewer: repo.Viewer) =>
      (await repo.listTalents(db, {}, { size: 1000, after: null }, viewer)).map((t) => t.id).sort();
    expect(await seen(ANONYMOUS)).toEqual(published.map((t) => t.id).sort());
    expect(await repo.countTalents(db, {}, ANONYMOUS)).toBe(published.length);
    for (const org of ['cemr', 'eurocities']) {
      const expected = all.filter((t) => t.public_profile || t.organisation_id === org || consents.some((c) => c.talent_id === t.id && c.organisation_id === org));
      expect(expected.length).toBeGreaterThan(published.length);
      expect(await seen({ organisationId: org })).toEqual(expected.map((t) => t.id).sort());
      expect(await repo.countTalents(db, {}, { organisationId: org })).toBe(expected.length);
      const counted = await repo.countTalentsOf(db, 'organisation', ['cemr', 'eurocities', 'uclg'], { organisationId: org });
      for (const c of counted) expect(c.count, `${org} counting ${c.parent_key}`).toBe(expected.filter((t) => t.organisation_id === c.parent_key).length);
    }
  });
});

describe('listTalentsOf', () => {
  it('pages each parent with a keyset: size + 1 rows, in id order, strictly after the cursor', async () => {
    const before = database.stats.statements;
    const rows = await repo.listTalentsOf(database.db, 'region', ['ITH5', 'IE041', 'ZZ'], { size: 3, after: null }, ANONYMOUS);
    expect(database.stats.statements - before).toBe(1);
    const er = rows.filter((r) => r.parent_key === 'ITH5');
    expect(er).toHaveLength(4);
    expect(er.map((r) => r.id)).toEqual([...er.map((r) => r.id)].sort());
    expect(er.every((r) => r.residence_region_code!.startsWith('ITH5'))).toBe(true);
    expect(rows.some((r) => r.parent_key === 'ZZ')).toBe(false);

    const next = await repo.listTalentsOf(database.db, 'region', ['ITH5'], { size: 3, after: [er[2]!.id] }, ANONYMOUS);
    expect(next[0]!.id).toBe(er[3]!.id);
  });

  it('finds talents by organisation and by skill', async () => {
    const byOrg = await repo.listTalentsOf(database.db, 'organisation', ['eurocities'], { size: 500, after: null }, { organisationId: 'eurocities' });
    expect(byOrg).toHaveLength(100);
    const uri = 'http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8';
    const bySkill = await repo.listTalentsOf(database.db, 'skill', [uri], { size: 500, after: null }, ANONYMOUS);
    const holders = await database.db.selectFrom('talent_skills').innerJoin('talents', 'talents.id', 'talent_skills.talent_id')
      .select('talent_id').where('skill_uri', '=', uri).where('public_profile', '=', true).execute();
    expect(holders.length).toBeGreaterThan(0);
    expect(bySkill.map((t) => t.id).sort()).toEqual(holders.map((h) => h.talent_id).sort());
  });
});

describe('loaders', () => {
  it('load many talents and their skills with one statement per batch, in key order', async () => {
    const loaders = createLoaders(database.db);
    const ids = (await database.db.selectFrom('talents').select('id').orderBy('id', 'desc').limit(30).execute()).map((r) => r.id);
    const before = database.stats.statements;
    const [talents, skills] = await Promise.all([
      Promise.all(ids.map((id) => loaders.talent.load(id))),
      Promise.all(ids.map((id) => loaders.talentSkills.load(id))),
    ]);
    expect(database.stats.statements - before).toBe(2);
    expect(talents.map((t) => t!.id)).toEqual(ids);
    skills.forEach((list, i) => expect(list.every((s) => s.talent_id === ids[i])).toBe(true));
  });
});

describe('listTalents', () => {
  it('matches a bare language to its regional variants, and a tag with a region only to itself', async () => {
    const db = database.db;
    const id = '0b9c2a4e-1f3d-4c5b-8a7e-6d5c4b3a2f10';
    await db.insertInto('talents').values({
      id, display_name: 'Variant T.', category: 'STUDENT', citizenship: 'BR', residence_region_code: 'PT170', origin_region_code: null,
      organisation_id: 'aer', education_level: null, career_stage: null, interests: [], status: 'ACTIVE', joined_on: '2024-01-01', synthetic: true, public_profile: true,
    }).execute();
    await db.insertInto('talent_languages').values([
      { talent_id: id, language: 'pt-BR', level: 'C2' },
      { talent_id: id, language: 'es-419', level: 'B1' },
    ]).execute();
    const ids = async (filter: repo.TalentFilter) => (await repo.listTalents(db, { organisationId: 'aer', ...filter }, { size: 10, after: null }, { organisationId: 'aer' })).map((t) => t.id);
    expect(await ids({ language: 'pt' })).toEqual([id]);
    expect(await ids({ language: 'pt-BR' })).toEqual([id]);
    expect(await ids({ language: 'pt-PT' })).toEqual([]);
    expect(await ids({ language: 'p' })).toEqual([]);
    expect(await ids({ language: 'es', minLanguageLevel: 'B1' })).toEqual([id]);
    expect(await ids({ language: 'es', minLanguageLevel: 'B2' })).toEqual([]);
    expect(await repo.countTalents(db, { organisationId: 'aer', language: 'pt' }, { organisationId: 'aer' })).toBe(1);
  });
});
