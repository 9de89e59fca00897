import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import { maskedMessage } from '@talent-hub/gateway/limits';
import { projectRoot } from '@talent-hub/platform/paths';
import { startStack, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// The error contract of a production gateway (errors masked, introspection off): client errors keep their code
// and message, so a client can act on them; only internal errors are masked; validation errors do not name fields
// of the schema that introspection would otherwise have to reveal.

let stack: Stack;
let production: RunningGateway;

beforeAll(async () => {
  stack = await startStack('pglite');
  production = await listenGateway({
    supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
    subgraphUrls: stack.subgraphUrls,
    watch: false,
    host: '127.0.0.1',
    port: 0,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    warmOperations: [],
    introspection: false,
    maskErrors: true,
  });
});
afterAll(async () => {
  await production?.stop();
  await stack?.stop();
});

async function send(body: unknown, token?: string) {
  const response = await fetch(production.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] } };
}

const unknownId = '00000000-0000-4000-8000-000000000000';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('a production gateway keeps client errors as they are', () => {
  it('NOT_FOUND of a write naming a missing record', async () => {
    const editor = await mintToken('cemr', 'editor');
    for (const [query, message] of [
      [`mutation { updateTalent(id: "${unknownId}", input: { displayName: "x" }) { id } }`, 'No talent has the id given in "id".'],
      [`mutation { cancelEvent(id: "no-such-event") { id } }`, 'No event has the id given in "id".'],
      [`mutation { acceptMentorship(id: "${unknownId}") { id } }`, 'No mentorship has the id given in "id".'],
    ]) {
      const { json } = await send({ query }, editor);
      expect(json.errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    }
  });

  it('persisted query errors: not found, and a hash that is not the query text', async () => {
    const notFound = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ nothing }') } } });
    expect(notFound.json.errors).toEqual([expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } })]);
    const mismatch = await send({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ something else }') } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.errors).toEqual([
      {
        message: expect.stringContaining('is not the SHA-256 of the query text'),
        extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
      },
    ]);
    expect(mismatch.json.errors![0]!.message).not.toBe(maskedMessage);
  });

  it('BAD_USER_INPUT, FORBIDDEN and UNAUTHENTICATED with their messages', async () => {
    const bad = await send({ query: '{ talent(id: "x") { id } }' });
    expect(bad.json.errors?.[0]).toMatchObject({ message: expect.stringContaining('must be a UUID'), extensions: { code: 'BAD_USER_INPUT' } });
    const anonymous = await send({ query: `mutation { cancelEvent(id: "no-such-event") { id } }` });
    expect(anonymous.json.errors?.[0]).toMatchObject({ message: expect.stringContaining('needs a signed-in caller'), extensions: { code: 'UNAUTHENTICATED' } });
    const viewer = await send({ query: `mutation { cancelEvent(id: "no-such-event") { id } }` }, await mintToken('cemr', 'viewer'));
    expect(viewer.json.errors?.[0]).toMatchObject({ message: expect.stringContaining('needs the role editor'), extensions: { code: 'FORBIDDEN' } });
  });

  it('does not suggest field names when introspection is off', async () => {
    const { status, json } = await send({ query: '{ talents(first: 1) { nodes { emial } } }' });
    expect(status).toBe(400);
    expect(json.errors).toHaveLength(1);
    expect(json.errors![0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json.errors![0]!.message).not.toMatch(/Did you mean|email/);
    // Outside production (introspection on) the suggestion helps whoever writes the query.
    const development = await stack.query('{ talents(first: 1) { nodes { emial } } }');
    expect(development.body.errors?.[0]?.message).toContain('Did you mean "email"?');
  });
});
