import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentInternalSecret, internalRequestHeaders } from '@talent-hub/platform/identity';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Event registrations through the gateway, on each store: an organiser creates an event, partners' editors
// register their own talents for it (the demo talents cycle through cemr, eurocities and uclg, as the registrars
// do), 100 of them at once over HTTP for 30 seats, and cancellations promote the waitlist. The line is read as the
// organiser, who reads every registration of its event. Erasure is not part of the client API.

const CREATE = `mutation ($input: CreateEventInput!) { createEvent(input: $input) { id status capacity organiser { id name } } }`;
const REGISTER = `mutation ($eventId: ID!, $talentId: ID!) {
  registerForEvent(eventId: $eventId, talentId: $talentId) { id status waitlistPosition registeredBy { id name } } }`;
const CANCEL = `mutation ($eventId: ID!, $talentId: ID!) { cancelRegistration(eventId: $eventId, talentId: $talentId) { status } }`;
const LINE = `query ($id: ID!) { event(id: $id) { seatsLeft registrations(first: 100) {
  totalCount nodes { status waitlistPosition talent { id } } } } }`;

const TALENTS = 100;
const SEATS = 30;

describe.each(storeKinds)('registrations through the gateway (%s)', (kind) => {
  let stack: Stack;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    stack = await startStack(kind);
    for (const org of ['aer', 'cemr', 'eurocities', 'uclg']) tokens[org] = await mintToken(org, 'editor');
    tokens.viewer = await mintToken('aer', 'viewer');
  });
  afterAll(() => stack?.stop());

  const registrars = ['cemr', 'eurocities', 'uclg'];

  it('an organiser creates an event; anonymous callers and viewers cannot', async () => {
    const input = {
      id: 'gateway-race', title: 'Webinar: welcoming international talents', kind: 'WEBINAR', attendanceMode: 'ONLINE',
      startsAt: '2031-02-03T10:00:00+01:00', endsAt: '2031-02-03T11:30:00+01:00', timeZone: 'Europe/Brussels', capacity: SEATS,
    };
    const anonymous = await stack.query(CREATE, { input });
    expect(anonymous.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const viewer = await stack.query(CREATE, { input }, { token: tokens.viewer });
    expect(viewer.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const { body } = await stack.query(CREATE, { input }, { token: tokens.aer });
    expect(body.errors).toBeUndefined();
    expect(body.data.createEvent).toEqual({
      id: 'gateway-race', status: 'SCHEDULED', capacity: SEATS, organiser: { id: 'aer', name: 'Assembly of European Regions' },
    });
  });

  it(`${TALENTS} concurrent registrations over HTTP for ${SEATS} seats: ${SEATS} registered, the rest waitlisted in order`, async () => {
    const responses = await Promise.all(
      Array.from({ length: TALENTS }, (_, i) =>
        stack.query(REGISTER, { eventId: 'gateway-race', talentId: syntheticTalentId(i) }, { token: tokens[registrars[i % registrars.length]!] }),
      ),
    );
    for (const { status, body } of responses) {
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(status).toBe(200);
    }
    const registrations = responses.map((r) => r.body.data.registerForEvent);
    expect(registrations.filter((r) => r.status === 'REGISTERED')).toHaveLength(SEATS);
    expect(registrations.filter((r) => r.status === 'WAITLISTED')).toHaveLength(TALENTS - SEATS);
    // Each registration belongs to the organisation whose editor made it, named by the regions subgraph.
    expect(registrations[0].registeredBy).toEqual({ id: 'cemr', name: 'Council of European Municipalities and Regions' });

    const { body } = await stack.query(LINE, { id: 'gateway-race' }, { token: tokens.aer });
    expect(body.errors).toBeUndefined();
    const { seatsLeft, registrations: line } = body.data.event;
    expect(seatsLeft).toBe(0);
    expect(line.totalCount).toBe(TALENTS);
    // In line order (oldest first): the seats went to the first 30, then places 1 to 70.
    expect(line.nodes.map((n: any) => n.status)).toEqual([...Array(SEATS).fill('REGISTERED'), ...Array(TALENTS - SEATS).fill('WAITLISTED')]);
    expect(line.nodes.slice(SEATS).map((n: any) => n.waitlistPosition)).toEqual(Array.from({ length: TALENTS - SEATS }, (_, i) => i + 1));
  });

  it('a cancelled seat goes to the first in line; only the owner or the organiser may cancel', async () => {
    const before = (await stack.query(LINE, { id: 'gateway-race' }, { token: tokens.aer })).body.data.event.registrations.nodes;
    const seatHolder = before[0].talent.id;
    const firstInLine = before[SEATS].talent.id;
    const secondInLine = before[SEATS + 1].talent.id;
    // Registering again is idempotent: each talent's registration comes back as it is, with its owner.
    const again = await Promise.all(
      Array.from({ length: TALENTS }, (_, i) =>
        stack.query(REGISTER, { eventId: 'gateway-race', talentId: syntheticTalentId(i) }, { token: tokens[registrars[i % registrars.length]!] })),
    );
    const ownerOf = new Map(again.map((r, i) => [syntheticTalentId(i), r.body.data.registerForEvent.registeredBy.id as string]));
    expect(new Set(ownerOf.values())).toEqual(new Set(registrars));
    const stranger = registrars.find((org) => org !== ownerOf.get(seatHolder))!;

    const refused = await stack.query(CANCEL, { eventId: 'gateway-race', talentId: seatHolder }, { token: tokens[stranger] });
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const cancelled = await stack.query(CANCEL, { eventId: 'gateway-race', talentId: seatHolder }, { token: tokens[ownerOf.get(seatHolder)!] });
    expect(cancelled.body).toEqual({ data: { cancelRegistration: { status: 'CANCELLED' } } });

    const after = (await stack.query(LINE, { id: 'gateway-race' }, { token: tokens.aer })).body.data.event;
    const byTalent = new Map(after.registrations.nodes.map((n: any) => [n.talent.id, n]));
    expect(byTalent.get(firstInLine)).toMatchObject({ status: 'REGISTERED', waitlistPosition: null });
    expect(byTalent.get(secondInLine)).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    expect(after.seatsLeft).toBe(0);
  });

  it('eraseTalentData is not in the client API, and a partner calling the subgraph directly is refused', async () => {
    const viaGateway = await stack.query('mutation { eraseTalentData(talentId: "00000000-0000-4000-8000-000000000001") }', undefined, { token: tokens.aer });
    expect(viaGateway.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const request = JSON.stringify({ query: 'mutation ($id: ID!) { eraseTalentData(talentId: $id) }', variables: { id: syntheticTalentId(0) } });
    const partner = internalRequestHeaders({ subject: 'someone-at-aer', organisationId: 'aer', roles: ['admin'] }, developmentInternalSecret, { audience: 'trainings', body: request });
    const response = await fetch(stack.subgraphUrls.trainings!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...partner },
      body: request,
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const still = (await stack.query(LINE, { id: 'gateway-race' }, { token: tokens.aer })).body.data.event.registrations.totalCount;
    expect(still).toBe(TALENTS);
  });
});
