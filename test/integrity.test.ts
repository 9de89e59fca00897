import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentInternalSecret, internalRequestHeaders } from '@talent-hub/platform/identity';
import { createPeers } from '@talent-hub/subgraph-lib/peers';
import { reconcileRegistrations } from '@talent-hub/trainings/reconcile';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Integrity across subgraphs and the privacy of registrations, through the gateway on each store (issue 12,
// findings 3 and 5): trainings registers only talents that exist and that the caller may register (it asks
// talents), checks programmes and partners with regions, reads registrations out only to those entitled, and
// reconciles registrations made before any of this (phantoms: ids no talent has).

const CREATE_EVENT = 'mutation ($input: CreateEventInput!) { createEvent(input: $input) { id programme { id } partners { id } } }';
const UPDATE_EVENT = 'mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }';
const CREATE_TALENT = 'mutation ($input: CreateTalentInput!) { createTalent(input: $input) { id } }';
const REGISTER = `mutation ($e: ID!, $t: ID!) { registerForEvent(eventId: $e, talentId: $t) { status registeredBy { id } } }`;
const GRANT = 'mutation ($t: ID!, $o: ID!) { grantConsent(talentId: $t, organisationId: $o) { id } }';
const EVENT_LINE = `query ($id: ID!) { event(id: $id) { id registrations(first: 100) { totalCount nodes { status talent { id } } } } }`;

const codes = (body: { errors?: { extensions?: Record<string, any> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);
const fields = (body: { errors?: { extensions?: Record<string, any> }[] }) => (body.errors?.[0]?.extensions?.fields ?? []).map((f: any) => f.field);
const randomIds = (n: number) => Array.from({ length: n }, () => crypto.randomUUID());

describe.each(storeKinds)('integrity and privacy of registrations across subgraphs (%s)', (kind) => {
  let stack: Stack;
  const tokens: Record<string, string> = {};
  const talents: Record<string, string> = {};
  beforeAll(async () => {
    stack = await startStack(kind);
    for (const org of ['aer', 'cemr', 'eurocities', 'uclg']) tokens[org] = await mintToken(org, 'editor');
    // Fresh talents, so that their registrations are only those made here.
    for (const [name, org] of [['cemr', 'cemr'], ['cemr2', 'cemr'], ['cemr3', 'cemr'], ['cemrReads', 'cemr'], ['uclg', 'uclg']] as const) {
      const input = { displayName: `Integrity ${name}.`, category: 'YOUNG_PROFESSIONAL', citizenship: 'IE' };
      const { body } = await stack.query(CREATE_TALENT, { input }, { token: tokens[org] });
      expect(body.errors).toBeUndefined();
      talents[name] = body.data.createTalent.id;
    }
  });
  afterAll(() => stack?.stop());

  const createEvent = async (id: string, org: string, overrides: Record<string, unknown> = {}) => {
    const input = {
      id, title: `Integrity ${id}`, kind: 'WORKSHOP', attendanceMode: 'ONLINE', capacity: 3,
      startsAt: '2031-06-01T10:00:00+02:00', endsAt: '2031-06-01T12:00:00+02:00', timeZone: 'Europe/Brussels', ...overrides,
    };
    const { body } = await stack.query(CREATE_EVENT, { input }, { token: tokens[org] });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  };
  const register = async (eventId: string, talentId: string, org: string) =>
    (await stack.query(REGISTER, { e: eventId, t: talentId }, { token: tokens[org] })).body;
  const line = async (eventId: string, token?: string) => {
    const { body } = await stack.query(EVENT_LINE, { id: eventId }, token ? { token } : {});
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data.event.registrations as { totalCount: number; nodes: { status: string; talent: { id: string } }[] };
  };

  it('refuses made-up talent ids, which take no seat: the organisation\'s own talents get them', async () => {
    await createEvent('integrity-made-up', 'aer');
    for (const talentId of randomIds(3)) {
      const body = await register('integrity-made-up', talentId, 'cemr');
      expect(codes(body)).toEqual(['BAD_USER_INPUT']);
      expect(fields(body)).toEqual(['talentId']);
      expect(body.errors![0]!.message).toMatch(/not found, or neither its own talent/);
    }
    expect((await line('integrity-made-up', tokens.aer)).totalCount).toBe(0);
    for (const name of ['cemr', 'cemr2', 'cemr3']) expect((await register('integrity-made-up', talents[name]!, 'cemr')).data.registerForEvent.status).toBe('REGISTERED');
  });

  it("refuses another organisation's talent; the organiser may register one who consented to it", async () => {
    await createEvent('integrity-foreign', 'aer');
    // cemr may not register uclg's talent, nor may aer (the organiser) before the talent consents to it.
    expect(codes(await register('integrity-foreign', talents.uclg!, 'cemr'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await register('integrity-foreign', talents.uclg!, 'aer'))).toEqual(['BAD_USER_INPUT']);
    // The same message as for an id nobody has: whether the talent exists elsewhere is not told.
    const foreign = await register('integrity-foreign', talents.uclg!, 'aer');
    const madeUp = await register('integrity-foreign', randomIds(1)[0]!, 'aer');
    expect(foreign.errors![0]!.message).toBe(madeUp.errors![0]!.message);
    expect((await line('integrity-foreign', tokens.aer)).totalCount).toBe(0);

    expect(codes((await stack.query(GRANT, { t: talents.uclg, o: 'aer' }, { token: tokens.uclg })).body)).toEqual([]);
    expect(codes(await register('integrity-foreign', talents.uclg!, 'cemr'))).toEqual(['BAD_USER_INPUT']);
    expect((await register('integrity-foreign', talents.uclg!, 'aer')).data.registerForEvent).toEqual({ status: 'REGISTERED', registeredBy: { id: 'aer' } });
  });

  it('refuses a programme that does not exist or that the organiser does not take part in, and unknown partners', async () => {
    const input = (overrides: Record<string, unknown>) => ({
      id: 'integrity-programme', title: 'Integrity programme', kind: 'WORKSHOP', attendanceMode: 'ONLINE',
      startsAt: '2031-06-02T10:00:00+02:00', endsAt: '2031-06-02T12:00:00+02:00', timeZone: 'Europe/Brussels', ...overrides,
    });
    const cases: [Record<string, unknown>, string[]][] = [
      [{ programmeId: 'no-such-programme' }, ['input.programmeId']],
      [{ programmeId: 'talent-hub' }, ['input.programmeId']], // run by CEMR, Eurocities and UCLG, not AER
      [{ partnerIds: ['cemr', 'no-such-organisation'] }, ['input.partnerIds']],
      [{ programmeId: 'emilia-romagna-talents', partnerIds: ['nobody'] }, ['input.programmeId', 'input.partnerIds']],
    ];
    for (const [overrides, expected] of cases) {
      const { body } = await stack.query(CREATE_EVENT, { input: input(overrides) }, { token: tokens.aer });
      expect(codes(body), JSON.stringify(overrides)).toEqual(['BAD_USER_INPUT']);
      expect(fields(body), JSON.stringify(overrides)).toEqual(expected);
    }
    expect((await stack.query('{ event(id: "integrity-programme") { id } }')).body.data).toEqual({ event: null });

    const { body } = await stack.query(CREATE_EVENT, { input: input({ programmeId: 'eu-belong', partnerIds: ['cemr'] }) }, { token: tokens.aer });
    expect(body.data.createEvent).toEqual({ id: 'integrity-programme', programme: { id: 'eu-belong' }, partners: [{ id: 'cemr' }] });
    const update = await stack.query(UPDATE_EVENT, { id: 'integrity-programme', input: { programmeId: 'talent-hub' } }, { token: tokens.aer });
    expect(fields(update.body)).toEqual(['input.programmeId']);
    const partners = await stack.query(UPDATE_EVENT, { id: 'integrity-programme', input: { partnerIds: ['no-such-organisation'] } }, { token: tokens.aer });
    expect(fields(partners.body)).toEqual(['input.partnerIds']);
  });

  describe('who reads registrations', () => {
    beforeAll(async () => {
      await createEvent('integrity-reads', 'aer');
      await createEvent('integrity-reads-uclg', 'uclg');
      expect(codes(await register('integrity-reads', talents.cemrReads!, 'cemr'))).toEqual([]);
      expect(codes(await register('integrity-reads', talents.uclg!, 'uclg'))).toEqual([]);
      expect(codes(await register('integrity-reads-uclg', talents.cemrReads!, 'cemr'))).toEqual([]);
    });

    it('Event.registrations: the organiser reads all; another organisation its own talents\' only; anonymous callers none; counts alike', async () => {
      const read = async (token?: string) => {
        const { totalCount, nodes } = await line('integrity-reads', token);
        return { totalCount, talents: nodes.map((n) => n.talent.id).sort() };
      };
      expect(await read(tokens.aer)).toEqual({ totalCount: 2, talents: [talents.cemrReads, talents.uclg].sort() });
      expect(await read(tokens.cemr)).toEqual({ totalCount: 1, talents: [talents.cemrReads] });
      expect(await read(tokens.uclg)).toEqual({ totalCount: 1, talents: [talents.uclg] });
      expect(await read(tokens.eurocities)).toEqual({ totalCount: 0, talents: [] });
      expect(await read()).toEqual({ totalCount: 0, talents: [] });
    });

    it('Event.registrations answers are private to their caller, even a count alone (no cache shares them)', async () => {
      const body = JSON.stringify({ query: '{ event(id: "integrity-reads") { title registrations { totalCount } } }' });
      const identity = internalRequestHeaders({ subject: 'integrity-test', organisationId: 'aer', roles: ['viewer'] }, developmentInternalSecret, { audience: 'trainings', body });
      const response = await fetch(stack.subgraphUrls.trainings!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...identity },
        body,
      });
      expect(((await response.json()) as any).data.event.registrations.totalCount).toBe(2);
      expect(response.headers.get('cache-control')).toBe('max-age=30, private');
    });

    it('Talent.registrations: owner and consented organisations read all, an organiser its own events\', anonymous callers get FORBIDDEN', async () => {
      // A distinct operation per reader and moment, so that no cached answer stands in for the rule.
      const read = async (name: string, token?: string) => {
        const { body } = await stack.query(`query ${name}($id: ID!) { talent(id: $id) { id registrations { totalCount nodes { event { id } } } } }`,
          { id: talents.cemrReads }, token ? { token } : {});
        return body;
      };
      const events = (body: any) => ({ totalCount: body.data.talent.registrations.totalCount, events: body.data.talent.registrations.nodes.map((n: any) => n.event.id).sort() });
      const both = { totalCount: 2, events: ['integrity-reads', 'integrity-reads-uclg'] };
      expect(events(await read('Owner', tokens.cemr))).toEqual(both);
      // Others may not see the talent's profile at all (a private profile is null); where they do, its
      // registrations are refused (anonymous) or limited to their own events (none here).
      const anonymous = await read('Anonymous');
      if (anonymous.data.talent !== null) {
        expect(codes(anonymous)).toEqual(['FORBIDDEN']);
        expect(anonymous.errors![0]!.path).toEqual(['talent', 'registrations']);
        expect(anonymous.data.talent).toEqual({ id: talents.cemrReads, registrations: null });
      }
      const stranger = await read('Stranger', tokens.eurocities);
      expect(stranger.data.talent?.registrations ?? { totalCount: 0, nodes: [] }).toEqual({ totalCount: 0, nodes: [] });
      expect(codes((await stack.query(GRANT, { t: talents.cemrReads, o: 'eurocities' }, { token: tokens.cemr })).body)).toEqual([]);
      expect(events(await read('Consented', tokens.eurocities))).toEqual(both);

      // The organiser's view, at trainings as the gateway asks it (the talents subgraph said the talent's personal
      // data is not readable by AER): the registrations for its own events only; an anonymous caller none.
      const atTrainings = async (organisationId: string | null) => {
        const body = JSON.stringify({
          query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Talent { registrations { totalCount nodes { event { id } } } } } }',
          variables: { r: [{ __typename: 'Talent', id: talents.cemrReads, personalDataReadable: false }] },
        });
        const identity: Record<string, string> = organisationId
          ? internalRequestHeaders({ subject: 'integrity-test', organisationId, roles: ['viewer'] }, developmentInternalSecret, { audience: 'trainings', body })
          : {};
        const response = await fetch(stack.subgraphUrls.trainings!, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...identity },
          body,
        });
        return (await response.json()) as any;
      };
      const organiser = await atTrainings('aer');
      expect(organiser.data._entities[0].registrations).toEqual({ totalCount: 1, nodes: [{ event: { id: 'integrity-reads' } }] });
      const nobody = await atTrainings(null);
      expect(codes(nobody)).toEqual(['FORBIDDEN']);
      expect(nobody.data._entities[0].registrations).toBeNull();
    });

    it('Event.registrations costs the same statements for another organisation as for the organiser', async () => {
      const trainings = stack.databases.trainings!;
      const measure = async (token: string | undefined) => {
        const before = trainings.stats.statements;
        await line('integrity-reads', token);
        return trainings.stats.statements - before;
      };
      await measure(tokens.aer); // warms the gateway's plan
      expect(await measure(tokens.aer)).toBe(3); // the event, the page, the count
      expect(await measure(tokens.cemr)).toBe(3);
    });
  });

  it('reconciliation removes phantom registrations made before the checks and gives their seats to the waitlist', async () => {
    await createEvent('integrity-phantoms', 'aer', { capacity: 2 });
    const db = stack.databases.trainings!.db;
    // As registerForEvent wrote them before it asked talents: made-up ids, no talent organisation, holding both seats.
    for (const [i, talentId] of randomIds(2).entries()) {
      await sql`insert into registrations (id, event_id, talent_id, status, registered_at, updated_at, synthetic)
        values (gen_random_uuid(), 'integrity-phantoms', ${talentId}::uuid, 'REGISTERED', ${`2031-01-01T10:0${i}:00Z`}::timestamptz, now(), false)`.execute(db);
    }
    expect((await register('integrity-phantoms', talents.cemr2!, 'cemr')).data.registerForEvent.status).toBe('WAITLISTED');

    const peers = createPeers({ self: 'trainings', internalTokenSecret: developmentInternalSecret, subgraphUrls: stack.subgraphUrls });
    const result = await reconcileRegistrations(db, peers);
    expect(result).toMatchObject({ removed: 2, promoted: 1 });
    const after = await line('integrity-phantoms', tokens.aer);
    expect(after).toEqual({ totalCount: 1, nodes: [{ status: 'REGISTERED', talent: { id: talents.cemr2 } }] });
    const audit = await db.selectFrom('audit_log').select('action').where('action', '=', 'registration.remove-unknown-talent').execute();
    expect(audit).toHaveLength(2);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from registrations where talent_organisation_id is null`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});
