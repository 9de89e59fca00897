import { describe, expect, it } from 'vitest';
import { fetchDevelopmentToken } from './dev-token.js';

const answering = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('fetchDevelopmentToken (POST /dev/token)', () => {
  it("returns the gateway's token", async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fake: typeof fetch = async (url, init) => {
      calls.push([String(url), init]);
      return new Response(JSON.stringify({ token: 'abc', expiresAt: '2031-01-01T00:00:00.000Z' }), { status: 200 });
    };
    expect(await fetchDevelopmentToken({ org: 'cemr', role: 'viewer' }, fake)).toEqual({ token: 'abc', expiresAt: '2031-01-01T00:00:00.000Z' });
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe('/dev/token');
    expect(calls[0]![1]?.method).toBe('POST');
    expect(JSON.parse(String(calls[0]![1]?.body))).toEqual({ org: 'cemr', role: 'viewer' });
  });

  it('says that a gateway without the route mints no tokens (404)', async () => {
    await expect(fetchDevelopmentToken({ org: 'cemr', role: 'viewer' }, answering(404, 'Not Found'))).rejects.toThrow(
      /^This gateway mints no development tokens .*paste a token into the headers\.$/,
    );
  });

  it("passes on the gateway's reason for a refused request", async () => {
    const refusal = { errors: [{ message: 'role must be one of viewer, editor, admin', extensions: { code: 'BAD_USER_INPUT' } }] };
    await expect(fetchDevelopmentToken({ org: 'cemr', role: 'owner' }, answering(400, refusal))).rejects.toThrow('No development token: role must be one of viewer, editor, admin');
  });

  it('says when the gateway cannot be reached', async () => {
    const failing: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(fetchDevelopmentToken({ org: 'cemr', role: 'viewer' }, failing)).rejects.toThrow('The gateway could not be reached for a development token.');
  });
});
