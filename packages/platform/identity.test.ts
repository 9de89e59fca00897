import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  identityFromClaims,
  InternalTokenSigner,
  InternalTokenVerifier,
  scopesOf,
  signInternalToken,
  verifyInternalToken,
  type Identity,
} from './identity.js';

const secret = 'a-test-secret-that-is-long-enough-1234567890';
const editor: Identity = { subject: 'u1', organisationId: 'cemr', roles: ['editor'] };

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

describe('internal tokens', () => {
  it('round-trips an identity', async () => {
    expect(await verifyInternalToken(await signInternalToken(editor, secret), secret)).toEqual(editor);
  });

  it('refuses a token signed with another secret, an expired one, and one of another audience', async () => {
    const other = await signInternalToken(editor, `${secret}-other`);
    await expect(verifyInternalToken(other, secret)).rejects.toThrow();
    const expired = await new SignJWT({ org: 'cemr', roles: ['editor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('talent-hub-gateway')
      .setAudience('talent-hub-subgraphs')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifyInternalToken(expired, secret)).rejects.toThrow(/exp/);
    const partnerToken = await new SignJWT({ org: 'cemr', roles: ['editor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('talent-hub-dev')
      .setAudience('talent-hub-graph')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(secret));
    await expect(verifyInternalToken(partnerToken, secret)).rejects.toThrow();
  });

  it('refuses an unsigned token (alg none)', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'none' })}.${part({ sub: 'u1', org: 'cemr', roles: ['admin'], iss: 'talent-hub-gateway', aud: 'talent-hub-subgraphs', exp: 4102444800 })}.`;
    await expect(verifyInternalToken(unsigned, secret)).rejects.toThrow();
    await expect(new InternalTokenVerifier(secret).verify(unsigned)).rejects.toThrow();
  });

  it('signs once per identity for a while, and the verifier remembers what it accepted', async () => {
    const signer = new InternalTokenSigner(secret);
    const first = await signer.sign(editor);
    expect(await signer.sign({ ...editor })).toBe(first);
    expect(await signer.sign({ ...editor, organisationId: 'aer' })).not.toBe(first);
    const verifier = new InternalTokenVerifier(secret);
    expect(await verifier.verify(first)).toEqual(editor);
    expect(await verifier.verify(first)).toEqual(editor);
  });
});
