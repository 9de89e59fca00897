import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownOperations, talentExport, talentPage, talentsWithRegistrations } from '@talent-hub/gateway/known-operations';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import { developmentInternalSecret, identityHeader, InternalTokenSigner, internalRequestHeaders, type Identity } from '@talent-hub/platform/identity';
import { createLogger } from '@talent-hub/platform/logging';
import { projectRoot } from '@talent-hub/platform/paths';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { defaultSubgraphLimits, measureOperation, type SubgraphOperationMeasure } from '@talent-hub/subgraph-lib/limits';
import { encodeCursor } from '@talent-hub/subgraph-lib/pagination';
import { listenSubgraph, prepareDatabase, type RunningSubgraph, type SubgraphModule } from '@talent-hub/subgraph-lib/subgraph';
import { loadSubgraphs } from '../scripts/subgraphs.js';
import { mintToken } from './tokens.js';

// Limits at every hop (issue 13, finding 3): the subgraphs as production runs them (a token required, internal
// errors masked), behind a recording proxy so that what the gateway sends them is measured, and called directly
// as an attacker on the internal network would.

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };
const secret = developmentInternalSecret;
const cemrEditor: Identity = { subject: 'hop-test', organisationId: 'cemr', roles: ['editor'] };

let gateway: RunningGateway;
const databases: Record<string, Database<any>> = {};
const subgraphs: Record<string, RunningSubgraph> = {};
const subgraphUrls: Record<string, string> = {};
const proxies: http.Server[] = [];
/** Every request the gateway sent to a subgraph: its name, its body and whether it carried a token. */
const fetches: { subgraph: string; body: string; signed: boolean }[] = [];

/** A proxy in front of a subgraph that notes each request and passes it on unchanged. */
async function recordingProxy(subgraph: string, target: string): Promise<string> {
  const url = new URL(target);
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      fetches.push({ subgraph, body: body.toString('utf8'), signed: typeof req.headers[identityHeader] === 'string' });
      const forward = http.request({ host: url.hostname, port: url.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxies.push(proxy);
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
}

/** POSTs a body straight to a subgraph, signed for it as `as` (null: anonymous) unless `headers` says otherwise. */
async function direct(subgraph: string, body: string, options: { as?: Identity | null; headers?: Record<string, string>; url?: string } = {}) {
  const signed = options.headers ?? internalRequestHeaders(options.as ?? null, secret, { audience: subgraph, body });
  const response = await fetch(options.url ?? subgraphUrls[subgraph]!, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) as any };
}

async function viaGateway(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

function measureFetch(body: string): SubgraphOperationMeasure & { bytes: number } {
  const request = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
  const document = parse(request.query);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => o.name?.value === request.operationName) ?? operations[0]!;
  return { ...measureOperation(document, operation, request.variables ?? {}), bytes: Buffer.byteLength(body) };
}

beforeAll(async () => {
  const logger = createLogger({ service: 'hop', env: { LOG_LEVEL: 'silent', LOG_FORMAT: 'json' } });
  const proxied: Record<string, string> = {};
  for (const subgraph of await loadSubgraphs()) {
    const database = await prepareDatabase(subgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
    databases[subgraph.name] = database;
    // As in production: a token on every request, internal errors masked.
    const running = await listenSubgraph(subgraph, database.db, {
      host: '127.0.0.1',
      port: 0,
      internalTokenSecret: secret,
      subgraphUrls,
      requireIdentity: true,
      maskErrors: true,
      logger,
    });
    subgraphs[subgraph.name] = running;
    subgraphUrls[subgraph.name] = running.url;
    proxied[subgraph.name] = await recordingProxy(subgraph.name, running.url);
  }
  gateway = await listenGateway({
    supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
    subgraphUrls: proxied,
    watch: false,
    host: '127.0.0.1',
    port: 0,
    logger: quietLogger,
    warmOperations: [],
  });
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  for (const running of Object.values(subgraphs)) await running.stop();
  for (const proxy of proxies) await new Promise((resolve) => proxy.close(resolve));
  for (const database of Object.values(databases)) await database.close();
});

describe('what the gateway sends', () => {
  it('signs every fetch, anonymous callers included, and its largest fetches stay within the subgraph defaults', async () => {
    fetches.length = 0;
    const cemr = await mintToken('cemr', 'editor');
    const { body: listed } = await viaGateway('{ talents(first: 1, filter: { organisationId: "cemr" }) { nodes { id } } }', {}, cemr);
    const talentId = listed.data.talents.nodes[0].id as string;
    // The known operations at their largest pages, anonymous and as a partner.
    const runs: [string, Record<string, unknown>][] = [
      [talentsWithRegistrations.query, { first: 500 }],
      [talentExport.query, {}],
      [talentPage.query, { id: talentId }],
      ...knownOperations.filter((o) => o !== talentsWithRegistrations && o !== talentExport && o !== talentPage).map((o): [string, Record<string, unknown>] => [o.query, o.variables]),
    ];
    // And a client at the gateway's own limits: 10 root fields, 30 aliases, each root with its entity fetches, so
    // that the gateway merges parallel fetches (an alias per root field) into one operation per subgraph.
    const roots = Array.from({ length: 10 }, (_, i) =>
      `t${i}: talents(first: 50) { nodes { id home: residenceRegion { name parent { name parent { name } } } registrations(first: 10) { nodes { event { title at: region { name } organiser { name } } } } } }`,
    );
    runs.push([`query AtTheLimits { ${roots.join(' ')} }`, {}]);
    for (const [query, variables] of runs) {
      for (const token of [undefined, cemr]) {
        const { status, body } = await viaGateway(query, variables, token);
        expect(status, query).toBe(200);
        // Anonymous callers may see FORBIDDEN on personal fields; nothing else may be refused.
        expect((body.errors ?? []).map((e: any) => e.extensions.code).filter((c: string) => c !== 'FORBIDDEN'), query).toEqual([]);
      }
    }
    expect(fetches.length).toBeGreaterThan(runs.length);
    expect(fetches.every((f) => f.signed)).toBe(true);
    const largest = { depth: 0, aliases: 0, rootFields: 0, representations: 0, bytes: 0, entityFields: 0 };
    for (const f of fetches) {
      const measure = { ...measureFetch(f.body), entityFields: (f.body.match(/_entities\(/g) ?? []).length };
      for (const key of Object.keys(largest) as (keyof typeof largest)[]) largest[key] = Math.max(largest[key], measure[key]);
    }
    console.log(`largest gateway fetch over ${fetches.length} fetches: ${JSON.stringify(largest)}`);
    expect(largest.depth).toBeLessThanOrEqual(defaultSubgraphLimits.maxDepth);
    expect(largest.aliases).toBeLessThanOrEqual(defaultSubgraphLimits.maxAliases);
    expect(largest.rootFields).toBeLessThanOrEqual(defaultSubgraphLimits.maxRootFields);
    expect(largest.representations).toBeLessThanOrEqual(defaultSubgraphLimits.maxRepresentations);
    expect(largest.bytes).toBeLessThanOrEqual(defaultSubgraphLimits.maxBodyBytes);
  }, 120_000);
});

describe('a subgraph\'s own limits, before execution', () => {
  it('refuses 60 aliased talents(first: 500) without running them', async () => {
    const statements = databases.talents!.stats.statements;
    const flood = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: talents(first: 500) { nodes { id displayName } }`).join(' ')} }`;
    const response = await direct('talents', JSON.stringify({ query: flood }));
    expect(response.status).toBe(400);
    expect(response.json.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_ROOT_FIELDS', limit: 20, measured: 60 });
    expect(response.json.data).toBeUndefined();
    expect(databases.talents!.stats.statements).toBe(statements);
  });

  it('refuses too many aliases and too deep an operation', async () => {
    const aliases = `{ talents(first: 1) { nodes { ${Array.from({ length: 61 }, (_, i) => `f${i}: id`).join(' ')} } } }`;
    const tooMany = await direct('talents', JSON.stringify({ query: aliases }));
    expect([tooMany.status, tooMany.json.errors[0].extensions]).toEqual([400, { code: 'TOO_MANY_ALIASES', limit: 60, measured: 61 }]);
    let deep = 'name';
    for (let i = 0; i < 21; i++) deep = `parent { ${deep} }`;
    const tooDeep = await direct('regions', JSON.stringify({ query: `{ region(code: "ITH5") { ${deep} } }` }));
    expect([tooDeep.status, tooDeep.json.errors[0].extensions.code]).toEqual([400, 'QUERY_TOO_DEEP']);
  });

  it('refuses 20,000 entity representations, and takes 10,000', async () => {
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code } } }';
    const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Region', code: `X${i}` }));
    const statements = databases.regions!.stats.statements;
    const refused = await direct('regions', JSON.stringify({ query, variables: { r: representations(20_000) } }));
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REPRESENTATIONS', limit: 10_000, measured: 20_000 });
    expect(databases.regions!.stats.statements).toBe(statements);
    const taken = await direct('regions', JSON.stringify({ query, variables: { r: representations(10_000) } }));
    expect(taken.status).toBe(200);
    expect(taken.json.data._entities).toHaveLength(10_000);
  }, 60_000);

  it('refuses a body over 2 MiB with 413', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const response = await direct('regions', body);
    expect(response.status).toBe(413);
    expect(response.json.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: 2 * 1024 * 1024 });
  });
});

describe('cursors', () => {
  it('a forged cursor is BAD_USER_INPUT, with no database text, at every kind of key', async () => {
    const forged = [
      { query: 'query ($after: String) { talents(first: 1, after: $after) { nodes { id } } }', after: encodeCursor('talents', ['not-a-uuid']), list: 'talents' },
      { query: 'query ($after: String) { events(first: 1, after: $after) { nodes { id } } }', after: encodeCursor('events', ['yesterday', 'x']), list: 'events' },
      { query: 'query ($after: String) { events(first: 1, after: $after) { nodes { id } } }', after: encodeCursor('events', ['2024-02-30T10:00:00.000Z', 'x']), list: 'events' },
      { query: 'query ($after: String) { skills(first: 1, after: $after) { nodes { uri } } }', after: encodeCursor('skills', ['a\u0000b', 'x']), list: 'skills' },
    ];
    for (const { query, after, list } of forged) {
      const { body } = await viaGateway(query, { after });
      expect(body.errors?.map((e: any) => e.extensions.code), list).toEqual(['BAD_USER_INPUT']);
      expect(body.errors[0].message).toBe(`Argument "after" is not a cursor of this list (${list}); pass an endCursor it returned.`);
      expect(JSON.stringify(body)).not.toMatch(/syntax|uuid|timestamp|select/i);
    }
    // A nested list, resolved through a loader: a talent's registrations at trainings.
    const { body: listed } = await viaGateway('{ talents(first: 1) { nodes { id } } }');
    const nested = await direct('trainings', JSON.stringify({
      query: 'query ($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Talent { registrations(first: 1, after: $after) { totalCount } } } }',
      variables: { r: [{ __typename: 'Talent', id: listed.data.talents.nodes[0].id, personalDataReadable: true }], after: encodeCursor('registrations', ['2024-01-01T00:00:00Z', 'nope']) },
    }), { as: cemrEditor });
    expect(nested.json.errors?.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(nested.json.errors[0].message).toMatch(/not a cursor of this list/);
  });
});

describe('internal tokens', () => {
  const body = JSON.stringify({ query: '{ region(code: "ITH5") { name } }' });

  it('the control: a token signed for this subgraph, request and body is served, once', async () => {
    const headers = internalRequestHeaders(cemrEditor, secret, { audience: 'regions', body });
    const first = await direct('regions', body, { headers });
    expect([first.status, first.json.data]).toEqual([200, { region: { name: 'Emilia-Romagna' } }]);
    const replayed = await direct('regions', body, { headers });
    expect([replayed.status, replayed.json.errors[0].message]).toEqual([401, 'The caller\'s identity could not be verified: the token was already used.']);
  });

  it('refuses a token replayed at another subgraph, for another body, or under another request id', async () => {
    const forTalents = internalRequestHeaders(cemrEditor, secret, { audience: 'talents', body });
    const elsewhere = await direct('regions', body, { headers: forTalents });
    expect([elsewhere.status, elsewhere.json.errors[0].message]).toEqual([401, 'The caller\'s identity could not be verified: the token is not for the regions subgraph.']);
    const headers = internalRequestHeaders(cemrEditor, secret, { audience: 'regions', body });
    const other = JSON.stringify({ query: '{ organisations(first: 500) { nodes { id name } } }' });
    const anotherBody = await direct('regions', other, { headers });
    expect([anotherBody.status, anotherBody.json.errors[0].message]).toEqual([401, 'The caller\'s identity could not be verified: the token was signed for another request body.']);
    const anotherId = await direct('regions', body, { headers: { ...headers, 'x-request-id': 'another-request' } });
    expect(anotherId.status).toBe(401);
    expect(anotherId.json.errors[0].message).toMatch(/another request id/);
  });

  it('refuses a token older than its life', async () => {
    const past = new InternalTokenSigner(secret, { now: () => Date.now() - 15_000 });
    const old = await direct('regions', body, { headers: past.headers(cemrEditor, { audience: 'regions', body }) });
    expect([old.status, old.json.errors[0].message]).toEqual([401, 'The caller\'s identity could not be verified: the token has expired.']);
  });

  it('in production, refuses a request without a token; an anonymous token from the gateway is an anonymous caller', async () => {
    const bare = await direct('regions', body, { headers: {} });
    expect(bare.status).toBe(401);
    expect(bare.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const anonymous = await direct('regions', body, { as: null });
    expect(anonymous.json.data).toEqual({ region: { name: 'Emilia-Romagna' } });
    // A personal field through the gateway, anonymously: the subgraph took the caller as anonymous (FORBIDDEN), not as nobody at all (401).
    const { body: listed } = await viaGateway('{ talents(first: 1) { nodes { id givenName } } }');
    expect(listed.errors.map((e: any) => e.extensions.code)).toContain('FORBIDDEN');
  });
});

describe('browsers', () => {
  it('a request with an Origin header is refused and gets no CORS header; so is a preflight', async () => {
    const body = JSON.stringify({ query: '{ region(code: "ITH5") { name } }' });
    const simple = await fetch(subgraphUrls.regions!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...internalRequestHeaders(null, secret, { audience: 'regions', body }) },
      body,
    });
    expect(simple.status).toBe(403);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await simple.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    const preflight = await fetch(subgraphUrls.regions!, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('errors in production', () => {
  const boomModule: SubgraphModule<any, any> = {
    name: 'boom',
    typeDefs: parse('type Query { boom: String, strict(n: Int!): Int }'),
    resolvers: {
      Query: {
        boom: () => {
          throw new Error('relation "secret_table" does not exist (select * from secret_table)');
        },
        strict: (_: unknown, { n }: { n: number }) => n,
      },
    },
    migrations: {},
    seed: async () => false,
    createLoaders: () => ({}),
  };

  it('an internal error keeps its code and loses its message (logged with the request id); client errors keep theirs', async () => {
    const lines: Record<string, any>[] = [];
    const logger = createLogger({ service: 'boom', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    const boom = await listenSubgraph(boomModule, databases.regions!.db, { host: '127.0.0.1', port: 0, internalTokenSecret: secret, requireIdentity: true, maskErrors: true, logger });
    try {
      const body = JSON.stringify({ query: '{ boom }' });
      const response = await fetch(boom.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...internalRequestHeaders(null, secret, { audience: 'boom', body, requestId: 'boom-1' }) },
        body,
      });
      const json = (await response.json()) as any;
      expect(json.errors).toEqual([{ message: 'Internal server error', path: ['boom'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      const logged = lines.find((l) => l.msg === 'internal error');
      expect(logged).toMatchObject({ requestId: 'boom-1', err: { message: expect.stringContaining('secret_table') } });
      const invalid = JSON.stringify({ query: '{ strict(n: "x") }' });
      const refused = await fetch(boom.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...internalRequestHeaders(null, secret, { audience: 'boom', body: invalid }) },
        body: invalid,
      });
      const refusedJson = (await refused.json()) as any;
      expect(refusedJson.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refusedJson.errors[0].message).toMatch(/Int cannot represent/);
    } finally {
      await boom.stop();
    }
  });
});

describe('/metrics', () => {
  it('can require a bearer token, or move to a port of its own', async () => {
    const guarded = await listenSubgraph(boomless(), databases.regions!.db, { host: '127.0.0.1', port: 0, internalTokenSecret: secret, metricsAccess: { token: 'a-metrics-token-of-some-length' } });
    try {
      const url = new URL('/metrics', guarded.url);
      const refused = await fetch(url);
      expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="metrics"']);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-of-the-same-size!' } })).status).toBe(401);
      const allowed = await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-of-some-length' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toMatch(/subgraph_graphql_requests_in_flight/);
      expect((await fetch(new URL('/health', guarded.url))).status).toBe(200);
    } finally {
      await guarded.stop();
    }
    const port = await freePort();
    const apart = await listenSubgraph(boomless(), databases.regions!.db, { host: '127.0.0.1', port: 0, internalTokenSecret: secret, metricsAccess: { port } });
    try {
      expect((await fetch(new URL('/metrics', apart.url))).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/subgraph_graphql_requests_in_flight/);
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
    } finally {
      await apart.stop();
    }
    // Closed with the subgraph.
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});

function boomless(): SubgraphModule<any, any> {
  return { name: 'plain', typeDefs: parse('type Query { ok: Boolean }'), resolvers: { Query: { ok: () => true } }, migrations: {}, seed: async () => false, createLoaders: () => ({}) };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
