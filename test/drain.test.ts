import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, sourceNodeArgs } from '@talent-hub/platform/paths';
import { startStack, type Stack } from './harness.js';

// gateway/main.ts as deployed (its own process, one worker) drained by SIGTERM under load, with a load balancer
// played by this test: it polls /ready and stops sending new requests once the gateway says it is not ready.

const shutdownDelayMs = 1_000;
/** Each regions fetch is held this long, so that requests are still in flight when the listener closes. */
const slowMs = 2_500;
const clients = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Forwards to `target` after holding each POST `delayMs`. */
async function slowProxy(target: string, delayMs: number) {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // GraphQL requests only: the gateway's readiness check (GET /health) passes at once.
      setTimeout(() => {
        const forward = http.request(
          { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => res.destroy());
        forward.end(Buffer.concat(chunks));
      }, req.method === 'POST' ? delayMs : 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

interface Sent {
  sentAt: number;
  doneAt: number;
  status: number | 'failed';
  detail: string;
}

describe('gateway drain on SIGTERM', () => {
  let stack: Stack | undefined;
  let proxy: Awaited<ReturnType<typeof slowProxy>> | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    stack = await startStack('pglite');
    proxy = await slowProxy(stack.subgraphUrls.regions!, slowMs);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await proxy?.close();
    await stack?.stop();
  });

  it('stops being ready, keeps serving for the delay, finishes every request in flight and exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [...sourceNodeArgs, path.join('gateway', 'main.ts')], {
      cwd: projectRoot,
      env: {
        ...process.env,
        GATEWAY_WORKERS: '1',
        GATEWAY_PORT: String(port),
        HOST: '127.0.0.1',
        TALENTS_URL: stack!.subgraphUrls.talents,
        TRAININGS_URL: stack!.subgraphUrls.trainings,
        REGIONS_URL: proxy!.url,
        SHUTDOWN_DELAY_MS: String(shutdownDelayMs),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        // Every request must reach the (slow) subgraph: no answers from the response cache.
        RESPONSE_CACHE: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const lines: { msg?: string; time?: number }[] = [];
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      try {
        lines.push(JSON.parse(line) as { msg?: string });
      } catch {
        // not a log line
      }
    });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child!.once('exit', (code) => resolve({ code, at: performance.now() })),
    );
    const base = `http://127.0.0.1:${port}`;
    await Promise.race([
      (async () => {
        while (!lines.some((l) => l.msg?.startsWith('gateway ready at'))) await sleep(50);
      })(),
      exited.then(({ code }) => {
        throw new Error(`the gateway exited (${code}) before it was ready:\n${output.join('\n')}`);
      }),
    ]);

    // The load balancer: sends while /ready says 200.
    let balancing = true;
    let notReadySeenAt: number | undefined;
    let servedWhileNotReady: number | string | undefined;
    const balancer = (async () => {
      while (balancing && notReadySeenAt === undefined) {
        const status = await fetch(`${base}/ready`).then((r) => r.status, () => 0);
        if (status !== 200) {
          notReadySeenAt = performance.now();
          // Still served while draining, before the listener closes.
          servedWhileNotReady = await fetch(base, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
          }).then((r) => r.status, (e: Error) => e.message);
        } else await sleep(50);
      }
    })();

    const sent: Sent[] = [];
    const load = Array.from({ length: clients }, async (_, i) => {
      await sleep((i * slowMs) / clients); // spread out, so that requests are at every stage when SIGTERM comes
      while (notReadySeenAt === undefined) {
        const sentAt = performance.now();
        try {
          const response = await fetch(base, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: `query Slow${i % 4} { region(code: "ITH5") { name } }` }),
          });
          const body = (await response.json()) as { data?: { region?: { name?: string } }; errors?: unknown[] };
          sent.push({ sentAt, doneAt: performance.now(), status: response.status, detail: body.errors ? JSON.stringify(body.errors) : String(body.data?.region?.name) });
        } catch (error) {
          sent.push({ sentAt, doneAt: performance.now(), status: 'failed', detail: String((error as Error).cause ?? error) });
        }
      }
    });

    await sleep(2 * slowMs);
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    const { code, at: exitedAt } = await exited;
    await Promise.all(load);
    balancing = false;
    await balancer;

    expect(code, output.join('\n')).toBe(0);
    expect(notReadySeenAt! - signalledAt).toBeLessThan(500);
    expect(servedWhileNotReady).toBe(200);
    const failures = sent.filter((s) => s.status !== 200 || s.detail !== 'Emilia-Romagna');
    expect(failures).toEqual([]);
    // Requests sent before the balancer noticed, answered after the listener closed (the delay after SIGTERM).
    const closedAt = signalledAt + shutdownDelayMs;
    const inFlightAtClose = sent.filter((s) => s.sentAt < closedAt && s.doneAt > closedAt + 100);
    expect(inFlightAtClose.length).toBeGreaterThanOrEqual(3);
    expect(exitedAt - signalledAt).toBeLessThan(shutdownDelayMs + slowMs + 5_000);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain('gateway stopping (SIGTERM)');
    expect(messages).toContain(`Not ready; serving for ${shutdownDelayMs} ms more before closing the listener.`);
    expect(messages).toContain('gateway stopped');

    console.log(
      `[drain] ${sent.length} requests from ${clients} clients, ${failures.length} failed; ${inFlightAtClose.length} in flight when the listener closed; ` +
        `not ready seen ${(notReadySeenAt! - signalledAt).toFixed(0)} ms after SIGTERM; exit 0 after ${(exitedAt - signalledAt).toFixed(0)} ms`,
    );
  });
});
