import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@talent-hub/platform/identity';
import { caller, errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import { trainingsSubgraph } from './server.js';
import { FakePeers } from './testing/peers.js';
import { registrationCounts, snapshot, talentsService, testTalentId } from './testing/stores.js';

// markAttended and markCompleted: the organiser records attendance and completion at its events. What they write
// (status, days, one audit row), the date rules with every problem listed at once, who may call them, what they
// refuse (with the stored data unchanged), idempotency, erasure, and registration statistics following them.

let subgraph: TestSubgraph<TrainingsDatabase>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(trainingsSubgraph, undefined, new FakePeers());
});
afterAll(() => subgraph.stop());

const db = () => subgraph.database.db;
const organiser = caller('cemr', 'editor');
const registrar = caller('aer', 'editor');

const CREATE = 'mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }';
const UPDATE = 'mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }';
const REGISTER = 'mutation ($eventId: ID!, $talentId: ID!) { registerForEvent(eventId: $eventId, talentId: $talentId) { id status } }';
const CANCEL_EVENT = 'mutation ($id: ID!) { cancelEvent(id: $id) { id } }';
const ERASE = 'mutation ($talentId: ID!) { eraseTalentData(talentId: $talentId) }';
const ATTENDED = `mutation ($id: ID!, $on: Date!) {
  markAttended(registrationId: $id, attendedOn: $on) { id status attendedOn completedOn } }`;
const COMPLETED = `mutation ($id: ID!, $on: Date!, $attendedOn: Date) {
  markCompleted(registrationId: $id, completedOn: $on, attendedOn: $attendedOn) { id status attendedOn completedOn } }`;

const DAY_MS = 86_400_000;
/** A day relative to today (UTC), `YYYY-MM-DD`. */
const daysFromToday = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);

/**
 * An event organised by CEMR, held from `first` to `last` (Rome time, 09:00 to 17:00), with `talents` registered
 * by AER's editor: created in the future, registered, then moved to its days (registration closes at the start).
 */
async function heldEvent(id: string, talents: number[], options: { first?: string; last?: string; capacity?: number } = {}) {
  const { first = '2026-03-10', last = '2026-03-12', capacity = 30 } = options;
  const future = new Date(Date.now() + 400 * DAY_MS).toISOString().slice(0, 10);
  const created = await subgraph.query(CREATE, {
    input: {
      id, title: `Attendance test ${id}`, kind: 'TRAINING', attendanceMode: 'ONLINE', timeZone: 'Europe/Rome', capacity,
      startsAt: `${future}T09:00:00+01:00`, endsAt: `${future}T17:00:00+01:00`,
    },
  }, organiser);
  expect(created.errors).toBeUndefined();
  const ids: string[] = [];
  for (const talent of talents) {
    const result = await subgraph.query(REGISTER, { eventId: id, talentId: testTalentId(talent) }, registrar);
    expect(result.errors).toBeUndefined();
    ids.push(result.data.registerForEvent.id);
  }
  const moved = await subgraph.query(UPDATE, {
    id, input: { startsAt: instant(first, '09:00'), endsAt: instant(last, '17:00') },
  }, organiser);
  expect(moved.errors).toBeUndefined();
  return ids;
}

/** Rome local time on a day (winter or summer offset as it applies). */
const instant = (day: string, time: string) => {
  const month = Number(day.slice(5, 7));
  return `${day}T${time}:00${month >= 4 && month <= 10 ? '+02:00' : '+01:00'}`;
};

const fieldsOf = (result: { errors?: readonly any[] }) => (result.errors?.[0]?.extensions?.fields ?? []).map((f: any) => f.field);
const auditOf = (entityId: string) =>
  db().selectFrom('audit_log').select(['action', 'actor_organisation_id']).where('entity_id', '=', entityId).orderBy('id').execute();

async function expectCountsConsistent() {
  const { kept, recounted } = await registrationCounts(db());
  expect(kept).toEqual(recounted);
}

describe('markAttended', () => {
  it('marks a registered talent as attended on a day of the event, once; another day corrects it', async () => {
    const [id] = await heldEvent('attend-basic', [1]);
    const first = await subgraph.query(ATTENDED, { id, on: '2026-03-11' }, organiser);
    expect(first.errors).toBeUndefined();
    expect(first.data.markAttended).toEqual({ id, status: 'ATTENDED', attendedOn: '2026-03-11', completedOn: null });
    expect(await auditOf(id!)).toEqual([
      { action: 'registration.create', actor_organisation_id: 'aer' },
      { action: 'registration.attend', actor_organisation_id: 'cemr' },
    ]);

    // The same day again: nothing written, no audit row.
    const before = await snapshot(db());
    const again = await subgraph.query(ATTENDED, { id, on: '2026-03-11' }, organiser);
    expect(again.data).toEqual(first.data);
    expect(await snapshot(db())).toBe(before);

    const corrected = await subgraph.query(ATTENDED, { id, on: '2026-03-10' }, caller('cemr', 'admin'));
    expect(corrected.data.markAttended).toMatchObject({ status: 'ATTENDED', attendedOn: '2026-03-10' });
    expect((await auditOf(id!)).map((a) => a.action)).toEqual(['registration.create', 'registration.attend', 'registration.attend']);

    // The registration shows it wherever it is read.
    const { data } = await subgraph.query('query ($id: ID!) { event(id: $id) { registrations { nodes { id status attendedOn completedOn } } } }', { id: 'attend-basic' }, organiser);
    expect(data.event.registrations.nodes).toEqual([{ id, status: 'ATTENDED', attendedOn: '2026-03-10', completedOn: null }]);
    await expectCountsConsistent();
  });

  it('keeps a completed registration COMPLETED, correcting its day of attendance, never to after completion', async () => {
    const [id] = await heldEvent('attend-completed', [2]);
    expect((await subgraph.query(COMPLETED, { id, on: '2026-03-20', attendedOn: '2026-03-10' }, organiser)).errors).toBeUndefined();
    const corrected = await subgraph.query(ATTENDED, { id, on: '2026-03-12' }, organiser);
    expect(corrected.data.markAttended).toEqual({ id, status: 'COMPLETED', attendedOn: '2026-03-12', completedOn: '2026-03-20' });

    const [other] = await heldEvent('attend-after-completion', [3]);
    await subgraph.query(COMPLETED, { id: other, on: '2026-03-10' }, organiser);
    const refused = await subgraph.query(ATTENDED, { id: other, on: '2026-03-11' }, organiser);
    expect(fieldsOf(refused)).toEqual(['attendedOn']);
    expect(refused.errors![0]!.message).toMatch(/after the day of completion/);
  });

  it('refuses days outside the event and in the future, listing every problem', async () => {
    const [id] = await heldEvent('attend-days', [4]);
    const before = await snapshot(db());
    const early = await subgraph.query(ATTENDED, { id, on: '2026-03-09' }, organiser);
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(early)).toEqual(['attendedOn']);
    expect(early.errors![0]!.message).toMatch(/before the event's first day \(2026-03-10, in the event's time zone, Europe\/Rome\)/);
    const late = await subgraph.query(ATTENDED, { id, on: '2099-01-01' }, organiser);
    expect(fieldsOf(late)).toEqual(['attendedOn', 'attendedOn']);
    expect(late.errors![0]!.message).toMatch(/after the event's last day \(2026-03-12.*in the future/);
    expect(await snapshot(db())).toBe(before);
  });

  it('refuses waitlisted and cancelled registrations, and events cancelled or not started, all problems at once', async () => {
    const [, waitlisted] = await heldEvent('attend-waitlist', [5, 6], { capacity: 1 });
    const refused = await subgraph.query(ATTENDED, { id: waitlisted, on: '2026-03-10' }, organiser);
    expect(fieldsOf(refused)).toEqual(['registrationId']);
    expect(refused.errors![0]!.message).toMatch(/WAITLISTED: only a registration holding a seat/);

    // A cancelled event that has not started: its registrations were cancelled with it.
    const start = daysFromToday(30);
    await subgraph.query(CREATE, {
      input: { id: 'attend-cancelled', title: 'Cancelled', kind: 'WORKSHOP', attendanceMode: 'ONLINE', timeZone: 'Europe/Rome',
        startsAt: `${start}T09:00:00Z`, endsAt: `${start}T12:00:00Z` },
    }, organiser);
    const { data } = await subgraph.query(REGISTER, { eventId: 'attend-cancelled', talentId: testTalentId(7) }, registrar);
    await subgraph.query(CANCEL_EVENT, { id: 'attend-cancelled' }, organiser);
    const before = await snapshot(db());
    const all = await subgraph.query(COMPLETED, { id: data.registerForEvent.id, on: daysFromToday(40), attendedOn: daysFromToday(-1) }, organiser);
    expect(errorCodes(all)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(all)).toEqual(['registrationId', 'registrationId', 'registrationId', 'attendedOn', 'completedOn']);
    expect(all.errors![0]!.message).toMatch(/cancelled.*not started.*CANCELLED.*attendedOn: must not be before the event's first day.*completedOn: must not be in the future/);
    expect(await snapshot(db())).toBe(before);
  });

  it('answers NOT_FOUND for an unknown registration and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await subgraph.query(ATTENDED, { id: '00000000-0000-4000-8000-00000000abcd', on: '2026-03-10' }, organiser);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'registrationId' });
    const malformed = await subgraph.query(COMPLETED, { id: 'alice@example.org', on: '2026-03-10' }, organiser);
    expect(fieldsOf(malformed)).toEqual(['registrationId']);
    expect(JSON.stringify(malformed.errors)).not.toContain('alice');
    const badDay = await subgraph.query(ATTENDED, { id: '00000000-0000-4000-8000-00000000abcd', on: '2026-02-30' }, organiser);
    expect(errorCodes(badDay)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('markCompleted', () => {
  it('completes a registered or attended talent; attendance is given, kept, or taken from the completion', async () => {
    const [attended, registered, late, given] = await heldEvent('complete-me', [11, 12, 13, 14]);
    await subgraph.query(ATTENDED, { id: attended, on: '2026-03-10' }, organiser);
    // Attended: the day of attendance is kept; completion may come after the event (an assessment).
    const kept = await subgraph.query(COMPLETED, { id: attended, on: '2026-04-02' }, organiser);
    expect(kept.data.markCompleted).toEqual({ id: attended, status: 'COMPLETED', attendedOn: '2026-03-10', completedOn: '2026-04-02' });
    // Registered, completed during the event: attended that day.
    const sameDay = await subgraph.query(COMPLETED, { id: registered, on: '2026-03-11' }, organiser);
    expect(sameDay.data.markCompleted).toMatchObject({ status: 'COMPLETED', attendedOn: '2026-03-11', completedOn: '2026-03-11' });
    // Registered, completed after the event: attended on its last day.
    const after = await subgraph.query(COMPLETED, { id: late, on: '2026-05-01' }, organiser);
    expect(after.data.markCompleted).toMatchObject({ attendedOn: '2026-03-12', completedOn: '2026-05-01' });
    const withDay = await subgraph.query(COMPLETED, { id: given, on: '2026-03-12', attendedOn: '2026-03-10' }, organiser);
    expect(withDay.data.markCompleted).toMatchObject({ attendedOn: '2026-03-10', completedOn: '2026-03-12' });
    expect((await auditOf(attended!)).map((a) => a.action)).toEqual(['registration.create', 'registration.attend', 'registration.complete']);

    // Again with the same days: nothing written.
    const before = await snapshot(db());
    expect((await subgraph.query(COMPLETED, { id: attended, on: '2026-04-02' }, organiser)).data).toEqual(kept.data);
    expect((await subgraph.query(COMPLETED, { id: given, on: '2026-03-12', attendedOn: '2026-03-10' }, organiser)).data).toEqual(withDay.data);
    expect(await snapshot(db())).toBe(before);
    // Another day corrects it.
    const moved = await subgraph.query(COMPLETED, { id: attended, on: '2026-04-03' }, organiser);
    expect(moved.data.markCompleted).toMatchObject({ attendedOn: '2026-03-10', completedOn: '2026-04-03' });
    await expectCountsConsistent();
  });

  it('refuses a completion before attendance, before the event or in the future, listing every problem', async () => {
    const [attended, registered] = await heldEvent('complete-days', [21, 22]);
    await subgraph.query(ATTENDED, { id: attended, on: '2026-03-12' }, organiser);
    const before = await snapshot(db());
    const beforeAttendance = await subgraph.query(COMPLETED, { id: attended, on: '2026-03-11' }, organiser);
    expect(fieldsOf(beforeAttendance)).toEqual(['completedOn']);
    expect(beforeAttendance.errors![0]!.message).toMatch(/before the recorded day of attendance \(2026-03-12\); give attendedOn/);
    const beforeGiven = await subgraph.query(COMPLETED, { id: attended, on: '2026-03-10', attendedOn: '2026-03-11' }, organiser);
    expect(fieldsOf(beforeGiven)).toEqual(['completedOn']);
    const everything = await subgraph.query(COMPLETED, { id: registered, on: daysFromToday(5), attendedOn: '2026-03-13' }, organiser);
    expect(fieldsOf(everything).sort()).toEqual(['attendedOn', 'completedOn']);
    const beforeEvent = await subgraph.query(COMPLETED, { id: registered, on: '2026-03-01' }, organiser);
    expect(fieldsOf(beforeEvent)).toEqual(['completedOn']);
    expect(beforeEvent.errors![0]!.message).toMatch(/before the event's first day/);
    expect(await snapshot(db())).toBe(before);
  });
});

describe('who may record attendance and completion', () => {
  let registration: string;
  beforeAll(async () => {
    [registration] = (await heldEvent('attend-guarded', [31])) as [string];
  });

  it.each([
    ['markAttended', ATTENDED, { on: '2026-03-10' }],
    ['markCompleted', COMPLETED, { on: '2026-03-10' }],
  ] as const)('%s: only editors of the organiser; others are refused, changing nothing', async (_, mutation, days) => {
    const variables = { id: registration, ...days };
    const before = await snapshot(db());
    expect(errorCodes(await subgraph.query(mutation, variables))).toEqual(['UNAUTHENTICATED']);
    const refusals: Identity[] = [
      caller('cemr', 'viewer'), // the organiser's viewer
      caller('aer', 'editor'), // the organisation that made the registration
      caller('eurocities', 'admin'), // another organisation
      talentsService, // a service
    ];
    for (const who of refusals) expect(errorCodes(await subgraph.query(mutation, variables, who)), who.subject).toEqual(['FORBIDDEN']);
    expect(await snapshot(db())).toBe(before);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log where entity_id = ${registration}
      and action in ('registration.attend', 'registration.complete')`.execute(db());
    expect(rows[0]!.n).toBe(0);
  });

  it('lets the organiser\'s editor do it', async () => {
    const result = await subgraph.query(COMPLETED, { id: registration, on: '2026-03-10' }, organiser);
    expect(result.data.markCompleted).toMatchObject({ status: 'COMPLETED' });
  });
});

describe('erasure', () => {
  it('deletes attendance and completion with the registrations; their ids are then unknown', async () => {
    const [attended] = await heldEvent('erase-attendance', [41]);
    const [completed] = await heldEvent('erase-completion', [41]);
    await subgraph.query(ATTENDED, { id: attended, on: '2026-03-10' }, organiser);
    await subgraph.query(COMPLETED, { id: completed, on: '2026-03-20' }, organiser);
    expect(await subgraph.query(ERASE, { talentId: testTalentId(41) }, talentsService)).toEqual({ data: { eraseTalentData: 2 } });
    const { rows } = await sql`select id from registrations where talent_id = ${testTalentId(41)}
      or id in (${attended}::uuid, ${completed}::uuid)`.execute(db());
    expect(rows).toEqual([]);
    const gone = await subgraph.query(ATTENDED, { id: attended, on: '2026-03-11' }, organiser);
    expect(gone.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'registrationId' });
    const completedTrainings = await subgraph.query(`query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Talent { completedTrainings { totalCount nodes { completedOn } } } } }`,
    { r: [{ __typename: 'Talent', id: testTalentId(41), personalDataReadable: true }] }, caller('aer', 'viewer'));
    expect(completedTrainings.data._entities).toEqual([{ completedTrainings: { totalCount: 0, nodes: [] } }]);
    await expectCountsConsistent();
  });
});

describe('registration statistics', () => {
  const STATS = `query ($f: EventFilter) { registrationStatistics(groupBy: [], filter: $f) {
    events registrations { value } attended { value suppressed } completed { value suppressed } completionRate } }`;
  const filter = { organiserId: 'cemr', startsFrom: '2026-02-02T08:00:00Z', startsBefore: '2026-02-02T08:00:01Z' };
  const cell = async () => (await subgraph.query(STATS, { f: filter })).data.registrationStatistics[0];

  it('count what markAttended and markCompleted record', async () => {
    // Published counts are perturbed by the cell key method (at most 2 from the truth, withheld below 5).
    const near = (count: { value: number | null }, truth: number) => count.value === null || Math.abs(count.value - truth) <= 2;
    const ids = await heldEvent('attend-statistics', Array.from({ length: 20 }, (_, i) => 100 + i), { first: '2026-02-02', last: '2026-02-02' });
    const before = await cell();
    expect(before).toMatchObject({ events: 1, attended: { value: null, suppressed: true }, completed: { value: null, suppressed: true }, completionRate: null });
    expect(Math.abs(before.registrations.value - 20)).toBeLessThanOrEqual(2);
    for (const id of ids.slice(0, 10)) await subgraph.query(ATTENDED, { id, on: '2026-02-02' }, organiser);
    const attended = await cell();
    expect(attended.registrations).toEqual(before.registrations);
    // 10 attended, at least 6 from the registrations' published value: given.
    expect(attended.attended.suppressed).toBe(false);
    expect(near(attended.attended, 10)).toBe(true);
    expect(attended.completed.suppressed).toBe(true);
    for (const id of ids.slice(0, 5)) await subgraph.query(COMPLETED, { id, on: '2026-02-16' }, organiser);
    const completed = await cell();
    expect(completed.attended).toEqual(attended.attended);
    expect(near(completed.completed, 5)).toBe(true);
    if (!completed.completed.suppressed) expect(Number(completed.completionRate)).toBeCloseTo(completed.completed.value / completed.attended.value, 4);
    // Completed straight from REGISTERED: attended too.
    for (const id of ids.slice(10, 15)) await subgraph.query(COMPLETED, { id, on: '2026-02-02' }, organiser);
    const more = await cell();
    expect(more.registrations).toEqual(before.registrations);
    expect(more.attended.value === null || near(more.attended, 15)).toBe(true);
    expect(more.completed.value === null || near(more.completed, 10)).toBe(true);
    expect(more.attended.value ?? more.completed.value).not.toBeNull();
    await expectCountsConsistent();
  });
});
