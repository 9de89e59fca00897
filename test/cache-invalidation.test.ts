import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, testRedisUrl } from '@talent-hub/gateway/testing/redis';
import * as gatewaySide from '@talent-hub/gateway/cache/subgraph-reports';
import * as subgraphSide from '@talent-hub/subgraph-lib/cache-report';
import type { GatewayCacheOptions } from '@talent-hub/gateway/cache/setup';
import { readCacheConfig } from '@talent-hub/gateway/config';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import { projectRoot } from '@talent-hub/platform/paths';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// The response cache after committed writes, end to end: whatever the mutation's answer looks like (data null
// after a later failure, fields left out), its writes drop the cached answers they made stale, new entities show
// in cached lists at once, and a talent's erasure drops answers built from it by another subgraph; with Redis,
// in every gateway sharing it. Seeded data is read from the stores so that no write of the test's own is cached
// under a hold (invalidationHoldSeconds) before the write under test.

const redisUrl = testRedisUrl;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface Answer {
  status: number;
  cache: string | null;
  body: { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, cache: response.headers.get('x-cache'), body: (await response.json()) as Answer['body'] };
}

const personal = 'query Personal($id: ID!) { talent(id: $id) { id displayName givenName } }';

describe.each(storeKinds)('response cache invalidation by committed writes (%s)', (kind) => {
  let stack: Stack;
  const gateways: RunningGateway[] = [];
  const prefix = `talent-hub-test:invalidation:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let memory: string;
  let redisA: string;
  let redisB: string;
  /** Seeded consents (talent, its owner, the organisation it consented to) of talents with a given name, each used once. */
  let consents: { talentId: string; owner: string; consentedTo: string }[];

  const startGateway = async (cache: GatewayCacheOptions) => {
    const gateway = await listenGateway({
      supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
      subgraphUrls: stack.subgraphUrls,
      watch: false,
      host: '127.0.0.1',
      port: 0,
      logger: quiet,
      cache,
    });
    gateways.push(gateway);
    return gateway.url;
  };

  beforeAll(async () => {
    stack = await startStack(kind);
    const defaults = readCacheConfig({}, 1);
    memory = await startGateway(defaults);
    if (redisUrl) {
      const shared = { ...defaults, redisUrl, redisKeyPrefix: prefix };
      redisA = await startGateway(shared);
      redisB = await startGateway(shared);
    }
    const { rows } = await sql<{ talent_id: string; owner: string; consented_to: string }>`
      select c.talent_id, t.organisation_id as owner, c.organisation_id as consented_to
      from talent_consents c join talents t on t.id = c.talent_id
      where t.given_name is not null and c.organisation_id <> t.organisation_id
      order by c.talent_id, c.organisation_id`.execute(stack.databases.talents!.db);
    const seen = new Set<string>();
    consents = rows
      .filter((r) => !seen.has(r.talent_id) && seen.add(r.talent_id))
      .map((r) => ({ talentId: r.talent_id, owner: r.owner, consentedTo: r.consented_to }));
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await stack?.stop();
    await dropPrefix(prefix, redisUrl);
  });

  /**
   * Caches the consented organisation's answer with the talent's given name on `readAt`, then withdraws the
   * consent on `writeAt` in a document whose second mutation fails, so that the answer is `data: null`.
   */
  async function withdrawInFailingDocument(consent: { talentId: string; owner: string; consentedTo: string }, readAt: string, writeAt: string) {
    const reader = await mintToken(consent.consentedTo, 'viewer');
    const first = await post(readAt, personal, { id: consent.talentId }, reader);
    expect(first.body.errors, JSON.stringify(first.body.errors)).toBeUndefined();
    expect(first.body.data.talent.givenName).toEqual(expect.any(String));
    const cached = await post(readAt, personal, { id: consent.talentId }, reader);
    expect(cached.cache).toBe('HIT');

    const both = await post(
      writeAt,
      `mutation ($id: ID!, $org: ID!, $missing: ID!) {
        withdrawConsent(talentId: $id, organisationId: $org) { id }
        again: withdrawConsent(talentId: $missing, organisationId: $org) { id }
      }`,
      { id: consent.talentId, org: consent.consentedTo, missing: randomUUID() },
      await mintToken(consent.owner, 'editor'),
    );
    // The first write committed; the second failed, and its non-null field nulled the whole answer.
    expect(both.body.data).toBeNull();
    expect(both.body.errors?.map((e) => e.extensions?.code)).toContain('NOT_FOUND');
    const { rows } = await sql`select 1 from talent_consents where talent_id = ${consent.talentId} and organisation_id = ${consent.consentedTo}`.execute(
      stack.databases.talents!.db,
    );
    expect(rows).toHaveLength(0);
    return reader;
  }

  it('asks for the cache report and reads it as the subgraphs name them', () => {
    expect(gatewaySide.cacheReportHeader).toBe(subgraphSide.cacheReportHeader);
    expect(gatewaySide.cacheReportExtension).toBe(subgraphSide.cacheReportExtension);
  });

  it('drops the personal fields a consent withdrawal hides, when a failing mutation in the same document nulls the answer', async () => {
    const consent = consents[0]!;
    const reader = await withdrawInFailingDocument(consent, memory, memory);
    const after = await post(memory, personal, { id: consent.talentId }, reader);
    expect(after.cache).not.toBe('HIT');
    // Without the consent the talent is hidden, or shown without its personal fields, depending on its profile.
    expect(after.body.data?.talent?.givenName ?? null).toBeNull();
    // No id of what changed reaches the client: the subgraphs' cache report stays inside the gateway.
    expect(JSON.stringify((await post(memory, personal, { id: consent.talentId }, reader)).body)).not.toContain('talentHubCache');
  });

  it('shows a new event in cached lists, and where it was cached as unknown, right after createEvent, whatever the mutation selected', async () => {
    const editor = await mintToken('cemr', 'editor');
    const id = `cache-invalidation-${randomBytes(4).toString('hex')}`;
    const list = 'query List { events(organiserId: "cemr", startsFrom: "2031-01-01T00:00:00Z", first: 500) { totalCount nodes { id } } }';
    const count = 'query Count { events(organiserId: "cemr", startsFrom: "2031-01-01T00:00:00Z") { totalCount } }';
    const single = 'query One($id: ID!) { event(id: $id) { id title } }';
    const before = await post(memory, list);
    await post(memory, count);
    expect((await post(memory, single, { id })).body.data).toEqual({ event: null });
    expect((await post(memory, list)).cache).toBe('HIT');
    expect((await post(memory, count)).cache).toBe('HIT');
    expect((await post(memory, single, { id })).cache).toBe('HIT');

    const created = await post(
      memory,
      `mutation ($id: ID!) { createEvent(input: { id: $id, title: "Cache invalidation", kind: MENTORING, attendanceMode: ONLINE,
        startsAt: "2031-03-04T10:00:00+01:00", endsAt: "2031-03-04T12:00:00+01:00", timeZone: "Europe/Brussels" }) { __typename } }`,
      { id },
      editor,
    );
    expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();

    const after = await post(memory, list);
    expect(after.cache).not.toBe('HIT');
    expect(after.body.data.events.nodes.map((n: { id: string }) => n.id)).toContain(id);
    expect(after.body.data.events.totalCount).toBe(before.body.data.events.totalCount + 1);
    const counted = await post(memory, count);
    expect(counted.cache).not.toBe('HIT');
    expect(counted.body.data.events.totalCount).toBe(before.body.data.events.totalCount + 1);
    const one = await post(memory, single, { id });
    expect(one.body.data).toEqual({ event: { id, title: 'Cache invalidation' } });
  });

  it("drops an event's cached registrations built from a talent when talents erases that talent", async () => {
    // A registration of a demo talent, read by the talent's own organisation without selecting the talent.
    const { rows } = await sql<{ id: string; talent_id: string; event_id: string }>`
      select id, talent_id, event_id from registrations order by event_id, id`.execute(stack.databases.trainings!.db);
    const owners = new Map(
      (await sql<{ id: string; organisation_id: string }>`select id, organisation_id from talents`.execute(stack.databases.talents!.db)).rows.map((t) => [t.id, t.organisation_id]),
    );
    // Away from the other tests' consent changes, whose holds would keep these answers out of the cache meanwhile.
    const held = consents.slice(0, 2);
    const heldEvents = new Set(rows.filter((r) => held.some((c) => c.talentId === r.talent_id)).map((r) => r.event_id));
    const registration = rows.find(
      (r) => owners.has(r.talent_id) && !heldEvents.has(r.event_id) && !held.some((c) => c.consentedTo === owners.get(r.talent_id)),
    )!;
    expect(registration).toBeDefined();
    const owner = owners.get(registration.talent_id)!;
    const reader = await mintToken(owner, 'viewer');
    const query = 'query Registrations($id: ID!) { event(id: $id) { id registrations(first: 100) { nodes { id status } } } }';
    const first = await post(memory, query, { id: registration.event_id }, reader);
    expect(first.body.errors, JSON.stringify(first.body.errors)).toBeUndefined();
    expect(first.body.data.event.registrations.nodes.map((n: { id: string }) => n.id)).toContain(registration.id);
    expect((await post(memory, query, { id: registration.event_id }, reader)).cache).toBe('HIT');

    const erased = await post(memory, 'mutation ($id: ID!) { eraseTalent(id: $id) { erasedAt } }', { id: registration.talent_id }, await mintToken(owner, 'editor'));
    expect(erased.body.errors, JSON.stringify(erased.body.errors)).toBeUndefined();

    const after = await post(memory, query, { id: registration.event_id }, reader);
    expect(after.cache).not.toBe('HIT');
    expect(after.body.data.event.registrations.nodes.map((n: { id: string }) => n.id)).not.toContain(registration.id);
  });

  it.skipIf(!redisUrl)('drops the withdrawn personal fields in another gateway sharing Redis, the answer being data: null', async () => {
    const consent = consents[1]!;
    const reader = await withdrawInFailingDocument(consent, redisB, redisA);
    const after = await post(redisB, personal, { id: consent.talentId }, reader);
    expect(after.cache).not.toBe('HIT');
    expect(after.body.data?.talent?.givenName ?? null).toBeNull();
  });
});
