import { createHash, createHmac } from 'node:crypto';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  identityFromClaims,
  identityHeader,
  InternalTokenSigner,
  InternalTokenVerifier,
  internalRequestHeaders,
  internalTokenSeconds,
  scopesOf,
  signInternalToken,
  type Identity,
  type TokenBinding,
} from './identity.js';

const secret = 'a-test-secret-that-is-long-enough-1234567890';
const editor: Identity = { subject: 'u1', organisationId: 'cemr', roles: ['editor'] };
const binding: TokenBinding = { audience: 'talents', requestId: 'req-1', body: '{"query":"{ talents { nodes { id } } }"}' };

describe('scopes', () => {
  it('gives each role the weaker roles it includes', () => {
    expect([...scopesOf({ ...editor, roles: ['admin'] })].sort()).toEqual(['admin', 'authenticated', 'editor', 'viewer']);
    expect([...scopesOf({ ...editor, roles: ['viewer'] })].sort()).toEqual(['authenticated', 'viewer']);
    expect([...scopesOf(null)]).toEqual([]);
  });

  it('keeps the service role apart from partner roles', () => {
    expect([...scopesOf({ subject: 's', organisationId: '', roles: ['service'] })].sort()).toEqual(['authenticated', 'service']);
  });
});

describe('claims', () => {
  it('accepts a well-formed partner identity', () => {
    expect(identityFromClaims({ sub: 'u1', org: 'cemr', roles: ['editor', 'editor'] })).toEqual(editor);
  });

  it.each([
    [{ org: 'cemr', roles: ['editor'] }, /sub/],
    [{ sub: 'u', org: 'CEMR!', roles: ['editor'] }, /org/],
    [{ sub: 'u', roles: ['editor'] }, /org/],
    [{ sub: 'u', org: 'cemr', roles: [] }, /roles/],
    [{ sub: 'u', org: 'cemr', roles: ['owner'] }, /roles/],
    [{ sub: 'u', org: 'cemr', roles: 'editor' }, /roles/],
  ])('refuses %j', (claims, reason) => {
    expect(() => identityFromClaims(claims)).toThrow(reason);
  });

  it('refuses the service role from a partner token', () => {
    expect(() => identityFromClaims({ sub: 's', roles: ['service'] })).toThrow(/roles/);
  });
});

/** A token with claims of our choosing, signed with `key` as the signer would. */
function handMade(claims: Record<string, unknown>, key = secret, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

describe('internal tokens', () => {
  it('round-trip an identity, and an anonymous caller as null', () => {
    const verifier = new InternalTokenVerifier(secret);
    expect(verifier.verify(signInternalToken(editor, secret, binding), binding)).toEqual(editor);
    expect(verifier.verify(signInternalToken(null, secret, binding), binding)).toBeNull();
  });

  it('are standard HS256 JWTs (any JWT library verifies them) with the documented claims', async () => {
    const { payload, protectedHeader } = await jwtVerify(signInternalToken(editor, secret, binding), new TextEncoder().encode(secret), {
      issuer: 'talent-hub-gateway',
      audience: 'talents',
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'u1', org: 'cemr', roles: ['editor'], rid: 'req-1' });
    expect(payload.exp! - payload.iat!).toBe(internalTokenSeconds);
    expect(internalTokenSeconds).toBeLessThanOrEqual(10);
  });

  it('refuse a token for another subgraph, another request id or another body', () => {
    const token = signInternalToken(editor, secret, binding);
    const verifier = new InternalTokenVerifier(secret);
    expect(() => verifier.verify(token, { ...binding, audience: 'regions' })).toThrow(/not for the regions subgraph/);
    expect(() => verifier.verify(token, { ...binding, requestId: 'req-2' })).toThrow(/another request id/);
    expect(() => verifier.verify(token, { ...binding, body: '{"query":"mutation { eraseTalent(id: \\"x\\") { talentId } }"}' })).toThrow(/another request body/);
    // None of these used it up: the request it was signed for is still served.
    expect(verifier.verify(token, binding)).toEqual(editor);
  });

  it('are accepted once per process: a replay of the same token is refused', () => {
    const token = signInternalToken(editor, secret, binding);
    const verifier = new InternalTokenVerifier(secret);
    expect(verifier.verify(token, binding)).toEqual(editor);
    expect(() => verifier.verify(token, binding)).toThrow(/already used/);
    // A retry is signed again: a new token for the same request and body passes.
    expect(verifier.verify(signInternalToken(editor, secret, binding), binding)).toEqual(editor);
  });

  it('expire after their life (with 2 s of clock tolerance), and are not taken from the future', () => {
    let now = Date.UTC(2025, 0, 1, 12);
    const signer = new InternalTokenSigner(secret, { now: () => now });
    const verifier = new InternalTokenVerifier(secret, { now: () => now });
    const fresh = signer.sign(editor, binding);
    const old = signer.sign(editor, binding);
    now += (internalTokenSeconds + 1) * 1000;
    expect(verifier.verify(fresh, binding)).toEqual(editor);
    now += 2_000;
    expect(() => verifier.verify(old, binding)).toThrow(/expired/);
    const future = new InternalTokenSigner(secret, { now: () => now + 60_000 }).sign(editor, binding);
    expect(() => verifier.verify(future, binding)).toThrow(/future/);
  });

  it('refuse a token that claims a longer life, another secret, another issuer, another header or none (alg none)', () => {
    const verifier = new InternalTokenVerifier(secret);
    const iat = Math.floor(Date.now() / 1000);
    const claims = { iss: 'talent-hub-gateway', aud: 'talents', sub: 'u1', org: 'cemr', roles: ['admin'], iat, exp: iat + 60, jti: 'x', rid: 'req-1' };
    // `bh` as documented: SHA-256 of the body, base64url.
    const withHash = { ...claims, bh: createHash('sha256').update(binding.body).digest('base64url') };
    expect(() => verifier.verify(handMade(withHash), binding)).toThrow(/at most 10 s/);
    const good = { ...withHash, exp: iat + 10 };
    expect(() => verifier.verify(handMade(good, `${secret}-other`), binding)).toThrow(/signature/);
    expect(() => verifier.verify(handMade({ ...good, iss: 'talent-hub-dev' }), binding)).toThrow(/issued/);
    expect(() => verifier.verify(handMade(good, secret, { alg: 'HS256' }), binding)).toThrow(/not an internal token/);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(() => verifier.verify(`${part({ alg: 'none' })}.${part(good)}.`, binding)).toThrow(/not an internal token/);
    expect(() => verifier.verify(signInternalToken(editor, secret, binding).slice(0, -2), binding)).toThrow(/signature/);
    // The control: the same claims, correctly signed, pass.
    expect(verifier.verify(handMade(good), binding)).toEqual({ subject: 'u1', organisationId: 'cemr', roles: ['admin'] });
  });

  it('never sign the same token twice, and give the headers of one request', () => {
    const signer = new InternalTokenSigner(secret);
    expect(signer.sign(editor, binding)).not.toBe(signer.sign(editor, binding));
    const headers = internalRequestHeaders(editor, secret, { audience: 'regions', body: '{}' });
    expect(Object.keys(headers).sort()).toEqual(['x-request-id', identityHeader]);
    expect(new InternalTokenVerifier(secret).verify(headers[identityHeader]!, { audience: 'regions', requestId: headers['x-request-id']!, body: '{}' })).toEqual(editor);
  });
});
