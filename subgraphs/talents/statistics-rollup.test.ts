import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreConfig } from '@talent-hub/subgraph-lib/db';
import { createRandom } from '@talent-hub/subgraph-lib/synthetic';
import { caller } from '@talent-hub/subgraph-lib/testing/subgraph';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';
import type { TalentFilter } from './db/repository.js';
import type { TalentCategory } from './generated/enums.js';
import { rollupCovers, rollupStatisticsQuery, statisticsRows } from './db/statistics-rollup.js';
import { talentStatistics, type TalentDimension, type TalentStatisticsRow } from './db/statistics.js';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';

// The statistics rollups (migration 0007) against the raw statement they stand in for, under random writes: the
// talents mutations (create, update, erase) and plain multi-row statements (as a script or a bulk load would
// write), in random order from a seeded generator. After each batch, every kept shape must equal the raw
// statement grouped the same way, cell by cell, and the read path must give the raw answer for filtered and
// coarser requests. On PGlite and, with TEST_DATABASE_URL, on PostgreSQL.

const SEED = Number(process.env.ROLLUP_TEST_SEED ?? 20261206);
const BATCHES = 12;
const WRITES_PER_BATCH = 6;

const stores: { name: string; create(): Promise<{ store: StoreConfig; drop(): Promise<void> }> }[] = [
  { name: 'pglite', create: async () => ({ store: { kind: 'pglite', dataDir: undefined }, drop: async () => {} }) },
];
const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) stores.push({ name: 'postgres', create: () => createTestDatabase(serverUrl, 'talents_rollups') });

const CATEGORIES: TalentCategory[] = ['YOUNG_PROFESSIONAL', 'INTERNATIONAL_TALENT', 'RETURNEE', 'RESEARCHER', 'STUDENT'];
const STAGES = ['EARLY_CAREER', 'MID_CAREER', 'SENIOR', null];
const CITIZENSHIPS = ['IT', 'PL', 'ES', 'NG', 'DE'];
// Codes of several levels, so coarser regions gather talents of finer ones, and a talent may live nowhere.
const REGIONS = ['ITH55', 'ITH56', 'ITH5', 'ITC11', 'PL911', 'PL9', 'ES511', 'ES', 'DE300', null];
const ORGANISATIONS = ['cemr', 'eurocities', 'uclg'];

/** A row with the database's number types made plain (bigint may come back as a string). */
const plain = <Row extends Pick<TalentStatisticsRow, 'talents' | 'key_sum'>>(row: Row) => ({ ...row, talents: Number(row.talents), key_sum: Number(row.key_sum) });

/** The dimensions and region level a shape keeps, as a talentStatistics request. */
interface Shape {
  id: number;
  region_level: number | null;
  has_category: boolean;
  has_citizenship: boolean;
  has_career_stage: boolean;
  has_skill: boolean;
}
function groupByOf(shape: Shape): TalentDimension[] {
  return [
    ...(shape.region_level !== null ? (['REGION'] as const) : []),
    ...(shape.has_category ? (['CATEGORY'] as const) : []),
    ...(shape.has_citizenship ? (['CITIZENSHIP'] as const) : []),
    ...(shape.has_skill ? (['SKILL'] as const) : []),
    ...(shape.has_career_stage ? (['CAREER_STAGE'] as const) : []),
  ];
}

describe.each(stores)('statistics rollups under random writes ($name)', (store) => {
  let t: TalentsUnderTest;
  let drop = async () => {};
  let skills: string[] = [];
  beforeAll(async () => {
    const created = await store.create();
    drop = created.drop;
    t = await startTalents(created.store);
    skills = (await t.database.db.selectFrom('skills').select('uri').orderBy('uri').limit(8).execute()).map((s) => s.uri);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await drop();
  });

  const db = () => t.database.db;
  const raw = async (filter: TalentFilter, groupBy: readonly TalentDimension[], level: number) =>
    (await talentStatistics(db(), filter, groupBy, level, 100_000)).map(plain);

  /** Every cell of every kept shape equals the raw statement's grouping of that shape. */
  async function expectShapesEqualRaw(context: string) {
    const shapes = (await sql<Shape>`select * from talent_statistics_shapes order by id`.execute(db())).rows;
    expect(shapes.length).toBeGreaterThan(40);
    for (const shape of shapes) {
      const groupBy = groupByOf(shape);
      const level = shape.region_level ?? 0;
      const expected = await raw({}, groupBy, level);
      const got = (await rollupStatisticsQuery(db(), {}, groupBy, level, 100_000).execute()).map(plain);
      expect(got, `${context}: shape ${shape.id} (${groupBy.join(' x ')}${shape.region_level !== null ? ` at level ${level}` : ''})`).toEqual(expected);
    }
    // The rollup keeps no empty cell.
    const empty = await sql<{ n: number }>`select count(*)::int as n from talent_statistics_rollup where talents = 0`.execute(db());
    expect(empty.rows[0]!.n).toBe(0);
  }

  /** Requests the read path answers from a coarser or finer shape, with filters, and some it must not. */
  async function expectReadPathEqualsRaw(context: string, random: ReturnType<typeof createRandom>) {
    const requests: [TalentFilter, TalentDimension[], number][] = [
      [{}, ['REGION'], random.int(0, 3)],
      [{ regionCode: random.pick(['IT', 'ITH', 'ITH5', 'PL9', 'ES511']) }, ['REGION'], random.int(0, 3)],
      [{ regionCode: random.pick(['ITH', 'PL']) }, ['REGION', 'SKILL'], random.int(0, 2)],
      [{ category: random.pick(CATEGORIES) }, ['CAREER_STAGE'], 0],
      [{ citizenship: random.pick(CITIZENSHIPS), regionCode: 'IT' }, ['REGION', 'CATEGORY'], 2],
      [{ skillUri: random.pick(skills) }, ['REGION', 'CATEGORY'], random.int(0, 2)],
      [{ skillUri: random.pick(skills) }, ['CATEGORY', 'CAREER_STAGE'], 0],
      // Not held by any shape (skill with region at level 3 and a category): the raw statement answers.
      [{ regionCode: 'ITH55' }, ['SKILL', 'CATEGORY'], 0],
      // Not coverable at all: filters the rollups do not keep.
      [{ organisationId: random.pick(ORGANISATIONS) }, ['REGION'], 1],
      [{ skillUri: random.pick(skills) }, ['SKILL'], 0],
    ];
    for (const [filter, groupBy, level] of requests) {
      const expected = await raw(filter, groupBy, level);
      const got = (await statisticsRows(db(), filter, groupBy, level, 100_000)).map(plain);
      expect(got, `${context}: ${JSON.stringify({ filter, groupBy, level })}`).toEqual(expected);
    }
  }

  const talentIds = async () => (await db().selectFrom('talents').select(['id', 'organisation_id']).orderBy('id').execute());

  /** One random write: a mutation as an editor of the talent's organisation, or a multi-row statement. */
  async function randomWrite(random: ReturnType<typeof createRandom>): Promise<string> {
    const talents = await talentIds();
    const some = random.sample(talents, random.int(1, 4));
    const skillInput = () => random.sample(skills, random.int(0, 3)).map((skillUri) => ({ skillUri, level: 'ADVANCED' }));
    const kind = random.pick(['create', 'create', 'update', 'update', 'update', 'erase', 'bulkUpdate', 'bulkSkills', 'skillUpdate', 'bulkDelete']);
    switch (kind) {
      case 'create': {
        const input = {
          displayName: 'Rollup test',
          category: random.pick(CATEGORIES),
          citizenship: random.pick(CITIZENSHIPS),
          residenceRegionCode: random.pick(REGIONS),
          careerStage: random.pick(STAGES),
          skills: skillInput(),
        };
        const result = await t.query(`mutation ($input: CreateTalentInput!) { createTalent(input: $input) { id } }`, { input }, caller(random.pick(ORGANISATIONS)));
        expect(result.errors).toBeUndefined();
        return `create ${JSON.stringify(input)}`;
      }
      case 'update': {
        const talent = some[0]!;
        const input: Record<string, unknown> = {};
        if (random.chance(0.5)) input.category = random.pick(CATEGORIES);
        if (random.chance(0.4)) input.citizenship = random.pick(CITIZENSHIPS);
        if (random.chance(0.5)) input.residenceRegionCode = random.pick(REGIONS);
        if (random.chance(0.4)) input.careerStage = random.pick(STAGES);
        if (random.chance(0.5)) input.skills = skillInput();
        if (random.chance(0.2)) input.displayName = 'Renamed';
        const result = await t.query(`mutation ($id: ID!, $input: UpdateTalentInput!) { updateTalent(id: $id, input: $input) { id } }`, { id: talent.id, input }, caller(talent.organisation_id));
        expect(result.errors).toBeUndefined();
        return `update ${talent.id} ${JSON.stringify(input)}`;
      }
      case 'erase': {
        const talent = some[0]!;
        const result = await t.query(`mutation ($id: ID!) { eraseTalent(id: $id) { talentId } }`, { id: talent.id }, caller(talent.organisation_id));
        expect(result.errors).toBeUndefined();
        return `erase ${talent.id}`;
      }
      case 'bulkUpdate': {
        // Several talents in one statement, each changing differently (the record key too, as a restore would).
        const ids = some.map((s) => s.id);
        const region = random.pick(REGIONS);
        await sql`update talents set residence_region_code = case when record_key % 2 = 0 then ${region} else residence_region_code end,
                    career_stage = ${random.pick(STAGES)}, record_key = (record_key + ${random.int(1, 255)}) % 256
                  where id in (${sql.join(ids)})`.execute(db());
        return `bulk update of ${ids.length} talents`;
      }
      case 'bulkSkills': {
        // Skills of several talents added and removed in two statements.
        const ids = some.map((s) => s.id);
        const skill = random.pick(skills);
        await sql`delete from talent_skills where talent_id in (${sql.join(ids)}) and skill_uri <> ${skill}`.execute(db());
        await sql`insert into talent_skills (talent_id, skill_uri, level) select id, ${skill}, 'BASIC' from talents where id in (${sql.join(ids)})
                  on conflict do nothing`.execute(db());
        return `bulk skills of ${ids.length} talents`;
      }
      case 'skillUpdate': {
        // Skills changed in place: a level (no cell changes) and one skill for another where the talent lacks it.
        const ids = some.map((s) => s.id);
        const [from, to] = random.sample(skills, 2);
        await sql`update talent_skills set level = 'EXPERT' where talent_id in (${sql.join(ids)})`.execute(db());
        await sql`update talent_skills s set skill_uri = ${to!} where s.talent_id in (${sql.join(ids)}) and s.skill_uri = ${from!}
                  and not exists (select 1 from talent_skills o where o.talent_id = s.talent_id and o.skill_uri = ${to!})`.execute(db());
        return `skill update of ${ids.length} talents`;
      }
      default: {
        // Talents deleted in one statement (their skills by cascade).
        const ids = some.slice(0, 2).map((s) => s.id);
        await sql`delete from talents where id in (${sql.join(ids)})`.execute(db());
        return `bulk delete of ${ids.length} talents`;
      }
    }
  }

  it('keeps every shape equal to the raw statement after each batch of random writes', async () => {
    const random = createRandom(SEED);
    await expectShapesEqualRaw('after migrating and seeding');
    for (let batch = 1; batch <= BATCHES; batch++) {
      const writes: string[] = [];
      for (let i = 0; i < WRITES_PER_BATCH; i++) writes.push(await randomWrite(random));
      const context = `seed ${SEED}, batch ${batch} (${writes.join('; ')})`;
      await expectShapesEqualRaw(context);
      await expectReadPathEqualsRaw(context, random);
    }
  }, 120_000);

  it('a deferred bulk load marks the rollups stale (readers use the raw statement) until it rebuilds them', async () => {
    const random = createRandom(SEED + 1);
    await db().transaction().execute(async (trx) => {
      await sql`set local talent_hub.rollups = 'deferred'`.execute(trx);
      const ids = (await trx.selectFrom('talents').select('id').orderBy('id').limit(40).execute()).map((r) => r.id);
      await sql`update talents set category = ${random.pick(CATEGORIES)} where id in (${sql.join(ids)})`.execute(trx);
      await sql`delete from talent_skills where talent_id in (${sql.join(ids.slice(0, 10))})`.execute(trx);
      const ready = await sql<{ ready: boolean }>`select bool_and(ready) as ready from talent_statistics_shapes`.execute(trx);
      expect(ready.rows[0]!.ready).toBe(false);
      // Stale: the rollup statement answers nothing, so the read path gives the raw answer.
      expect(await rollupStatisticsQuery(trx, {}, ['CATEGORY'], 0, 100).execute()).toEqual([]);
      const rawRows = (await talentStatistics(trx, {}, ['CATEGORY'], 0, 100)).map(plain);
      expect((await statisticsRows(trx, {}, ['CATEGORY'], 0, 100)).map(plain)).toEqual(rawRows);
      await sql`select talent_statistics_rebuild()`.execute(trx);
    });
    await expectShapesEqualRaw('after a deferred load and its rebuild');
  }, 60_000);

  it('covers only the filters it keeps, and never a skill filter with SKILL grouping', () => {
    expect(rollupCovers({ category: 'STUDENT', regionCode: 'IT', citizenship: 'IT', skillUri: skills[0] }, ['REGION'])).toBe(true);
    expect(rollupCovers({ skillUri: skills[0] }, ['SKILL'])).toBe(false);
    for (const filter of [{ organisationId: 'cemr' }, { language: 'it' }, { joinedFrom: '2024-01-01' }, { joinedTo: '2024-01-01' }]) {
      expect(rollupCovers(filter, ['REGION'])).toBe(false);
    }
    expect(rollupCovers({ organisationId: null, language: undefined }, ['REGION'])).toBe(true);
  });
});
