import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caller, errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import { PeerUnavailable } from './peer-checks.js';
import { reconcileRegistrations } from './reconcile.js';
import { trainingsSubgraph } from './server.js';
import { FakePeers } from './testing/peers.js';
import { registrationCounts, snapshot, testTalentId } from './testing/stores.js';

// What this subgraph checks with the others before it writes (peer-checks.ts), who reads registrations, and the
// reconciliation of registrations made before the checks (reconcile.ts), against fake talents and regions.

let subgraph: TestSubgraph<TrainingsDatabase>;
const peers = new FakePeers();
beforeAll(async () => {
  subgraph = await startTestSubgraph(trainingsSubgraph, undefined, peers);
});
afterAll(() => subgraph.stop());
beforeEach(() => {
  peers.talentsDown = false;
  peers.regionsDown = false;
});

const db = () => subgraph.database.db;
const aer = caller('aer', 'editor');
const cemr = caller('cemr', 'editor');
const uclg = caller('uclg', 'editor');

const CREATE = 'mutation ($input: CreateEventInput!) { createEvent(input: $input) { id programme { id } partners { id } } }';
const UPDATE = 'mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id programme { id } } }';
const REGISTER = 'mutation ($e: ID!, $t: ID!) { registerForEvent(eventId: $e, talentId: $t) { id status } }';
const EVENT_REGISTRATIONS = `query ($id: ID!) { event(id: $id) { registrations(first: 100) { totalCount nodes { talent { id } } } } }`;
const TALENT_REGISTRATIONS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Talent {
  registrations(first: 100) { totalCount nodes { event { id } } } } } }`;

const input = (id: string, overrides: Record<string, unknown> = {}) => ({
  id, title: `Integrity ${id}`, kind: 'WORKSHOP', attendanceMode: 'ONLINE', capacity: 2,
  startsAt: '2031-04-01T10:00:00+02:00', endsAt: '2031-04-01T12:00:00+02:00', timeZone: 'Europe/Brussels', ...overrides,
});

async function createEvent(id: string, as = aer, overrides: Record<string, unknown> = {}) {
  const result = await subgraph.query(CREATE, { input: input(id, overrides) }, as);
  expect(result.errors).toBeUndefined();
}

const fieldsOf = (result: { errors?: readonly any[] }) => (result.errors?.[0]?.extensions?.fields ?? []).map((f: any) => f.field);

describe('registerForEvent asks talents who may register whom', () => {
  it('refuses a made-up id, and another organisation\'s talent, without telling which; nothing is written', async () => {
    await createEvent('integrity-refused');
    const madeUp = testTalentId(9001);
    const foreign = testTalentId(9002);
    peers.unknownTalents.add(madeUp);
    peers.talents.set(foreign, { organisationId: 'uclg', consentedTo: [] });
    const before = await snapshot(db());
    for (const talentId of [madeUp, foreign]) {
      const result = await subgraph.query(REGISTER, { e: 'integrity-refused', t: talentId }, cemr);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(result)).toEqual(['talentId']);
      expect(result.errors![0]!.message).toMatch(/not found, or neither its own talent/);
    }
    expect(await snapshot(db())).toBe(before);
  });

  it('registers the caller\'s own talents, storing their organisation; the organiser also those consented to it', async () => {
    await createEvent('integrity-allowed', aer);
    const own = testTalentId(9011);
    const consented = testTalentId(9012);
    peers.talents.set(own, { organisationId: 'cemr', consentedTo: [] });
    peers.talents.set(consented, { organisationId: 'uclg', consentedTo: ['aer', 'cemr'] });
    expect(errorCodes(await subgraph.query(REGISTER, { e: 'integrity-allowed', t: own }, cemr))).toEqual([]);
    // Consent to cemr does not let cemr register the talent for aer's event: only the organiser may.
    expect(errorCodes(await subgraph.query(REGISTER, { e: 'integrity-allowed', t: consented }, cemr))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await subgraph.query(REGISTER, { e: 'integrity-allowed', t: consented }, aer))).toEqual([]);
    const rows = await db().selectFrom('registrations').select(['talent_id', 'talent_organisation_id', 'registered_by_organisation_id'])
      .where('event_id', '=', 'integrity-allowed').orderBy('registered_at').execute();
    expect(rows).toEqual([
      { talent_id: own, talent_organisation_id: 'cemr', registered_by_organisation_id: 'cemr' },
      { talent_id: consented, talent_organisation_id: 'uclg', registered_by_organisation_id: 'aer' },
    ]);
  });

  it('is SERVICE_UNAVAILABLE, writing nothing, when talents does not answer; an unknown event is NOT_FOUND first', async () => {
    await createEvent('integrity-down');
    peers.talentsDown = true;
    const before = await snapshot(db());
    expect(errorCodes(await subgraph.query(REGISTER, { e: 'integrity-down', t: testTalentId(9021) }, cemr))).toEqual(['SERVICE_UNAVAILABLE']);
    expect(errorCodes(await subgraph.query(REGISTER, { e: 'no-such-event', t: testTalentId(9021) }, cemr))).toEqual(['NOT_FOUND']);
    expect(await snapshot(db())).toBe(before);
  });
});

describe('createEvent and updateEvent check the programme and partners with regions', () => {
  it('refuses an unknown programme, one the organiser neither manages nor partners, and unknown partners, naming each', async () => {
    const before = await snapshot(db());
    const unknown = await subgraph.query(CREATE, { input: input('integrity-programme', { programmeId: 'no-such-programme', partnerIds: ['cemr', 'nobody-at-all'] }) }, aer);
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(fieldsOf(unknown)).toEqual(['input.programmeId', 'input.partnerIds']);
    // Values are not repeated: the position of the unknown partner is.
    expect(unknown.errors![0]!.message).not.toContain('nobody-at-all');
    const foreign = await subgraph.query(CREATE, { input: input('integrity-programme', { programmeId: 'talent-hub' }) }, aer);
    expect(fieldsOf(foreign)).toEqual(['input.programmeId']);
    expect(foreign.errors![0]!.message).toMatch(/neither manages the programme nor is one of its partners/);
    expect(await snapshot(db())).toBe(before);

    // A programme it manages, with existing partners, is accepted; so is one it is a partner of.
    const accepted = await subgraph.query(CREATE, { input: input('integrity-programme', { programmeId: 'eu-belong', partnerIds: ['cemr'] }) }, aer);
    expect(accepted.data).toEqual({ createEvent: { id: 'integrity-programme', programme: { id: 'eu-belong' }, partners: [{ id: 'cemr' }] } });
    await createEvent('integrity-partner-programme', cemr, { programmeId: 'talent-hub' });

    const update = await subgraph.query(UPDATE, { id: 'integrity-programme', input: { programmeId: 'emilia-romagna-talents' } }, aer);
    expect(fieldsOf(update)).toEqual(['input.programmeId']);
    // Another organisation is refused as the organiser's event's owner check says, before regions is asked.
    const calls = peers.callsTo('regions').length;
    expect(errorCodes(await subgraph.query(UPDATE, { id: 'integrity-programme', input: { programmeId: 'talent-hub' } }, cemr))).toEqual(['FORBIDDEN']);
    expect(peers.callsTo('regions').length).toBe(calls);
  });

  it('is SERVICE_UNAVAILABLE, writing nothing, when regions does not answer; without a programme or partners regions is not asked', async () => {
    peers.regionsDown = true;
    const before = await snapshot(db());
    expect(errorCodes(await subgraph.query(CREATE, { input: input('integrity-regions-down', { programmeId: 'eu-belong' }) }, aer))).toEqual(['SERVICE_UNAVAILABLE']);
    expect(errorCodes(await subgraph.query(UPDATE, { id: 'integrity-programme', input: { partnerIds: ['uclg'] } }, aer))).toEqual(['SERVICE_UNAVAILABLE']);
    expect(await snapshot(db())).toBe(before);
    await createEvent('integrity-no-references', aer);
  });
});

describe('who reads registrations', () => {
  const cemrTalent = testTalentId(9031);
  const uclgTalent = testTalentId(9032);
  beforeAll(async () => {
    peers.talents.set(cemrTalent, { organisationId: 'cemr', consentedTo: [] });
    peers.talents.set(uclgTalent, { organisationId: 'uclg', consentedTo: [] });
    await createEvent('integrity-reads', aer, { capacity: 10 });
    await createEvent('integrity-reads-cemr', cemr, { capacity: 10 });
    for (const [talentId, as] of [[cemrTalent, cemr], [uclgTalent, uclg]] as const) {
      expect(errorCodes(await subgraph.query(REGISTER, { e: 'integrity-reads', t: talentId }, as))).toEqual([]);
    }
    expect(errorCodes(await subgraph.query(REGISTER, { e: 'integrity-reads-cemr', t: cemrTalent }, cemr))).toEqual([]);
  });

  it('Event.registrations: the organiser reads all, another organisation its own talents\' only, anonymous callers none; counts match', async () => {
    const read = async (as: ReturnType<typeof caller> | null) => {
      const result = await subgraph.query(EVENT_REGISTRATIONS, { id: 'integrity-reads' }, as);
      expect(result.errors).toBeUndefined();
      const { totalCount, nodes } = result.data.event.registrations;
      return { totalCount, talents: nodes.map((n: any) => n.talent.id) };
    };
    expect(await read(caller('aer', 'viewer'))).toEqual({ totalCount: 2, talents: [cemrTalent, uclgTalent] });
    expect(await read(caller('cemr', 'viewer'))).toEqual({ totalCount: 1, talents: [cemrTalent] });
    expect(await read(caller('eurocities', 'viewer'))).toEqual({ totalCount: 0, talents: [] });
    expect(await read(null)).toEqual({ totalCount: 0, talents: [] });
  });

  it('Event.registrations for another organisation costs the organiser\'s statements: one for the page, one for the count', async () => {
    const organiser = await subgraph.countStatements(EVENT_REGISTRATIONS, { id: 'integrity-reads' }, caller('aer', 'viewer'));
    const other = await subgraph.countStatements(EVENT_REGISTRATIONS, { id: 'integrity-reads' }, caller('cemr', 'viewer'));
    expect(other.statements).toBe(organiser.statements);
    expect(other.statements).toBe(3); // the event, its page of registrations, their count
  });

  it('Talent.registrations: all when its personal data is readable, the organiser\'s own events otherwise, FORBIDDEN anonymously', async () => {
    const read = (personalDataReadable: boolean, as: ReturnType<typeof caller> | null) =>
      subgraph.query(TALENT_REGISTRATIONS, { r: [{ __typename: 'Talent', id: cemrTalent, personalDataReadable }] }, as);
    const events = (result: any) => ({ totalCount: result.data._entities[0].registrations.totalCount, events: result.data._entities[0].registrations.nodes.map((n: any) => n.event.id) });
    expect(events(await read(true, caller('cemr', 'viewer')))).toEqual({ totalCount: 2, events: ['integrity-reads', 'integrity-reads-cemr'] });
    expect(events(await read(false, caller('aer', 'viewer')))).toEqual({ totalCount: 1, events: ['integrity-reads'] });
    expect(events(await read(false, caller('eurocities', 'viewer')))).toEqual({ totalCount: 0, events: [] });
    const anonymous = await read(true, null);
    expect(errorCodes(anonymous)).toEqual(['FORBIDDEN']);
    expect(anonymous.errors![0]!.path).toEqual(['_entities', 0, 'registrations']);
    expect(anonymous.data!._entities[0].registrations).toBeNull();
  });
});

describe('reconciliation of registrations made before the checks', () => {
  it('fills the organisation of existing talents, removes phantoms with an audit row each, and promotes the waitlist', async () => {
    await createEvent('integrity-phantoms', aer, { capacity: 2 });
    const [phantomA, phantomB, real, waiting] = [9041, 9042, 9043, 9044].map(testTalentId);
    peers.unknownTalents.add(phantomA!).add(phantomB!);
    peers.talents.set(real!, { organisationId: 'eurocities', consentedTo: [] });
    peers.talents.set(waiting!, { organisationId: 'uclg', consentedTo: [] });
    // As registerForEvent wrote them before it asked talents: no talent organisation. Two phantoms hold both
    // seats; the real talents wait.
    const row = (talentId: string, status: string, minute: number) =>
      sql`(gen_random_uuid(), 'integrity-phantoms', ${talentId}::uuid, ${status}, ${`2031-01-01T10:0${minute}:00Z`}::timestamptz, now(), false)`;
    await sql`insert into registrations (id, event_id, talent_id, status, registered_at, updated_at, synthetic)
      values ${sql.join([row(phantomA!, 'REGISTERED', 1), row(phantomB!, 'REGISTERED', 2), row(real!, 'WAITLISTED', 3), row(waiting!, 'WAITLISTED', 4)])}`.execute(db());

    peers.talentsDown = true;
    const before = await snapshot(db());
    await expect(reconcileRegistrations(db(), peers)).rejects.toBeInstanceOf(PeerUnavailable);
    expect(await snapshot(db())).toBe(before);
    peers.talentsDown = false;

    const result = await reconcileRegistrations(db(), peers, { batch: 2 });
    expect(result).toEqual({ verified: 2, removed: 2, promoted: 2 });
    const rows = await db().selectFrom('registrations').select(['talent_id', 'status', 'talent_organisation_id'])
      .where('event_id', '=', 'integrity-phantoms').orderBy('registered_at').execute();
    expect(rows).toEqual([
      { talent_id: real, status: 'REGISTERED', talent_organisation_id: 'eurocities' },
      { talent_id: waiting, status: 'REGISTERED', talent_organisation_id: 'uclg' },
    ]);
    const audit = await db().selectFrom('audit_log').select(['action', 'actor_subject']).where('action', '=', 'registration.remove-unknown-talent').execute();
    expect(audit).toEqual([
      { action: 'registration.remove-unknown-talent', actor_subject: 'trainings-reconciliation' },
      { action: 'registration.remove-unknown-talent', actor_subject: 'trainings-reconciliation' },
    ]);
    const { kept, recounted } = await registrationCounts(db());
    expect(kept).toEqual(recounted);
    // Nothing left: a second run asks talents nothing.
    const calls = peers.callsTo('talents').length;
    expect(await reconcileRegistrations(db(), peers)).toEqual({ verified: 0, removed: 0, promoted: 0 });
    expect(peers.callsTo('talents').length).toBe(calls);
  });

  it('the demo seed writes verified registrations only', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from registrations where talent_organisation_id is null`.execute(db());
    expect(rows[0]!.n).toBe(0);
  });
});
