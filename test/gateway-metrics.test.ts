import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxOperationLabels } from '@talent-hub/platform/labels';
import { GatewayMetrics } from '@talent-hub/gateway/metrics';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import { projectRoot } from '@talent-hub/platform/paths';
import { startStack, type Stack } from './harness.js';

// GET /metrics and the request log lines of a gateway over the three subgraphs: the named series after some
// requests, operation labels bounded whatever names clients invent, and no variable values anywhere.

/** A variable value that must never show in metrics or logs. */
const secret = 'do-not-log-7f3a9c';

describe('gateway metrics and request logs', () => {
  let stack: Stack | undefined;
  let gateway: RunningGateway | undefined;
  const logged: Record<string, any>[] = [];

  beforeAll(async () => {
    stack = await startStack('pglite');
    gateway = await listenGateway({
      supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
      subgraphUrls: stack.subgraphUrls,
      watch: false,
      host: '127.0.0.1',
      port: 0,
      metrics: new GatewayMetrics(),
      logger: {
        debug() {},
        info: (message) => void (typeof message === 'object' && logged.push(message as Record<string, any>)),
        warn() {},
        error: console.error,
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await stack?.stop();
  });

  async function post(body: object, headers: Record<string, string> = {}) {
    const response = await fetch(gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, requestId: response.headers.get('x-request-id'), body: (await response.json()) as any };
  }

  const scrape = async () => {
    const response = await fetch(new URL('/metrics', gateway!.url));
    expect(response.status).toBe(200);
    return response.text();
  };

  it('counts requests by operation and outcome, fetches by subgraph, and plan cache hits, with one log line each', async () => {
    const lookup = { query: 'query EventLookup($id: ID!) { event(id: $id) { title } }', variables: { id: secret }, operationName: 'EventLookup' };
    const first = await post(lookup, { 'x-request-id': 'metrics-test-1' });
    expect(first.body).toEqual({ data: { event: null } });
    await post(lookup);
    expect((await post({ query: '{ region(code: "ITH5") { name } }' })).body.data.region.name).toBe('Emilia-Romagna');
    const partial = await post({ query: 'query Mixed { region(code: "Emilia") { name } event(id: "ewrc-2024-eu-belong") { title } }' });
    expect(partial.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(partial.body.data.event.title).toMatch(/^Skills/);
    const invalid = await post({ query: 'query Broken { nope }' });
    expect(invalid.status).toBe(400);

    const text = await scrape();
    expect(text).toContain('gateway_graphql_requests_total{operation="EventLookup",outcome="success"} 2');
    expect(text).toContain('gateway_graphql_requests_total{operation="anonymous",outcome="success"} 1');
    expect(text).toContain('gateway_graphql_requests_total{operation="Mixed",outcome="partial"} 1');
    expect(text).toContain('gateway_graphql_requests_total{operation="Broken",outcome="error"} 1');
    expect(text).toMatch(/gateway_graphql_request_duration_seconds_count\{operation="EventLookup",outcome="success"\} 2/);
    expect(text).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{subgraph="trainings",outcome="success"\} [3-9]/);
    expect(text).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{subgraph="regions",outcome="success"\} [2-9]/);
    // The second EventLookup found its plan; the first planned it (the known operations were planned at start,
    // uncounted).
    expect(text).toMatch(/gateway_query_plan_cache_lookups_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/gateway_query_plan_cache_lookups_total\{result="miss"\} [1-9]/);
    expect(text).toContain('gateway_response_cache_lookups_total{result="hit"} 0');
    expect(text).toContain('gateway_subgraph_circuit_state{subgraph="trainings"} 0');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).not.toContain(secret);

    const lines = logged.filter((l) => l.msg === 'graphql request');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({
      requestId: 'metrics-test-1',
      operation: 'EventLookup',
      operationType: 'query',
      outcome: 'success',
      status: 200,
      fetches: [{ subgraph: 'trainings', outcome: 'success', ms: expect.any(Number) }],
    });
    expect(lines[0]!.durationMs).toBeGreaterThan(0);
    expect(lines[3]).toMatchObject({ operation: 'Mixed', outcome: 'partial', errorCodes: ['BAD_USER_INPUT'] });
    expect(lines[3]!.fetches.map((f: { subgraph: string }) => f.subgraph).sort()).toEqual(['regions', 'trainings']);
    expect(lines[4]).toMatchObject({ operation: 'Broken', outcome: 'error', status: 400, errorCodes: ['GRAPHQL_VALIDATION_FAILED'], fetches: [] });
    const everything = JSON.stringify(logged);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('Emilia"'); // an argument's literal, quoted in the error message
    expect(everything).not.toContain('region(code');
  });

  it(`keeps at most ${maxOperationLabels} operation names as labels, the rest as other`, async () => {
    const names = Array.from({ length: 500 }, (_, i) => `Invented${i}`);
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(names.slice(i, i + 20).map((name) => post({ query: `query ${name} { __typename }` })));
    }
    // A name no GraphQL document can have, sent as operationName: never a label of its own.
    await post({ query: 'query A { __typename }', operationName: `${secret} OR 1=1` });

    const text = await scrape();
    const labels = new Set([...text.matchAll(/^gateway_graphql_requests_total\{operation="([^"]*)"/gm)].map((m) => m[1]));
    expect(labels.size).toBeLessThanOrEqual(maxOperationLabels + 2); // + anonymous and other
    expect(labels.has('other')).toBe(true);
    const named = [...labels].filter((l) => l !== 'other' && l !== 'anonymous');
    expect(named).toHaveLength(maxOperationLabels);
    const count = (outcome: string) => Number(new RegExp(`^gateway_graphql_requests_total\\{operation="other",outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1]);
    // The first test's EventLookup, Mixed and Broken came first: 97 invented names got a label of their own.
    expect(count('success')).toBe(500 - (maxOperationLabels - 3));
    expect(count('error')).toBe(1);
    expect(text).not.toContain(secret);
    expect(JSON.stringify(logged)).not.toContain(secret);
    const series = text.split('\n').filter((line) => line.startsWith('gateway_')).length;
    console.log(`[metrics] after 506 requests with 505 distinct operation names: ${labels.size} operation label values, ${series} gateway_* series lines`);
  });

  it('counts and logs the requests refused before GraphQL handling (bad token, bad JSON, too large), without their content', async () => {
    const badToken = await post({ query: '{ __typename }' }, { authorization: `Bearer ${secret}.${secret}.${secret}`, 'x-request-id': 'refused-1' });
    expect(badToken.status).toBe(401);
    const badJson = await fetch(gateway!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query": "${secret}` });
    expect(badJson.status).toBe(400);

    const text = await scrape();
    expect(text).toMatch(/gateway_http_refusals_total\{status="401"\} [1-9]/);
    expect(text).toMatch(/gateway_http_refusals_total\{status="400"\} [1-9]/);
    const refused = logged.filter((l) => l.msg === 'request refused');
    expect(refused.find((l) => l.requestId === 'refused-1')).toMatchObject({ status: 401, durationMs: expect.any(Number) });
    expect(refused.some((l) => l.status === 400)).toBe(true);
    expect(JSON.stringify(logged)).not.toContain(secret);
  });
});
