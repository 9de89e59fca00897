import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InternalTokenSigner } from '@talent-hub/platform/identity';
import { exportProxy, type ExportProxyOptions } from './export-proxy.js';

// The export proxy when the owning subgraph is missing, down or hung: a clear JSON refusal within the deadline,
// never a download left open.

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function gatewayWith(options: Pick<ExportProxyOptions, 'subgraphUrl' | 'answerTimeoutMs'>): Promise<string> {
  const route = exportProxy({ authenticate: async () => null, signer: new InternalTokenSigner('s'.repeat(32)), ...options });
  return listen((req, res) => void route.handle(req, res, 'request-1'));
}

async function download(base: string, path: string) {
  const response = await fetch(new URL(path, base));
  return { status: response.status, body: (await response.json()) as { errors: { message: string; extensions: { code: string } }[] } };
}

describe('export proxy', () => {
  it('answers 502 naming the subgraph when the owner cannot be reached', async () => {
    const closed = await listen(() => {});
    servers[0]!.close();
    const base = await gatewayWith({ subgraphUrl: () => closed, answerTimeoutMs: () => 5_000 });
    const { status, body } = await download(base, '/export/events.csv');
    expect(status).toBe(502);
    expect(body.errors[0]).toMatchObject({ message: 'The trainings subgraph did not answer the export.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  });

  it('answers 504 within the deadline when the owner accepts the request and never answers', async () => {
    const hung = await listen(() => {});
    const base = await gatewayWith({ subgraphUrl: () => hung, answerTimeoutMs: (name) => (name === 'talents' ? 200 : 60_000) });
    const started = Date.now();
    const { status, body } = await download(base, '/export/talents.csv');
    expect(status).toBe(504);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(body.errors[0]).toMatchObject({ message: 'The talents subgraph did not start the export within 200 ms.', extensions: { code: 'SUBGRAPH_TIMEOUT' } });
  });

  it('streams an answer that starts within the deadline, however long the rows then take', async () => {
    const slow = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('id\r\n');
      setTimeout(() => res.end('t-1\r\n'), 400);
    });
    const base = await gatewayWith({ subgraphUrl: () => slow, answerTimeoutMs: () => 200 });
    const response = await fetch(new URL('/export/talents.csv', base));
    expect([response.status, await response.text()]).toEqual([200, 'id\r\nt-1\r\n']);
  });

  it('answers 503 when the gateway knows no URL for the owner', async () => {
    const base = await gatewayWith({ subgraphUrl: () => undefined, answerTimeoutMs: () => 5_000 });
    const { status, body } = await download(base, '/export/registrations.ndjson');
    expect(status).toBe(503);
    expect(body.errors[0]!.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  });
});
