import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import { trainingsSubgraph } from './server.js';
import { FakePeers } from './testing/peers.js';
import { registrationCounts, talentsService, testStores, testTalentId } from './testing/stores.js';

// Capacity under concurrency and the waitlist, on PGlite and (with TEST_DATABASE_URL) on PostgreSQL, where the
// pool has several connections and concurrent registrations really race: they must still never overbook, and
// the waitlist must keep the order in which registrations were decided.

const CREATE = 'mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }';
const REGISTER = `mutation ($eventId: ID!, $talentId: ID!) { registerForEvent(eventId: $eventId, talentId: $talentId) {
  id status waitlistPosition } }`;
const CANCEL = `mutation ($eventId: ID!, $talentId: ID!) { cancelRegistration(eventId: $eventId, talentId: $talentId) { status } }`;
const ERASE = 'mutation ($talentId: ID!) { eraseTalentData(talentId: $talentId) }';
const LINE = `query ($id: ID!) { event(id: $id) { capacity seatsLeft registrations(first: 100) {
  nodes { status waitlistPosition talent { id } } } } }`;

describe.each(testStores())('capacity and waitlist ($name)', (store) => {
  let subgraph: TestSubgraph<TrainingsDatabase>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await store.create();
    drop = created.drop;
    subgraph = await startTestSubgraph(trainingsSubgraph, created.store, new FakePeers());
  });
  afterAll(async () => {
    await subgraph?.stop();
    await drop?.();
  });

  const db = () => subgraph.database.db;
  const organiser = caller('aer', 'editor');
  // Registrations come from editors of several organisations, each request with its own context.
  const registrars = ['cemr', 'eurocities', 'uclg', 'art-er'].map((org) => caller(org, 'editor'));

  async function createEvent(id: string, capacity: number) {
    const result = await subgraph.query(CREATE, {
      input: {
        id, title: `Capacity test ${id}`, kind: 'WORKSHOP', attendanceMode: 'ONLINE', capacity,
        startsAt: '2031-05-06T10:00:00+02:00', endsAt: '2031-05-06T12:00:00+02:00', timeZone: 'Europe/Rome',
      },
    }, organiser);
    expect(result.errors).toBeUndefined();
  }

  /** The event's registrations in line order, with their talents as the numbers they were made from. */
  async function line(id: string) {
    // As the organiser, who reads every registration of its event.
    const { data, errors } = await subgraph.query(LINE, { id }, organiser);
    expect(errors).toBeUndefined();
    return {
      seatsLeft: data.event.seatsLeft as number,
      nodes: data.event.registrations.nodes.map((n: any) => ({
        talent: parseInt(n.talent.id.slice(-12), 16),
        status: n.status as string,
        position: n.waitlistPosition as number | null,
      })),
    };
  }

  async function expectCountsConsistent() {
    const { kept, recounted } = await registrationCounts(db());
    expect(kept).toEqual(recounted);
  }

  it('100 concurrent registrations of distinct talents for 30 seats: exactly 30 registered, 70 waitlisted in arrival order', async () => {
    await createEvent('race-30', 30);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        subgraph.query(REGISTER, { eventId: 'race-30', talentId: testTalentId(1000 + i) }, registrars[i % registrars.length]),
      ),
    );
    expect(results.flatMap(errorCodes)).toEqual([]);
    const statuses = results.map((r) => r.data.registerForEvent.status);
    expect(statuses.filter((s) => s === 'REGISTERED')).toHaveLength(30);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(70);

    const stored = await db().selectFrom('registrations').select(['id', 'status', 'registered_at'])
      .where('event_id', '=', 'race-30').orderBy('registered_at').orderBy('id').execute();
    expect(stored).toHaveLength(100);
    // Arrival order is the order in which the registrations were decided, one after the other under the event's
    // lock: their instants are all distinct, the first 30 got the seats, and the audit rows (numbered as they
    // were written, in the same transactions) follow the same order.
    expect(new Set(stored.map((r) => r.registered_at.getTime())).size).toBe(100);
    expect(stored.map((r) => r.status)).toEqual([...Array(30).fill('REGISTERED'), ...Array(70).fill('WAITLISTED')]);
    const audit = await db().selectFrom('audit_log').select('entity_id')
      .where('entity_id', 'in', stored.map((r) => r.id)).orderBy('id').execute();
    expect(audit.map((a) => a.entity_id)).toEqual(stored.map((r) => r.id));
    // Places in line, as read now: 1 to 70 in line order.
    const { nodes, seatsLeft } = await line('race-30');
    expect(seatsLeft).toBe(0);
    expect(nodes.filter((n: any) => n.status === 'WAITLISTED').map((n: any) => n.position)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    await expectCountsConsistent();
  });

  it('20 concurrent registrations of one talent for one event make one registration', async () => {
    await createEvent('race-same-talent', 5);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        subgraph.query(REGISTER, { eventId: 'race-same-talent', talentId: testTalentId(2000) }, registrars[i % registrars.length]),
      ),
    );
    expect(results.flatMap(errorCodes)).toEqual([]);
    expect(new Set(results.map((r) => r.data.registerForEvent.id)).size).toBe(1);
    const rows = await db().selectFrom('registrations').select('status').where('event_id', '=', 'race-same-talent').execute();
    expect(rows).toEqual([{ status: 'REGISTERED' }]);
    await expectCountsConsistent();
  });

  it('cancelled seats go to the waitlist in order; cancelling a waitlisted registration moves those behind it up', async () => {
    await createEvent('promotion', 3);
    for (let t = 1; t <= 8; t++) await subgraph.query(REGISTER, { eventId: 'promotion', talentId: testTalentId(3000 + t) }, registrars[t % 4]);
    // Line: 1 2 3 hold the seats; 4 5 6 7 8 wait.
    const cancel = (t: number, as = organiser) => subgraph.query(CANCEL, { eventId: 'promotion', talentId: testTalentId(3000 + t) }, as);
    expect((await cancel(5)).data.cancelRegistration.status).toBe('CANCELLED'); // a waitlisted one: no seat moves
    expect((await cancel(2)).errors).toBeUndefined(); // 4 gets the seat
    expect((await cancel(1)).errors).toBeUndefined(); // 6 gets the seat (5 has left the line)
    const { nodes, seatsLeft } = await line('promotion');
    const byTalent = Object.fromEntries(nodes.map((n: any) => [n.talent - 3000, [n.status, n.position]]));
    expect(byTalent).toEqual({
      1: ['CANCELLED', null], 2: ['CANCELLED', null], 3: ['REGISTERED', null], 4: ['REGISTERED', null],
      5: ['CANCELLED', null], 6: ['REGISTERED', null], 7: ['WAITLISTED', 1], 8: ['WAITLISTED', 2],
    });
    expect(seatsLeft).toBe(0);
    await expectCountsConsistent();
  });

  it('concurrent cancellations and registrations never overbook and promote each freed seat once', async () => {
    await createEvent('churn', 10);
    for (let t = 0; t < 25; t++) await subgraph.query(REGISTER, { eventId: 'churn', talentId: testTalentId(4000 + t) }, registrars[t % 4]);
    // Cancel 5 seat holders and 5 waiters while 10 newcomers register, all at once.
    const operations = [
      ...[0, 1, 2, 3, 4, 12, 14, 16, 18, 20].map((t) => subgraph.query(CANCEL, { eventId: 'churn', talentId: testTalentId(4000 + t) }, organiser)),
      ...Array.from({ length: 10 }, (_, i) => subgraph.query(REGISTER, { eventId: 'churn', talentId: testTalentId(4100 + i) }, registrars[i % 4])),
    ];
    expect((await Promise.all(operations)).flatMap(errorCodes)).toEqual([]);
    const rows = await db().selectFrom('registrations').select(['status', 'registered_at', 'id']).where('event_id', '=', 'churn')
      .orderBy('registered_at').orderBy('id').execute();
    const active = rows.filter((r) => r.status !== 'CANCELLED');
    expect(active.filter((r) => r.status === 'REGISTERED')).toHaveLength(10);
    expect(active).toHaveLength(25);
    // The seats are held by the first 10 in line among those still there.
    expect(active.map((r) => r.status)).toEqual([...Array(10).fill('REGISTERED'), ...Array(15).fill('WAITLISTED')]);
    await expectCountsConsistent();
  });

  it('an erasure racing registrations of the same talent leaves no registration behind', async () => {
    const events = ['erase-race-1', 'erase-race-2', 'erase-race-3', 'erase-race-4', 'erase-race-5'];
    for (const id of events) await createEvent(id, 10);
    const talentId = testTalentId(6000);
    const results = await Promise.all([
      ...events.slice(0, 2).map((eventId) => subgraph.query(REGISTER, { eventId, talentId }, registrars[0])),
      subgraph.query(ERASE, { talentId }, talentsService),
      ...events.slice(2).map((eventId) => subgraph.query(REGISTER, { eventId, talentId }, registrars[1])),
    ]);
    // Each registration either came first (and the erasure deleted it) or came after (and was refused).
    for (const result of results) expect(errorCodes(result).every((code) => code === 'BAD_USER_INPUT')).toBe(true);
    expect(await db().selectFrom('registrations').select('id').where('talent_id', '=', talentId).execute()).toEqual([]);
    await expectCountsConsistent();
  });

  it('places in line cost one statement for the whole page, however many wait', async () => {
    // race-30 has 70 waiting, promotion has 2: the same statements (event, page, places in line).
    const many = await subgraph.countStatements(LINE, { id: 'race-30' }, organiser);
    const few = await subgraph.countStatements(LINE, { id: 'promotion' }, organiser);
    expect(many.result.errors).toBeUndefined();
    expect(many.result.data.event.registrations.nodes.filter((n: any) => n.waitlistPosition !== null)).toHaveLength(70);
    expect(few.result.data.event.registrations.nodes.filter((n: any) => n.waitlistPosition !== null)).toHaveLength(2);
    expect(many.statements).toBe(few.statements);
    const withoutPlaces = await subgraph.countStatements(LINE.replace('waitlistPosition', ''), { id: 'race-30' }, organiser);
    expect(many.statements - withoutPlaces.statements).toBe(1);
  });

  it('erasing a talent who holds a seat gives it to the first in line', async () => {
    await createEvent('erasure-seat', 2);
    for (let t = 1; t <= 4; t++) await subgraph.query(REGISTER, { eventId: 'erasure-seat', talentId: testTalentId(5000 + t) }, registrars[0]);
    expect(await subgraph.query(ERASE, { talentId: testTalentId(5001) }, talentsService)).toEqual({ data: { eraseTalentData: 1 } });
    const { nodes } = await line('erasure-seat');
    expect(nodes.map((n: any) => [n.talent - 5000, n.status, n.position])).toEqual([
      [2, 'REGISTERED', null], [3, 'REGISTERED', null], [4, 'WAITLISTED', 1],
    ]);
    await expectCountsConsistent();
  });
});
