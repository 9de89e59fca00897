import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landingPage, webAppRoute } from './web.js';

describe('web app routes', () => {
  const dist = mkdtempSync(path.join(os.tmpdir(), 'web-'));
  let server: http.Server;
  let base: string;
  const big = 'console.log("x");\n'.repeat(200);

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Talent Hub</title>');
    writeFileSync(path.join(dist, 'assets', 'app-1a2b.js'), big);
    writeFileSync(path.join(os.tmpdir(), 'secret.txt'), 'outside');
    const route = webAppRoute({ name: 'dashboard', prefix: '/dashboard' }, dist);
    const landing = landingPage(dist);
    server = http.createServer((req, res) => {
      if (req.url!.startsWith('/dashboard')) void route.handle(req, res, 'r');
      else void landing(req, res, 'r');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves files, with hashed assets cached for a year and index.html revalidated', async () => {
    const asset = await fetch(`${base}/dashboard/assets/app-1a2b.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe(big);
    const page = await fetch(`${base}/dashboard/`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });

  it('answers client-side routes with index.html, missing files with 404, and redirects the bare prefix', async () => {
    expect(await (await fetch(`${base}/dashboard/programmes/emilia`)).text()).toContain('<title>Talent Hub</title>');
    expect((await fetch(`${base}/dashboard/assets/missing.js`)).status).toBe(404);
    const bare = await fetch(`${base}/dashboard?region=ITH5`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/dashboard/?region=ITH5');
  });

  it('never serves a file outside its folder', async () => {
    // Sent as written (fetch would normalise dot segments away before sending).
    for (const p of ['/dashboard/..%2Fsecret.txt', '/dashboard/../secret.txt', '/dashboard/assets/..%2F..%2Fsecret.txt', '/dashboard/%2e%2e/%2e%2e/etc/passwd.txt']) {
      const response = await rawGet(base, p);
      expect(response.status, p).toBe(404);
      expect(response.body).not.toContain('outside');
    }
    expect((await fetch(`${base}/dashboard/%E0%A4%A.js`)).status).toBe(400);
  });

  it('gzips on request, answers 304 to a matching ETag, refuses writes', async () => {
    const zipped = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      http.get(`${base}/dashboard/assets/app-1a2b.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(zipped.encoding).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(big);
    const etag = (await fetch(`${base}/dashboard/`)).headers.get('etag')!;
    expect((await fetch(`${base}/dashboard/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}/dashboard/`, { method: 'POST' })).status).toBe(405);
  });

  it('serves the landing page, and says how to build an app that is not built', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('Talent Hub');
    const missing = webAppRoute({ name: 'dashboard', prefix: '/dashboard' }, path.join(dist, 'nope'));
    const res = { writeHead: (status: number) => { res.status = status; }, end: (text: string) => { res.text = text; }, status: 0, text: '' };
    await missing.handle({ method: 'GET', url: '/dashboard/', resume() {} } as never, res as never, 'r');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build:web');
  });
});

function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    http.get({ hostname, port, path: rawPath }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });
}
