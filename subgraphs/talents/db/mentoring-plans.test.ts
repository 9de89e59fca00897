import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, StoreConfig } from '@talent-hub/subgraph-lib/db';
import type { Page } from '@talent-hub/subgraph-lib/pagination';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';
import { sameZoneCountries } from '../matching.js';
import { talentsSubgraph } from '../server.js';
import { loadLargeTalentData } from '../testing/large-data.js';
import { loadLargeMentoringData } from '../testing/large-mentoring.js';
import * as exchanges from './exchanges.js';
import { menteeWants, menteeWantsQuery, mentorMatches, mentorMatchesQuery, type MatchParameters } from './matching.js';
import * as mentoring from './mentoring.js';
import type { TalentsDatabase } from './types.js';

// Query plans of mentoring and exchanges at scale: 100,000 talents (large-data.ts) with about 8,000 mentors, 20,000
// mentorships, 30,000 learning goals and 10,000 exchanges (large-mentoring.ts), after VACUUM ANALYZE. Each statement
// is the one the repository sends, EXPLAINed with its parameters: no big table is read whole, with default planner
// settings, and no statement pages with OFFSET. The matching is also timed (logged, not asserted: this machine is
// shared), on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.

const TALENTS = 100_000;
const BIG_TABLES = new Set(['talents', 'talent_skills', 'talent_languages', 'residence_periods', 'talent_learning_goals', 'mentorships', 'mentorship_goals', 'exchanges']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

const STORES: { name: string; create(): Promise<{ store: StoreConfig; drop(): Promise<void> }> }[] = [
  { name: 'PGlite', create: async () => ({ store: { kind: 'pglite', dataDir: undefined }, drop: async () => {} }) },
];
const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) STORES.push({ name: 'PostgreSQL', create: () => createTestDatabase(serverUrl, 'talents_mentoring_plans') });

describe.each(STORES)(`mentoring plans at ${TALENTS.toLocaleString('en')} talents on $name`, (store) => {
  let database: Database<TalentsDatabase> | undefined;
  let db: Kysely<TalentsDatabase>;
  let drop = async () => {};
  let mentees: { id: string; region: string; organisation: string }[];
  beforeAll(async () => {
    const created = await store.create();
    drop = created.drop;
    database = await prepareDatabase(talentsSubgraph, created.store, { seed: false });
    db = database.db;
    await loadLargeTalentData(db, TALENTS);
    await loadLargeMentoringData(db, TALENTS);
    mentees = (await sql<{ id: string; region: string; organisation: string }>`
      select t.id, t.residence_region_code as region, t.organisation_id as organisation from talents t
      where exists (select 1 from talent_learning_goals g where g.talent_id = t.id) order by t.id limit 30`.execute(db)).rows;
  }, 900_000);
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  async function explain(query: CompiledQuery): Promise<PlanNode> {
    expect(query.sql).not.toMatch(/\boffset\b/i);
    const result = await db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
    const raw = result.rows[0]!['QUERY PLAN'];
    return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]!.Plan;
  }
  const bigSeqScans = (plan: PlanNode) =>
    nodes(plan).filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.has(n['Relation Name'] ?? '')).map((n) => `Seq Scan on ${n['Relation Name']}`);
  const indexes = (plan: PlanNode) => nodes(plan).flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));

  async function parameters(mentee: (typeof mentees)[number], limit = 10): Promise<MatchParameters> {
    const wants = await menteeWants(db, mentee.id);
    return { menteeId: mentee.id, organisationId: mentee.organisation, ...wants, menteeRegion: mentee.region, sameZoneCountries: sameZoneCountries(mentee.region), limit };
  }

  it('mentorMatches reads candidates and their skills and languages through indexes, and is fast', async () => {
    const p = await parameters(mentees[0]!);
    expect(p.wanted.length).toBeGreaterThan(0);
    const plan = await explain(mentorMatchesQuery(p).compile(db));
    expect(bigSeqScans(plan)).toEqual([]);
    expect(indexes(plan)).toEqual(expect.arrayContaining(['talents_mentors_idx', 'mentorships_open_mentor_idx', 'talent_skills_talent_idx', 'talent_languages_talent_idx']));
    // Twenty wanted skills cost no more: still no big table read whole.
    const many = { ...p, wanted: (await sql<{ uri: string }>`select uri from skills order by uri limit 20`.execute(db)).rows.map((r) => r.uri) };
    expect(bigSeqScans(await explain(mentorMatchesQuery(many).compile(db)))).toEqual([]);

    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const mentee of mentees) {
        const started = performance.now();
        const matches = await mentorMatches(db, await parameters(mentee));
        times.push(performance.now() - started);
        expect(matches.length).toBeGreaterThan(0);
      }
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.floor(times.length * q)]!.toFixed(1);
    console.log(`mentorMatches on ${store.name}, ${TALENTS} talents (wants + matching, ${times.length} runs): p50 ${at(0.5)} ms, p90 ${at(0.9)} ms`);
  });

  it('the lists page and count through indexes, without OFFSET', async () => {
    const talents = (await sql<{ id: string }>`select mentor_id as id from mentorships order by id limit 5`.execute(db)).rows.map((r) => r.id);
    const first: Page = { size: 20, after: null };
    const later: Page = { size: 20, after: ['2023-06-01T00:00:00.000Z', '80000000-0000-4000-8000-000000000000'] };
    for (const role of [null, 'MENTOR', 'MENTEE'] as const) {
      for (const filter of [{ role, status: null, organisationId: null }, { role, status: 'ACTIVE' as const, organisationId: 'cemr' }]) {
        for (const page of [first, later]) {
          expect(bigSeqScans(await explain(mentoring.listMentorshipsOfQuery(db, talents, filter, page).compile(db))), `${role} ${filter.status}`).toEqual([]);
        }
      }
    }
    const exchangeTalents = (await sql<{ id: string }>`select talent_id as id from exchanges order by id limit 5`.execute(db)).rows.map((r) => r.id);
    const exchangePage: Page = { size: 20, after: ['2023-01-01', '80000000-0000-4000-8000-000000000000'] };
    for (const page of [first, exchangePage]) {
      expect(bigSeqScans(await explain(exchanges.listExchangesOfTalentsQuery(exchangeTalents, { status: null, hostOrganisationId: null }, page).compile(db)))).toEqual([]);
      const hosted = await explain(exchanges.listHostedExchangesQuery(['eurocities'], { from: '2025-01-01', to: '2025-12-31', status: null }, page).compile(db));
      expect(bigSeqScans(hosted)).toEqual([]);
      expect(indexes(hosted)).toContain('exchanges_host_idx');
    }
    expect(bigSeqScans(await explain(exchanges.countHostedExchangesQuery(['eurocities'], { from: '2025-01-01', to: '2025-12-31', status: 'COMPLETED' }).compile(db)))).toEqual([]);
  });

  it('the batched reads of a page of talents (goals, gaps, policies, wants) use indexes', async () => {
    const ids = (await sql<{ id: string }>`select id from talents order by id limit 100`.execute(db)).rows.map((r) => r.id);
    const mentorshipIds = (await sql<{ id: string }>`select id from mentorships order by id limit 100`.execute(db)).rows.map((r) => r.id);
    const statements: [string, CompiledQuery][] = [
      ['learning goals', mentoring.listLearningGoalsQuery(db, ids).compile()],
      ['skill gaps', mentoring.listSkillGapsQuery(ids).compile(db)],
      ['mentoring organisations', mentoring.listMentoringOrganisationsQuery(ids).compile(db)],
      ['hosts', exchanges.listHostOrganisationsQuery(ids).compile(db)],
      ['mentee wants', menteeWantsQuery(mentees[0]!.id).compile(db)],
      ['mentorship goals', db.selectFrom('mentorship_goals').selectAll().where('mentorship_id', 'in', mentorshipIds).compile()],
    ];
    for (const [name, query] of statements) expect(bigSeqScans(await explain(query)), name).toEqual([]);
  });
});
