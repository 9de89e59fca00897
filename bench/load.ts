import http from 'node:http';
import autocannon from 'autocannon';
import type { Replay } from './capture.js';

// Load generation, closed loop, loopback only, bounded in time: autocannon for requests to a gateway, and a small
// client of the same kind for the lower bound (bench/lower-bound.ts), whose "request" is a plan of dependent subgraph requests.
// Latencies are kept exactly (autocannon's own histogram has 1 ms steps, too coarse at one connection).

export interface Window {
  requests: number;
  errors: number;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean size of the answers counted (headers included), where the load generator reports it. */
  bytesPerResponse?: number;
}

export interface Sample {
  requests: number;
  errors: number;
  elapsedMs: number;
  latencies: Float64Array;
  /** Bytes of the answers counted (autocannon's count, headers included). */
  bytes?: number;
}

export function summarise(sample: Sample): Window {
  const sorted = Float64Array.from(sample.latencies).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
  return {
    requests: sample.requests,
    errors: sample.errors,
    elapsedMs: sample.elapsedMs,
    rps: (sample.requests * 1000) / sample.elapsedMs,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    ...(sample.bytes !== undefined ? { bytesPerResponse: sample.bytes / Math.max(1, sample.requests) } : {}),
  };
}

class LatencyLog {
  private values = new Float64Array(4096);
  length = 0;
  push(value: number) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  toArray() {
    return this.values.slice(0, this.length);
  }
}

/**
 * POSTs JSON bodies to a GraphQL endpoint over `connections` keep-alive connections for `warmupS + durationS`
 * seconds, in one run, and counts only the responses that arrive in the last `durationS` seconds: the load is
 * steady when the window opens, and no backlog of a previous run competes with it. `onWindow` is called as the
 * window opens (to read CPU counters). A request is given up after 120 s.
 */
export async function loadGateway(options: {
  url: string;
  bodies: readonly string[];
  connections: number;
  warmupS: number;
  durationS: number;
  onWindow?: () => void;
  onWindowEnd?: () => void;
  /** Headers besides content-type on every request (e.g. a client name, a bearer token). */
  headers?: Record<string, string>;
}): Promise<Sample> {
  const { bodies } = options;
  let next = 0;
  const latencies = new LatencyLog();
  let windowOpen = false;
  let requests = 0;
  let errors = 0;
  let bytes = 0;
  let opened = process.hrtime.bigint();
  const timer = setTimeout(() => {
    windowOpen = true;
    opened = process.hrtime.bigint();
    options.onWindow?.();
  }, options.warmupS * 1000);
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: options.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      connections: options.connections,
      duration: options.warmupS + options.durationS,
      timeout: 120,
      // One body for all requests, or the next of a list (e.g. a different talent id) for each.
      ...(bodies.length === 1
        ? { body: bodies[0] }
        : { requests: [{ setupRequest: (request: any) => ({ ...request, body: bodies[next++ % bodies.length] }) }] }),
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client: unknown, statusCode: number, responseBytes: number, responseTime: number) => {
    if (!windowOpen) return;
    if (statusCode >= 200 && statusCode < 300) {
      latencies.push(responseTime);
      requests++;
      bytes += responseBytes;
    } else errors++;
  });
  instance.on('reqError', () => {
    if (windowOpen) errors++;
  });
  if (options.warmupS <= 0) {
    clearTimeout(timer);
    windowOpen = true;
    options.onWindow?.();
  }
  await done;
  clearTimeout(timer);
  const elapsedMs = Number(process.hrtime.bigint() - opened) / 1e6;
  options.onWindowEnd?.();
  return { requests, errors, elapsedMs, latencies: latencies.toArray(), bytes };
}

/** A keep-alive HTTP POST that resolves with the status and the body text. */
export function post(agent: http.Agent, url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The headers of one subgraph request: an internal token signed for it, as the gateway signs each fetch. */
export type SignFetch = (service: string, body: string) => Record<string, string>;

/**
 * Sends a captured plan's requests, sequences in order and parallel branches at once, each signed by `sign` (the
 * subgraphs run in production and take a token once); true when all answered 200.
 */
export async function replay(agent: http.Agent, node: Replay, sign: SignFetch): Promise<boolean> {
  switch (node.kind) {
    case 'fetch': {
      const { status } = await post(agent, node.url, node.body, sign(node.service, node.body));
      return status === 200;
    }
    case 'sequence': {
      for (const child of node.nodes) if (!(await replay(agent, child, sign))) return false;
      return true;
    }
    case 'parallel':
      return (await Promise.all(node.nodes.map((child) => replay(agent, child, sign)))).every(Boolean);
  }
}

/**
 * The lower bound under load: `connections` loops, each replaying the captured plans one after another (the
 * next of the list each time), for `warmupS + durationS` seconds; one replay is one request, and only those that
 * end in the last `durationS` seconds count (as for loadGateway).
 */
export async function loadDirect(options: {
  replays: readonly Replay[];
  sign: SignFetch;
  connections: number;
  warmupS: number;
  durationS: number;
  onWindow?: () => void;
  onWindowEnd?: () => void;
}): Promise<Sample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections * 4 });
  const latencies = new LatencyLog();
  let requests = 0;
  let errors = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const opens = started + BigInt(Math.round(options.warmupS * 1e9));
  const deadline = opens + BigInt(Math.round(options.durationS * 1e9));
  let windowOpen = options.warmupS <= 0;
  if (windowOpen) options.onWindow?.();
  const timer = windowOpen
    ? undefined
    : setTimeout(() => {
        windowOpen = true;
        options.onWindow?.();
      }, options.warmupS * 1000);
  // Replays still running at the deadline finish, uncounted; the window's readings are taken at the deadline.
  const windowEnd = setTimeout(() => options.onWindowEnd?.(), (options.warmupS + options.durationS) * 1000);
  const loop = async () => {
    while (process.hrtime.bigint() < deadline) {
      const t0 = process.hrtime.bigint();
      let ok = false;
      try {
        ok = await replay(agent, options.replays[next++ % options.replays.length]!, options.sign);
      } catch {
        ok = false;
      }
      const t1 = process.hrtime.bigint();
      if (t1 < opens || t1 > deadline) continue;
      if (ok) {
        latencies.push(Number(t1 - t0) / 1e6);
        requests++;
      } else errors++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  clearTimeout(timer);
  clearTimeout(windowEnd);
  agent.destroy();
  return { requests, errors, elapsedMs: Number(deadline - opens) / 1e6, latencies: latencies.toArray() };
}

export interface ExportRun {
  rows: number;
  pages: number;
  elapsedMs: number;
  rowsPerSecond: number;
  pageP50Ms: number;
}

/**
 * Pages through a root connection one request at a time, following `pageInfo.endCursor`, as an export script
 * would. `bodyFor(after)` builds each request; `connectionOf` finds the connection in the response data.
 */
export async function runExport(options: {
  url: string;
  bodyFor: (after: string | null) => string;
  /** Headers of each page's request (the lower bound signs each for its subgraph). */
  headersFor?: (body: string) => Record<string, string>;
  connectionOf: (data: any) => { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  maxPages?: number;
}): Promise<ExportRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const pageTimes: number[] = [];
  let rows = 0;
  let after: string | null = null;
  const started = process.hrtime.bigint();
  try {
    for (;;) {
      const t0 = process.hrtime.bigint();
      const request = options.bodyFor(after);
      const { status, text } = await post(agent, options.url, request, options.headersFor?.(request));
      const body = JSON.parse(text) as { data?: any; errors?: { message: string }[] };
      if (status !== 200 || body.errors?.length || !body.data) {
        throw new Error(`export page after ${after} failed: HTTP ${status} ${body.errors?.[0]?.message ?? ''}`);
      }
      pageTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const connection = options.connectionOf(body.data);
      rows += connection.nodes.length;
      if (!connection.pageInfo.hasNextPage || (options.maxPages && pageTimes.length >= options.maxPages)) break;
      after = connection.pageInfo.endCursor;
    }
  } finally {
    agent.destroy();
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  pageTimes.sort((a, b) => a - b);
  return {
    rows,
    pages: pageTimes.length,
    elapsedMs,
    rowsPerSecond: (rows * 1000) / elapsedMs,
    pageP50Ms: pageTimes[Math.ceil(pageTimes.length / 2) - 1] ?? NaN,
  };
}
