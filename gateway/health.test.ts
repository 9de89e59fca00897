import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Readiness, healthUrlOf } from './health.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)));
});

/** A subgraph's /health stand-in; `status` 0 never answers. Counts the checks it receives. */
async function healthServer(status: number) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    if (status === 0) return;
    res.writeHead(status).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, seen };
}

async function closedPortUrl() {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}

describe('Readiness', () => {
  it("checks /health at the origin of each subgraph's URL", () => {
    expect(healthUrlOf('http://trainings:4002/graphql').toString()).toBe('http://trainings:4002/health');
    expect(healthUrlOf('https://example.org/').toString()).toBe('https://example.org/health');
  });

  it('is not ready before the supergraph is loaded', async () => {
    const readiness = new Readiness({ checkTimeoutMs: 200, cacheMs: 0 });
    expect(await readiness.report()).toEqual({ ready: false, reasons: ['the supergraph is not loaded yet'] });
    readiness.supergraphLoadedWith({});
    expect(await readiness.report()).toEqual({ ready: true, reasons: [], details: { subgraphs: {} } });
  });

  it('stays ready with subgraphs down, naming each one down and why, within the check timeout', async () => {
    const up = await healthServer(200);
    const failing = await healthServer(503);
    const silent = await healthServer(0);
    const seen: [string, boolean][] = [];
    const readiness = new Readiness({ checkTimeoutMs: 300, cacheMs: 0 }, (subgraph, isUp) => seen.push([subgraph, isUp]));
    readiness.supergraphLoadedWith({ regions: up.url, talents: failing.url, trainings: silent.url, other: await closedPortUrl() });
    expect(readiness.lastKnown()).toEqual({ regions: 'not checked yet', talents: 'not checked yet', trainings: 'not checked yet', other: 'not checked yet' });
    const started = performance.now();
    const report = await readiness.report();
    expect(performance.now() - started).toBeLessThan(1_000);
    const subgraphs = {
      regions: 'up',
      talents: 'down: answered HTTP 503',
      trainings: 'down: no answer within 300 ms',
      other: 'down: could not be reached (ECONNREFUSED)',
    };
    expect(report).toEqual({ ready: true, reasons: [], details: { subgraphs } });
    expect(readiness.lastKnown()).toEqual(subgraphs);
    expect(new Map(seen)).toEqual(new Map([['regions', true], ['talents', false], ['trainings', false], ['other', false]]));
    expect(up.seen).toEqual(['/health']);
  });

  it('reuses a check for cacheMs, and shares one check between concurrent probes', async () => {
    const up = await healthServer(200);
    const readiness = new Readiness({ checkTimeoutMs: 300, cacheMs: 300 });
    readiness.supergraphLoadedWith({ regions: up.url });
    await Promise.all([readiness.report(), readiness.report(), readiness.report()]);
    await readiness.report();
    expect(up.seen).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await readiness.report();
    expect(up.seen).toHaveLength(2);
  });
});
