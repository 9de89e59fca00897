import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpFront, HttpRefusal, type FrontLimits, type HttpFrontOptions, type ReadinessReport, type Refusal } from './http-front.js';

// The HTTP front every service serves through, against a small Apollo Server: the operational endpoints, what is
// refused before GraphQL and how, CORS, the request hooks and the drain.

const typeDefs = `type Query { hello(name: String): String, slow(ms: Int!): String, scope: String }`;
const scope = new AsyncLocalStorage<string>();
const resolvers = {
  Query: {
    hello: (_: unknown, args: { name?: string }) => `hello ${args.name ?? 'world'}`,
    slow: async (_: unknown, args: { ms: number }) => new Promise((resolve) => setTimeout(() => resolve('done'), args.ms)),
    scope: () => scope.getStore() ?? null,
  },
};

interface Started {
  base: string;
  front: HttpFront<{ caller: string }>;
  refusals: Refusal[];
}

const started: HttpFront<any>[] = [];
afterEach(async () => {
  for (const front of started.splice(0)) await front.close(100);
});

async function start(options: Partial<Omit<HttpFrontOptions<{ caller: string }>, 'limits'>> & { limits?: Partial<FrontLimits>; ready?: ReadinessReport } = {}): Promise<Started> {
  const server = new ApolloServer<{ caller: string }>({ typeDefs, resolvers, allowBatchedHttpRequests: true });
  await server.start();
  const refusals: Refusal[] = [];
  const front = new HttpFront<{ caller: string }>({
    server,
    context: async () => ({ caller: 'someone' }),
    readiness: async () => options.ready ?? { ready: true, reasons: [] },
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', text: 'requests_total 1\n' }),
    onRefused: (refusal) => refusals.push(refusal),
    onError: () => undefined,
    ...options,
    limits: { maxBodyBytes: 1024, maxBatch: 2, corsOrigins: '*', ...options.limits },
  });
  started.push(front);
  const url = await front.listen('127.0.0.1', 0);
  return { base: url.replace(/\/$/, ''), front, refusals };
}

/** Waits (up to 5 s) until the condition holds: under load a request reaches the server later than a fixed pause assumes. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the server');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('HttpFront', () => {
  it('serves GraphQL at / and /graphql, with a request id on every answer', async () => {
    const { base } = await start();
    for (const path of ['/', '/graphql']) {
      const response = await post(`${base}${path}`, JSON.stringify({ query: '{ hello(name: "Bologna") }' }));
      expect(await response.json()).toEqual({ data: { hello: 'hello Bologna' } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const given = await post(`${base}/`, JSON.stringify({ query: '{ hello }' }), { 'x-request-id': 'trace-me-1' });
    expect(given.headers.get('x-request-id')).toBe('trace-me-1');
  });

  it('answers /health, /ready and /metrics in one shape, never cached, GET and HEAD only', async () => {
    const { base } = await start({ ready: { ready: false, reasons: ['database did not answer'], details: { pendingMigrations: ['0004'] } } });
    const health = await fetch(`${base}/health`);
    expect([health.status, await health.json(), health.headers.get('cache-control')]).toEqual([200, { status: 'ok' }, 'no-store']);
    const ready = await fetch(`${base}/ready?probe=1`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'not ready', reasons: ['database did not answer'], pendingMigrations: ['0004'] }]);
    const metrics = await fetch(`${base}/metrics`);
    expect([metrics.status, await metrics.text(), metrics.headers.get('cache-control')]).toEqual([200, 'requests_total 1\n', 'no-store']);
    const head = await fetch(`${base}/health`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    const postHealth = await fetch(`${base}/health`, { method: 'POST', body: '{}' });
    expect([postHealth.status, postHealth.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('says 404 with a GraphQL-shaped error for a path it does not serve', async () => {
    const { base, refusals } = await start();
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('NOT_FOUND');
    expect(refusals.map((r) => [r.status, r.code])).toEqual([[404, 'NOT_FOUND']]);
  });

  it('refuses too large (declared and streamed), non-UTF-8, malformed and over-batched bodies, each with its code', async () => {
    const { base, refusals } = await start();
    const codeOf = async (response: Response) => [response.status, ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code];
    expect(await codeOf(await post(base, JSON.stringify({ query: `{ hello(name: "${'x'.repeat(2000)}") }` })))).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    // A chunked body has no declared length: counted as it comes.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      request.on('error', reject);
      for (let i = 0; i < 5; i++) request.write('x'.repeat(400));
      request.end();
    });
    expect(streamed.status).toBe(413);
    expect(await codeOf(await post(base, '{"query":"{ hello }"}', { 'content-type': 'application/json; charset=utf-16' }))).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const badUtf8 = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(await codeOf(badUtf8)).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf(await post(base, '{"query":'))).toEqual([400, 'BAD_REQUEST']);
    const batch = JSON.stringify([{ query: '{ hello }' }, { query: '{ hello }' }, { query: '{ hello }' }]);
    const tooMany = await post(base, batch);
    expect(await tooMany.json()).toMatchObject({ errors: [{ extensions: { code: 'BATCH_TOO_LARGE', limit: 2, measured: 3 } }] });
    const two = await post(base, JSON.stringify([{ query: '{ hello }' }, { query: '{ hello(name: "B") }' }]));
    expect(await two.json()).toEqual([{ data: { hello: 'hello world' } }, { data: { hello: 'hello B' } }]);
    expect(refusals.map((r) => r.code)).toEqual(['PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'BAD_REQUEST', 'BAD_REQUEST', 'BATCH_TOO_LARGE']);
  });

  it('takes no batch at all with maxBatch 1', async () => {
    const { base } = await start({ limits: { maxBatch: 1 } });
    const response = await post(base, JSON.stringify([{ query: '{ hello }' }, { query: '{ hello }' }]));
    expect(await response.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/takes no batched requests/), extensions: { code: 'BATCH_TOO_LARGE' } }] });
  });

  it('answers a refusal of the caller with its status, code, message and headers', async () => {
    const { base, refusals } = await start({
      context: async (req) => {
        if (req.headers.authorization) throw new HttpRefusal(401, 'UNAUTHENTICATED', 'The bearer token was refused: it has expired.', { 'www-authenticate': 'Bearer error="invalid_token"' });
        return { caller: 'anonymous' };
      },
    });
    const refused = await post(base, JSON.stringify({ query: '{ hello }' }), { authorization: 'Bearer x.y.z' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await refused.json()).toEqual({ errors: [{ message: 'The bearer token was refused: it has expired.', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(refusals.map((r) => [r.status, r.code])).toEqual([[401, 'UNAUTHENTICATED']]);
    expect((await post(base, JSON.stringify({ query: '{ hello }' }))).status).toBe(200);
  });

  it('allows any origin with *, only listed origins otherwise, and refuses the preflight of another', async () => {
    const any = await start();
    const preflight = await fetch(any.base, {
      method: 'OPTIONS',
      headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin'), preflight.headers.get('access-control-allow-headers')]).toEqual([
      204,
      '*',
      'content-type',
    ]);
    const listed = await start({ limits: { corsOrigins: ['https://app.example.org'] } });
    const allowed = await post(listed.base, JSON.stringify({ query: '{ hello }' }), { origin: 'https://app.example.org' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    const other = await fetch(listed.base, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.status).toBe(403);
    const none = await start({ limits: { corsOrigins: [] } });
    const fromPage = await post(none.base, JSON.stringify({ query: '{ hello }' }), { origin: 'https://app.example.org' });
    expect([fromPage.status, fromPage.headers.get('access-control-allow-origin')]).toEqual([200, null]);
  });

  it('runs the execution inside the observe hook, after the body has been read', async () => {
    const observed: string[] = [];
    const { base } = await start({
      observe: (_req, res, requestId) => {
        observed.push(`start ${requestId}`);
        res.once('close', () => observed.push(`end ${requestId}`));
        return (execute) => scope.run(`request ${requestId}`, execute);
      },
    });
    const response = await post(base, JSON.stringify({ query: '{ scope }' }), { 'x-request-id': 'r-1' });
    expect(await response.json()).toEqual({ data: { scope: 'request r-1' } });
    await until(() => observed.length >= 2);
    expect(observed).toEqual(['start r-1', 'end r-1']);
  });

  it('drains: not ready at once, answers what it accepted, asks clients to close, then stops listening', async () => {
    const { base, front } = await start();
    const slow = post(base, JSON.stringify({ query: '{ slow(ms: 300) }' }));
    await until(() => front.requestsInFlight === 1);
    front.markNotReady();
    const ready = await fetch(`${base}/ready`);
    expect([ready.status, await ready.json(), ready.headers.get('connection')]).toEqual([503, { status: 'not ready', reasons: ['shutting down'] }, 'close']);
    const closing = front.close(5_000);
    const answer = await slow;
    expect([answer.status, await answer.json(), answer.headers.get('connection')]).toEqual([200, { data: { slow: 'done' } }, 'close']);
    expect(await closing).toEqual({ inFlightAtClose: 1, cutOff: 0 });
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });

  it('cuts off what is still running when the drain times out', async () => {
    const { base, front } = await start();
    const slow = post(base, JSON.stringify({ query: '{ slow(ms: 2000) }' })).catch((error: Error) => error);
    await until(() => front.requestsInFlight === 1);
    expect(await front.close(100)).toEqual({ inFlightAtClose: 1, cutOff: 1 });
    expect(await slow).toBeInstanceOf(Error);
  });
});

describe('HttpFront: routes beside GraphQL and the landing page', () => {
  it('hands a path and everything below it to its route, and nothing that only shares the prefix', async () => {
    const seen: string[] = [];
    const { base } = await start({
      routes: [{ prefix: '/export', handle: (req, res) => { seen.push(req.url!); res.end('rows'); } }],
    });
    expect(await (await fetch(`${base}/export/talents.csv?after=3`)).text()).toBe('rows');
    expect(await (await fetch(`${base}/export`)).text()).toBe('rows');
    expect((await fetch(`${base}/exports`)).status).toBe(404);
    expect(seen).toEqual(['/export/talents.csv?after=3', '/export']);
  });

  it('answers 500 when a route fails before its headers, and the server keeps serving', async () => {
    const errors: unknown[] = [];
    const { base } = await start({
      routes: [{ prefix: '/boom', handle: async () => { throw new Error('disk gone'); } }],
      onError: (error) => errors.push(error),
    });
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain('disk gone');
    expect(errors).toHaveLength(1);
    expect((await post(base, JSON.stringify({ query: '{ hello }' }))).status).toBe(200);
  });

  it('shows browsers the landing page at / and leaves GraphQL GETs and POSTs to Apollo', async () => {
    const { base } = await start({ landingPage: (_req, res) => { res.setHeader('content-type', 'text/html'); res.end('<title>Talent Hub</title>'); } });
    expect(await (await fetch(`${base}/`, { headers: { accept: 'text/html,application/xhtml+xml' } })).text()).toContain('Talent Hub');
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ hello }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': '1' } });
    expect(get.headers.get('content-type')).toMatch(/json/);
    expect(await (await post(base, JSON.stringify({ query: '{ hello }' }), { accept: 'text/html, application/json' })).json()).toEqual({ data: { hello: 'hello world' } });
  });

  it('waits for a route still answering when it drains', async () => {
    const { base, front } = await start({
      routes: [{ prefix: '/slow', handle: (_req, res) => { setTimeout(() => res.end('done'), 300); } }],
    });
    const answer = fetch(`${base}/slow`).then((r) => r.text());
    await until(() => front.requestsInFlight === 1);
    expect(await front.close(2_000)).toEqual({ inFlightAtClose: 1, cutOff: 0 });
    expect(await answer).toBe('done');
  });
});

describe('HttpFront: services that browsers never call, and /metrics access', () => {
  it('with refuseBrowsers, refuses any request with an Origin header (preflights too) and sends no CORS header', async () => {
    const { base, refusals } = await start({ limits: { corsOrigins: [], refuseBrowsers: true } });
    const simple = await post(`${base}/`, JSON.stringify({ query: '{ hello }' }), { origin: 'https://evil.example' });
    expect([simple.status, simple.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    expect(((await simple.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    const preflight = await fetch(`${base}/`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-methods')]).toEqual([403, null]);
    expect(refusals.map((r) => r.status)).toEqual([403, 403]);
    // A server calling a server sends no Origin: served.
    expect((await post(`${base}/`, JSON.stringify({ query: '{ hello }' }))).status).toBe(200);
  });

  it('passes the body as received to the context', async () => {
    let seen: Buffer | undefined;
    const { base } = await start({ context: async (_req, _id, body) => ((seen = body), { caller: 'x' }) });
    const text = JSON.stringify({ query: '{ hello(name: "é") }' });
    await post(`${base}/`, text);
    expect(seen?.toString('utf8')).toBe(text);
  });

  it('with a metrics token, /metrics needs it as a bearer token; /health and /ready do not', async () => {
    const { base } = await start({ metricsAccess: { token: 'a-scraper-token-0123' } });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer a-scraper-token-0124' } })).status).toBe(401);
    const scraped = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer a-scraper-token-0123' } });
    expect([scraped.status, await scraped.text()]).toEqual([200, 'requests_total 1\n']);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});
