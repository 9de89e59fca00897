import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexesUsed, openPlanProbe, seqScansOn, type PlanNode, type PlanProbe } from '@talent-hub/subgraph-lib/testing/plans';
import { developmentCellKeySalt } from '@talent-hub/subgraph-lib/disclosure';
import { migrations } from './migrations/index.js';
import { recommendTrainings } from './recommendations.js';
import * as repo from './repository.js';
import * as stats from './statistics.js';
import type { TrainingsDatabase } from './types.js';

// Query plans at scale: 100,000 events and 100,000 registrations generated in the database, then VACUUM ANALYZE
// (as the data generator does after a load), so the planner sees real statistics and an all-visible table.
// Each list query of the subgraph runs for real; the statement it sent is then EXPLAINed with the same
// parameters. Pages must be keyset seeks (no OFFSET) and must not scan the big tables sequentially.
//
// Counts (totalCount, and per parent) have no LIMIT: for a filter that keeps a large share of the rows (an
// attendance mode keeps a third, a kind a seventh), reading the whole table in order is legitimately the
// cheapest plan, and PostgreSQL rightly picks it. For counts the test therefore asserts two things: with
// sequential scans disabled an index serves every count (the index exists and applies), and with default
// settings the selective filters (organiser, programme, a NUTS level-3 region, a week) use an index.

const EVENTS = 100_000;
const REGISTRATIONS = 100_000;
const KINDS = ['TRAINING', 'MENTORING', 'EXCHANGE', 'WORKSHOP', 'CONFERENCE_SESSION', 'WEBINAR', 'STUDY_VISIT'];

let client: PGlite;
let db: Kysely<TrainingsDatabase>;
let planOf: PlanProbe<TrainingsDatabase>['planOf'];

beforeAll(async () => {
  ({ client, db, planOf } = await openPlanProbe<TrainingsDatabase>(migrations));
  // Regions: 10 countries x 5 level-1 x 3 level-2 x 4 level-3 codes (600 level-3 regions); a third of the
  // events are online and have none. 200 organisers, 97 programmes (a tenth of the events have none), a start
  // every 47 minutes over 9 years, a quarter without capacity.
  await client.query(`
    insert into events (id, title, kind, attendance_mode, starts_at, ends_at, time_zone, venue_name, venue_city,
                        region_code, organiser_id, programme_id, capacity, synthetic)
    select 'ev-' || g, 'Event ' || g,
      (array['${KINDS.join("','")}'])[1 + g % 7],
      (array['ONSITE', 'HYBRID', 'ONLINE'])[1 + (g / 7) % 3],
      timestamptz '2020-01-01 00:00Z' + g * interval '47 minutes',
      timestamptz '2020-01-01 02:00Z' + g * interval '47 minutes',
      'Europe/Brussels',
      case when (g / 7) % 3 = 2 then null else 'Venue ' || g end,
      case when (g / 7) % 3 = 2 then null else 'City' end,
      case when (g / 7) % 3 = 2 then null else
        (array['BE', 'DE', 'ES', 'FR', 'IT', 'IE', 'NL', 'PL', 'PT', 'SE'])[1 + g % 10]
        || chr(65 + (g / 10) % 5) || (1 + (g / 50) % 3) || (1 + (g / 150) % 4) end,
      'org-' || g % 200,
      case when g % 10 = 0 then null else 'prog-' || g % 97 end,
      case when g % 4 = 0 then null else 20 + g % 80 end,
      true
    from generate_series(1, ${EVENTS}) g`);
  // 20,000 talents over the first 25,000 events; (event, talent) pairs are unique for g up to 100,000.
  await client.query(`
    insert into registrations (id, event_id, talent_id, status, registered_at, updated_at, synthetic, attended_on, completed_on)
    select md5('registration' || g)::uuid, 'ev-' || (1 + g % 25000), md5('talent' || g % 20000)::uuid,
      (array['REGISTERED', 'WAITLISTED', 'ATTENDED', 'COMPLETED', 'CANCELLED'])[1 + (g / 3) % 5],
      timestamptz '2020-01-01 00:00Z' + g * interval '13 minutes',
      timestamptz '2020-01-01 00:00Z' + g * interval '13 minutes',
      true,
      case when (g / 3) % 5 in (2, 3) then date '2020-01-01' + g / 111 end,
      case when (g / 3) % 5 = 3 then date '2020-01-01' + g / 111 + g % 20 end
    from generate_series(1, ${REGISTRATIONS}) g`);
  // Two skills per event out of 200, each taught by 1,000 events spread over the 9 years (the trigger of migration
  // 0004 copies each event's start).
  await client.query(`
    insert into event_skills (event_id, skill_uri)
    select 'ev-' || g, 'skill-' || (g % 100) from generate_series(1, ${EVENTS}) g
    union all
    select 'ev-' || g, 'skill-' || (100 + (g / 100) % 100) from generate_series(1, ${EVENTS}) g`);
  await client.query('vacuum analyze');
}, 300_000);

afterAll(() => db.destroy());

const BIG_TABLES = new Set(['events', 'registrations', 'event_skills']);

const seqScans = (nodes: PlanNode[]) => seqScansOn(BIG_TABLES, nodes);

async function expectIndexedPage(run: () => Promise<unknown>) {
  const { sql, nodes } = await planOf(run);
  expect(sql).not.toMatch(/\boffset\b/i);
  expect(sql).toMatch(/\blimit\b/i);
  expect(seqScans(nodes)).toEqual([]);
  expect(indexesUsed(nodes).length).toBeGreaterThan(0);
  return indexesUsed(nodes);
}

async function expectIndexCapableCount(run: () => Promise<unknown>, selective: boolean) {
  const forced = await planOf(run, ['enable_seqscan = off']);
  expect(seqScans(forced.nodes)).toEqual([]);
  expect(indexesUsed(forced.nodes).length).toBeGreaterThan(0);
  if (selective) {
    const { nodes } = await planOf(run);
    expect(seqScans(nodes)).toEqual([]);
  }
}

const at = (iso: string) => new Date(iso);
const WEEK = { startsFrom: at('2024-03-04T00:00:00Z'), startsBefore: at('2024-03-11T00:00:00Z') };

/** Each filter of Query.events alone, then combined; `selective` when it keeps well under 1% of the events. */
const FILTERS: { name: string; filter: repo.EventFilter; selective: boolean }[] = [
  { name: 'no filter', filter: {}, selective: false },
  { name: 'kind', filter: { kind: 'WEBINAR' }, selective: false },
  { name: 'attendance mode', filter: { attendanceMode: 'HYBRID' }, selective: false },
  { name: 'region, country (level 0)', filter: { regionCode: 'IT' }, selective: false },
  { name: 'region, level 2', filter: { regionCode: 'ITA2' }, selective: true },
  { name: 'region, level 3', filter: { regionCode: 'ITA23' }, selective: true },
  { name: 'organiser', filter: { organiserId: 'org-42' }, selective: true },
  { name: 'programme', filter: { programmeId: 'prog-7' }, selective: true },
  { name: 'date range', filter: WEEK, selective: true },
  { name: 'kind + attendance mode', filter: { kind: 'WORKSHOP', attendanceMode: 'ONSITE' }, selective: false },
  { name: 'organiser + date range', filter: { organiserId: 'org-42', startsFrom: at('2023-01-01T00:00:00Z') }, selective: true },
  { name: 'region + kind + date range', filter: { regionCode: 'FR', kind: 'TRAINING', ...WEEK }, selective: true },
  {
    name: 'everything',
    filter: { kind: 'TRAINING', attendanceMode: 'ONSITE', regionCode: 'DE', organiserId: 'org-10', programmeId: 'prog-10', startsFrom: at('2021-01-01T00:00:00Z'), startsBefore: at('2027-01-01T00:00:00Z') },
    selective: true,
  },
];

describe('query plans at 100,000 events and 100,000 registrations', () => {
  it('holds the generated rows and their per-event counts', async () => {
    const count = (table: string) => client.query<{ n: number }>(`select count(*)::int as n from ${table}`).then((r) => r.rows[0]!.n);
    expect(await count('events')).toBe(EVENTS);
    expect(await count('registrations')).toBe(REGISTRATIONS);
    const { rows } = await client.query<{ n: number }>(
      'select sum(n_registered + n_waitlisted + n_attended + n_completed + n_cancelled)::int as n from event_registration_counts',
    );
    expect(rows[0]!.n).toBe(REGISTRATIONS);
  });

  it.each(FILTERS)('Query.events pages with $name seek an index, first page and next', async ({ filter }) => {
    await expectIndexedPage(() => repo.listEvents(db, filter, { size: 21, after: null }));
    const page = await repo.listEvents(db, filter, { size: 21, after: null });
    const last = page.at(-1);
    if (last) await expectIndexedPage(() => repo.listEvents(db, filter, { size: 21, after: [last.starts_at.toISOString(), last.id] }));
  });

  it.each(FILTERS)('Query.events totalCount with $name can be served by an index', async ({ filter, selective }) => {
    await expectIndexCapableCount(() => repo.countEvents(db, filter), selective);
  });

  it('selective filters seek their own index; broad ones walk an index in list order and stop at the limit', async () => {
    const page = (filter: repo.EventFilter) => expectIndexedPage(() => repo.listEvents(db, filter, { size: 21, after: null }));
    expect(await page({ organiserId: 'org-42' })).toEqual(['events_organiser_idx']);
    expect(await page({ programmeId: 'prog-7' })).toEqual(['events_programme_idx']);
    expect(await page(WEEK)).toEqual(['events_starts_idx']);
    // A region, at any NUTS level, with as many events as a country or as few as none: an ordered seek of the
    // index of its level, reading only the page (no sort of the region's events, no walk of the whole list).
    const levels: [string, string][] = [['IT', 'events_country_idx'], ['ITA', 'events_nuts1_idx'], ['ITA2', 'events_nuts2_idx'],
      ['ITA23', 'events_region_idx'], ['ZZ', 'events_country_idx'], ['ZZ999', 'events_region_idx']];
    for (const [regionCode, index] of levels) {
      const { nodes } = await planOf(() => repo.listEvents(db, { regionCode }, { size: 21, after: null }));
      expect(nodes.map((n) => [n['Node Type'], n['Index Name']])).toEqual([['Limit', undefined], ['Index Scan', index]]);
    }
    // A kind or an attendance mode keeps a seventh or a third of the events: the planner may walk its own index
    // (kind, starts_at, id) or the start-order index and filter; either way rows come in list order, unsorted.
    for (const filter of [{ kind: 'WEBINAR' }, { attendanceMode: 'HYBRID' }] as const) {
      const { nodes } = await planOf(() => repo.listEvents(db, filter, { size: 21, after: null }));
      expect(nodes.map((n) => n['Node Type'])).toEqual(['Limit', 'Index Scan']);
    }
  });

  it('nested event lists (Region.events, Organisation.events, Programme.events) seek an index per parent', async () => {
    // Region keys of every level in one batch: a branch per country, one LATERAL branch per other level, each
    // reading only the page (never a sort of a region's events).
    const regions = ['IT', 'ITA', 'ITA2', 'ITA23', 'BE', 'ZZ', 'ZZ999'];
    for (const after of [null, ['2022-01-01T00:00:00.000Z', 'ev-1']]) {
      const indexes = await expectIndexedPage(() => repo.listEventsOf(db, 'region', regions, { size: 21, after }));
      expect(indexes).toEqual(expect.arrayContaining(['events_country_idx', 'events_nuts1_idx', 'events_nuts2_idx', 'events_region_idx']));
      const { nodes } = await planOf(() => repo.listEventsOf(db, 'region', regions, { size: 21, after }));
      expect(nodes.some((n) => n['Node Type'] === 'Sort')).toBe(false);
    }
    // Regions with few or no events seek their own index; none walks the start-order index filtering by region
    // (which for a region without events would read every event).
    const sparse = await expectIndexedPage(() => repo.listEventsOf(db, 'region', ['ZZ', 'XX', 'ITA', 'ITA23', 'ZZ9', 'ZZ99'], { size: 21, after: null }));
    expect(sparse).not.toContain('events_starts_idx');
    // The per-level equality means what a prefix match means: same pages, and counts (a prefix range) agree.
    const rows = await repo.listEventsOf(db, 'region', regions, { size: 21, after: null });
    const counts = await repo.countEventsOf(db, 'region', regions);
    for (const code of regions) {
      const expected = await client.query<{ id: string }>(
        `select id from events where region_code like $1 || '%' order by starts_at, id limit 22`, [code]);
      expect(rows.filter((r) => r.parent_key === code).map((r) => r.id)).toEqual(expected.rows.map((r) => r.id));
      const total = await client.query<{ n: number }>(`select count(*)::int as n from events where region_code like $1 || '%'`, [code]);
      expect(counts.find((c) => c.parent_key === code)!.count).toBe(total.rows[0]!.n);
      expect(await repo.countEvents(db, { regionCode: code })).toBe(total.rows[0]!.n);
      expect((await repo.listEvents(db, { regionCode: code }, { size: 21, after: null })).map((r) => r.id)).toEqual(expected.rows.map((r) => r.id));
    }
    await expectIndexedPage(() => repo.listEventsOf(db, 'organiser', ['org-1', 'org-2', 'org-3'], { size: 21, after: null }));
    await expectIndexedPage(() => repo.listEventsOf(db, 'programme', ['prog-1', 'prog-2'], { size: 21, after: null }));
    // Per-parent counts: one parent is a small share of the table, so the default plan uses the index.
    for (const parent of ['region', 'organiser', 'programme'] as const) {
      const keys = parent === 'region' ? ['ITA23', 'DEB12'] : parent === 'organiser' ? ['org-1', 'org-2'] : ['prog-1'];
      const { nodes } = await planOf(() => repo.countEventsOf(db, parent, keys));
      expect(seqScans(nodes)).toEqual([]);
    }
  });

  it('nested registration lists (Event.registrations, Talent.registrations) and their counts seek an index', async () => {
    const events = ['ev-1', 'ev-2', 'ev-24999'];
    const { rows } = await client.query<{ talent_id: string }>('select distinct talent_id from registrations order by talent_id limit 3');
    const talents = rows.map((r) => r.talent_id);
    await expectIndexedPage(() => repo.listRegistrationsOf(db, 'event', events, { size: 21, after: null }));
    await expectIndexedPage(() => repo.listRegistrationsOf(db, 'talent', talents, { size: 21, after: null }));
    await expectIndexedPage(() =>
      repo.listRegistrationsOf(db, 'talent', talents, { size: 21, after: ['2020-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'] }),
    );
    for (const [parent, keys] of [['event', events], ['talent', talents]] as const) {
      const { nodes } = await planOf(() => repo.countRegistrationsOf(db, parent, keys));
      expect(seqScans(nodes)).toEqual([]);
    }
    // Seats taken (Event.seatsLeft) per event.
    const { nodes } = await planOf(() => repo.countSeatsTaken(db, events));
    expect(seqScans(nodes)).toEqual([]);
  });

  it('places in line (Registration.waitlistPosition) count on the waitlist index, never the whole table', async () => {
    const { rows } = await client.query<{ id: string }>(
      "select id from registrations where status = 'WAITLISTED' order by event_id desc limit 50");
    const { nodes } = await planOf(() => repo.waitlistPositions(db, rows.map((r) => r.id)));
    expect(seqScans(nodes)).toEqual([]);
    expect(indexesUsed(nodes)).toContain('registrations_waitlist_idx');
  });

  it('completed trainings (Talent.completedTrainings) and their counts seek the completion index per talent', async () => {
    const { rows } = await client.query<{ talent_id: string; completed_on: string; id: string }>(
      "select talent_id, completed_on::text, id from registrations where completed_on is not null order by talent_id limit 3");
    const talents = rows.map((r) => r.talent_id);
    expect(await expectIndexedPage(() => repo.listCompletedOf(db, talents, { size: 21, after: null }))).toContain('registrations_completed_idx');
    await expectIndexedPage(() => repo.listCompletedOf(db, talents, { size: 21, after: [rows[0]!.completed_on, rows[0]!.id] }));
    const { nodes } = await planOf(() => repo.countCompletedOf(db, talents));
    expect(seqScans(nodes)).toEqual([]);
    expect(indexesUsed(nodes)).toContain('registrations_completed_idx');
    // Latest completion first, as the index keeps them.
    const page = await repo.listCompletedOf(db, talents.slice(0, 1), { size: 100, after: null });
    const keys = page.map((r) => `${r.completed_on} ${r.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it('events teaching a skill (Skill.events) seek the skill index from the split, both ways, reading only the page', async () => {
    const skills = ['skill-7', 'skill-150', 'skill-none'];
    const filters = [{ upcoming: false, withSeatsLeft: false }, { upcoming: true, withSeatsLeft: false }, { upcoming: false, withSeatsLeft: true }];
    for (const filter of filters) {
      const first = await repo.listEventsTeaching(db, skills, filter, { size: 21, after: null });
      expect(first.filter((e) => e.parent_key === 'skill-7').length).toBeGreaterThan(21);
      const cursors = [null, repo.skillEventKey(first.find((e) => e.part === 0)!)];
      if (!filter.upcoming) cursors.push(repo.skillEventKey(first.find((e) => e.part === 1)!));
      for (const after of cursors) {
        const { sql, nodes } = await planOf(() => repo.listEventsTeaching(db, skills, filter, { size: 21, after }));
        expect(sql).not.toMatch(/\boffset\b/i);
        expect(seqScans(nodes)).toEqual([]);
        expect(indexesUsed(nodes)).toContain('event_skills_skill_idx');
        expect(nodes.some((n) => n['Node Type'] === 'Sort')).toBe(false);
      }
      await expectIndexCapableCount(() => repo.countEventsTeaching(db, skills, filter), true);
    }
    // The two parts, in order: upcoming soonest first, then started latest first.
    const rows = (await repo.listEventsTeaching(db, ['skill-7'], { upcoming: false, withSeatsLeft: false }, { size: 21, after: null }));
    const upcoming = rows.filter((r) => r.part === 0).map((r) => r.starts_at.getTime());
    const started = rows.filter((r) => r.part === 1).map((r) => r.starts_at.getTime());
    expect(upcoming).toEqual([...upcoming].sort((a, b) => a - b));
    expect(started).toEqual([...started].sort((a, b) => b - a));
    expect(Math.max(...started)).toBeLessThanOrEqual(Date.now());
    expect(Math.min(...upcoming)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('training recommendations seek the skill index per wanted skill, for a batch of talents', async () => {
    const requests = Array.from({ length: 50 }, (_, i) => ({
      talentId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      gaps: [
        { skillUri: `skill-${i % 100}`, reason: 'MENTORSHIP_GOAL' as const },
        { skillUri: `skill-${100 + (i % 100)}`, reason: 'LEARNING_GOAL' as const },
        { skillUri: 'skill-none', reason: 'LEARNING_GOAL' as const },
      ],
    }));
    const { nodes } = await planOf(() => recommendTrainings(db, requests, 5));
    expect(seqScans(nodes)).toEqual([]);
    expect(indexesUsed(nodes)).toContain('event_skills_skill_idx');
    const rows = await recommendTrainings(db, requests, 5);
    expect(rows.filter((r) => r.k === 0)).toHaveLength(5);
  });

  it('registration statistics never read the registrations, and a selective filter reads events by index', async () => {
    const grouping = { eventKind: true, regionLevel: 1, month: true };
    const all = await planOf(() => stats.registrationStatistics(db, grouping, {}, developmentCellKeySalt));
    expect(all.nodes.some((n) => n['Relation Name'] === 'registrations')).toBe(false);
    for (const { filter } of FILTERS.filter((f) => f.selective)) {
      const { nodes } = await planOf(() => stats.registrationStatistics(db, grouping, filter, developmentCellKeySalt));
      expect(nodes.some((n) => n['Relation Name'] === 'registrations')).toBe(false);
      expect(seqScans(nodes)).toEqual([]);
    }
  });
});
