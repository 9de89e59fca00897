import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentCellKeySalt, discloseTallies, perturb, type Tally } from '@talent-hub/subgraph-lib/disclosure';
import { syntheticTalentId, syntheticUuid } from '@talent-hub/subgraph-lib/synthetic';
import { errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { EventTable, TrainingsDatabase } from './db/types.js';
import { trainingsSubgraph } from './server.js';
import type { RegistrationStatus } from './generated/enums.js';

let subgraph: TestSubgraph<TrainingsDatabase>;

// Besides the demo seed, events made to produce small cells: a few registrations only, or counts that differ by
// less than 5 (38 of 40 attended).
const SMALL_EVENTS: { event: Partial<EventTable> & { id: string }; statuses: RegistrationStatus[] }[] = [
  { event: { id: 'test-tiny-webinar', kind: 'WEBINAR', attendance_mode: 'ONLINE', starts_at: new Date('2025-02-10T10:00:00Z') },
    statuses: ['REGISTERED', 'REGISTERED', 'CANCELLED'] },
  { event: { id: 'test-small-training', kind: 'TRAINING', attendance_mode: 'ONSITE', region_code: 'ES511', starts_at: new Date('2024-11-30T23:30:00Z'), capacity: 10 },
    statuses: ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'ATTENDED', 'CANCELLED'] },
  { event: { id: 'test-almost-all-attended', kind: 'STUDY_VISIT', attendance_mode: 'HYBRID', region_code: 'PL911', starts_at: new Date('2024-12-31T23:30:00Z'), capacity: 42 },
    statuses: [...Array(30).fill('COMPLETED'), ...Array(8).fill('ATTENDED'), 'WAITLISTED', 'CANCELLED'] },
  { event: { id: 'test-full-house', kind: 'WORKSHOP', attendance_mode: 'ONSITE', region_code: 'BE100', starts_at: new Date('2025-03-03T09:00:00Z'), capacity: 12 },
    statuses: Array(12).fill('REGISTERED') },
];

beforeAll(async () => {
  subgraph = await startTestSubgraph(trainingsSubgraph);
  const db = subgraph.database.db;
  let n = 0;
  for (const { event, statuses } of SMALL_EVENTS) {
    const startsAt = event.starts_at!;
    const base: EventTable = {
      id: event.id, title: 'Small-cell test event', kind: 'WORKSHOP', description: null, series: null, attendance_mode: 'ONSITE',
      starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 3_600_000), time_zone: 'Europe/Brussels',
      venue_name: event.region_code ? 'Venue' : null, venue_room: null, venue_address: null, venue_city: event.region_code ? 'City' : null,
      region_code: null, organiser_id: 'aer', programme_id: 'eu-belong', languages: ['en'], capacity: null,
      registration_deadline: null, synthetic: true,
    };
    await db.insertInto('events').values({ ...base, ...event }).execute();
    await db.insertInto('registrations').values(statuses.map((status, i) => ({
      id: syntheticUuid('test-registration', n++), event_id: event.id, talent_id: syntheticTalentId(i), status,
      registered_at: new Date('2024-01-01T00:00:00Z'), updated_at: new Date('2024-01-01T00:00:00Z'), synthetic: true,
    }))).execute();
  }
});
afterAll(() => subgraph.stop());

/**
 * The record-key sums the cell key method gives per event and count (see db/statistics.ts), from the true counts:
 * one keyed hash per event and status counted, 0 for a count of 0.
 */
async function eventKeys(counts: { eventId: string; label: 'registrations' | 'attended' | 'completed' | 'seats'; n: number }[]) {
  const keys = new Map<string, number>();
  const wanted = counts.filter((c) => c.n > 0);
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = wanted.slice(i, i + 500).map((c) => sql`(${c.eventId}, ${c.label}, ${c.n})`);
    const { rows: hashed } = await sql<{ e: string; label: string; n: number; key: number }>`
      select e, label, n, hashtext(${developmentCellKeySalt} || ':' || e || ':' || label || ':' || n::text) & 255 as key
      from (values ${sql.join(rows)}) as v (e, label, n)`.execute(subgraph.database.db);
    for (const h of hashed) keys.set(`${h.e}:${h.label}:${h.n}`, Number(h.key));
  }
  return (eventId: string, label: string, n: number) => (n === 0 ? 0 : keys.get(`${eventId}:${label}:${n}`)!);
}

const CELL = `eventKind region { code } month events capacity suppressed
  registrations { value suppressed } attended { value suppressed } completed { value suppressed }
  completionRate capacityUtilisation`;

describe('Query.registrationStatistics', () => {
  it('sums every registration of the graph in one cell, in one SQL statement', async () => {
    const { result, statements } = await subgraph.countStatements(`{ registrationStatistics(groupBy: []) { ${CELL} } }`);
    expect(result.errors).toBeUndefined();
    expect(statements).toBe(1);
    const db = subgraph.database.db;
    const regs = await db.selectFrom('registrations').innerJoin('events', 'events.id', 'registrations.event_id')
      .select(['event_id', 'status', 'capacity']).execute();
    const events = await db.selectFrom('events').select(['id', 'capacity']).execute();
    const perEvent = events.map((e) => {
      const own = regs.filter((r) => r.event_id === e.id);
      return {
        id: e.id,
        registrations: own.length,
        attended: own.filter((r) => ['ATTENDED', 'COMPLETED'].includes(r.status)).length,
        completed: own.filter((r) => r.status === 'COMPLETED').length,
        seats: e.capacity === null ? 0 : own.filter((r) => ['REGISTERED', 'ATTENDED', 'COMPLETED'].includes(r.status)).length,
      };
    });
    const key = await eventKeys(perEvent.flatMap((e) => (['registrations', 'attended', 'completed', 'seats'] as const).map((label) => ({ eventId: e.id, label, n: e[label] }))));
    const tally = (label: 'registrations' | 'attended' | 'completed' | 'seats'): Tally => ({
      count: perEvent.reduce((sum, e) => sum + e[label], 0),
      keySum: perEvent.reduce((sum, e) => sum + key(e.id, label, e[label]), 0),
    });
    const capacity = events.reduce((sum, e) => sum + (e.capacity ?? 0), 0);
    const [cell] = result.data.registrationStatistics;
    // The cell key method: each count is the true one shifted by at most 2, as its records' keys say.
    const [registrations, attended, completed] = [tally('registrations'), tally('attended'), tally('completed')];
    expect(cell).toMatchObject({
      eventKind: null, region: null, month: null, events: events.length, capacity, suppressed: false,
      registrations: { value: perturb(registrations), suppressed: false },
      attended: { value: perturb(attended), suppressed: false },
      completed: { value: perturb(completed), suppressed: false },
    });
    for (const [shown, truth] of [[cell.registrations, registrations], [cell.attended, attended], [cell.completed, completed]] as const) {
      expect(Math.abs(shown.value - truth.count)).toBeLessThanOrEqual(2);
    }
    // Rates are of the published counts.
    expect(Number(cell.completionRate)).toBeCloseTo(perturb(completed) / perturb(attended), 4);
    expect(cell.completionRate).toMatch(/^0\.\d{4}$/);
    expect(Number(cell.capacityUtilisation)).toBeCloseTo(perturb(tally('seats')) / capacity, 4);
  });

  it('groups by event kind, by region at a NUTS level (a Region reference) and by UTC month, in that order', async () => {
    const { data, errors } = await subgraph.query(`{
      byKind: registrationStatistics(groupBy: [EVENT_KIND]) { eventKind region { code } month }
      byRegion: registrationStatistics(groupBy: [REGION], regionLevel: 3) { region { code } events }
      byCountry: registrationStatistics(groupBy: [REGION], regionLevel: 0) { region { code } }
      byMonth: registrationStatistics(groupBy: [MONTH, EVENT_KIND], filter: { regionCode: "PL" }) { eventKind month }
    }`);
    expect(errors).toBeUndefined();
    const kinds = data.byKind.map((c: any) => c.eventKind);
    expect(kinds).toEqual([...kinds].sort());
    expect(kinds).toContain('WORKSHOP');
    expect(data.byKind.every((c: any) => c.region === null && c.month === null)).toBe(true);
    // Level 3: BE10 (the EWRC session) is only known at level 2, and online events have no region: both null.
    const codes = data.byRegion.map((c: any) => c.region?.code ?? null);
    expect(codes.at(-1)).toBeNull();
    expect(codes.slice(0, -1).every((c: string) => c.length === 5)).toBe(true);
    expect(codes).toContain('ITH55');
    expect(data.byCountry.map((c: any) => c.region?.code ?? null)).toEqual(expect.arrayContaining(['BE', 'ES', 'FR', 'IE', 'IT', 'PL', null]));
    // 23:30 UTC on 31 December 2024 is in month 2024-12 (UTC), although it is already 2025 in Warsaw.
    expect(data.byMonth).toContainEqual({ eventKind: 'STUDY_VISIT', month: '2024-12' });
    expect(data.byMonth.every((c: any) => /^\d{4}-\d{2}$/.test(c.month))).toBe(true);
  });

  it('refuses bad arguments with BAD_USER_INPUT saying what is wrong', async () => {
    const cases: [string, string][] = [
      ['{ registrationStatistics(groupBy: [REGION, REGION]) { events } }', 'lists REGION twice'],
      ['{ registrationStatistics(groupBy: [REGION], regionLevel: 4) { events } }', 'NUTS level from 0 to 3'],
      ['{ registrationStatistics(groupBy: [], filter: { regionCode: "Emilia" }) { events } }', 'filter.regionCode'],
      ['{ registrationStatistics(groupBy: [], filter: { organiserId: "Not A Slug" }) { events } }', 'filter.organiserId'],
      ['{ registrationStatistics(groupBy: [], filter: { startsFrom: "2025-01-01T00:00:00Z", startsBefore: "2024-01-01T00:00:00Z" }) { events } }',
        '"filter.startsFrom" must be earlier than "filter.startsBefore"'],
    ];
    for (const [query, message] of cases) {
      const result = await subgraph.query(query);
      expect(errorCodes(result), query).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toContain(message);
    }
  });
});

describe('small-cell suppression of registration statistics', () => {
  const GROUPINGS: { groupBy: string[]; regionLevel?: number }[] = [
    ...[[], ['EVENT_KIND'], ['MONTH'], ['EVENT_KIND', 'MONTH']].map((groupBy) => ({ groupBy })),
    ...[0, 1, 2, 3].flatMap((regionLevel) =>
      [['REGION'], ['EVENT_KIND', 'REGION'], ['REGION', 'MONTH'], ['EVENT_KIND', 'REGION', 'MONTH']].map((groupBy) => ({ groupBy, regionLevel })),
    ),
  ];
  const FILTERS: Record<string, unknown>[] = [
    {},
    ...['TRAINING', 'MENTORING', 'EXCHANGE', 'WORKSHOP', 'CONFERENCE_SESSION', 'WEBINAR', 'STUDY_VISIT'].map((kind) => ({ kind })),
    ...['ONSITE', 'ONLINE', 'HYBRID'].map((attendanceMode) => ({ attendanceMode })),
    ...['BE', 'BE10', 'ITH5', 'ITH55', 'ES511', 'PL'].map((regionCode) => ({ regionCode })),
    ...['aer', 'art-er', 'cemr', 'eurocities', 'uclg'].map((organiserId) => ({ organiserId })),
    ...['talent-hub', 'eu-belong', 'emilia-romagna-talents'].map((programmeId) => ({ programmeId })),
    { startsBefore: '2024-07-01T00:00:00Z' },
    { startsFrom: '2024-07-01T00:00:00Z', startsBefore: '2025-01-01T00:00:00Z' },
    { startsFrom: '2025-01-01T00:00:00Z' },
    { kind: 'TRAINING', regionCode: 'ES' },
    { organiserId: 'aer', startsFrom: '2024-06-01T00:00:00Z' },
    { attendanceMode: 'ONSITE', regionCode: 'ITH5', programmeId: 'emilia-romagna-talents' },
  ];

  type Truth = { events: number; capacity: number | null; registrations: number; attended: number; completed: number; seats: number; keys: Record<'registrations' | 'attended' | 'completed' | 'seats', number> };
  const emptyTruth = (): Truth => ({ events: 0, capacity: null, registrations: 0, attended: 0, completed: 0, seats: 0, keys: { registrations: 0, attended: 0, completed: 0, seats: 0 } });

  it('never gives a count below 5, nor two counts of a cell less than 5 apart, over every filter and grouping', async () => {
    const db = subgraph.database.db;
    const events = await db.selectFrom('events').selectAll().execute();
    const registrations = await db.selectFrom('registrations').select(['event_id', 'status']).execute();
    const perEvent = new Map(events.map((e) => {
      const own = registrations.filter((r) => r.event_id === e.id);
      return [e.id, {
        registrations: own.length,
        attended: own.filter((r) => ['ATTENDED', 'COMPLETED'].includes(r.status)).length,
        completed: own.filter((r) => r.status === 'COMPLETED').length,
        seats: e.capacity === null ? 0 : own.filter((r) => ['REGISTERED', 'ATTENDED', 'COMPLETED'].includes(r.status)).length,
      }];
    }));
    const keyOfEvent = await eventKeys([...perEvent].flatMap(([eventId, c]) => (['registrations', 'attended', 'completed', 'seats'] as const).map((label) => ({ eventId, label, n: c[label] }))));
    const matches = (e: EventTable, f: Record<string, any>) =>
      (f.kind == null || e.kind === f.kind) &&
      (f.attendanceMode == null || e.attendance_mode === f.attendanceMode) &&
      (f.regionCode == null || (e.region_code ?? '').startsWith(f.regionCode)) &&
      (f.organiserId == null || e.organiser_id === f.organiserId) &&
      (f.programmeId == null || e.programme_id === f.programmeId) &&
      (f.startsFrom == null || e.starts_at >= new Date(f.startsFrom)) &&
      (f.startsBefore == null || e.starts_at < new Date(f.startsBefore));
    const keyOf = (e: EventTable, g: { groupBy: string[]; regionLevel?: number }) => {
      const level = g.regionLevel ?? 2;
      const region = e.region_code && e.region_code.length >= level + 2 ? e.region_code.slice(0, level + 2) : null;
      return JSON.stringify([
        g.groupBy.includes('EVENT_KIND') ? e.kind : null,
        g.groupBy.includes('REGION') ? region : null,
        g.groupBy.includes('MONTH') ? e.starts_at.toISOString().slice(0, 7) : null,
      ]);
    };

    const seen = { cells: 0, suppressedCells: 0, givenCounts: 0, withheldBySize: 0, withheldByDifference: 0, rates: 0 };
    for (const filter of FILTERS) {
      for (const grouping of GROUPINGS) {
        const truth = new Map<string, Truth>();
        for (const e of events.filter((x) => matches(x, filter))) {
          const key = keyOf(e, grouping);
          const t = truth.get(key) ?? emptyTruth();
          t.events += 1;
          for (const label of ['registrations', 'attended', 'completed', 'seats'] as const) t.keys[label] += keyOfEvent(e.id, label, perEvent.get(e.id)![label]);
          if (e.capacity !== null) t.capacity = (t.capacity ?? 0) + e.capacity;
          for (const r of registrations.filter((x) => x.event_id === e.id)) {
            t.registrations += 1;
            if (r.status === 'ATTENDED' || r.status === 'COMPLETED') t.attended += 1;
            if (r.status === 'COMPLETED') t.completed += 1;
            if (e.capacity !== null && ['REGISTERED', 'ATTENDED', 'COMPLETED'].includes(r.status)) t.seats += 1;
          }
          truth.set(key, t);
        }

        const { data, errors } = await subgraph.query(
          `query ($g: [RegistrationDimension!]!, $l: Int, $f: EventFilter) {
            registrationStatistics(groupBy: $g, regionLevel: $l, filter: $f) { ${CELL} } }`,
          { g: grouping.groupBy, l: grouping.regionLevel ?? 2, f: filter },
        );
        const context = JSON.stringify({ filter, grouping });
        expect(errors, context).toBeUndefined();
        const cells = data.registrationStatistics;
        // No filter matching nothing: the ungrouped cell is always there; grouped cells exist where events do.
        expect(cells.length, context).toBe(grouping.groupBy.length === 0 ? 1 : truth.size);

        for (const cell of cells) {
          const key = JSON.stringify([cell.eventKind, cell.region?.code ?? null, cell.month]);
          const t = truth.get(key) ?? emptyTruth();
          const where = `${context} ${key}`;
          const expected = discloseTallies((['registrations', 'attended', 'completed', 'seats'] as const).map((label) => ({ count: t[label], keySum: t.keys[label] })));
          seen.cells += 1;
          expect([cell.events, cell.capacity], where).toEqual([t.events, t.capacity]);
          expect(cell.suppressed, where).toBe(expected[0]!.suppressed);
          if (t.registrations < 5) expect(cell.suppressed, where).toBe(true);
          if (cell.suppressed) seen.suppressedCells += 1;

          const given: number[] = [];
          for (const [i, name] of (['registrations', 'attended', 'completed'] as const).entries()) {
            const count = cell[name];
            if (!cell.suppressed) expect(count, `${where} ${name}`).toEqual(expected[i]);
            expect(count.suppressed, where).toBe(count.value === null);
            if (count.value === null) {
              if (t[name] < 5) seen.withheldBySize += 1;
              else seen.withheldByDifference += 1;
              continue;
            }
            // The heart of it: a given count rests on at least 5 people, is within 2 of the truth, and is at least 5.
            expect(t[name], where).toBeGreaterThanOrEqual(5);
            expect(Math.abs(count.value - t[name]), where).toBeLessThanOrEqual(2);
            expect(count.value, where).toBeGreaterThanOrEqual(5);
            given.push(count.value);
            seen.givenCounts += 1;
          }
          if (cell.completionRate !== null) {
            seen.rates += 1;
            expect(cell.attended.value, where).not.toBeNull();
            expect(cell.completed.value, where).not.toBeNull();
            expect(Math.abs(Number(cell.completionRate) - cell.completed.value / cell.attended.value), where).toBeLessThan(0.00005 + 1e-9);
          }
          if (cell.capacityUtilisation !== null) {
            // The utilisation times the (public) capacity tells the seat-holding count: it must be safe to give.
            seen.rates += 1;
            expect(t.seats, where).toBeGreaterThanOrEqual(5);
            const seats = Math.round(Number(cell.capacityUtilisation) * t.capacity!);
            expect(seats, where).toBe(Math.min(expected[3]!.value!, t.capacity!));
            given.push(seats);
          }
          for (let i = 0; i < given.length; i++) {
            for (let j = i + 1; j < given.length; j++) expect(Math.abs(given[i]! - given[j]!), `${where} ${given}`).toBeGreaterThanOrEqual(5);
          }
        }
      }
    }
    // The combinations exercised every rule: small cells, counts withheld for size and for a small difference.
    expect(seen.cells).toBeGreaterThan(1000);
    expect(seen.suppressedCells).toBeGreaterThan(0);
    expect(seen.withheldBySize).toBeGreaterThan(seen.suppressedCells);
    expect(seen.withheldByDifference).toBeGreaterThan(0);
    expect(seen.givenCounts).toBeGreaterThan(0);
    expect(seen.rates).toBeGreaterThan(0);
  });

  it('withholds counts and rates of a small cell, and keeps public figures (events, capacity)', async () => {
    const { data } = await subgraph.query(`{
      tiny: registrationStatistics(groupBy: [], filter: { kind: WEBINAR, startsFrom: "2025-02-10T10:00:00Z", startsBefore: "2025-02-10T10:00:01Z" }) { ${CELL} }
      small: registrationStatistics(groupBy: [], filter: { regionCode: "ES511", startsFrom: "2024-11-30T23:30:00Z", startsBefore: "2024-11-30T23:30:01Z" }) { ${CELL} }
      almost: registrationStatistics(groupBy: [], filter: { regionCode: "PL911", startsFrom: "2024-12-31T23:30:00Z", startsBefore: "2024-12-31T23:30:01Z" }) { ${CELL} }
      full: registrationStatistics(groupBy: [], filter: { regionCode: "BE100", startsFrom: "2025-03-03T09:00:00Z", startsBefore: "2025-03-03T09:00:01Z" }) { ${CELL} }
    }`);
    const withheld = { value: null, suppressed: true };
    // What the cell key method makes of each event's true counts (registrations, attended, completed, seats).
    const truths: Record<string, [string, number[]]> = {
      tiny: ['test-tiny-webinar', [3, 0, 0, 0]],
      small: ['test-small-training', [6, 5, 4, 5]],
      almost: ['test-almost-all-attended', [40, 38, 30, 38]],
      full: ['test-full-house', [12, 0, 0, 12]],
    };
    const labels = ['registrations', 'attended', 'completed', 'seats'] as const;
    const key = await eventKeys(Object.values(truths).flatMap(([eventId, counts]) => labels.map((label, i) => ({ eventId, label, n: counts[i]! }))));
    const expected = (name: string) => {
      const [eventId, counts] = truths[name]!;
      return discloseTallies(labels.map((label, i) => ({ count: counts[i]!, keySum: key(eventId, label, counts[i]!) })));
    };
    expect(data.tiny[0]).toMatchObject({ events: 1, suppressed: true, registrations: withheld, attended: withheld, completed: withheld, completionRate: null, capacityUtilisation: null });
    // 6 registrations: perturbed, or withheld when the perturbation takes it below 5; 5 attended (1 apart) and 4
    // completed (below 5) withheld whatever the perturbation.
    const small = expected('small');
    expect(data.small[0]).toMatchObject({ events: 1, capacity: 10, suppressed: small[0]!.suppressed, registrations: small[0], attended: withheld, completed: withheld, completionRate: null });
    // 40 registrations, 38 attended, 30 completed: each perturbed, and withheld when within 5 of one given before.
    const almost = expected('almost');
    expect(data.almost[0]).toMatchObject({ registrations: almost[0], attended: almost[1], completed: almost[2] });
    expect(Math.abs(data.almost[0].registrations.value - 40)).toBeLessThanOrEqual(2);
    // 12 registrations holding the 12 seats: attended and completed 0 (withheld).
    const full = expected('full');
    expect(data.full[0]).toMatchObject({ capacity: 12, registrations: full[0], attended: withheld, completed: withheld });
  });
});
