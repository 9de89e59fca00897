import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, testRedisUrl } from '@talent-hub/gateway/testing/redis';
import type { GatewayCacheOptions } from '@talent-hub/gateway/cache/setup';
import { readCacheConfig } from '@talent-hub/gateway/config';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import { projectRoot } from '@talent-hub/platform/paths';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Caching through the gateway: persisted queries (in memory, shared through Redis, with Redis down) and the
// response cache (hits, what is never cached, scoping of private answers, invalidation by mutations, sharing
// between two gateways). The stack's subgraphs serve gateways of this file's own, configured for caching.

const redisUrl = testRedisUrl;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

async function post(url: string, body: unknown, token?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(storeKinds)('caching at the gateway (%s)', (kind) => {
  let stack: Stack;
  const gateways: RunningGateway[] = [];
  const prefix = `talent-hub-test:caching:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let memory: string;
  let redisA: string;
  let redisB: string;
  let redisDown: string;

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
    const shared = { ...defaults, redisUrl, redisKeyPrefix: prefix };
    if (redisUrl) {
      redisA = await startGateway(shared);
      redisB = await startGateway(shared);
    }
    redisDown = await startGateway({ ...shared, redisUrl: `redis://127.0.0.1:${await closedPort()}` });
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await stack?.stop();
    await dropPrefix(prefix, redisUrl);
  });

  describe('automatic persisted queries', () => {
    it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, registers the query, then serves the hash alone', async () => {
      const query = `{ region(code: "ITH5") { name } } # memory ${prefix}`;
      const unknown = await post(memory, { extensions: persisted(query) });
      expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      const registered = await post(memory, { query, extensions: persisted(query) });
      expect(registered.body).toEqual({ data: { region: { name: 'Emilia-Romagna' } } });
      const byHash = await post(memory, { extensions: persisted(query) });
      expect(byHash.body).toEqual({ data: { region: { name: 'Emilia-Romagna' } } });
    });

    it('refuses a query whose hash does not match', async () => {
      const answer = await post(memory, { query: '{ region(code: "ITH5") { name } }', extensions: persisted('{ something else }') });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
      expect(answer.body.errors?.[0]?.message).toMatch(/is not the SHA-256 of the query text/);
    });

    it.skipIf(!redisUrl)('shares registered queries between gateways through Redis', async () => {
      const query = `{ organisation(id: "aer") { foundedYear } } # shared ${prefix}`;
      expect(codes(await post(redisB, { extensions: persisted(query) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      await post(redisA, { query, extensions: persisted(query) });
      const byHash = await post(redisB, { extensions: persisted(query) });
      expect(byHash.body).toEqual({ data: { organisation: { foundedYear: 1985 } } });
    });

    it('keeps serving when Redis is unreachable: full queries answer, hashes stay unknown', async () => {
      const query = `{ region(code: "ITH5") { name } } # down ${prefix}`;
      const started = Date.now();
      const registered = await post(redisDown, { query, extensions: persisted(query) });
      expect(registered.body).toEqual({ data: { region: { name: 'Emilia-Romagna' } } });
      expect(codes(await post(redisDown, { extensions: persisted(query) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });

  describe('response cache', () => {
    it('answers a repeated public query from the cache, for anonymous and signed-in callers alike', async () => {
      const query = '{ region(code: "ITH5") { code name parent { code name } } }';
      const first = await post(memory, { query }, await mintToken('cemr', 'viewer'));
      const second = await post(memory, { query });
      expect(first.headers.get('x-cache')).toBe('MISS');
      expect(second.headers.get('x-cache')).toBe('HIT');
      expect(second.body).toEqual(first.body);
      expect(second.body.data.region.parent.code).toBe('ITH');
      expect(second.headers.get('cache-control')).toBe('max-age=60, public');
      expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    });

    it('caches public lists across the subgraphs', async () => {
      const query = '{ events(first: 3) { nodes { id title region { code name } organiser { name } } pageInfo { hasNextPage } } }';
      const first = await post(memory, { query });
      const second = await post(memory, { query });
      expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
      expect(second.body).toEqual(first.body);
      expect(first.body.data.events.nodes).toHaveLength(3);
    });

    it('does not cache answers with errors', async () => {
      const query = '{ region(code: "Emilia") { name } }';
      for (let i = 0; i < 2; i++) {
        const answer = await post(memory, { query });
        expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
        expect(answer.headers.get('x-cache')).toBe('MISS');
      }
    });

    it('does not cache what the hints leave uncacheable (aggregates)', async () => {
      const query = '{ talentStatistics(groupBy: [CATEGORY]) { cells { category talents } } }';
      await post(memory, { query });
      expect((await post(memory, { query })).headers.get('x-cache')).toBe('MISS');
    });

    it('keeps a talent read by its owning organisation from every other caller, whatever the order', async () => {
      const list = await post(memory, { query: '{ talents(organisationId: "cemr", first: 1) { nodes { id } } }' });
      const id = list.body.data.talents.nodes[0].id as string;
      const personal = `query Personal($id: ID!) { talent(id: $id) { id displayName givenName familyName email } }`;
      const visible = `query Visible($id: ID!) { talent(id: $id) { id displayName category } }`;
      const owner = await mintToken('cemr', 'viewer');
      const ownerColleague = await mintToken('cemr', 'viewer', { sub: 'another-cemr-user' });
      const other = await mintToken('aer', 'admin');

      // Anonymous first: its answer is its own, not the owner's.
      const anonymousFirst = await post(memory, { query: visible, variables: { id } });
      const ownerVisible = await post(memory, { query: visible, variables: { id } }, owner);
      expect([anonymousFirst.headers.get('x-cache'), ownerVisible.headers.get('x-cache')]).toEqual(['MISS', 'MISS']);

      // The owner's personal data, cached for the owner alone.
      const ownerFirst = await post(memory, { query: personal, variables: { id } }, owner);
      const ownerAgain = await post(memory, { query: personal, variables: { id } }, owner);
      expect(ownerFirst.body.errors).toBeUndefined();
      expect(ownerFirst.body.data.talent.email).toEqual(expect.any(String));
      expect(ownerAgain.headers.get('x-cache')).toBe('HIT');
      expect(ownerAgain.headers.get('cache-control')).toMatch(/private/);
      expect(ownerAgain.body).toEqual(ownerFirst.body);

      for (const token of [other, undefined, ownerColleague]) {
        const answer = await post(memory, { query: personal, variables: { id } }, token);
        expect(answer.headers.get('x-cache')).toBe('MISS');
        if (token === ownerColleague) continue; // same organisation: allowed to read it, from its own partition
        expect(answer.body.data.talent.email).toBeNull();
        expect(codes(answer)).toContain('FORBIDDEN');
      }
      // And afterwards the owner still gets its own answer.
      expect((await post(memory, { query: personal, variables: { id } }, owner)).body).toEqual(ownerFirst.body);
    });

    it('does not cache mutations, and drops cached answers holding the entity a mutation changed', async () => {
      const programme = '{ programme(id: "emilia-romagna-talents") { id name indicators { code value } } }';
      const region = '{ region(code: "ITH5") { code name } }';
      await post(memory, { query: programme });
      await post(memory, { query: region });
      expect((await post(memory, { query: programme })).headers.get('x-cache')).toBe('HIT');

      const editor = await mintToken('emilia-romagna-region', 'editor');
      const mutation = `mutation { updateProgrammeIndicators(programmeId: "emilia-romagna-talents",
        indicators: [{ code: "talents-reached", value: "7100", asOf: "2025-01-15" }]) { id } }`;
      const changed = await post(memory, { query: mutation }, editor);
      expect(changed.body.errors).toBeUndefined();
      expect(changed.headers.get('x-cache')).toBe('BYPASS');

      const after = await post(memory, { query: programme });
      expect(after.headers.get('x-cache')).toBe('MISS');
      expect(after.body.data.programme.indicators).toContainEqual({ code: 'talents-reached', value: '7100' });
      expect((await post(memory, { query: region })).headers.get('x-cache')).toBe('HIT');
    });

    it.skipIf(!redisUrl)('shares answers and invalidations between gateways through Redis', async () => {
      const programme = '{ programme(id: "eu-belong") { id indicators { code value } } }';
      const first = await post(redisA, { query: programme });
      const onB = await post(redisB, { query: programme });
      expect([first.headers.get('x-cache'), onB.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);

      const code = first.body.data.programme.indicators[0].code as string;
      const { body: owner } = await post(redisA, { query: '{ programme(id: "eu-belong") { managingOrganisation { id } } }' });
      const editor = await mintToken(owner.data.programme.managingOrganisation.id, 'editor');
      const changed = await post(
        redisA,
        { query: `mutation { updateProgrammeIndicators(programmeId: "eu-belong", indicators: [{ code: "${code}", value: "12", asOf: "2025-01-15" }]) { id } }` },
        editor,
      );
      expect(changed.body.errors).toBeUndefined();

      const afterOnB = await post(redisB, { query: programme });
      expect(afterOnB.headers.get('x-cache')).toBe('MISS');
      expect(afterOnB.body.data.programme.indicators).toContainEqual({ code, value: '12' });
    });

    it('serves uncached when Redis is unreachable', async () => {
      const query = '{ organisation(id: "cemr") { name leaders { name } } }';
      for (let i = 0; i < 2; i++) {
        const answer = await post(redisDown, { query });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('x-cache')).toBe('MISS');
        expect(answer.body.data.organisation.leaders).toContainEqual({ name: 'Fabrizio Rossi' });
      }
    });
  });
});
