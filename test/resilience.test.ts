import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayMetrics } from '@talent-hub/gateway/metrics';
import type { ResilienceOptions } from '@talent-hub/gateway/resilience';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { projectRoot } from '@talent-hub/platform/paths';
import { listenSubgraph, prepareDatabase, type AnySubgraph, type RunningSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { regionsSubgraph } from '@talent-hub/regions/server';
import { talentsSubgraph } from '@talent-hub/talents/server';
import { trainingsSubgraph } from '@talent-hub/trainings/server';

/** The body of the gateway's /ready and /health. */
interface SubgraphStatus {
  subgraphs: Record<string, string>;
}

// A subgraph that dies, hangs or fails under a gateway: the gateway answers in time with what the others gave and
// an error naming the missing one, and recovers by itself. Built here rather than with test/harness.ts, because
// these tests stop and restart one subgraph on its port and run gateways with short deadlines.

const supergraphPath = path.join(projectRoot, 'schema', 'supergraph.graphql');
const quiet = { debug() {}, info() {}, warn() {}, error: console.error };

/** One field from `regions`, one from `trainings`: both root fields are nullable, so either can be missing alone. */
const mixedQuery = 'query Mixed { region(code: "ITH5") { name } event(id: "ewrc-2024-eu-belong") { title } }';
const fullAnswer = {
  region: { name: 'Emilia-Romagna' },
  event: { title: 'Skills: (EU)Belong here: How intercultural strategies can boost talent attraction and retention' },
};

interface Answer {
  status: number;
  ms: number;
  sentAt: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

async function post(url: string, query: string): Promise<Answer> {
  const sentAt = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as Answer['body'];
  return { status: response.status, ms: performance.now() - sentAt, sentAt, body };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, boundMs: number, probe: () => Promise<T | undefined>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, ms: performance.now() - started };
    if (performance.now() - started > boundMs) throw new Error(`${what} did not happen within ${boundMs} ms`);
    await sleep(50);
  }
}

/** An HTTP server standing in for a subgraph; `handle` decides each answer (or none). */
async function standIn(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void, port = 0) {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('gateway resilience', () => {
  const databases: Record<string, Database<any>> = {};
  const running: Record<string, RunningSubgraph> = {};
  const subgraphUrls: Record<string, string> = {};
  const gateways: RunningGateway[] = [];
  const standIns: { close(): Promise<void> }[] = [];

  const startSubgraph = async (subgraph: AnySubgraph, port = 0) => {
    const server = await listenSubgraph(subgraph, databases[subgraph.name]!.db, {
      host: '127.0.0.1',
      port,
      internalTokenSecret: developmentInternalSecret,
      subgraphUrls,
    });
    running[subgraph.name] = server;
    return server;
  };

  const startGateway = async (urls: Record<string, string>, resilience: Partial<ResilienceOptions>, metrics = new GatewayMetrics({ defaultMetrics: false })) => {
    const gateway = await listenGateway({
      supergraphPath,
      subgraphUrls: urls,
      watch: false,
      host: '127.0.0.1',
      port: 0,
      logger: quiet,
      resilience,
      readiness: { checkTimeoutMs: 500, cacheMs: 0 },
      metrics,
    });
    gateways.push(gateway);
    return gateway;
  };

  beforeAll(async () => {
    await Promise.all(
      ([talentsSubgraph, trainingsSubgraph, regionsSubgraph] as AnySubgraph[]).map(async (subgraph) => {
        databases[subgraph.name] = await prepareDatabase(subgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
        subgraphUrls[subgraph.name] = (await startSubgraph(subgraph)).url;
      }),
    );
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    for (const standIn of standIns) await standIn.close();
    for (const server of Object.values(running)) await server.stop();
    for (const database of Object.values(databases)) await database.close();
  });

  it('answers in time with the live subgraphs\' data while one is killed under load, and recovers by itself when it returns', async () => {
    const timeoutMs = 2_000;
    const marginMs = 1_000;
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    const gateway = await startGateway(subgraphUrls, { timeoutMs, retries: 1, breakerFailures: 3, breakerCooldownMs: 500 }, metrics);
    expect((await post(gateway.url, mixedQuery)).body).toEqual({ data: fullAnswer });
    expect((await fetch(new URL('/ready', gateway.url))).status).toBe(200);

    const answers: Answer[] = [];
    let loading = true;
    const clients = Array.from({ length: 8 }, async () => {
      while (loading) answers.push(await post(gateway.url, mixedQuery));
    });

    await sleep(500);
    const trainingsPort = Number(new URL(subgraphUrls.trainings!).port);
    await running.trainings!.stop();
    const killedAt = performance.now();
    await sleep(1_500);

    // Still ready (every replica would otherwise leave rotation at once): trainings' status is in the body.
    const stillReady = await fetch(new URL('/ready', gateway.url));
    expect(stillReady.status).toBe(200);
    expect(await stillReady.json()).toEqual({
      status: 'ready',
      subgraphs: { talents: 'up', trainings: 'down: could not be reached (ECONNREFUSED)', regions: 'up' },
    });
    expect(((await (await fetch(new URL('/health', gateway.url))).json()) as SubgraphStatus).subgraphs.trainings).toBe('down: could not be reached (ECONNREFUSED)');
    const duringOutage = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(duringOutage).toMatch(/gateway_subgraph_fetch_errors_total\{subgraph="trainings",outcome="circuit_open"\} [1-9]/);
    expect(duringOutage).toContain('gateway_subgraph_up{subgraph="trainings"} 0');

    const restartedAt = performance.now();
    await startSubgraph(trainingsSubgraph, trainingsPort);
    const recovery = await until('a full answer after the restart', 5_000, async () => {
      const answer = answers.find((a) => a.sentAt > restartedAt && !a.body.errors);
      return answer;
    });
    await until('trainings up again', 3_000, async () => (((await (await fetch(new URL('/ready', gateway.url))).json()) as SubgraphStatus).subgraphs.trainings === 'up' ? true : undefined));
    loading = false;
    await Promise.all(clients);

    expect(answers.length).toBeGreaterThan(50);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(timeoutMs + marginMs);
      expect(answer.body.data?.region).toEqual(fullAnswer.region);
      for (const error of answer.body.errors ?? []) {
        expect(error.extensions?.serviceName).toBe('trainings');
        expect(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT', 'SUBGRAPH_ERROR']).toContain(error.extensions?.code);
      }
      if (answer.body.errors) expect(answer.body.data.event).toBeNull();
      else expect(answer.body.data).toEqual(fullAnswer);
    }
    // Answers sent and received while trainings was down. One sent just before the restart may be fetched after it
    // (a busy machine delays the gateway's work, a retry waits) and rightly be full: it is not in the outage.
    const partial = answers.filter((a) => a.sentAt > killedAt && a.sentAt + a.ms < restartedAt);
    expect(partial.length).toBeGreaterThan(10);
    expect(partial.every((a) => a.body.errors)).toBe(true);
    const codes = new Set(partial.flatMap((a) => a.body.errors!.map((e) => e.extensions?.code)));
    expect(codes).toEqual(new Set(['SUBGRAPH_UNAVAILABLE']));
    expect(partial.some((a) => /is unavailable after repeated failures/.test(a.body.errors![0]!.message))).toBe(true);
    expect(partial.some((a) => a.body.errors![0]!.message === 'Subgraph "trainings" could not be reached (ECONNREFUSED).')).toBe(true);

    // After the restart: full answers again, the circuit closed.
    expect((await post(gateway.url, mixedQuery)).body).toEqual({ data: fullAnswer });
    expect(await (await fetch(new URL('/metrics', gateway.url))).text()).toContain('gateway_subgraph_circuit_state{subgraph="trainings"} 0');

    const ms = partial.map((a) => a.ms);
    const before = answers.filter((a) => a.sentAt < killedAt && !a.body.errors).map((a) => a.ms);
    console.log(
      `[resilience] trainings killed under 8 clients: ${answers.length} answers, ${partial.length} partial while it was down; ` +
        `partial answer latency p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms ` +
        `(full answers before: p50 ${percentile(before, 50).toFixed(1)} ms, p99 ${percentile(before, 99).toFixed(1)} ms, n=${before.length}); ` +
        `first full answer ${(recovery.value.sentAt - restartedAt).toFixed(0)} ms after the restart`,
    );
  });

  it('answers within the deadline with the other data when a subgraph accepts connections but never answers', async () => {
    const hanging = await standIn(() => {});
    standIns.push(hanging);
    const timeoutMs = 1_000;
    const gateway = await startGateway({ ...subgraphUrls, trainings: hanging.url }, { timeoutMs, retries: 1, breakerFailures: 100 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(gateway.url, mixedQuery)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeGreaterThanOrEqual(timeoutMs - 50);
      expect(answer.ms).toBeLessThan(timeoutMs + 1_000);
      expect(answer.body.data).toEqual({ region: fullAnswer.region, event: null });
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: 'Subgraph "trainings" did not answer within 1000 ms.',
          extensions: expect.objectContaining({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'trainings' }),
        }),
      ]);
    }
    const ms = answers.map((a) => a.ms);
    console.log(`[resilience] hanging subgraph, 1000 ms deadline: answers in ${Math.min(...ms).toFixed(0)} to ${Math.max(...ms).toFixed(0)} ms`);
  });

  it('starts while a subgraph is down, ready for the rest of the graph, then serves it without a restart', async () => {
    const placeholder = await standIn(() => {});
    const port = Number(new URL(placeholder.url).port);
    await placeholder.close(); // a port nothing listens on, that the subgraph takes later
    const downUrl = `http://127.0.0.1:${port}/`;
    const gateway = await startGateway({ ...subgraphUrls, trainings: downUrl }, { timeoutMs: 2_000, breakerCooldownMs: 300 });

    const ready = await fetch(new URL('/ready', gateway.url));
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as SubgraphStatus).subgraphs).toMatchObject({ trainings: 'down: could not be reached (ECONNREFUSED)', talents: 'up' });
    const partial = await post(gateway.url, mixedQuery);
    expect(partial.body.data).toEqual({ region: fullAnswer.region, event: null });
    expect(partial.body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'trainings' });

    const late = await listenSubgraph(trainingsSubgraph, databases.trainings!.db, {
      host: '127.0.0.1',
      port,
      internalTokenSecret: developmentInternalSecret,
      subgraphUrls,
    });
    try {
      await until('trainings up', 3_000, async () => (((await (await fetch(new URL('/ready', gateway.url))).json()) as SubgraphStatus).subgraphs.trainings === 'up' ? true : undefined));
      await until('a full answer', 3_000, async () => ((await post(gateway.url, mixedQuery)).body.errors ? undefined : true));
    } finally {
      await late.stop();
    }
  });

  it('sends a failed query fetch once more, and a mutation only once', async () => {
    let attempts = 0;
    const failing = await standIn((req, res) => {
      req.resume();
      req.on('end', () => {
        attempts++;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"overloaded"}]}');
      });
    });
    standIns.push(failing);
    const gateway = await startGateway({ ...subgraphUrls, trainings: failing.url }, { timeoutMs: 2_000, retries: 1, breakerFailures: 100 });

    const mutation = await post(gateway.url, 'mutation Register { registerForEvent(eventId: "ewrc-2024-eu-belong", talentId: "00000000-0000-4000-8000-000000000000") { status } }');
    expect(mutation.body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_ERROR', serviceName: 'trainings', status: 503 });
    expect(attempts).toBe(1);

    attempts = 0;
    const query = await post(gateway.url, mixedQuery);
    expect(query.body.data).toEqual({ region: fullAnswer.region, event: null });
    expect(query.body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_ERROR', serviceName: 'trainings', status: 503 });
    expect(attempts).toBe(2);
  });
});
