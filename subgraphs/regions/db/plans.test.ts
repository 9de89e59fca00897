import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexesUsed, openPlanProbe, seqScansOn, type PlanNode, type PlanProbe } from '@talent-hub/subgraph-lib/testing/plans';
import { regionsSubgraph } from '../server.js';
import { migrations } from './migrations/index.js';
import * as repo from './repository.js';
import * as stats from './statistics.js';
import type { RegionsDatabase } from './types.js';

// Query plans of the programme filters and KPIs, and of the networks' members, at scale: the demo seed (all NUTS
// 2024 regions), 500 more organisations (40 of them networks of all the others) and 20,000 programmes, each
// covering one region, with a period (a tenth open-ended, a fiftieth without a start) and a talents-reached
// indicator; then VACUUM ANALYZE. Each repository call runs for real and the statement it sent is EXPLAINed with
// the same parameters.
//
// A page (ORDER BY id LIMIT n) may legitimately walk the primary key in id order and filter, stopping after n
// matches, rather than collect every match and sort: either way no table is read whole. Counts read every
// match: a selective filter must count by its own index with default settings. A country keeps a large share of
// the programmes (Italy, about 6%), and for that many matches reading the 20,000 programmes once and probing a
// hash of the matching regions is the cheaper plan, which PostgreSQL rightly picks; there the test asserts that
// the filter's index serves the count once sequential scans are ruled out (enable_seqscan = off).

const PROGRAMMES = 20_000;
let client: PGlite;
let db: Kysely<RegionsDatabase>;
let planOf: PlanProbe<RegionsDatabase>['planOf'];

beforeAll(async () => {
  ({ client, db, planOf } = await openPlanProbe<RegionsDatabase>(migrations));
  await regionsSubgraph.seed(db);
  await client.query(`insert into organisations (id, name, kind) select 'org-' || g, 'Organisation ' || g, 'AGENCY' from generate_series(1, 500) g`);
  await client.query(`
    insert into programmes (id, name, kind, period_start, period_end, currency, budget_amount, managing_organisation_id, owner_organisation_id)
    select 'prog-' || g, 'Programme ' || g, 'PROGRAMME',
      case when g % 50 = 0 then null else date '2000-01-01' + (g * 7919) % 9000 end,
      case when g % 10 = 0 then null else date '2000-01-01' + (g * 7919) % 9000 + 365 + g % 730 end,
      'EUR', 1000 + g, 'org-' || 1 + g % 500, 'aer'
    from generate_series(1, ${PROGRAMMES}) g`);
  await client.query(`
    insert into programme_regions (programme_id, region_code)
    select 'prog-' || g, r.code
    from generate_series(1, ${PROGRAMMES}) g
    join (select code, row_number() over (order by code) as n from regions) r on r.n = 1 + (g * 31) % 1798`);
  await client.query(`
    insert into indicators (programme_id, code, name, value, unit)
    select 'prog-' || g, 'talents-reached', 'Talents reached', g % 1000, 'talents' from generate_series(1, ${PROGRAMMES}) g`);
  // Memberships: org-1 to org-40 are networks, each with every other generated organisation as a member (19,960).
  await client.query(`
    insert into organisation_memberships (network_id, member_id)
    select 'org-' || n, 'org-' || g from generate_series(1, 40) n, generate_series(1, 500) g where n <> g`);
  await client.query('vacuum analyze');
}, 300_000);

afterAll(() => db.destroy());

const BIG_TABLES = new Set(['programmes', 'programme_regions', 'indicators', 'organisation_memberships']);
const seqScans = (nodes: PlanNode[]) => seqScansOn(BIG_TABLES, nodes);

const FILTERS: { name: string; filter: repo.ProgrammeFilter; index: string; selective: boolean }[] = [
  { name: 'region (a country)', filter: { regionCode: 'IT' }, index: 'programme_regions_region_idx', selective: false },
  { name: 'region (level 3)', filter: { regionCode: 'ITH55' }, index: 'programme_regions_region_idx', selective: true },
  { name: 'managing organisation', filter: { managingOrganisationId: 'org-42' }, index: 'programmes_managing_idx', selective: true },
  { name: 'active on a date', filter: { activeOn: '2012-03-15' }, index: 'programmes_active_idx', selective: true },
];

describe('programme query plans at 20,000 programmes', () => {
  it.each(FILTERS)('Query.programmes with $name: pages without OFFSET or a full read, counts by its index', async ({ filter, index, selective }) => {
    const page = await planOf(() => repo.listProgrammes(db, filter, { size: 21, after: null }));
    expect(page.sql).not.toMatch(/\boffset\b/i);
    expect(seqScans(page.nodes)).toEqual([]);
    const count = await planOf(() => repo.countProgrammes(db, filter), selective ? [] : ['enable_seqscan = off']);
    expect(seqScans(count.nodes)).toEqual([]);
    expect(indexesUsed(count.nodes)).toContain(index);
  });

  it('serves the filters combined, and answers what they mean', async () => {
    const filter = { regionCode: 'IT', managingOrganisationId: 'org-42', activeOn: '2012-03-15' };
    const { nodes } = await planOf(() => repo.listProgrammes(db, filter, { size: 21, after: null }));
    expect(seqScans(nodes)).toEqual([]);
    const { rows } = await client.query<{ id: string }>(`
      select p.id from programmes p
      where exists (select 1 from programme_regions pr where pr.programme_id = p.id
                    and (pr.region_code like 'IT%' or 'IT' like pr.region_code || '%'))
        and p.managing_organisation_id = 'org-42'
        and p.period_start <= '2012-03-15' and (p.period_end is null or p.period_end >= '2012-03-15')
      order by p.id`);
    const all = await repo.listProgrammes(db, filter, { size: 500, after: null });
    expect(all.map((p) => p.id)).toEqual(rows.map((r) => r.id));
    expect(await repo.countProgrammes(db, filter)).toBe(rows.length);
  });

  it('reads KPIs of a batch of programmes by key', async () => {
    const { nodes } = await planOf(() => stats.programmeKpis(db, ['prog-1', 'prog-2', 'prog-3', 'emilia-romagna-talents']));
    expect(seqScans(nodes)).toEqual([]);
  });
});

describe('membership query plans at 19,960 memberships', () => {
  it('pages the members of a batch of networks by the primary key, without OFFSET', async () => {
    const page = await planOf(() => repo.listMembersOf(db, ['org-7', 'org-8', 'aer'], { size: 21, after: ['org-250'] }));
    expect(page.sql).not.toMatch(/\boffset\b/i);
    expect(seqScans(page.nodes)).toEqual([]);
    expect(indexesUsed(page.nodes)).toContain('organisation_memberships_pkey');
    const count = await planOf(() => repo.countMembersOf(db, ['org-7', 'org-8']));
    expect(seqScans(count.nodes)).toEqual([]);
  });

  it('lists the networks of a batch of organisations by the member index', async () => {
    const { nodes } = await planOf(() => repo.listNetworksOf(db, ['org-100', 'org-200', 'emilia-romagna-region']));
    expect(seqScans(nodes)).toEqual([]);
    expect(indexesUsed(nodes)).toContain('organisation_memberships_member_idx');
  });

  it('filters Query.organisations by network without reading every membership', async () => {
    const page = await planOf(() => repo.listOrganisations(db, { memberOf: 'org-7' }, { size: 21, after: null }));
    expect(seqScans(page.nodes)).toEqual([]);
    const count = await planOf(() => repo.countOrganisations(db, { memberOf: 'org-7' }));
    expect(seqScans(count.nodes)).toEqual([]);
    const members = await repo.listMembersOf(db, ['org-7'], { size: 100, after: null });
    const filtered = await repo.listOrganisations(db, { memberOf: 'org-7' }, { size: 100, after: null });
    expect(filtered.map((o) => o.id)).toEqual(members.map((o) => o.id));
    expect(await repo.countOrganisations(db, { memberOf: 'org-7' })).toBe(499);
  });
});
