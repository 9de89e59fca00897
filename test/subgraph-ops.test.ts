import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { createLogger } from '@talent-hub/platform/logging';
import { maxOperationLabels } from '@talent-hub/platform/labels';
import { projectRoot, sourceNodeArgs } from '@talent-hub/platform/paths';
import { listenSubgraph, prepareDatabase, type RunningSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { regionsSubgraph } from '@talent-hub/regions/server';

// The regions subgraph served over HTTP: its operational endpoints, its metrics, and its drain on SIGTERM (as a
// real process, started the way production starts it).

const listen = { host: '127.0.0.1', port: 0, internalTokenSecret: developmentInternalSecret };

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL('graphql', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function get(url: string, route: string) {
  const response = await fetch(new URL(route, url));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('subgraph endpoints', () => {
  let database: Database<any>;
  let running: RunningSubgraph;
  beforeAll(async () => {
    database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
    running = await listenSubgraph(regionsSubgraph, database.db, listen);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.close();
  });

  it('answers GraphQL at / and /graphql, at the URL it gives', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const query = { query: '{ region(code: "ITH5") { name } }' };
    for (const url of [running.url, new URL('graphql', running.url).toString()]) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(query) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { region: { name: 'Emilia-Romagna' } } });
    }
  });

  it('refuses a forged identity (401), malformed JSON (400), an unknown path (404), a POST to /health (405)', async () => {
    const forged = await post(running.url, { query: '{ __typename }' }, { 'x-talent-hub-identity': 'not-a-token' });
    expect(forged.status).toBe(401);
    expect(forged.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const malformed = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/not valid JSON/), extensions: { code: 'BAD_REQUEST' } }] });
    const nowhere = await get(running.url, '/nothing-here');
    expect([nowhere.status, JSON.parse(nowhere.text).errors[0].extensions.code]).toEqual([404, 'NOT_FOUND']);
    expect((await fetch(new URL('/health', running.url), { method: 'POST' })).status).toBe(405);
  });

  it('is alive and ready', async () => {
    expect(await get(running.url, '/health')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    expect(await get(running.url, '/ready')).toMatchObject({ status: 200, text: '{"status":"ready"}' });
  });

  it('serves the named series after a query, with no variable value or id in them', async () => {
    const code = 'ITH55';
    const named = await post(running.url, {
      query: 'query RegionWithParent($code: ID!) { region(code: $code) { name parent { code } } }',
      variables: { code },
      operationName: 'RegionWithParent',
    });
    expect(named.body.data.region.parent.code).toBe('ITH5');
    const refused = await post(running.url, { query: 'query BadCode($c: ID!) { region(code: $c) { name } }', variables: { c: 'Bologna-province' } });
    expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await post(running.url, { query: '{ organisation(id: "art-er") { name } }' });

    const metrics = await get(running.url, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain/);
    const text = metrics.text;
    expect(text).toContain('subgraph_graphql_requests_total{subgraph="regions",operation="RegionWithParent",outcome="success"} 1');
    expect(text).toContain('subgraph_graphql_requests_total{subgraph="regions",operation="BadCode",outcome="partial"} 1');
    expect(text).toMatch(/subgraph_graphql_requests_total\{subgraph="regions",operation="anonymous",outcome="success"\} \d+/);
    expect(text).toMatch(/subgraph_graphql_request_duration_seconds_count\{subgraph="regions",operation="RegionWithParent"\} 1/);
    expect(text).toMatch(/subgraph_graphql_errors_total\{subgraph="regions",code="BAD_USER_INPUT"\} 1/);
    expect(text).toMatch(/subgraph_graphql_errors_total\{subgraph="regions",code="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/subgraph_db_statements_total\{subgraph="regions",kind="select"\} \d+/);
    expect(text).toMatch(/subgraph_db_statement_duration_seconds_bucket\{le="0.005",subgraph="regions",kind="select"\} \d+/);
    expect(text).toContain('subgraph_db_pool_connections{subgraph="regions"} 1');
    expect(text).toContain('subgraph_db_pool_waiting_queries{subgraph="regions"} 0');
    expect(text).toMatch(/^subgraph_graphql_requests_in_flight\{subgraph="regions"\} 0$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    // Label values are operation names, codes, kinds and outcomes: never what a request carried.
    for (const value of [code, 'Bologna-province', 'art-er', 'Emilia-Romagna', 'from regions']) expect(text).not.toContain(value);
    // Every label value of the subgraph's series is an identifier or a bucket bound.
    const ours = text.split('\n').filter((line) => line.startsWith('subgraph_'));
    for (const line of ours) {
      for (const [, value] of line.matchAll(/="([^"]*)"/g)) expect(value).toMatch(/^(?:[_A-Za-z][_0-9A-Za-z]*|[0-9.e+-]+|\+Inf)$/);
    }
  });

  it('keeps the operation label bounded: 500 distinct names give at most the cap and "other"', async () => {
    for (let i = 0; i < 500; i++) {
      const response = await post(running.url, { query: `query Probe${i} { __typename }` });
      expect(response.status).toBe(200);
    }
    const text = (await get(running.url, '/metrics')).text;
    const labels = new Set(
      [...text.matchAll(/^subgraph_graphql_requests_total\{subgraph="regions",operation="([^"]+)"/gm)].map((m) => m[1]!),
    );
    expect(labels.size).toBeLessThanOrEqual(maxOperationLabels + 2); // + "other" and "anonymous"
    expect(labels.has('other')).toBe(true);
    const other = Number(/subgraph_graphql_requests_total\{subgraph="regions",operation="other",outcome="success"\} (\d+)/.exec(text)?.[1]);
    expect(other).toBeGreaterThanOrEqual(500 - maxOperationLabels);
    expect([...labels].filter((l) => l.startsWith('Probe')).length).toBeLessThan(maxOperationLabels);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('pool metrics on PostgreSQL', () => {
  it('reports the pg pool\'s connections, idle ones and waiting queries on each scrape', async () => {
    const { openDatabase } = await import('@talent-hub/subgraph-lib/db');
    const { subgraphMetrics } = await import('@talent-hub/subgraph-lib/metrics');
    const { sql } = await import('kysely');
    const database = await openDatabase<any>({ kind: 'postgres', url: process.env.TEST_DATABASE_URL! }, { name: 'pool_probe' });
    try {
      // Three statements at once on a fresh pool: three connections, idle once they are done.
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(database.db)));
      const text = await subgraphMetrics().registry.metrics();
      expect(text).toContain('subgraph_db_pool_connections{subgraph="pool_probe"} 3');
      expect(text).toContain('subgraph_db_pool_idle_connections{subgraph="pool_probe"} 3');
      expect(text).toContain('subgraph_db_pool_waiting_queries{subgraph="pool_probe"} 0');
      expect(text).toMatch(/subgraph_db_statements_total\{subgraph="pool_probe",kind="select"\} 3/);
    } finally {
      await database.close();
    }
    expect(await subgraphMetrics().registry.metrics()).not.toContain('subgraph="pool_probe"} 3');
  });
});

describe('readiness', () => {
  it('says 503 with the reason when migrations are behind the build', async () => {
    const database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: false });
    const ahead = { ...regionsSubgraph, migrations: { ...regionsSubgraph.migrations, '9999_not_yet_applied': { up: async () => {} } } };
    const running = await listenSubgraph(ahead, database.db, listen);
    try {
      const ready = await get(running.url, '/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({
        status: 'not ready',
        reasons: ['database schema is behind: 1 migration(s) not applied'],
        pendingMigrations: ['9999_not_yet_applied'],
      });
      // Alive all the same: an orchestrator must not restart it for that.
      expect((await get(running.url, '/health')).status).toBe(200);
    } finally {
      await running.stop();
      await database.close();
    }
  });

  it('says 503 when the database is closed', async () => {
    const database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: false });
    const running = await listenSubgraph(regionsSubgraph, database.db, listen);
    try {
      expect((await get(running.url, '/ready')).status).toBe(200);
      await database.close();
      const ready = await get(running.url, '/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text).reasons).toEqual([expect.stringMatching(/^database did not answer: /)]);
    } finally {
      await running.stop();
    }
  });

  it('says 503 when the database does not answer in time, 200 again once it does', async () => {
    const database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: false });
    const running = await listenSubgraph(regionsSubgraph, database.db, { ...listen, readinessTimeoutMs: 200 });
    let release!: () => void;
    // PGlite is one session: holding its only connection makes every other statement wait.
    const held = database.db.connection().execute(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      const ready = await get(running.url, '/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({ status: 'not ready', reasons: ['database did not answer within 200 ms'] });
      release();
      await held;
      expect((await get(running.url, '/ready')).status).toBe(200);
    } finally {
      release();
      await running.stop();
      await database.close();
    }
  });

  it('says 503 when PostgreSQL cannot be reached', async () => {
    const { openDatabase } = await import('@talent-hub/subgraph-lib/db');
    // Port 1 on this machine: nothing listens, the connection is refused at once.
    const database = await openDatabase<any>({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }, { name: 'regions' });
    const running = await listenSubgraph(regionsSubgraph, database.db, listen);
    try {
      const ready = await get(running.url, '/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text).reasons).toEqual([expect.stringMatching(/^database did not answer: .*ECONNREFUSED/)]);
    } finally {
      await running.stop();
      await database.close();
    }
  });
});

describe('drain', () => {
  it('stops accepting, then finishes the requests in flight before it resolves', async () => {
    const database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
    const lines: Record<string, any>[] = [];
    const logger = createLogger({ service: 'regions', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    const running = await listenSubgraph(regionsSubgraph, database.db, { ...listen, logger });
    let release!: () => void;
    // Requests wait for the database while it is held: they are in flight, parsed and started, but unanswered.
    const held = database.db.connection().execute(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      const inFlight = Array.from({ length: 5 }, (_, i) =>
        fetch(new URL('graphql', running.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `in-flight-${i}` },
          body: JSON.stringify({ query: `query InFlight { region(code: "ITH5") { name } }` }),
        }),
      );
      const metricsText = async () => (await get(running.url, '/metrics')).text;
      while (!(await metricsText()).includes('subgraph_graphql_requests_in_flight{subgraph="regions"} 5')) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      let done = false;
      const stopped = running.shutdown({ delayMs: 0, timeoutMs: 30_000 }).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      // No longer accepting, still waiting for the five.
      const refused = await fetch(new URL('/health', running.url)).then(
        () => 'answered',
        (error: { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(refused).toBe('ECONNREFUSED');
      expect(done).toBe(false);
      release();
      const responses = await Promise.all(inFlight);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(responses.map((r) => r.headers.get('connection'))).toEqual(['close', 'close', 'close', 'close', 'close']);
      for (const response of responses) expect(await response.json()).toEqual({ data: { region: { name: 'Emilia-Romagna' } } });
      await stopped;
      expect(lines.find((line) => line.msg === 'listener closed, requests in flight finished')).toMatchObject({ inFlightAtClose: 5, cutOff: 0 });
      expect(lines.filter((line) => line.msg === 'graphql request').map((line) => line.requestId).sort()).toEqual(
        ['in-flight-0', 'in-flight-1', 'in-flight-2', 'in-flight-3', 'in-flight-4'],
      );
    } finally {
      release();
      await held;
      await running.stop();
      await database.close();
    }
  });
});

describe('drain on SIGTERM', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-drain-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('as a process: not ready at once, serves through the delay, answers every request it accepted, exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const delayMs = 1_000;
    child = spawn(process.execPath, [...sourceNodeArgs, 'subgraphs/regions/main.ts'], {
      cwd: projectRoot,
      env: { ...process.env, REGIONS_PORT: String(port), DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: String(delayMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitUntilReady(url, exited);

    // Bounded load: 6 clients over keep-alive connections (as the gateway's pool), each sending its next request
    // as soon as the last is answered, and on past the signal, until the subgraph stops taking connections: as a
    // load balancer that has not yet seen /ready change would. Each request carries its own id.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const query = JSON.stringify({ query: 'query DrainProbe { regions(first: 100) { nodes { code name parent { code } } } }' });
    const answered = new Map<string, number>();
    const failed = new Map<string, string>();
    let sent = 0;
    let signalled = false;
    let answeredAfterSignal = 0;
    const client = async () => {
      for (;;) {
        const id = `drain-${++sent}`;
        try {
          answered.set(id, await send(agent, port, query, id));
          if (signalled) answeredAfterSignal += 1;
        } catch (error) {
          // The listener is closed (refused), or closed a connection before reading a request from it (reset).
          failed.set(id, (error as NodeJS.ErrnoException).code ?? String(error));
          return;
        }
      }
    };
    const clients = Array.from({ length: 6 }, client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answered.size).toBeGreaterThan(0);
    child.kill('SIGTERM');
    signalled = true;
    // During the delay: still serving, no longer ready (once the process has seen the signal).
    let ready = await get(url, '/ready');
    while (ready.status === 200) ready = await get(url, '/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'not ready', reasons: ['shutting down'] });

    const code = await exited;
    await Promise.all(clients);
    agent.destroy();
    expect(code).toBe(0);

    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
    const closed = lines.find((line) => line.msg === 'listener closed, requests in flight finished');
    // None was cut off. (Whether one was in flight at that instant depends on timing; the test above makes sure.)
    expect(closed?.cutOff).toBe(0);
    expect(lines.some((line) => line.msg === 'subgraph stopped')).toBe(true);
    // Every request the subgraph started serving was answered 200 to its client; a client request that failed
    // never reached it (refused or reset before it was read).
    const served = lines.filter((line) => line.msg === 'graphql request');
    expect(served.map((line) => line.status).filter((status) => status !== 200)).toEqual([]);
    expect(served.map((line) => line.requestId).filter((id) => answered.get(id) !== 200)).toEqual([]);
    expect([...failed.keys()].filter((id) => served.some((line) => line.requestId === id))).toEqual([]);
    expect([...answered.values()].every((status) => status === 200)).toBe(true);
    expect(served.length).toBe(answered.size);
    expect(answeredAfterSignal).toBeGreaterThan(0);
    // One line per request: id, operation, duration, outcome and statements, nothing of what it asked.
    expect(served[0]).toMatchObject({ service: 'regions', operation: 'DrainProbe', status: 200, outcome: 'success' });
    expect(served[0]!.statements).toBeGreaterThan(0);
    expect(typeof served[0]!.durationMs).toBe('number');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the subgraph exited before it was ready');
    try {
      if ((await fetch(new URL('/ready', url))).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the subgraph did not become ready in 90 s');
}

function send(agent: http.Agent, port: number, body: string, requestId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId };
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
