import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeSubgraphs } from '../scripts/compose.js';
import { cacheReportHeader } from '@talent-hub/gateway/cache/subgraph-reports';
import { listenGateway } from '@talent-hub/gateway/server';
import { cacheHint, deduplicateRepresentations, spreadEntities, SubgraphDataSource, SubgraphPool, warmUpRequest } from '@talent-hub/gateway/subgraph-source';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: { query: string; variables?: Record<string, any>; operationName?: string };
}

/** A stand-in subgraph: records each request and answers what `answer` says. */
async function fakeSubgraph(answer: (body: Received['body']) => { status?: number; body: unknown; headers?: Record<string, string> }) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
      received.push({ headers: req.headers, body });
      const reply = answer(body);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function fetchOptions(request: GraphQLDataSourceProcessOptions['request'], restrict?: (hint: object) => void) {
  // Only the fields the data source reads; the rest of a request context does not matter to it.
  return {
    kind: 'incoming operation',
    request,
    context: {},
    incomingRequestContext: { overallCachePolicy: { restrict: restrict ?? (() => {}) } },
  } as unknown as GraphQLDataSourceProcessOptions;
}

const entitiesQuery = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Region{name}}}';

describe('deduplicateRepresentations and spreadEntities', () => {
  it('sends each distinct representation once and spreads the answers back over every position', () => {
    const representations = [
      { __typename: 'Region', code: 'ITH5' },
      { __typename: 'Region', code: 'BE10' },
      { __typename: 'Region', code: 'ITH5' },
      { __typename: 'Region', code: 'ITH5' },
    ];
    const deduplicated = deduplicateRepresentations(representations)!;
    expect(deduplicated.unique).toEqual([representations[0], representations[1]]);
    expect([...deduplicated.positions]).toEqual([0, 1, 0, 0]);
    const spread = spreadEntities({ data: { _entities: [{ name: 'Emilia-Romagna' }, { name: 'Bruxelles' }] } }, deduplicated.positions);
    expect(spread.data?._entities).toEqual([{ name: 'Emilia-Romagna' }, { name: 'Bruxelles' }, { name: 'Emilia-Romagna' }, { name: 'Emilia-Romagna' }]);
  });

  it('leaves fetches without repeats alone', () => {
    expect(deduplicateRepresentations([{ __typename: 'Region', code: 'ITH5' }, { __typename: 'Region', code: 'BE10' }])).toBeUndefined();
    expect(deduplicateRepresentations([{ __typename: 'Region', code: 'ITH5' }])).toBeUndefined();
    expect(deduplicateRepresentations(undefined)).toBeUndefined();
  });

  it('repeats an error about a distinct entity at each position it stands for', () => {
    const positions = Uint32Array.from([0, 1, 0]);
    const spread = spreadEntities(
      {
        data: { _entities: [null, { name: 'Bruxelles' }] },
        errors: [
          { message: 'gone', path: ['_entities', 0, 'name'] },
          { message: 'general' },
        ],
      },
      positions,
    );
    expect(spread.data?._entities).toEqual([null, { name: 'Bruxelles' }, null]);
    expect(spread.errors).toEqual([
      { message: 'gone', path: ['_entities', 0, 'name'] },
      { message: 'gone', path: ['_entities', 2, 'name'] },
      { message: 'general' },
    ]);
  });

  it('reads cache hints as the stock data source does', () => {
    expect(cacheHint(undefined)).toEqual({ maxAge: 0 });
    expect(cacheHint('max-age=60, public')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
    expect(cacheHint('private, max-age=x')).toEqual({ maxAge: 0, scope: 'PRIVATE' });
  });
});

describe('SubgraphDataSource', () => {
  const pool = new SubgraphPool({ maxConnections: 4, idleTimeoutMs: 1_000 });
  afterAll(() => pool.destroy());
  let closeSubgraph: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await closeSubgraph?.();
    closeSubgraph = undefined;
  });

  it('sends distinct representations over keep-alive connections and answers for every one asked', async () => {
    const subgraph = await fakeSubgraph((body) => ({
      body: { data: { _entities: body.variables!.representations.map((r: { code: string }) => ({ name: `name of ${r.code}` })) } },
    }));
    closeSubgraph = subgraph.close;
    const source = new SubgraphDataSource('regions', subgraph.url, pool);
    const codes = ['ITH5', 'ITH5', 'BE10', 'ITH5', 'BE10'];
    const representations = codes.map((code) => ({ __typename: 'Region', code }));
    const response = await source.process(fetchOptions({ query: entitiesQuery, variables: { representations } }));
    expect(response.data?._entities).toEqual(codes.map((code) => ({ name: `name of ${code}` })));
    expect(subgraph.received).toHaveLength(1);
    expect(subgraph.received[0]!.body.variables!.representations).toEqual([representations[0], representations[2]]);
    expect(subgraph.received[0]!.headers.connection).toBe('keep-alive');
    expect(subgraph.received[0]!.headers['apollo-federation-include-trace']).toBeUndefined();
  });

  it('has at most maxConnections requests in flight to a subgraph; the others wait their turn, in order', async () => {
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const server = http.createServer((req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const code = (JSON.parse(Buffer.concat(chunks).toString()) as Received['body']).variables!.representations[0].code as string;
        order.push(code);
        setTimeout(() => {
          inFlight -= 1;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { _entities: [{ name: code }] } }));
        }, 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closeSubgraph = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const narrow = new SubgraphPool({ maxConnections: 2, idleTimeoutMs: 1_000 });
    try {
      const source = new SubgraphDataSource('regions', `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, narrow);
      const codes = ['A', 'B', 'C', 'D', 'E', 'F'];
      const answers = await Promise.all(
        // Each its own request context, so that none is merged with another.
        codes.map((code) => source.process({ ...fetchOptions({ query: entitiesQuery, variables: { representations: [{ __typename: 'Region', code }] } }), context: {} })),
      );
      expect(answers.map((a) => (a.data?._entities as { name: string }[])[0]!.name)).toEqual(codes);
      expect(most).toBe(2);
      expect(order).toEqual(codes);
    } finally {
      narrow.destroy();
    }
  });

  it('asks for cache reports only when the gateway has a response cache to invalidate', async () => {
    const subgraph = await fakeSubgraph(() => ({ body: { data: { _entities: [{ name: 'Emilia-Romagna' }] } } }));
    closeSubgraph = subgraph.close;
    const withoutCache = new SubgraphPool({ maxConnections: 1, idleTimeoutMs: 1_000, cacheReports: false });
    try {
      const representations = [{ __typename: 'Region', code: 'ITH5' }];
      await new SubgraphDataSource('regions', subgraph.url, pool).process(fetchOptions({ query: entitiesQuery, variables: { representations } }));
      await new SubgraphDataSource('regions', subgraph.url, withoutCache).process(fetchOptions({ query: entitiesQuery, variables: { representations } }));
      expect(subgraph.received.map((r) => r.headers[cacheReportHeader])).toEqual(['1', undefined]);
    } finally {
      withoutCache.destroy();
    }
  });

  it('merges the fetches of one request that start together into one operation', async () => {
    const subgraph = await fakeSubgraph((body) => ({
      body: {
        data: Object.fromEntries(
          Object.entries(body.variables!).map(([name, representations]) => [
            `${name.split('_representations')[0]}__entities`,
            (representations as { code?: string; id?: string }[]).map((r) => ({ name: `name of ${r.code ?? r.id}` })),
          ]),
        ),
      },
    }));
    closeSubgraph = subgraph.close;
    const source = new SubgraphDataSource('regions', subgraph.url, pool);
    const incoming = { overallCachePolicy: { restrict() {} } };
    const options = (query: string, representations: object[]) =>
      ({ ...fetchOptions({ query, variables: { representations } }), incomingRequestContext: incoming }) as GraphQLDataSourceProcessOptions;
    const organisationsQuery = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Organisation{name}}}';
    const [regions, organisations] = await Promise.all([
      source.process(options(entitiesQuery, [{ __typename: 'Region', code: 'ITH5' }, { __typename: 'Region', code: 'ITH5' }])),
      source.process(options(organisationsQuery, [{ __typename: 'Organisation', id: 'aer' }])),
    ]);
    expect(regions.data).toEqual({ _entities: [{ name: 'name of ITH5' }, { name: 'name of ITH5' }] });
    expect(organisations.data).toEqual({ _entities: [{ name: 'name of aer' }] });
    expect(subgraph.received).toHaveLength(1);
    expect(Object.keys(subgraph.received[0]!.body.variables!)).toEqual(['_0_representations', '_1_representations']);
    expect(subgraph.received[0]!.body.variables!._0_representations).toHaveLength(1); // and deduplicated

    // Fetches of different requests are not merged.
    subgraph.received.length = 0;
    await Promise.all([
      source.process(options(entitiesQuery, [{ __typename: 'Region', code: 'BE10' }])),
      source.process({ ...options(organisationsQuery, [{ __typename: 'Organisation', id: 'aer' }]), incomingRequestContext: {} } as GraphQLDataSourceProcessOptions),
    ]);
    expect(subgraph.received).toHaveLength(2);
  });

  it('passes on a subgraph 4xx message and code, names the subgraph and hides its address', async () => {
    const subgraph = await fakeSubgraph(() => ({
      status: 400,
      body: { errors: [{ message: 'Argument "code" must be a NUTS code', extensions: { code: 'BAD_USER_INPUT' } }] },
    }));
    closeSubgraph = subgraph.close;
    const source = new SubgraphDataSource('regions', subgraph.url, pool);
    // A failed fetch is answered (data null, the errors), not thrown: the gateway then nulls only the fields it was to fill.
    const answer = await source.process(fetchOptions({ query: '{ region(code: "x") { name } }' }));
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors![0]).toMatchObject({ message: 'Argument "code" must be a NUTS code', extensions: { code: 'BAD_USER_INPUT', serviceName: 'regions' } });
  });

  it('says which subgraph could not be reached, without its address', async () => {
    const source = new SubgraphDataSource('regions', 'http://127.0.0.1:9/graphql', pool);
    const answer = await source.process(fetchOptions({ query: '{ __typename }' }));
    const failure = answer.errors![0]!;
    expect(failure).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'regions' } });
    expect(String(failure.message)).toMatch(/^Subgraph "regions" could not be reached/);
    expect(JSON.stringify(answer)).not.toContain('127.0.0.1');
  });

  it('restricts the response cache policy by the subgraph Cache-Control header', async () => {
    const subgraph = await fakeSubgraph(() => ({ body: { data: { __typename: 'Query' } }, headers: { 'cache-control': 'max-age=30, public' } }));
    closeSubgraph = subgraph.close;
    const hints: object[] = [];
    await new SubgraphDataSource('regions', subgraph.url, pool).process(fetchOptions({ query: '{ __typename }' }, (hint) => hints.push(hint)));
    expect(hints).toEqual([{ maxAge: 30, scope: 'PUBLIC' }]);
  });

  it('sends nothing for a warm-up request', async () => {
    const subgraph = await fakeSubgraph(() => ({ body: { data: {} } }));
    closeSubgraph = subgraph.close;
    const options = { ...fetchOptions({ query: '{ __typename }' }), context: { [warmUpRequest]: true } } as GraphQLDataSourceProcessOptions;
    expect(await new SubgraphDataSource('regions', subgraph.url, pool).process(options)).toEqual({ data: null });
    expect(subgraph.received).toHaveLength(0);
  });
});

describe('gateway over a subgraph that records what it is sent', () => {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Query { region(code: ID!): Region }
    type Region @key(fields: "code") { code: ID! name: String! }
  `);
  let folder: string;
  let subgraph: Awaited<ReturnType<typeof fakeSubgraph>>;
  let gateway: Awaited<ReturnType<typeof listenGateway>>;
  const plans = new Map<string, unknown>();
  const planCache = {
    get: async (key: string) => plans.get(key) as any,
    set: async (key: string, value: unknown) => void plans.set(key, value),
    delete: async (key: string) => plans.delete(key),
    clear: () => plans.clear(),
  };
  const operation = { name: 'RegionName', query: 'query RegionName($code: ID!) { region(code: $code) { name } }', variables: { code: 'ITH5' } };

  beforeAll(async () => {
    subgraph = await fakeSubgraph(() => ({ body: { data: { region: { name: 'Emilia-Romagna' } } } }));
    folder = mkdtempSync(path.join(os.tmpdir(), 'gateway-source-test-'));
    const supergraphPath = path.join(folder, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeSubgraphs([{ name: 'regions', url: subgraph.url, typeDefs }]).supergraphSdl);
    gateway = await listenGateway({
      supergraphPath,
      subgraphUrls: {},
      watch: false,
      host: '127.0.0.1',
      port: 0,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      warmOperations: [operation],
      queryPlanCache: planCache,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await subgraph?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('plans the known operations before it listens, without calling the subgraph', () => {
    // One plan with the operation name, one without (clients send either).
    expect(plans.size).toBe(2);
    expect(subgraph.received).toHaveLength(0);
  });

  it('serves a known operation from the warmed plan and never asks for inline traces', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: operation.query, variables: { code: 'ITH5' }, operationName: operation.name }),
    });
    expect(await response.json()).toEqual({ data: { region: { name: 'Emilia-Romagna' } } });
    expect(plans.size).toBe(2);
    expect(subgraph.received).toHaveLength(1);
    expect(subgraph.received[0]!.headers['apollo-federation-include-trace']).toBeUndefined();
    expect(subgraph.received[0]!.body.variables).toEqual({ code: 'ITH5' });
  });

  it('answers CORS preflights and refuses a body that is not JSON', async () => {
    const preflight = await fetch(gateway.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const broken = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(broken.status).toBe(400);
  });
});
