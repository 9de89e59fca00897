import type { webcrypto } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, createAuthenticator, type AuthConfig } from './auth.js';
import { readAuthConfig } from './config.js';

const secret = 'gateway-test-secret-long-enough-0123456789';
const config: AuthConfig = { jwtSecret: secret, issuer: 'iss-test', audience: 'aud-test', clockToleranceSeconds: 30 };
const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown> = {}, options: { secret?: string; exp?: number; iss?: string; aud?: string } = {}) {
  return new SignJWT({ org: 'cemr', roles: ['editor'], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer(options.iss ?? 'iss-test')
    .setAudience(options.aud ?? 'aud-test')
    .setExpirationTime(options.exp ?? now() + 600)
    .sign(new TextEncoder().encode(options.secret ?? secret));
}

describe('bearer tokens (HS256)', () => {
  const authenticate = createAuthenticator(config);

  it('treats a request without Authorization as anonymous', async () => {
    expect(await authenticate(undefined)).toBeNull();
    expect(await authenticate('')).toBeNull();
  });

  it('accepts a valid token, and one expired within the clock skew', async () => {
    expect(await authenticate(`Bearer ${await token()}`)).toEqual({ subject: 'user-1', organisationId: 'cemr', roles: ['editor'] });
    expect(await authenticate(`Bearer ${await token({}, { exp: now() - 10 })}`)).not.toBeNull();
  });

  it.each([
    ['expired beyond the skew', () => token({}, { exp: now() - 120 }), /expired/],
    ['of another audience', () => token({}, { aud: 'other' }), /aud/],
    ['of another issuer', () => token({}, { iss: 'other' }), /iss/],
    ['signed with another secret', () => token({}, { secret: `${secret}-x` }), /signature/],
    ['with an unknown role', () => token({ roles: ['superuser'] }), /roles/],
    ['without an organisation', () => token({ org: undefined }), /org/],
  ])('refuses a token %s', async (_name, make, reason) => {
    const error = await authenticate(`Bearer ${await make()}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(reason);
  });

  it('refuses alg none and other algorithms', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = part({ sub: 'u', org: 'cemr', roles: ['admin'], iss: 'iss-test', aud: 'aud-test', exp: now() + 600 });
    await expect(authenticate(`Bearer ${part({ alg: 'none' })}.${body}.`)).rejects.toThrow(/algorithm|not a valid/);
    await expect(authenticate(`Bearer ${part({ alg: 'HS512' })}.${body}.c2ln`)).rejects.toThrow(AuthenticationError);
  });

  it('refuses headers that are not a bearer JWT', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer abc', `Bearer ${'a'.repeat(10)}.b`, 'bearer x.y.z extra']) {
      await expect(authenticate(header)).rejects.toThrow(AuthenticationError);
    }
  });
});

describe('bearer tokens from a JWKS (RS256, ES256)', () => {
  let server: http.Server;
  let jwksUrl: string;
  const keys: Record<string, webcrypto.CryptoKey> = {};

  beforeAll(async () => {
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    keys.RS256 = rsa.privateKey;
    keys.ES256 = ec.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' }, { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256' }] };
    server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (alg: 'RS256' | 'ES256', kid: string) =>
    new SignJWT({ org: 'aer', roles: ['viewer'] })
      .setProtectedHeader({ alg, kid })
      .setSubject('user-2')
      .setIssuer('iss-test')
      .setAudience('aud-test')
      .setExpirationTime('5m')
      .sign(keys[alg]!);

  it('accepts tokens signed by the published keys', async () => {
    const authenticate = createAuthenticator({ ...config, jwtSecret: undefined, jwksUrl });
    expect(await authenticate(`Bearer ${await sign('RS256', 'rsa')}`)).toMatchObject({ organisationId: 'aer' });
    expect(await authenticate(`Bearer ${await sign('ES256', 'ec')}`)).toMatchObject({ organisationId: 'aer' });
  });

  it('refuses HS256 tokens (even signed with the JWKS URL as secret) and unknown keys', async () => {
    const authenticate = createAuthenticator({ ...config, jwtSecret: undefined, jwksUrl });
    await expect(authenticate(`Bearer ${await token({}, { secret: jwksUrl.padEnd(40, 'x') })}`)).rejects.toThrow(AuthenticationError);
    await expect(authenticate(`Bearer ${await sign('RS256', 'unknown')}`)).rejects.toThrow(AuthenticationError);
  });
});

describe('configuration', () => {
  it('uses the development secret outside production and requires a key in production', () => {
    expect(readAuthConfig({}).jwtSecret).toBeTruthy();
    expect(() => readAuthConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => readAuthConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp.example/jwks' })).toThrow(/https/);
    expect(readAuthConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks' }).jwksUrl).toBe('https://idp.example/jwks');
    expect(() => readAuthConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/32/);
    expect(() => readAuthConfig({ AUTH_CLOCK_SKEW_SECONDS: '-1' })).toThrow(/AUTH_CLOCK_SKEW_SECONDS/);
  });
});
