import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { CircuitBreaker, SubgraphGuard, type BreakerState } from './resilience.js';
import { SubgraphDataSource, SubgraphPool } from './subgraph-source.js';

/** A subgraph stand-in whose answer to each request `respond` decides (`hang` never answers). */
async function standIn(respond: (attempt: number) => { status: number; body: unknown } | 'hang') {
  let attempts = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = respond(++attempts);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function incoming(operation: 'query' | 'mutation', context: object = {}): GraphQLDataSourceProcessOptions {
  return {
    kind: 'incoming operation',
    request: { query: operation === 'query' ? '{ __typename }' : 'mutation { touch }' },
    context,
    incomingRequestContext: { overallCachePolicy: { restrict: () => {} }, operation: { operation } },
  } as unknown as GraphQLDataSourceProcessOptions;
}

/** A failed fetch answers (rather than throws) its error at each field it was to fill; the first of them. */
const failureOf = (response: { errors?: readonly unknown[] }) => {
  expect(response).toMatchObject({ data: null, errors: expect.any(Array) });
  return response.errors![0];
};

const ok = { status: 200, body: { data: { __typename: 'Query' } } };
const unavailable = { status: 503, body: { errors: [{ message: 'down' }] } };

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, fails fast, lets one probe through after the cooldown, closes on success', () => {
    let now = 0;
    const changes: BreakerState[] = [];
    const breaker = new CircuitBreaker(3, 1_000, (state) => changes.push(state), () => now);
    breaker.failure();
    breaker.failure();
    breaker.success(); // a success in between starts the count again
    for (let i = 0; i < 3; i++) {
      expect(breaker.admit()).toBe(true);
      breaker.failure();
    }
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toBe(false);
    now = 999;
    expect(breaker.admit()).toBe(false);
    expect(breaker.retryInMs()).toBe(1);
    now = 1_000;
    expect(breaker.admit()).toBe(true); // the probe
    expect(breaker.state).toBe('half-open');
    expect(breaker.admit()).toBe(false); // one probe at a time
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 1_500;
    expect(breaker.admit()).toBe(false); // a new cooldown from the failed probe
    now = 2_000;
    expect(breaker.admit()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.admit()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });
});

describe('SubgraphGuard around the data source', () => {
  const pool = new SubgraphPool({ maxConnections: 4, idleTimeoutMs: 1_000 });
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  const guarded = (url: string, options: Partial<SubgraphGuard['options']> = {}, outcomes: string[] = []) =>
    new SubgraphDataSource(
      'trainings',
      url,
      pool,
      undefined,
      new SubgraphGuard('trainings', { timeoutMs: 1_000, requestTimeoutMs: 10_000, retries: 1, breakerFailures: 5, breakerCooldownMs: 60_000, ...options }, {
        onFetch: (outcome) => outcomes.push(outcome),
      }),
    );

  it('sends a query once more after a 5xx answer, and answers with the second attempt', async () => {
    const subgraph = await standIn((attempt) => (attempt === 1 ? unavailable : ok));
    close = subgraph.close;
    const outcomes: string[] = [];
    expect(await guarded(subgraph.url, {}, outcomes).process(incoming('query'))).toEqual({ data: { __typename: 'Query' } });
    expect(subgraph.attempts()).toBe(2);
    expect(outcomes).toEqual(['success']);
  });

  it('never sends a mutation twice', async () => {
    const subgraph = await standIn(() => unavailable);
    close = subgraph.close;
    const failure = await guarded(subgraph.url).process(incoming('mutation')).then(failureOf);
    expect(failure).toMatchObject({ path: ['touch'], extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'trainings', status: 503 } });
    expect(subgraph.attempts()).toBe(1);
  });

  it('does not retry an answer the subgraph gave on purpose (4xx)', async () => {
    const subgraph = await standIn(() => ({ status: 400, body: { errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] } }));
    close = subgraph.close;
    await guarded(subgraph.url).process(incoming('query')).catch(() => undefined);
    expect(subgraph.attempts()).toBe(1);
  });

  it('gives up at the deadline with SUBGRAPH_TIMEOUT naming the subgraph', async () => {
    const subgraph = await standIn(() => 'hang');
    close = subgraph.close;
    const started = performance.now();
    const failure = await guarded(subgraph.url, { timeoutMs: 300 }).process(incoming('query')).then(failureOf);
    const elapsed = performance.now() - started;
    expect(failure).toMatchObject({
      message: 'Subgraph "trainings" did not answer within 300 ms.',
      extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'trainings' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(600);
    // The deadline covers the retries: a timed-out attempt leaves no time for another.
    expect(subgraph.attempts()).toBe(1);
  });

  it('fails fast with SUBGRAPH_UNAVAILABLE once the circuit is open, and closes it on a successful probe', async () => {
    let healthy = false;
    const subgraph = await standIn(() => (healthy ? ok : unavailable));
    close = subgraph.close;
    const outcomes: string[] = [];
    const source = guarded(subgraph.url, { retries: 0, breakerFailures: 3, breakerCooldownMs: 200 }, outcomes);
    for (let i = 0; i < 3; i++) await source.process(incoming('query')).catch(() => undefined);
    expect(subgraph.attempts()).toBe(3);
    const started = performance.now();
    const fast = await source.process(incoming('query')).then(failureOf);
    expect(performance.now() - started).toBeLessThan(100);
    expect(fast).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'trainings' } });
    expect(String((fast as Error).message)).toMatch(/^Subgraph "trainings" is unavailable after repeated failures \(tried again in 1 s\)/);
    expect(subgraph.attempts()).toBe(3); // not sent
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await source.process(incoming('query'))).toEqual({ data: { __typename: 'Query' } });
    expect(await source.process(incoming('query'))).toEqual({ data: { __typename: 'Query' } });
    expect(outcomes).toEqual(['error', 'error', 'error', 'circuit_open', 'success', 'success']);
  });

  it('says which subgraph could not be reached and retries a query once on a refused connection', async () => {
    const subgraph = await standIn(() => ok);
    await subgraph.close();
    const outcomes: string[] = [];
    const failure = await guarded(subgraph.url, {}, outcomes).process(incoming('query')).then(failureOf);
    expect(failure).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'trainings' } });
    expect(String((failure as Error).message)).toBe('Subgraph "trainings" could not be reached (ECONNREFUSED).');
    expect(outcomes).toEqual(['unavailable']);
  });

  it('does not count a mutation that timed out against the circuit: reads still go through', async () => {
    let hang = true;
    const subgraph = await standIn(() => (hang ? 'hang' : ok));
    close = subgraph.close;
    const outcomes: string[] = [];
    const source = guarded(subgraph.url, { timeoutMs: 100, retries: 0, breakerFailures: 2 }, outcomes);
    for (let i = 0; i < 3; i++) {
      expect(await source.process(incoming('mutation')).then(failureOf)).toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
    }
    hang = false;
    expect(await source.process(incoming('query'))).toEqual({ data: { __typename: 'Query' } });
    expect(outcomes).toEqual(['timeout', 'timeout', 'timeout', 'success']);
    // Queries that time out still open it.
    hang = true;
    for (let i = 0; i < 2; i++) await source.process(incoming('query')).then(failureOf);
    expect(await source.process(incoming('query')).then(failureOf)).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  });

  it("ends a fetch at the request's deadline when it comes first, without counting it against the circuit", async () => {
    const subgraph = await standIn(() => 'hang');
    close = subgraph.close;
    const source = guarded(subgraph.url, { timeoutMs: 5_000, retries: 1, breakerFailures: 1 });
    const started = performance.now();
    const failure = await source.process(incoming('query', { deadline: started + 200 })).then(failureOf);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(failure).toMatchObject({
      message: 'The request\'s deadline (10000 ms for all its fetches) passed before subgraph "trainings" answered.',
      extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'trainings' },
    });
    expect(subgraph.attempts()).toBe(1);
    // A deadline already passed: not sent at all. The circuit (1 failure opens it) is still closed.
    expect(await source.process(incoming('query', { deadline: performance.now() - 1 })).then(failureOf)).toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
    expect(subgraph.attempts()).toBe(1);
    expect(source['guard'].breaker.state).toBe('closed');
  });
});
