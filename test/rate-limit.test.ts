import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import { GatewayMetrics } from '@talent-hub/gateway/metrics';
import { defaultRateLimits, type RateLimitOptions } from '@talent-hub/gateway/rate-limit';
import { talentsWithRegistrations } from '@talent-hub/gateway/known-operations';
import { costTableFromSdl, estimateOperation, registerCostTable } from '@talent-hub/gateway/cost';
import { dropPrefix, testRedisUrl } from '@talent-hub/gateway/testing/redis';
import { projectRoot } from '@talent-hub/platform/paths';
import { startStack, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Rate limits end to end (issue 13, finding 4): a client past its budget of estimated cost gets 429 RATE_LIMITED
// with Retry-After before any subgraph is called, while another organisation's small queries are neither refused
// nor slowed; with Redis, two gateways share one budget.

const quiet = { debug() {}, info() {}, warn() {}, error: console.error };
// Budgets below are sized on the estimated costs of two operations, as the gateway estimates them from the
// supergraph's cost directives: the flagship page at 100 talents (heavy) and a region by code (small).
const heavy = { query: talentsWithRegistrations.query, variables: { first: 100 } };
const small = { query: '{ region(code: "ITH5") { code name } }', variables: {} };
const apiSchema = buildSchema(readFileSync(path.join(projectRoot, 'schema', 'api.graphql'), 'utf8'));
registerCostTable(apiSchema, costTableFromSdl(readFileSync(path.join(projectRoot, 'schema', 'supergraph.graphql'), 'utf8')));
const costOf = ({ query, variables }: { query: string; variables: Record<string, unknown> }) => {
  const document = parse(query);
  return Math.max(1, estimateOperation(apiSchema, document, getOperationAST(document)!, variables).cost);
};
const heavyCost = costOf(heavy);
const smallCost = costOf(small);

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
  ms: number;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: JSON.parse(text), ms: performance.now() - started };
}

/**
 * `loops` loops POSTing `body` to `url` in a worker thread, each waiting `pauseMs` between requests, until stopped;
 * resolves with the statuses (at most 5,000).
 */
function hammering(url: string, body: unknown, headers: Record<string, string>, loops: number, pauseMs: number): { stop(): Promise<number[]> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { url, body, headers, loops, pauseMs } = workerData;
    let running = true;
    const statuses = [];
    parentPort.on('message', () => (running = false));
    const loop = async () => {
      while (running && statuses.length < 5000) {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
        await response.arrayBuffer();
        statuses.push(response.status);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    };
    Promise.all(Array.from({ length: loops }, loop)).then(() => parentPort.postMessage(statuses), (error) => parentPort.postMessage(String(error)));
  `;
  const worker = new Worker(code, { eval: true, workerData: { url, body, headers, loops, pauseMs } });
  const done = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (result: number[] | string) => (typeof result === 'string' ? reject(new Error(result)) : resolve(result)));
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      try {
        return await done;
      } finally {
        await worker.terminate();
      }
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('rate limits at the gateway', () => {
  let stack: Stack;
  const gateways: RunningGateway[] = [];
  let url: string;
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  /** Subgraph fetches the first gateway has made so far. */
  const fetchCount = async () => {
    const text = await metrics.registry.getSingleMetricAsString('gateway_subgraph_fetch_duration_seconds');
    return [...text.matchAll(/^gateway_subgraph_fetch_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  const startGateway = async (rateLimit: RateLimitOptions, own = new GatewayMetrics({ defaultMetrics: false })) => {
    const gateway = await listenGateway({
      supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
      subgraphUrls: stack.subgraphUrls,
      watch: false,
      host: '127.0.0.1',
      port: 0,
      logger: quiet,
      metrics: own,
      rateLimit,
    });
    gateways.push(gateway);
    return gateway.url;
  };

  beforeAll(async () => {
    stack = await startStack('pglite');
    url = await startGateway(
      {
        ...defaultRateLimits,
        // Three flagship pages in a burst, then one every 2 minutes (so that a slow machine refills nothing that counts).
        client: { capacity: Math.round(3.5 * heavyCost), refillPerSecond: Math.max(1, Math.round(heavyCost / 120)) },
        // Two small queries, then one every 10 s.
        anonymous: { capacity: 2 * smallCost, refillPerSecond: smallCost / 10 },
        // The hammering organisation: three flagship pages, then next to nothing (one page every 2 minutes).
        organisations: { eurocities: { capacity: Math.round(3.5 * heavyCost), refillPerSecond: Math.max(1, Math.round(heavyCost / 120)) } },
      },
      metrics,
    );
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await stack?.stop();
  });

  it('refuses a client past its budget with 429, Retry-After and RATE_LIMITED, before any subgraph is called', async () => {
    const token = bearer(await mintToken('aer', 'viewer', { sub: 'heavy-client-a' }));
    for (let i = 0; i < 3; i++) {
      const answer = await post(url, heavy, token);
      expect(answer.status, JSON.stringify(answer.body.errors)).toBe(200);
      expect(answer.body.data.talents.nodes.length).toBeGreaterThan(0);
    }
    expect(await fetchCount()).toBeGreaterThan(0);
    const fetches = await fetchCount();
    const refused = await post(url, heavy, token);
    expect(await fetchCount()).toBe(fetches);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toHaveLength(1);
    const [error] = refused.body.errors;
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', budget: 'client' });
    // Three pages taken of 3.5: half a page missing at 1/120 of a page a second (60 s), less what came back while
    // the three ran.
    const seconds = error.extensions.retryAfterSeconds;
    const full = Math.ceil((4 * heavyCost - Math.round(3.5 * heavyCost)) / Math.max(1, Math.round(heavyCost / 120)));
    expect(seconds).toBeGreaterThanOrEqual(full - 20);
    expect(seconds).toBeLessThanOrEqual(full + 1);
    expect(refused.retryAfter).toBe(String(seconds));
    expect(error.message).toMatch(new RegExp(`your client's budget .* Retry after ${seconds} s\\.`));

    // Another client of the same organisation has a budget of its own.
    const colleague = await post(url, heavy, bearer(await mintToken('aer', 'viewer', { sub: 'colleague' })));
    expect(colleague.status).toBe(200);

    const exposition = await (await fetch(new URL('/metrics', url))).text();
    expect(exposition).toMatch(/gateway_rate_limit_refusals_total\{level="client"\} [1-9]/);
    expect(Number(/^gateway_rate_limit_cost_total\{organisation="aer"\} (\d+)$/m.exec(exposition)?.[1])).toBe(4 * heavyCost);
    expect(exposition).not.toContain('heavy-client-a');
  });

  it('charges each operation of a batch', async () => {
    const token = bearer(await mintToken('aer', 'viewer', { sub: 'batcher' }));
    const answer = await post(url, [heavy, heavy, heavy, heavy], token);
    expect(answer.status).toBe(429);
    const codes = (answer.body as any[]).map((result) => result.errors?.[0]?.extensions?.code ?? 'ok');
    expect(codes.sort()).toEqual(['RATE_LIMITED', 'ok', 'ok', 'ok']);
  });

  it('keys anonymous callers by their connection, whatever X-Forwarded-For says when no proxy is trusted', async () => {
    // The anonymous budget holds two small queries.
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await post(url, small, { 'x-forwarded-for': `198.51.100.${i}` }));
    expect(answers.map((a) => a.status)).toContain(429);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', budget: 'anonymous' });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('keeps another organisation\'s small queries answered, and as fast, while a client hammers with heavy ones', async () => {
    const other = bearer(await mintToken('cemr', 'viewer', { sub: 'small-and-steady' }));
    const token = bearer(await mintToken('eurocities', 'viewer', { sub: 'hammer' }));
    const measure = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const answer = await post(url, small, other);
        expect(answer.status, JSON.stringify(answer.body.errors)).toBe(200);
        expect(answer.body.errors).toBeUndefined();
        times.push(answer.ms);
      }
      return times;
    };
    await measure(5); // connections and plans warm
    const baseline = median(await measure(30));

    // The heavy client first spends its organisation's burst (three pages, within budget, so served), then six loops
    // of heavy queries run for as long as the other organisation measures: the finding, at its offered load
    // (416 requests in 8 s; here each loop waits 100 ms after each answer, so about 60 a second at most). They run in a
    // thread of their own: in this process they would slow the measuring client itself, not the gateway.
    for (let i = 0; i < 3; i++) expect((await post(url, heavy, token)).status).toBe(200);
    const hammer = hammering(url, heavy, token, 6, 100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const underLoad = median(await measure(30));
    const statuses = await hammer.stop();

    const refusals = statuses.filter((s) => s === 429).length;
    expect(refusals).toBeGreaterThan(0);
    // Past its burst, every heavy query was refused, on the organisation's budget; the other organisation never was.
    expect(statuses.every((s) => s === 429)).toBe(true);
    expect(await post(url, heavy, token)).toMatchObject({ status: 429, body: { errors: [{ extensions: { code: 'RATE_LIMITED', budget: 'organisation' } }] } });
    expect(underLoad, `p50 ${underLoad.toFixed(1)} ms under load, ${baseline.toFixed(1)} ms before (${refusals} refusals)`).toBeLessThan(3 * baseline + 20);
  });

  describe.runIf(testRedisUrl)('with Redis', () => {
    const prefix = `talent-hub-test:rate-limit:${process.pid}:${randomBytes(4).toString('hex')}:`;
    afterAll(() => dropPrefix(prefix));

    it('shares one budget between two gateways', async () => {
      const shared: RateLimitOptions = {
        ...defaultRateLimits,
        client: { capacity: 3 * smallCost, refillPerSecond: smallCost / 3 },
        redisUrl: testRedisUrl!,
        redisKeyPrefix: prefix,
        redisCommandTimeoutMs: 500,
      };
      const metricsA = new GatewayMetrics({ defaultMetrics: false });
      const metricsB = new GatewayMetrics({ defaultMetrics: false });
      const urls = [await startGateway(shared, metricsA), await startGateway(shared, metricsB)];
      const fallbacks = async (m: GatewayMetrics) =>
        Number(/^gateway_rate_limit_fallbacks_total (\d+)$/m.exec(await m.registry.getSingleMetricAsString('gateway_rate_limit_fallbacks_total'))![1]);
      // A gateway whose event loop was busy at start (planning) may still be connecting to Redis: until a probe of
      // another client is checked in Redis, it limits with its own buckets.
      const probe = bearer(await mintToken('cemr', 'viewer', { sub: 'probe' }));
      for (const [i, m] of [metricsA, metricsB].entries()) {
        for (let attempt = 0; attempt < 25; attempt++) {
          const before = await fallbacks(m);
          await post(urls[i]!, small, probe);
          if ((await fallbacks(m)) === before) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      const fallbacksBefore = [await fallbacks(metricsA), await fallbacks(metricsB)];
      const token = bearer(await mintToken('cemr', 'viewer', { sub: 'two-gateways' }));
      const statuses: number[][] = [[], []];
      const started = performance.now();
      // The budget holds three small queries, plus one per 3 s of refill, whichever gateway answers.
      for (let i = 0; i < 10; i++) statuses[i % 2]!.push((await post(urls[i % 2]!, small, token)).status);
      const seconds = (performance.now() - started) / 1000;
      const allowed = statuses.flat().filter((s) => s === 200).length;
      expect(allowed).toBeGreaterThanOrEqual(3);
      expect(allowed).toBeLessThanOrEqual(3 + Math.ceil(seconds / 3));
      // Each gateway alone would have allowed three: both refused some.
      expect(statuses[0]).toContain(429);
      expect(statuses[1]).toContain(429);
      // Both used Redis, not their own buckets.
      expect([await fallbacks(metricsA), await fallbacks(metricsB)]).toEqual(fallbacksBefore);
    });
  });
});
