import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@talent-hub/platform/identity';
import { caller, errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import { trainingsSubgraph } from './server.js';
import { FakePeers } from './testing/peers.js';
import { registrationCounts, snapshot, talentsService, testTalentId } from './testing/stores.js';

// The event and registration mutations of the subgraph, called as the gateway would (with an identity): what
// they write, the audit rows they leave, what they refuse and to whom, with the stored data unchanged after a
// refusal. Capacity under concurrency and the waitlist are in capacity.test.ts.

let subgraph: TestSubgraph<TrainingsDatabase>;
const peers = new FakePeers();
beforeAll(async () => {
  subgraph = await startTestSubgraph(trainingsSubgraph, undefined, peers);
});
afterAll(() => subgraph.stop());

const db = () => subgraph.database.db;
const cemrEditor = caller('cemr', 'editor');
const aerEditor = caller('aer', 'editor');

const CREATE = `mutation ($input: CreateEventInput!) { createEvent(input: $input) {
  id status title kind attendanceMode startsAt endsAt timeZone capacity seatsLeft registrationDeadline languages
  venue { name room city } region { code } organiser { id } partners { id } programme { id } skills { uri } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) {
  id title capacity seatsLeft attendanceMode venue { name } region { code } partners { id } languages } }`;
const CANCEL_EVENT = 'mutation ($id: ID!) { cancelEvent(id: $id) { id status cancelledAt } }';
const REGISTER = `mutation ($eventId: ID!, $talentId: ID!) { registerForEvent(eventId: $eventId, talentId: $talentId) {
  id status waitlistPosition registeredBy { id } event { id } talent { id } } }`;
const CANCEL_REGISTRATION = `mutation ($eventId: ID!, $talentId: ID!) {
  cancelRegistration(eventId: $eventId, talentId: $talentId) { id status waitlistPosition } }`;
const ERASE = 'mutation ($talentId: ID!) { eraseTalentData(talentId: $talentId) }';

/** A valid event input for a training in 2030, changed by `overrides`. */
const eventInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Joint training: territorial diplomacy',
  kind: 'TRAINING',
  attendanceMode: 'ONSITE',
  startsAt: '2030-03-04T09:00:00+01:00',
  endsAt: '2030-03-04T17:00:00+01:00',
  timeZone: 'Europe/Brussels',
  venue: { name: 'Maison des Régions', city: 'Brussels' },
  regionCode: 'BE10',
  capacity: 20,
  ...overrides,
});

async function createEvent(id: string, overrides: Record<string, unknown> = {}, as: Identity = cemrEditor) {
  const result = await subgraph.query(CREATE, { input: eventInput({ id, ...overrides }) }, as);
  expect(result.errors).toBeUndefined();
  return result.data.createEvent;
}

async function register(eventId: string, talent: number, as: Identity = aerEditor) {
  const result = await subgraph.query(REGISTER, { eventId, talentId: testTalentId(talent) }, as);
  expect(result.errors).toBeUndefined();
  return result.data.registerForEvent;
}

const auditOf = (entityId: string) =>
  db().selectFrom('audit_log').select(['action', 'entity_type', 'actor_organisation_id', 'actor_subject']).where('entity_id', '=', entityId).orderBy('id').execute();

const fieldsOf = (result: { errors?: readonly any[] }) => (result.errors?.[0]?.extensions?.fields ?? []).map((f: any) => f.field);

async function expectCountsConsistent() {
  const { kept, recounted } = await registrationCounts(db());
  expect(kept).toEqual(recounted);
}

describe('createEvent', () => {
  it('creates an event organised by the caller\'s organisation, with one audit row', async () => {
    const result = await subgraph.query(CREATE, {
      input: eventInput({
        title: 'Atelier: réseaux de villes & régions',
        partnerIds: ['aer', 'eurocities'],
        languages: ['en', 'fr'],
        programmeId: 'talent-hub',
        registrationDeadline: '2030-03-01T12:00:00+01:00',
        skillUris: ['http://data.europa.eu/esco/skill/bf983f2a-e941-4646-811d-cc81060cb53f'],
      }),
    }, cemrEditor);
    expect(result.errors).toBeUndefined();
    expect(result.data.createEvent).toEqual({
      id: 'atelier-reseaux-de-villes-regions',
      status: 'SCHEDULED',
      title: 'Atelier: réseaux de villes & régions',
      kind: 'TRAINING',
      attendanceMode: 'ONSITE',
      startsAt: '2030-03-04T09:00:00+01:00',
      endsAt: '2030-03-04T17:00:00+01:00',
      timeZone: 'Europe/Brussels',
      capacity: 20,
      seatsLeft: 20,
      registrationDeadline: '2030-03-01T12:00:00+01:00',
      languages: ['en', 'fr'],
      venue: { name: 'Maison des Régions', room: null, city: 'Brussels' },
      region: { code: 'BE10' },
      organiser: { id: 'cemr' },
      partners: [{ id: 'aer' }, { id: 'eurocities' }],
      programme: { id: 'talent-hub' },
      skills: [{ uri: 'http://data.europa.eu/esco/skill/bf983f2a-e941-4646-811d-cc81060cb53f' }],
    });
    expect(await auditOf('atelier-reseaux-de-villes-regions')).toEqual([
      { action: 'event.create', entity_type: 'Event', actor_organisation_id: 'cemr', actor_subject: 'user-of-cemr' },
    ]);
  });

  it('refuses an id that is taken, saying so, and writes nothing', async () => {
    await createEvent('create-duplicate');
    const before = await snapshot(db());
    const again = await subgraph.query(CREATE, { input: eventInput({ id: 'create-duplicate', title: 'Another' }) }, aerEditor);
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(again)).toEqual(['input.id']);
    expect(again.errors![0]!.message).toMatch(/already exists/);
    // A derived id that is taken is refused the same way, with a hint to give one.
    const derived = await subgraph.query(CREATE, { input: eventInput({ title: 'Create duplicate' }) }, aerEditor);
    expect(fieldsOf(derived)).toEqual(['input.id']);
    expect(derived.errors![0]!.message).toMatch(/give input\.id/);
    expect(await snapshot(db())).toBe(before);
  });

  it('lists every problem of a bad input at once', async () => {
    const before = await snapshot(db());
    const result = await subgraph.query(CREATE, {
      input: eventInput({
        id: 'Not A Slug',
        title: '   ',
        attendanceMode: 'ONLINE',
        endsAt: '2030-03-04T08:00:00+01:00',
        timeZone: 'Europe/Atlantis',
        regionCode: 'Brussels',
        capacity: 0,
        languages: ['en', 'english', 'en'],
        partnerIds: ['cemr'],
        skillUris: ['http://example.org/skill'],
      }),
    }, cemrEditor);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(result).sort()).toEqual([
      'input.capacity', 'input.endsAt', 'input.id', 'input.languages.1', 'input.languages.2', 'input.partnerIds.0',
      'input.regionCode', 'input.regionCode', 'input.skillUris.0', 'input.timeZone', 'input.title', 'input.venue',
    ]);
    expect(result.errors![0]!.message).toMatch(/^Invalid input: /);
    expect(await snapshot(db())).toBe(before);
  });

  it('needs a venue and a region for an onsite event, and a deadline no later than the start', async () => {
    const result = await subgraph.query(CREATE, {
      input: eventInput({ id: 'no-venue', venue: null, regionCode: null, registrationDeadline: '2030-03-05T00:00:00Z' }),
    }, cemrEditor);
    expect(fieldsOf(result).sort()).toEqual(['input.regionCode', 'input.registrationDeadline', 'input.venue']);
    const online = await subgraph.query(CREATE, {
      input: eventInput({ id: 'online-ok', attendanceMode: 'ONLINE', venue: null, regionCode: null, capacity: null }),
    }, cemrEditor);
    expect(online.errors).toBeUndefined();
    expect(online.data.createEvent).toMatchObject({ venue: null, region: null, capacity: null, seatsLeft: null });
  });
});

describe('updateEvent', () => {
  it('changes only the given fields, replaces lists, and leaves an audit row', async () => {
    await createEvent('update-me', { partnerIds: ['aer'], languages: ['en'] });
    const result = await subgraph.query(UPDATE, { id: 'update-me', input: { title: 'Renamed', partnerIds: ['uclg', 'eurocities'], capacity: 25 } }, cemrEditor);
    expect(result.errors).toBeUndefined();
    expect(result.data.updateEvent).toEqual({
      id: 'update-me', title: 'Renamed', capacity: 25, seatsLeft: 25, attendanceMode: 'ONSITE',
      venue: { name: 'Maison des Régions' }, region: { code: 'BE10' }, partners: [{ id: 'eurocities' }, { id: 'uclg' }], languages: ['en'],
    });
    expect((await auditOf('update-me')).map((a) => a.action)).toEqual(['event.create', 'event.update']);
  });

  it('checks the event as it would be after the change, listing every problem', async () => {
    await createEvent('update-checks');
    const before = await snapshot(db());
    // Going online without clearing the venue and region, an end before the (kept) start, a null title.
    const result = await subgraph.query(UPDATE, {
      id: 'update-checks',
      input: { attendanceMode: 'ONLINE', endsAt: '2030-03-04T08:00:00+01:00', title: null },
    }, cemrEditor);
    expect(fieldsOf(result).sort()).toEqual(['input.attendanceMode', 'input.attendanceMode', 'input.endsAt', 'input.title']);
    const empty = await subgraph.query(UPDATE, { id: 'update-checks', input: {} }, cemrEditor);
    expect(fieldsOf(empty)).toEqual(['input']);
    const unknown = await subgraph.query(UPDATE, { id: 'no-such-event', input: { title: 'x' } }, cemrEditor);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'id' });
    expect(await snapshot(db())).toBe(before);
    const online = await subgraph.query(UPDATE, { id: 'update-checks', input: { attendanceMode: 'ONLINE', venue: null, regionCode: null } }, cemrEditor);
    expect(online.errors).toBeUndefined();
    expect(online.data.updateEvent).toMatchObject({ attendanceMode: 'ONLINE', venue: null, region: null });
  });

  it('refuses a capacity below the seats taken, and gives new seats to the waitlist in order', async () => {
    await createEvent('update-capacity', { capacity: 2 });
    for (const talent of [1, 2, 3, 4, 5]) await register('update-capacity', talent);
    const before = await snapshot(db());
    const lower = await subgraph.query(UPDATE, { id: 'update-capacity', input: { capacity: 1 } }, cemrEditor);
    expect(fieldsOf(lower)).toEqual(['input.capacity']);
    expect(lower.errors![0]!.message).toMatch(/2 seats are taken/);
    expect(await snapshot(db())).toBe(before);

    const raised = await subgraph.query(UPDATE, { id: 'update-capacity', input: { capacity: 3 } }, cemrEditor);
    expect(raised.data.updateEvent).toMatchObject({ capacity: 3, seatsLeft: 0 });
    const statuses = await db().selectFrom('registrations').select(['talent_id', 'status']).where('event_id', '=', 'update-capacity').orderBy('registered_at').execute();
    expect(statuses.map((r) => r.status)).toEqual(['REGISTERED', 'REGISTERED', 'REGISTERED', 'WAITLISTED', 'WAITLISTED']);
    expect(statuses[2]!.talent_id).toBe(testTalentId(3));

    const unlimited = await subgraph.query(UPDATE, { id: 'update-capacity', input: { capacity: null } }, cemrEditor);
    expect(unlimited.data.updateEvent).toMatchObject({ capacity: null, seatsLeft: null });
    const after = await db().selectFrom('registrations').select('status').where('event_id', '=', 'update-capacity').execute();
    expect(after.every((r) => r.status === 'REGISTERED')).toBe(true);
    await expectCountsConsistent();
  });
});

describe('cancelEvent', () => {
  it('cancels the event and its open registrations, keeps the counts right, and is idempotent', async () => {
    await createEvent('cancel-me', { capacity: 2 });
    for (const talent of [11, 12, 13]) await register('cancel-me', talent);
    const result = await subgraph.query(CANCEL_EVENT, { id: 'cancel-me' }, cemrEditor);
    expect(result.errors).toBeUndefined();
    expect(result.data.cancelEvent).toMatchObject({ id: 'cancel-me', status: 'CANCELLED' });
    expect(result.data.cancelEvent.cancelledAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const statuses = await db().selectFrom('registrations').select('status').where('event_id', '=', 'cancel-me').execute();
    expect(statuses.map((r) => r.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    await expectCountsConsistent();

    const again = await subgraph.query(CANCEL_EVENT, { id: 'cancel-me' }, cemrEditor);
    expect(again.data.cancelEvent).toEqual(result.data.cancelEvent);
    expect((await auditOf('cancel-me')).map((a) => a.action)).toEqual(['event.create', 'event.cancel']);

    const registerAfter = await subgraph.query(REGISTER, { eventId: 'cancel-me', talentId: testTalentId(14) }, aerEditor);
    expect(fieldsOf(registerAfter)).toEqual(['eventId']);
    expect(registerAfter.errors![0]!.message).toMatch(/cancelled/);
    const updateAfter = await subgraph.query(UPDATE, { id: 'cancel-me', input: { title: 'x' } }, cemrEditor);
    expect(fieldsOf(updateAfter)).toEqual(['id']);
  });

  it('refuses to cancel an event that has ended', async () => {
    await createEvent('ended-event', { startsAt: '2025-01-10T09:00:00+01:00', endsAt: '2025-01-10T12:00:00+01:00' });
    const result = await subgraph.query(CANCEL_EVENT, { id: 'ended-event' }, cemrEditor);
    expect(fieldsOf(result)).toEqual(['id']);
    expect(result.errors![0]!.message).toMatch(/has ended/);
  });
});

describe('registerForEvent', () => {
  it('registers for the caller\'s organisation, once per talent (idempotent), with one audit row', async () => {
    await createEvent('register-me', { capacity: 5 });
    const first = await register('register-me', 21);
    expect(first).toMatchObject({ status: 'REGISTERED', waitlistPosition: null, registeredBy: { id: 'aer' }, event: { id: 'register-me' }, talent: { id: testTalentId(21) } });
    // The same talent again, by the same or another organisation: the same registration, nothing written.
    expect(await register('register-me', 21)).toEqual(first);
    expect(await register('register-me', 21, caller('uclg', 'admin'))).toEqual(first);
    const rows = await db().selectFrom('registrations').selectAll().where('event_id', '=', 'register-me').execute();
    expect(rows).toHaveLength(1);
    expect(await auditOf(first.id)).toEqual([
      { action: 'registration.create', entity_type: 'Registration', actor_organisation_id: 'aer', actor_subject: 'user-of-aer' },
    ]);
  });

  it('re-activates a cancelled registration as a new arrival, at the end of the line, for the caller', async () => {
    await createEvent('reactivate', { capacity: 1 });
    const first = await register('reactivate', 31);
    await register('reactivate', 32);
    await subgraph.query(CANCEL_REGISTRATION, { eventId: 'reactivate', talentId: testTalentId(31) }, aerEditor);
    // 32 got the seat; 31 comes back behind 33.
    await register('reactivate', 33);
    const again = await register('reactivate', 31, cemrEditor);
    expect(again).toMatchObject({ id: first.id, status: 'WAITLISTED', waitlistPosition: 2, registeredBy: { id: 'cemr' } });
    expect((await auditOf(first.id)).map((a) => a.action)).toEqual(['registration.create', 'registration.cancel', 'registration.reactivate']);
    await expectCountsConsistent();
  });

  it('is refused for unknown, started and past-deadline events, for erased talents, and for malformed ids', async () => {
    await createEvent('started', { startsAt: '2025-06-01T09:00:00+02:00', endsAt: '2025-06-01T17:00:00+02:00' });
    await createEvent('deadline-passed', { registrationDeadline: '2025-01-01T00:00:00Z' });
    await createEvent('for-erased');
    await subgraph.query(ERASE, { talentId: testTalentId(41) }, talentsService);
    const before = await snapshot(db());
    const attempt = (eventId: string, talentId: string) => subgraph.query(REGISTER, { eventId, talentId }, aerEditor);

    const unknown = await attempt('no-such-event', testTalentId(40));
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'eventId' });
    const started = await attempt('started', testTalentId(40));
    expect(started.errors![0]!.message).toMatch(/has started/);
    const late = await attempt('deadline-passed', testTalentId(40));
    expect(late.errors![0]!.message).toMatch(/deadline has passed/);
    const erased = await attempt('for-erased', testTalentId(41));
    expect(fieldsOf(erased)).toEqual(['talentId']);
    expect(erased.errors![0]!.message).toMatch(/erased/);
    const malformed = await attempt('Not an id', 'alice@example.org');
    expect(fieldsOf(malformed)).toEqual(['eventId', 'talentId']);
    // The talent id the caller sent is not repeated in the error.
    expect(JSON.stringify(malformed.errors)).not.toContain('alice');
    for (const result of [started, late, erased, malformed]) expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(db())).toBe(before);
  });
});

describe('cancelRegistration', () => {
  it('is allowed to the owning organisation and to the organiser, not to others', async () => {
    await createEvent('cancel-registrations', { capacity: 5 });
    const byAer = await register('cancel-registrations', 51);
    await register('cancel-registrations', 52);
    const before = await snapshot(db());
    const other = await subgraph.query(CANCEL_REGISTRATION, { eventId: 'cancel-registrations', talentId: testTalentId(51) }, caller('uclg', 'editor'));
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(await snapshot(db())).toBe(before);

    const owner = await subgraph.query(CANCEL_REGISTRATION, { eventId: 'cancel-registrations', talentId: testTalentId(51) }, aerEditor);
    expect(owner.data.cancelRegistration).toEqual({ id: byAer.id, status: 'CANCELLED', waitlistPosition: null });
    const organiser = await subgraph.query(CANCEL_REGISTRATION, { eventId: 'cancel-registrations', talentId: testTalentId(52) }, cemrEditor);
    expect(organiser.data.cancelRegistration.status).toBe('CANCELLED');
    // Again: nothing changes, no second audit row.
    const again = await subgraph.query(CANCEL_REGISTRATION, { eventId: 'cancel-registrations', talentId: testTalentId(51) }, aerEditor);
    expect(again.data.cancelRegistration.status).toBe('CANCELLED');
    expect((await auditOf(byAer.id)).map((a) => [a.action, a.actor_organisation_id])).toEqual([
      ['registration.create', 'aer'], ['registration.cancel', 'aer'],
    ]);
    await expectCountsConsistent();
  });

  it('refuses attended registrations and talents without a registration', async () => {
    await createEvent('attended', { capacity: 5 });
    await register('attended', 61);
    await db().updateTable('registrations').set({ status: 'ATTENDED' }).where('event_id', '=', 'attended').execute();
    const before = await snapshot(db());
    const attended = await subgraph.query(CANCEL_REGISTRATION, { eventId: 'attended', talentId: testTalentId(61) }, aerEditor);
    expect(attended.errors![0]!.message).toMatch(/ATTENDED/);
    const none = await subgraph.query(CANCEL_REGISTRATION, { eventId: 'attended', talentId: testTalentId(62) }, aerEditor);
    expect(fieldsOf(none)).toEqual(['talentId']);
    expect(await snapshot(db())).toBe(before);
  });

  it('keeps seed registrations (no owning organisation recorded) to the event\'s organiser', async () => {
    const seeded = await db().selectFrom('registrations').innerJoin('events', 'events.id', 'registrations.event_id')
      .select(['registrations.event_id', 'registrations.talent_id', 'events.organiser_id'])
      .where('registrations.registered_by_organisation_id', 'is', null).where('registrations.status', '=', 'REGISTERED')
      .orderBy('registrations.id').limit(1).executeTakeFirstOrThrow();
    const { data } = await subgraph.query(`query ($id: ID!) { event(id: $id) { registrations(first: 1) { nodes { registeredBy { id } } } } }`, { id: seeded.event_id }, caller(seeded.organiser_id, 'viewer'));
    expect(data.event.registrations.nodes[0].registeredBy.id).toBe(seeded.organiser_id);
    const stranger = seeded.organiser_id === 'uclg' ? 'cemr' : 'uclg';
    const refused = await subgraph.query(CANCEL_REGISTRATION, { eventId: seeded.event_id, talentId: seeded.talent_id }, caller(stranger, 'editor'));
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
  });
});

describe('eraseTalentData', () => {
  it('deletes the talent\'s registrations for the talents subgraph, gives freed seats to the waitlist, and is idempotent', async () => {
    await createEvent('erase-a', { capacity: 1 });
    await createEvent('erase-b', { capacity: 3 });
    await register('erase-a', 71);
    await register('erase-a', 72);
    await register('erase-b', 71);
    await register('erase-b', 73);
    const result = await subgraph.query(ERASE, { talentId: testTalentId(71) }, talentsService);
    expect(result).toEqual({ data: { eraseTalentData: 2 } });
    expect(await db().selectFrom('registrations').select('id').where('talent_id', '=', testTalentId(71)).execute()).toEqual([]);
    const a = await db().selectFrom('registrations').select(['talent_id', 'status']).where('event_id', '=', 'erase-a').execute();
    expect(a).toEqual([{ talent_id: testTalentId(72), status: 'REGISTERED' }]);
    expect(await auditOf(testTalentId(71))).toEqual([
      { action: 'talent.erase', entity_type: 'Talent', actor_organisation_id: '', actor_subject: 'talents-subgraph' },
    ]);
    expect(await db().selectFrom('erased_talents').select('talent_id').where('talent_id', '=', testTalentId(71)).execute()).toHaveLength(1);
    await expectCountsConsistent();

    const again = await subgraph.query(ERASE, { talentId: testTalentId(71) }, talentsService);
    expect(again).toEqual({ data: { eraseTalentData: 0 } });
    const register71 = await subgraph.query(REGISTER, { eventId: 'erase-b', talentId: testTalentId(71) }, aerEditor);
    expect(fieldsOf(register71)).toEqual(['talentId']);
  });

  it('is refused to partners, even admins, and to anonymous callers; a malformed id is bad input', async () => {
    await createEvent('erase-refused');
    await register('erase-refused', 81);
    const before = await snapshot(db());
    for (const who of [caller('aer', 'editor'), caller('cemr', 'admin')]) {
      expect(errorCodes(await subgraph.query(ERASE, { talentId: testTalentId(81) }, who))).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await subgraph.query(ERASE, { talentId: testTalentId(81) }))).toEqual(['UNAUTHENTICATED']);
    expect(await snapshot(db())).toBe(before);
    const malformed = await subgraph.query(ERASE, { talentId: 'not-a-uuid' }, talentsService);
    expect(fieldsOf(malformed)).toEqual(['talentId']);
  });
});

describe('who may write', () => {
  // For each mutation: anonymous (UNAUTHENTICATED), a viewer of the owning organisation (FORBIDDEN), and an
  // editor of an organisation that owns nothing here (FORBIDDEN); the stored data is the same afterwards.
  const talent = testTalentId(91);
  const cases: { name: string; query: string; variables: Record<string, unknown>; stranger?: Identity; viewer: Identity }[] = [
    { name: 'createEvent', query: CREATE, variables: { input: eventInput({ id: 'never-created' }) }, viewer: caller('cemr', 'viewer') },
    { name: 'updateEvent', query: UPDATE, variables: { id: 'guarded', input: { title: 'Taken over' } }, viewer: caller('cemr', 'viewer'), stranger: caller('eurocities', 'editor') },
    { name: 'cancelEvent', query: CANCEL_EVENT, variables: { id: 'guarded' }, viewer: caller('cemr', 'viewer'), stranger: caller('eurocities', 'admin') },
    { name: 'registerForEvent', query: REGISTER, variables: { eventId: 'guarded', talentId: testTalentId(92) }, viewer: caller('aer', 'viewer') },
    { name: 'cancelRegistration', query: CANCEL_REGISTRATION, variables: { eventId: 'guarded', talentId: talent }, viewer: caller('aer', 'viewer'), stranger: caller('eurocities', 'editor') },
    { name: 'eraseTalentData', query: ERASE, variables: { talentId: talent }, viewer: caller('aer', 'viewer'), stranger: caller('aer', 'admin') },
  ];

  beforeAll(async () => {
    await createEvent('guarded', { capacity: 3 });
    await register('guarded', 91);
  });

  it.each(cases)('$name: refused to anonymous callers, viewers and other organisations, changing nothing', async ({ query, variables, viewer, stranger }) => {
    const before = await snapshot(db());
    expect(errorCodes(await subgraph.query(query, variables))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await subgraph.query(query, variables, viewer))).toEqual(['FORBIDDEN']);
    if (stranger) expect(errorCodes(await subgraph.query(query, variables, stranger))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await subgraph.query(query, variables, { ...talentsService }))).toEqual(
      query === ERASE ? [] : ['FORBIDDEN'],
    );
    if (query === ERASE) return; // the service call above did erase: that is its job
    expect(await snapshot(db())).toBe(before);
  });

  it('leaves no audit row for a refused call', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log where entity_id in ('never-created')`.execute(db());
    expect(rows[0]!.n).toBe(0);
  });
});
