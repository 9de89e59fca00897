import { CompiledQuery, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, StoreConfig } from '@talent-hub/subgraph-lib/db';
import type { Page } from '@talent-hub/subgraph-lib/pagination';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import { talentsSubgraph } from '../server.js';
import { loadLargeTalentData } from '../testing/large-data.js';
import * as repo from './repository.js';
import { retentionQuery, talentStatisticsQuery } from './statistics.js';
import type { TalentsDatabase } from './types.js';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';

// Query plans at scale: 100,000 talents (about 300,000 skills, 200,000 languages and 160,000 residence periods)
// generated inside an in-memory PGlite, then VACUUM ANALYZE (as the data generator does after a load), so the
// planner sees real statistics and all-visible tables. Each query is built by the very repository function the
// resolvers call, then EXPLAINed with its parameters.
//
// What is asserted, and why:
// - Pages (`Query.talents` with each filter, alone and combined, first page and after a cursor, and the nested
//   Region/Organisation/Skill talents) never scan a big table sequentially, with default planner settings, and
//   no statement has an OFFSET. A page has a LIMIT, so PostgreSQL either seeks a `(column, id)` index that
//   yields the keyset order or walks the primary key and stops after `first + 1` rows.
// - Counts (`totalCount`) have no LIMIT. For a filter that keeps a large share of the talents (a category keeps a
//   fifth, an organisation a third), or one whose matches PostgreSQL expects to be cheaper to collect with a
//   hash join over the whole table than with thousands of random probes (skill, language: at the default
//   random_page_cost = 4 of spinning disks), reading the table in order is legitimately the cheapest plan and
//   PostgreSQL rightly picks it. So for counts the test asserts two things: with `enable_seqscan = off` an index
//   serves every count (the index exists and applies), and with default settings the selective filters (a NUTS
//   level-2 or level-3 region, a citizenship, a month of joining, combinations) use indexes.
// - Talent statistics follow the same rule as counts: an index plan exists for every filter, and is the default
//   plan for selective ones. Statistics without any filter count every talent: they read the whole table by
//   definition. Retention, for a NUTS 3 region up to a whole country, reads residence periods through indexes.
// - Tables of reference size (the 91 ESCO skills) may be scanned: that is the cheapest plan and costs nothing.
//
// It runs on PGlite, and also on PostgreSQL when TEST_DATABASE_URL is set (in a fresh database, dropped after).

const TALENTS = 100_000;
const BIG_TABLES = new Set(['talents', 'talent_skills', 'talent_languages', 'residence_periods']);
const INTERCULTURAL = 'http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8';

interface Store {
  name: string;
  create(): Promise<{ store: StoreConfig; drop(): Promise<void> }>;
}

const STORES: Store[] = [
  { name: 'PGlite', create: async () => ({ store: { kind: 'pglite', dataDir: undefined }, drop: async () => {} }) },
];
const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) STORES.push({ name: 'PostgreSQL', create: () => createTestDatabase(serverUrl, 'talents_plans') });


let database: Database<TalentsDatabase> | undefined;
let db: Kysely<TalentsDatabase>;
/** A cursor in the middle of the id order (ids are uniformly spread UUIDs), so "after" pages are not empty. */
const cursorId = '80000000-0000-4000-8000-000000000000';
// A signed-in organisation: its lists hold published profiles, its own and those consented to it (the widest
// condition; an anonymous caller's is `public_profile` alone).
const VIEWER: repo.Viewer = { organisationId: 'cemr' };

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan of a statement with its parameters; `seqscan: false` plans it with sequential scans disabled. */
async function explain(query: CompiledQuery, options: { seqscan: boolean } = { seqscan: true }): Promise<PlanNode> {
  // In a transaction, so that `set local` and the EXPLAIN share one connection of a pool, and the setting ends there.
  return db.transaction().execute(async (trx) => {
    if (!options.seqscan) await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
    const result = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
      CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
    );
    const raw = result.rows[0]!['QUERY PLAN'];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    return parsed[0]!.Plan;
  });
}

/** The sequential scans of big tables in a plan, as "Seq Scan on talents", for readable failures. */
const bigSeqScans = (plan: PlanNode) =>
  nodes(plan)
    .filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.has(n['Relation Name'] ?? ''))
    .map((n) => `Seq Scan on ${n['Relation Name']}`);

const usedIndexes = (plan: PlanNode) => nodes(plan).flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));

const noOffset = (query: CompiledQuery) => expect(query.sql).not.toMatch(/\boffset\b/i);

const FILTERS: Record<string, repo.TalentFilter> = {
  'region (country)': { regionCode: 'IT' },
  'region (NUTS 2)': { regionCode: 'ITH5' },
  'region (NUTS 3)': { regionCode: 'ITH55' },
  skill: { skillUri: INTERCULTURAL },
  language: { language: 'it' },
  'language with minimum level': { language: 'it', minLanguageLevel: 'B2' },
  category: { category: 'STUDENT' },
  citizenship: { citizenship: 'NG' },
  organisation: { organisationId: 'cemr' },
  'joined from': { joinedFrom: '2024-06-01' },
  'joined range (a month)': { joinedFrom: '2021-03-01', joinedTo: '2021-03-31' },
  'region + category + language': { regionCode: 'ITH5', category: 'STUDENT', language: 'en' },
  'skill + citizenship': { skillUri: INTERCULTURAL, citizenship: 'IT' },
  'organisation + joined range + level': { organisationId: 'uclg', joinedFrom: '2022-01-01', joinedTo: '2022-12-31', language: 'fr', minLanguageLevel: 'C1' },
};
const SELECTIVE_COUNTS = ['region (NUTS 2)', 'region (NUTS 3)', 'citizenship', 'joined range (a month)', 'region + category + language', 'skill + citizenship'];

describe.each(STORES)(`plans at ${TALENTS.toLocaleString('en')} talents on $name`, (store) => {
  let drop = async () => {};
  beforeAll(async () => {
    const created = await store.create();
    drop = created.drop;
    database = await prepareDatabase(talentsSubgraph, created.store, { seed: false });
    db = database.db;
    await loadLargeTalentData(db, TALENTS);
  }, 600_000);
  afterAll(async () => {
    await database?.close();
    database = undefined;
    await drop();
  });

  it('Query.talents pages seek indexes for every filter, on the first page and after a cursor, without OFFSET', async () => {
    const first: Page = { size: 20, after: null };
    const later: Page = { size: 20, after: [cursorId] };
    for (const [name, filter] of Object.entries(FILTERS)) {
      for (const page of [first, later]) {
        const query = repo.listTalentsQuery(db, filter, page, VIEWER).compile();
        noOffset(query);
        const plan = await explain(query);
        expect(bigSeqScans(plan), `${name}, after ${page.after}`).toEqual([]);
        expect(plan['Node Type'], name).toBe('Limit');
        expect(usedIndexes(plan).length, name).toBeGreaterThan(0);
      }
    }
  });

  it('totalCount has an index plan for every filter, and takes it by default for the selective ones', async () => {
    for (const [name, filter] of Object.entries(FILTERS)) {
      const query = repo.countTalentsQuery(db, filter, VIEWER).compile();
      noOffset(query);
      expect(bigSeqScans(await explain(query, { seqscan: false })), name).toEqual([]);
      if (SELECTIVE_COUNTS.includes(name)) expect(bigSeqScans(await explain(query)), `${name} (default settings)`).toEqual([]);
    }
    // The citizenship and joined-date indexes of migration 0002 are the ones used.
    expect(usedIndexes(await explain(repo.countTalentsQuery(db, FILTERS.citizenship!, VIEWER).compile()))).toContain('talents_citizenship_idx');
    expect(usedIndexes(await explain(repo.countTalentsQuery(db, FILTERS['joined range (a month)']!, VIEWER).compile()))).toContain('talents_joined_idx');
    const language = await explain(repo.countTalentsQuery(db, FILTERS['language with minimum level']!, VIEWER).compile(), { seqscan: false });
    expect(usedIndexes(language)).toContain('talent_languages_language_idx');
  });

  it('Region, Organisation and Skill talents page and count per parent through indexes', async () => {
    const parents: [repo.TalentParent, string[]][] = [
      ['region', ['ITH5', 'IE041', 'IT', 'ES5']],
      ['organisation', ['cemr', 'eurocities', 'aer']],
      ['skill', [INTERCULTURAL, 'http://data.europa.eu/esco/skill/05aa7c09-46e7-433f-a81b-92841f4551e7']],
    ];
    for (const [parent, keys] of parents) {
      for (const page of [{ size: 20, after: null }, { size: 20, after: [cursorId] }] as Page[]) {
        const list = repo.listTalentsOfQuery(db, parent, keys, page, VIEWER).compile();
        noOffset(list);
        expect(bigSeqScans(await explain(list)), `${parent} page`).toEqual([]);
      }
      const count = repo.countTalentsOfQuery(db, parent, keys, VIEWER).compile();
      // A skill's count joins its holders (thousands here) to their profiles for the visibility: a hash join over
      // `talents` is the planner's fair choice by default; an index plan must exist all the same.
      expect(bigSeqScans(await explain(count, { seqscan: parent !== 'skill' })), `${parent} count`).toEqual([]);
    }
  });

  it('talent statistics have an index plan for every filter, taken by default for selective ones; so has retention', async () => {
    // With a citizenship (5% of the talents) grouped by SKILL, PostgreSQL joins their ~15,000 skills by hashing
    // the whole talent_skills table rather than probing its index 5,000 times: cheapest at default costs.
    const statistics: [string, repo.TalentFilter, boolean][] = [
      ['region', { regionCode: 'ITH5' }, true],
      ['joined month', { joinedFrom: '2021-03-01', joinedTo: '2021-03-31' }, true],
      ['region + skill', { regionCode: 'IT', skillUri: INTERCULTURAL }, true],
      ['citizenship', { citizenship: 'NG' }, false],
      ['language', { language: 'de', minLanguageLevel: 'C1' }, false],
    ];
    for (const [name, filter, selective] of statistics) {
      for (const groupBy of [['REGION', 'SKILL'], ['CATEGORY', 'CITIZENSHIP', 'CAREER_STAGE']] as const) {
        const query = talentStatisticsQuery(db, filter, groupBy, 3, 10_001).compile();
        noOffset(query);
        expect(bigSeqScans(await explain(query, { seqscan: false })), `${name} by ${groupBy}`).toEqual([]);
        // Grouped by SKILL, the join to talent_skills makes hashing a whole table a close call at default costs, and
        // which side wins moves with ANALYZE's random sample (seen flipping on PostgreSQL): only the index plan's
        // existence is asserted there.
        if (selective && !(groupBy as readonly string[]).includes('SKILL')) {
          expect(bigSeqScans(await explain(query)), `${name} by ${groupBy} (default settings)`).toEqual([]);
        }
      }
    }
    for (const regionCode of ['ITH55', 'ITH5', 'IT']) {
      const query = retentionQuery({ regionCode, fromQuarter: '2022-01-01', toQuarter: '2023-10-01', asOf: '2024-12-31' }).compile(db);
      noOffset(query);
      const plan = await explain(query);
      expect(bigSeqScans(plan), `retention ${regionCode}`).toEqual([]);
      expect(usedIndexes(plan), regionCode).toContain('residence_periods_region_idx');
    }
  });
});
