import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuthConfig } from './config.js';
import { createAuthenticator } from './auth.js';
import { devTokenRoute, mintsDevelopmentTokens } from './dev-token.js';

describe('POST /dev/token', () => {
  const auth = readAuthConfig({});
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    const route = devTokenRoute(auth);
    server = http.createServer((req, res) => void route.handle(req, res, 'r'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/token`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is offered only with the development secret', () => {
    expect(mintsDevelopmentTokens(auth)).toBe(true);
    expect(mintsDevelopmentTokens(readAuthConfig({ AUTH_JWT_SECRET: 'a-real-secret-of-at-least-32-characters!' }))).toBe(false);
    expect(mintsDevelopmentTokens(readAuthConfig({ AUTH_JWKS_URL: 'http://127.0.0.1:1/jwks' }))).toBe(false);
  });

  it('mints a token the gateway accepts, for the organisation and role asked', async () => {
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ org: 'cemr', role: 'editor' }) });
    expect(response.status).toBe(200);
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const identity = await createAuthenticator(auth)(`Bearer ${token}`);
    expect(identity).toMatchObject({ organisationId: 'cemr' });
  });

  it('refuses bad bodies, other methods and other origins with a clear error', async () => {
    const cases: [RequestInit, number, RegExp][] = [
      [{ method: 'POST', body: 'not json' }, 400, /must be JSON/],
      [{ method: 'POST', body: '{"role":"viewer"}' }, 400, /"org"/],
      [{ method: 'POST', body: '{"org":"cemr","role":"owner"}' }, 400, /role must be one of/],
      [{ method: 'POST', body: 'x'.repeat(5000) }, 400, /larger than/],
      [{ method: 'GET' }, 405, /POST/],
      [{ method: 'POST', body: '{"org":"cemr"}', headers: { origin: 'https://evil.example' } }, 403, /pages of this gateway/],
    ];
    for (const [init, status, message] of cases) {
      const response = await fetch(url, init);
      expect(response.status, String(init.body)).toBe(status);
      expect(((await response.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(message);
    }
  });
});
