import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';
import { daysFromToday, exchangeTransition, ok, PROPOSE_EXCHANGE, talentMaker } from './testing/mentoring.js';

// Exchanges at the subgraph: proposals by the home organisation and their rules, the host's answer, cancelling and
// completing, every refusal (the database compared before and after), every problem of an input listed, audit rows,
// and who reads Talent.exchanges and Organisation.hostedExchanges.

let t: TalentsUnderTest;
let make: ReturnType<typeof talentMaker>;
beforeAll(async () => {
  t = await startTalents();
  make = talentMaker(t);
});
afterAll(() => t.stop());

const cemr = caller('cemr', 'editor');
const eurocities = caller('eurocities', 'editor');
const fields = (result: { errors?: readonly any[] }) => (result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);

async function propose(talentId: string, input: Record<string, unknown> = {}, as = cemr) {
  return t.query(PROPOSE_EXCHANGE, {
    input: { talentId, hostOrganisationId: 'eurocities', kind: 'SECONDMENT', regionCode: 'BE100', startsOn: daysFromToday(20), endsOn: daysFromToday(80), ...input },
  }, as);
}

describe('proposeExchange', () => {
  it('the home organisation proposes an exchange of its talent, with one audit row', async () => {
    const talent = await make.talent('cemr');
    const e = ok(await propose(talent, { programmeId: 'talent-hub' })).proposeExchange;
    expect(e).toMatchObject({
      status: 'PROPOSED', kind: 'SECONDMENT', talent: { id: talent }, homeOrganisation: { id: 'cemr' }, hostOrganisation: { id: 'eurocities' },
      region: { code: 'BE100' }, programme: { id: 'talent-hub' }, startsOn: daysFromToday(20), endsOn: daysFromToday(80), synthetic: false,
    });
    const audit = (await sql<any>`select action, entity_type, actor_organisation_id from audit_log where entity_id = ${e.id}`.execute(t.database.db)).rows;
    expect(audit).toEqual([{ action: 'exchange.propose', entity_type: 'Exchange', actor_organisation_id: 'cemr' }]);
  });

  it('lists every problem of the input: shapes, dates, unknown host and programme', async () => {
    const before = await t.snapshot();
    const result = await t.query(PROPOSE_EXCHANGE, {
      input: { talentId: 'nope', hostOrganisationId: 'no-such-org', kind: 'STUDY_VISIT', regionCode: 'Brussels', startsOn: '2030-05-10', endsOn: '2030-05-01', programmeId: 'Bad Slug' },
    }, cemr);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(fields(result)!.sort()).toEqual(['input.endsOn', 'input.hostOrganisationId', 'input.programmeId', 'input.regionCode', 'input.talentId']);
    expect(JSON.stringify(result.errors)).not.toContain('Brussels');
    expect(await t.snapshot()).toBe(before);
    const talent = await make.talent('cemr');
    const tooLong = await propose(talent, { startsOn: '2030-02-28', endsOn: '2032-02-29' });
    expect(tooLong.errors![0]!.extensions!.fields).toEqual([{ field: 'input.endsOn', message: 'must be at most 2 years after input.startsOn.' }]);
    ok(await propose(talent, { startsOn: '2030-02-28', endsOn: '2032-02-28' })); // exactly two years
    expect(fields(await propose(talent, { programmeId: 'no-such-programme', startsOn: '2040-01-01', endsOn: '2040-01-02' }))).toEqual(['input.programmeId']);
  });

  it('refuses the home organisation as host, and a period overlapping another open exchange of the talent', async () => {
    const talent = await make.talent('cemr');
    ok(await propose(talent));
    const before = await t.snapshot();
    expect(fields(await propose(talent, { hostOrganisationId: 'cemr', startsOn: '2035-01-01', endsOn: '2035-01-02' }))).toEqual(['input.hostOrganisationId']);
    expect(fields(await propose(talent, { startsOn: daysFromToday(50), endsOn: daysFromToday(90) }))).toEqual(['input.startsOn']);
    expect(await t.snapshot()).toBe(before);
  });

  it('only the talent’s own organisation proposes; unknown talents are NOT_FOUND; regions down is SERVICE_UNAVAILABLE', async () => {
    const talent = await make.talent('cemr');
    await make.consent(talent, 'cemr', 'eurocities'); // consent gives reading, not proposing
    const before = await t.snapshot();
    for (const [as, code] of [[null, 'UNAUTHENTICATED'], [caller('cemr', 'viewer'), 'FORBIDDEN'], [caller('eurocities', 'editor'), 'FORBIDDEN'], [caller('uclg', 'admin'), 'FORBIDDEN']] as const) {
      expect(errorCodes(await propose(talent, {}, as as any))).toEqual([code]);
    }
    const unknown = await propose('00000000-0000-4000-8000-0000000000dd');
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors![0]!.extensions!.argumentName).toBe('input.talentId');
    t.peers.regionsDown = true;
    try {
      expect(errorCodes(await propose(talent))).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      t.peers.regionsDown = false;
    }
    expect(await t.snapshot()).toBe(before);
  });
});

describe('the lifecycle and who makes each step', () => {
  const refusals = (allowed: string[]) =>
    [
      ['anonymous', null, 'UNAUTHENTICATED'],
      ['a viewer of the host', caller('eurocities', 'viewer'), 'FORBIDDEN'],
      ['a viewer of the home organisation', caller('cemr', 'viewer'), 'FORBIDDEN'],
      ['an editor of the home organisation', cemr, 'FORBIDDEN'],
      ['an editor of the host', eurocities, 'FORBIDDEN'],
      ['an editor of a third organisation', caller('uclg', 'editor'), 'FORBIDDEN'],
    ].filter(([who]) => !allowed.includes(who as string)) as [string, ReturnType<typeof caller> | null, string][];

  async function exchange(input: Record<string, unknown> = {}) {
    return ok(await propose(await make.talent('cemr'), input)).proposeExchange.id as string;
  }

  async function refusedToAll(name: string, id: string, allowed: string[]) {
    for (const [who, as, code] of refusals(allowed)) {
      const before = await t.snapshot();
      const result = await t.query(exchangeTransition(name), { id }, as);
      expect(errorCodes(result), `${name} by ${who}`).toEqual([code]);
      expect(await t.snapshot(), `${name} by ${who}`).toBe(before);
    }
  }

  it('acceptExchange and declineExchange: the host only', async () => {
    const accepted = await exchange();
    await refusedToAll('acceptExchange', accepted, ['an editor of the host']);
    expect(ok(await t.query(exchangeTransition('acceptExchange'), { id: accepted }, eurocities)).acceptExchange.status).toBe('ACCEPTED');
    const declined = await exchange();
    await refusedToAll('declineExchange', declined, ['an editor of the host']);
    expect(ok(await t.query(exchangeTransition('declineExchange'), { id: declined }, caller('eurocities', 'admin'))).declineExchange.status).toBe('DECLINED');
  });

  it('cancelExchange: the home organisation only, from PROPOSED or ACCEPTED', async () => {
    const id = await exchange();
    ok(await t.query(exchangeTransition('acceptExchange'), { id }, eurocities));
    await refusedToAll('cancelExchange', id, ['an editor of the home organisation']);
    expect(ok(await t.query(exchangeTransition('cancelExchange'), { id }, cemr)).cancelExchange.status).toBe('CANCELLED');
    const again = await t.query(exchangeTransition('cancelExchange'), { id }, cemr);
    expect(again.errors![0]!.message).toBe('Only a PROPOSED or ACCEPTED exchange can be cancelled; this one is CANCELLED.');
  });

  it('completeExchange: the home or the host, once an accepted exchange has begun', async () => {
    const started = await exchange({ startsOn: daysFromToday(-10), endsOn: daysFromToday(5) });
    const proposed = await t.query(exchangeTransition('completeExchange'), { id: started }, cemr);
    expect(proposed.errors![0]!.message).toBe('Only an ACCEPTED exchange can be completed; this one is PROPOSED.');
    ok(await t.query(exchangeTransition('acceptExchange'), { id: started }, eurocities));
    await refusedToAll('completeExchange', started, ['an editor of the home organisation', 'an editor of the host']);
    expect(ok(await t.query(exchangeTransition('completeExchange'), { id: started }, eurocities)).completeExchange.status).toBe('COMPLETED');
    const later = await exchange();
    ok(await t.query(exchangeTransition('acceptExchange'), { id: later }, eurocities));
    const early = await t.query(exchangeTransition('completeExchange'), { id: later }, cemr);
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.errors![0]!.message).toMatch(/once it has begun/);
    const actions = (await sql<any>`select action from audit_log where entity_id = ${started} order by id`.execute(t.database.db)).rows.map((r: any) => r.action);
    expect(actions).toEqual(['exchange.propose', 'exchange.accept', 'exchange.complete']);
  });

  it('an unknown id is NOT_FOUND, a malformed one BAD_USER_INPUT, both naming the argument', async () => {
    for (const name of ['acceptExchange', 'declineExchange', 'cancelExchange', 'completeExchange']) {
      const unknown = await t.query(exchangeTransition(name), { id: '00000000-0000-4000-8000-0000000000ee' }, cemr);
      expect(errorCodes(unknown), name).toEqual(['NOT_FOUND']);
      expect(unknown.errors![0]!.extensions!.argumentName).toBe('id');
      expect(errorCodes(await t.query(exchangeTransition(name), { id: 'x' }, cemr))).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('Organisation.hostedExchanges', () => {
  const HOSTED = `query ($id: ID!, $from: Date, $to: Date, $status: ExchangeStatus, $first: Int, $after: String) {
    _entities(representations: [{ __typename: "Organisation", id: $id }]) { ... on Organisation {
      hostedExchanges(from: $from, to: $to, status: $status, first: $first, after: $after) {
        totalCount nodes { id startsOn endsOn status hostOrganisation { id } } pageInfo { hasNextPage endCursor } } } } }`;

  it('gives the host its exchanges overlapping a period, in start order, paged; the demo has Eurocities hosting in 2025', async () => {
    const as = caller('eurocities', 'viewer');
    const all = ok(await t.query(HOSTED, { id: 'eurocities', from: '2025-01-01', to: '2025-12-31', first: 100 }, as))._entities[0].hostedExchanges;
    expect(all.totalCount).toBeGreaterThanOrEqual(10);
    expect(all.nodes).toHaveLength(all.totalCount);
    for (const n of all.nodes) {
      expect(n.hostOrganisation.id).toBe('eurocities');
      expect(n.startsOn <= '2025-12-31' && n.endsOn >= '2025-01-01').toBe(true);
    }
    expect(all.nodes.map((n: any) => `${n.startsOn}|${n.id}`)).toEqual(all.nodes.map((n: any) => `${n.startsOn}|${n.id}`).sort());
    // Page by page, the same list.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = ok(await t.query(HOSTED, { id: 'eurocities', from: '2025-01-01', to: '2025-12-31', first: 3, after }, as))._entities[0].hostedExchanges;
      seen.push(...page.nodes.map((n: any) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.nodes.map((n: any) => n.id));
    const completed = ok(await t.query(HOSTED, { id: 'eurocities', status: 'COMPLETED', first: 100 }, as))._entities[0].hostedExchanges;
    expect(completed.nodes.every((n: any) => n.status === 'COMPLETED')).toBe(true);
    expect(errorCodes(await t.query(HOSTED, { id: 'eurocities', from: '2025-12-31', to: '2025-01-01' }, as))).toEqual(['BAD_USER_INPUT']);
  });

  it('is null with FORBIDDEN for anyone but the host, counts included', async () => {
    for (const as of [null, caller('cemr', 'admin'), caller('uclg', 'viewer')]) {
      const result = await t.query(`{ _entities(representations: [{ __typename: "Organisation", id: "eurocities" }]) { ... on Organisation { hostedExchanges { totalCount } } } }`, {}, as);
      expect(result.data!._entities[0].hostedExchanges).toBeNull();
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('Talent.exchanges', () => {
  const OF = `query ($id: ID!) { talent(id: $id) { exchanges { totalCount nodes { id hostOrganisation { id } } } } }`;

  it('the home organisation and consented ones read them all, a host its own only, anyone else nothing', async () => {
    const talent = await make.talent('cemr');
    await make.consent(talent, 'cemr', 'art-er');
    const toEurocities = ok(await propose(talent, { startsOn: '2031-01-01', endsOn: '2031-01-10' })).proposeExchange.id;
    const toUclg = ok(await propose(talent, { hostOrganisationId: 'uclg', startsOn: '2032-01-01', endsOn: '2032-01-10' })).proposeExchange.id;
    const read = async (org: string | null) => t.query(OF, { id: talent }, org ? caller(org, 'viewer') : null);
    for (const org of ['cemr', 'art-er']) expect(ok(await read(org)).talent.exchanges.nodes.map((n: any) => n.id), org).toEqual([toEurocities, toUclg]);
    expect(ok(await read('eurocities')).talent.exchanges).toEqual({ totalCount: 1, nodes: [{ id: toEurocities, hostOrganisation: { id: 'eurocities' } }] });
    expect(ok(await read('uclg')).talent.exchanges.nodes.map((n: any) => n.id)).toEqual([toUclg]);
    for (const org of ['aer', null]) {
      const refused = await read(org);
      expect(refused.data!.talent.exchanges).toBeNull();
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    }
  });
});
