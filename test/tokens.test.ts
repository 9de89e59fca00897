import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentInternalSecret, identityHeader, internalRequestHeaders, type Identity } from '@talent-hub/platform/identity';
import { startStack, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Bearer tokens at the gateway, one way of getting them wrong at a time, and identities forged straight at a
// subgraph. A talent's personal fields (givenName) are readable only by its organisation: they show whether a
// request was taken as that organisation's or as anonymous.

let stack: Stack;
/** A cemr talent with a given name in the seed, and that name. */
let talent: { id: string; givenName: string };

const talentQuery = 'query ($id: ID!) { talent(id: $id) { id displayName givenName } }';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function withAuthorization(authorization: string) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: talentQuery, variables: { id: talent.id } }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

async function refused(authorization: string, reason: RegExp) {
  const response = await withAuthorization(authorization);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(response.body.errors[0].message).toMatch(reason);
  expect(response.body.data).toBeUndefined();
  return response.body.errors[0].message as string;
}

beforeAll(async () => {
  stack = await startStack('pglite');
  const token = await mintToken('cemr', 'viewer');
  const { body } = await stack.query('{ talents(first: 50, filter: { organisationId: "cemr" }) { nodes { id givenName } } }', {}, { token });
  talent = body.data.talents.nodes.find((t: { givenName: string | null }) => t.givenName !== null);
  expect(talent, 'a cemr talent with a given name in the seed').toBeDefined();
});
afterAll(() => stack?.stop());

describe('bearer tokens at the gateway', () => {
  it('a valid token of the talent\'s organisation reads its personal fields; anonymous callers do not', async () => {
    const valid = await withAuthorization(`Bearer ${await mintToken('cemr', 'viewer')}`);
    expect(valid.status).toBe(200);
    expect(valid.body).toEqual({ data: { talent: { id: talent.id, displayName: expect.any(String), givenName: talent.givenName } } });
    const anonymous = await stack.query(talentQuery, { id: talent.id });
    expect(anonymous.body.data.talent.givenName).toBeNull();
    expect(anonymous.body.errors![0]!.path).toEqual(['talent', 'givenName']);
  });

  it('refuses an expired token beyond the clock skew (30 s), and accepts one within it', async () => {
    const message = await refused(`Bearer ${await mintToken('cemr', 'viewer', { expiresIn: now() - 120 })}`, /expired/);
    expect(message).toBe('The bearer token was refused: it has expired.');
    const withinSkew = await withAuthorization(`Bearer ${await mintToken('cemr', 'viewer', { expiresIn: now() - 10 })}`);
    expect(withinSkew.status).toBe(200);
  });

  it('refuses a wrong audience, a wrong issuer and a wrong signature', async () => {
    await refused(`Bearer ${await mintToken('cemr', 'viewer', { audience: 'another-api' })}`, /claim check failed \(aud\)/);
    await refused(`Bearer ${await mintToken('cemr', 'viewer', { issuer: 'https://evil.example' })}`, /claim check failed \(iss\)/);
    await refused(`Bearer ${await mintToken('cemr', 'viewer', { secret: 'another-secret-of-at-least-32-characters!!' })}`, /signature does not match/);
  });

  it('refuses an unsigned token (alg none), whatever it claims', async () => {
    const claims = { sub: 'mallory', org: 'cemr', roles: ['admin'], iss: 'talent-hub-dev', aud: 'talent-hub-graph', iat: now(), exp: now() + 600 };
    await refused(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, /refused/);
    // The same with the signature of another token pasted on.
    const real = (await mintToken('cemr', 'viewer')).split('.')[2];
    await refused(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.${real}`, /refused/);
    // A header naming HS256 over forged claims with a signature from another token.
    await refused(`Bearer ${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${real}`, /signature does not match/);
  });

  it('refuses malformed Authorization headers', async () => {
    for (const header of ['Bearer x', 'Basic dXNlcjpwYXNzd29yZA==', 'Bearer', 'bearer', `Token ${await mintToken('cemr')}`, 'Bearer a.b', 'Bearer a.b.c.d']) {
      await refused(header, /Authorization header must be "Bearer <JWT>"|refused/);
    }
  });

  it('refuses roles it does not know, and a client claiming to be a service', async () => {
    await refused(`Bearer ${await mintToken('cemr', 'viewer', { roles: ['superuser'] })}`, /`roles` claim must be a non-empty list of viewer, editor, admin/);
    await refused(`Bearer ${await mintToken('cemr', 'viewer', { roles: ['service'] })}`, /`roles` claim/);
    await refused(`Bearer ${await mintToken('cemr', 'viewer', { roles: [] })}`, /`roles` claim/);
    await refused(`Bearer ${await mintToken('cemr', 'viewer', { roles: 'admin' })}`, /`roles` claim/);
  });

  it('refuses an organisation claim that is not an organisation id', async () => {
    await refused(`Bearer ${await mintToken("cemr' or '1'='1", 'viewer')}`, /`org` claim/);
  });
});

describe('identities forged at a subgraph', () => {
  const cemrEditor: Identity = { subject: 'mallory', organisationId: 'cemr', roles: ['editor'] };
  const emiliaEditor: Identity = { subject: 'mallory', organisationId: 'emilia-romagna-region', roles: ['admin'] };

  /** Headers for a request to `subgraph` signed as `identity` with `secret`, for its exact body. */
  const signedAs = (identity: Identity, subgraph: string, secret = developmentInternalSecret) => (body: string) =>
    internalRequestHeaders(identity, secret, { audience: subgraph, body });

  async function direct(subgraph: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> | ((body: string) => Record<string, string>)) {
    const body = JSON.stringify({ query, variables });
    const response = await fetch(stack.subgraphUrls[subgraph]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(typeof headers === 'function' ? headers(body) : headers) },
      body,
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('a correctly signed identity is honoured (the control)', async () => {
    const signed = await direct('talents', talentQuery, { id: talent.id }, signedAs(cemrEditor, 'talents'));
    expect(signed.status).toBe(200);
    expect(signed.body.data.talent.givenName).toBe(talent.givenName);
  });

  it('refuses an identity signed with another secret, an unsigned one, and a client\'s bearer token, with 401', async () => {
    const forged = [
      signedAs(cemrEditor, 'talents', 'a-guessed-secret-that-is-long-enough-0000'),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', org: 'cemr', roles: ['editor'], iss: 'talent-hub-gateway', aud: 'talent-hub-subgraphs', exp: now() + 60 })}.`,
      await mintToken('cemr', 'editor'),
      'cemr',
    ];
    for (const header of forged) {
      const response = await direct('talents', talentQuery, { id: talent.id }, typeof header === 'function' ? header : { [identityHeader]: header });
      expect(response.status).toBe(401);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(response.body.data).toBeUndefined();
    }
  });

  it('treats made-up headers (x-org, x-user) as an anonymous caller: personal fields stay closed', async () => {
    const response = await direct('talents', talentQuery, { id: talent.id }, { 'x-org': 'cemr', 'x-organisation-id': 'cemr', 'x-roles': 'admin', 'x-user': 'mallory' });
    expect(response.status).toBe(200);
    expect(response.body.data.talent.givenName).toBeNull();
    expect(response.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it('refuses a write at the regions subgraph with a forged identity, and without one', async () => {
    const mutation = `mutation ($indicators: [IndicatorUpdateInput!]!) {
      updateProgrammeIndicators(programmeId: "emilia-romagna-talents", indicators: $indicators) { id }
    }`;
    const variables = { indicators: [{ code: 'talents-reached', value: '1', asOf: '2024-06-30' }] };
    const before = await stack.databases.regions!.db.selectFrom('indicators').selectAll().orderBy(['programme_id', 'code']).execute();

    const forged = await direct('regions', mutation, variables, signedAs(emiliaEditor, 'regions', 'a-guessed-secret-that-is-long-enough-0000'));
    expect(forged.status).toBe(401);
    const plain = await direct('regions', mutation, variables, { 'x-org': 'emilia-romagna-region', 'x-roles': 'admin' });
    expect(plain.body.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(plain.body.data).toBeNull();

    expect(await stack.databases.regions!.db.selectFrom('indicators').selectAll().orderBy(['programme_id', 'code']).execute()).toEqual(before);
    // And through the gateway with a real editor token of the managing organisation, it is accepted.
    const through = await stack.query(mutation, variables, { token: await mintToken('emilia-romagna-region', 'editor') });
    expect(through.body.errors).toBeUndefined();
    expect(through.body.data.updateProgrammeIndicators.id).toBe('emilia-romagna-talents');
  });
});
