import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { warmUpRequest } from './subgraph-source.js';
import { documentHash, manifestOf, TrustedDocuments } from './trusted-documents.js';
import { acceptingDocumentIds, clientNameOf, documentIdAsPersistedQuery, trustedDocumentsPlugin, type UntrustedDocument } from './trusted-documents-plugin.js';

// The modes on a small Apollo Server (one schema, no gateway): what runs, what is refused, what is counted and
// logged, and what is never parsed. test/trusted-documents.test.ts does the same through a real gateway.

const hello = 'query Hello { hello }';
const secret = 'query Secret { secret }';
const unknown = '{ hello secret }';
const documents = new TrustedDocuments({
  web: manifestOf([{ name: 'Hello', type: 'query', body: hello }]),
  dashboards: manifestOf([{ name: 'Secret', type: 'query', body: secret }]),
});

interface Recorder {
  events: UntrustedDocument[];
  warnings: unknown[];
  parsed: number;
  resolved: number;
  apqGets: number;
  apqSets: number;
}

function serverIn(mode: 'log' | 'enforce', introspection: boolean, record: Recorder) {
  const apq = new InMemoryLRUCache<string>();
  const server = new ApolloServer<BaseContext>({
    typeDefs: 'type Query { hello: String secret: String }',
    resolvers: {
      Query: {
        hello: () => (record.resolved++, 'hi'),
        secret: () => (record.resolved++, 's'),
      },
    },
    introspection,
    persistedQueries: {
      cache: {
        get: (key) => (record.apqGets++, apq.get(key)),
        set: (key, value, options) => (record.apqSets++, apq.set(key, value, options)),
        delete: (key) => apq.delete(key),
      },
    },
    plugins: [
      trustedDocumentsPlugin({
        mode,
        documents,
        introspection,
        logger: { debug() {}, info() {}, warn: (message) => record.warnings.push(message), error() {} },
        onUntrusted: (event) => record.events.push(event),
      }),
      { async requestDidStart() { return { async parsingDidStart() { record.parsed++; } }; } },
    ],
  });
  const front = acceptingDocumentIds(server);
  const post = async (body: Record<string, unknown>, client?: string) => {
    const headers = new HeaderMap([['content-type', 'application/json']]);
    if (client) headers.set('apollographql-client-name', client);
    const response = await front.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: 'POST', headers, search: '', body }, context: async () => ({}) });
    const text = response.body.kind === 'complete' ? response.body.string : '';
    return { status: response.status ?? 200, json: JSON.parse(text) as { data?: any; errors?: { message: string; extensions: { code: string; documentId?: string } }[] } };
  };
  return { server, post };
}

const fresh = (): Recorder => ({ events: [], warnings: [], parsed: 0, resolved: 0, apqGets: 0, apqSets: 0 });
const apq = (query: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(query) } } });

describe('TRUSTED_DOCUMENTS=log', () => {
  let record: Recorder;
  let server: ReturnType<typeof serverIn>;
  beforeAll(async () => {
    record = fresh();
    server = serverIn('log', false, record);
    await server.server.start();
  });
  afterAll(() => server.server.stop());
  beforeEach(() => Object.assign(record, fresh()));

  it('runs a trusted document without a word', async () => {
    expect(await server.post({ query: hello }, 'web')).toEqual({ status: 200, json: { data: { hello: 'hi' } } });
    expect(record.events).toEqual([]);
  });

  it('runs an unknown document, and counts and logs it with the client name and hash, never the text', async () => {
    const response = await server.post({ query: unknown }, 'web');
    expect(response).toEqual({ status: 200, json: { data: { hello: 'hi', secret: 's' } } });
    expect(record.events).toEqual([{ client: 'web', clientLabel: 'web', documentId: documentHash(unknown), action: 'logged' }]);
    expect(record.warnings).toEqual([{ msg: 'untrusted document', client: 'web', documentId: documentHash(unknown), mode: 'log' }]);
    expect(JSON.stringify(record.warnings)).not.toContain('secret');
  });

  it('logs a document once per client, and counts it every time', async () => {
    await server.post({ query: '{ hello }' }, 'web');
    await server.post({ query: '{ hello }' }, 'web');
    expect(record.events).toHaveLength(2);
    expect(record.warnings).toHaveLength(1);
  });

  it('labels a request without a client name `none`, and an unknown name `unknown`', async () => {
    await server.post({ query: hello });
    await server.post({ query: hello }, 'made-up');
    await server.post({ query: hello }, 'dashboards');
    expect(record.events.map((e) => e.clientLabel)).toEqual(['none', 'unknown', 'dashboards']);
  });

  it('keeps APQ for documents of no manifest: an unknown hash is PERSISTED_QUERY_NOT_FOUND, then registered and logged', async () => {
    const query = '{ secret }';
    expect((await server.post(apq(query), 'web')).json.errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await server.post({ query, ...apq(query) }, 'web')).json).toEqual({ data: { secret: 's' } });
    expect((await server.post(apq(query), 'web')).json).toEqual({ data: { secret: 's' } });
    expect(record.events.map((e) => e.action)).toEqual(['logged', 'logged']);
  });
});

describe('TRUSTED_DOCUMENTS=enforce', () => {
  let record: Recorder;
  let server: ReturnType<typeof serverIn>;
  beforeAll(async () => {
    record = fresh();
    server = serverIn('enforce', false, record);
    await server.server.start();
  });
  afterAll(() => server.server.stop());
  beforeEach(() => Object.assign(record, fresh()));

  it('runs a trusted document by its documentId, from the manifest, without asking the APQ store', async () => {
    expect(await server.post({ documentId: `sha256:${documentHash(hello)}` }, 'web')).toEqual({ status: 200, json: { data: { hello: 'hi' } } });
    expect(await server.post(apq(hello), 'web')).toEqual({ status: 200, json: { data: { hello: 'hi' } } });
    expect(record.apqGets).toBe(0);
    expect(record.apqSets).toBe(0);
  });

  it('runs the full text of a trusted document', async () => {
    expect(await server.post({ query: hello, operationName: 'Hello' }, 'web')).toEqual({ status: 200, json: { data: { hello: 'hi' } } });
  });

  it('refuses an unknown document with DOCUMENT_NOT_TRUSTED and 400 before parsing it', async () => {
    const response = await server.post({ query: unknown }, 'web');
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    expect(response.json.errors).toEqual([
      {
        message: expect.stringMatching(/^Document [0-9a-f]{64} is in no trusted documents manifest \(client "web"\)\. This gateway runs only trusted documents\. Send an operation your client ships/),
        extensions: { code: 'DOCUMENT_NOT_TRUSTED', documentId: documentHash(unknown) },
      },
    ]);
    expect(record.parsed).toBe(0);
    expect(record.resolved).toBe(0);
    expect(record.events).toEqual([{ client: 'web', clientLabel: 'web', documentId: documentHash(unknown), action: 'refused' }]);
  });

  it('trusts a document only for the clients whose manifest lists it', async () => {
    const response = await server.post({ query: secret }, 'web');
    expect(response.status).toBe(400);
    expect(response.json.errors?.[0]?.message).toMatch(/^Document [0-9a-f]{64} is not trusted for client "web"\./);
    expect((await server.post({ query: secret }, 'dashboards')).json).toEqual({ data: { secret: 's' } });
    expect((await server.post({ query: hello })).json.errors?.[0]?.message).toMatch(/not trusted for a request without a client name/);
    expect(record.resolved).toBe(1);
  });

  it('refuses an unknown id without looking in the APQ store, and never registers an unknown text', async () => {
    const response = await server.post({ documentId: `sha256:${'0'.repeat(64)}` }, 'web');
    expect(response.status).toBe(400);
    expect(response.json.errors?.[0]?.message).toMatch(/^Document 0{64} is in no trusted documents manifest \(client "web"\)/);
    expect((await server.post({ query: unknown, ...apq(unknown) }, 'web')).status).toBe(400);
    // A made-up id is neither echoed nor logged.
    const madeUp = await server.post({ documentId: '{ secret }' }, 'web');
    expect(madeUp.json.errors?.[0]?.extensions.documentId).toBe('(not a SHA-256 in hex)');
    expect(JSON.stringify(record.warnings)).not.toContain('secret');
    expect(record.apqGets).toBe(0);
    expect(record.apqSets).toBe(0);
    expect(record.parsed).toBe(0);
  });

  it('refuses introspection when introspection is off', async () => {
    expect((await server.post({ query: '{ __schema { queryType { name } } }' }, 'web')).json.errors?.[0]?.extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
  });

  it('lets the gateway\'s warm-up requests through', async () => {
    const response = await server.server.executeOperation({ query: unknown }, { contextValue: { [warmUpRequest]: true } as BaseContext });
    expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({ hello: 'hi', secret: 's' });
    expect(record.events).toEqual([]);
  });
});

describe('TRUSTED_DOCUMENTS=enforce with introspection on', () => {
  let record: Recorder;
  let server: ReturnType<typeof serverIn>;
  beforeAll(async () => {
    record = fresh();
    server = serverIn('enforce', true, record);
    await server.server.start();
  });
  afterAll(() => server.server.stop());

  it('runs introspection-only documents, fragments included, and refuses one that asks for more', async () => {
    expect((await server.post({ query: '{ __schema { queryType { name } } }' })).json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await server.post({ query: 'query { ...F } fragment F on Query { __typename }' })).json).toEqual({ data: { __typename: 'Query' } });
    const sneaky = await server.post({ query: 'query { __typename ...F } fragment F on Query { secret }' });
    expect(sneaky.status).toBe(400);
    expect(sneaky.json.errors?.[0]?.extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
    expect(record.resolved).toBe(0);
  });
});

describe('helpers', () => {
  it('read the client name from apollographql-client-name, else graphql-client-name', () => {
    expect(clientNameOf(new HeaderMap([['graphql-client-name', 'b'], ['apollographql-client-name', 'a']]))).toBe('a');
    expect(clientNameOf(new HeaderMap([['graphql-client-name', ' b ']]))).toBe('b');
    expect(clientNameOf(new HeaderMap([['apollographql-client-name', '']]))).toBeUndefined();
    expect(clientNameOf(undefined)).toBeUndefined();
  });

  it('turn documentId (sha256:<hex> or bare) into an APQ extension, in batches too, and leave other bodies as they are', () => {
    const id = documentHash(hello);
    expect(documentIdAsPersistedQuery({ documentId: `sha256:${id}`, variables: { a: 1 } })).toEqual({ variables: { a: 1 }, extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
    expect(documentIdAsPersistedQuery([{ documentId: id, extensions: { x: 1 } }])).toEqual([{ extensions: { x: 1, persistedQuery: { version: 1, sha256Hash: id } } }]);
    const plain = { query: hello };
    expect(documentIdAsPersistedQuery(plain)).toBe(plain);
  });
});
