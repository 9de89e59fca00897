import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropPrefix } from '@talent-hub/gateway/cache/drop-prefix';
import { internalRequestHeaders } from '@talent-hub/platform/identity';
import { projectRoot } from '@talent-hub/platform/paths';
import { envName } from '@talent-hub/platform/registry';
import { subgraphNames, type SubgraphName } from './database.js';
import { loadGateway, summarise, type Window } from './load.js';
import { cpuDelta, treeCpuMs } from './proc.js';
import { freePort, Services, type Service } from './services.js';

// `npm run bench:cache`: what the response cache brings on a mix of repeated public queries. The three subgraphs
// run from dist/ on fresh embedded stores (demo data); one gateway process at a time serves the same request
// sequence with the response cache off, on in memory, and on in Redis (when REDIS_URL or 127.0.0.1:6379 answers),
// at 50 connections and at 1. About 2 to 3 minutes. Results: bench/results/cache-<timestamp>.json and a table.
//
// The mix: 80% of requests draw from 27 hot operations (regions with parents and children, organisations with
// leaders and figures, programmes with indicators and events, event lists and pages, across the subgraphs), 20%
// from a long tail (every NUTS 3 region by code). Every answer is checked against the uncached gateway's first.

const windowS = { 50: 8, 1: 4 } as const;
const warmupS = 2;
const rounds = 2;
const secret = randomBytes(24).toString('hex');

interface ModeResult {
  mode: string;
  windows: Record<number, (Window & { hitRatio: number | null; gatewayCpuMsPerRequest: number; subgraphCpuMsPerRequest: number })[]>;
}

const log = (message: string) => console.log(`[bench:cache] ${message}`);

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const benchDir = path.join(projectRoot, 'bench');
  const services = new Services(path.join(benchDir, 'logs', `cache-${stamp}`));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-bench-cache-'));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `talent-hub-bench:${stamp}:`;
  let gateway: { child: ChildProcess; url: string } | undefined;
  try {
    const started = Date.now();
    const ports = Object.fromEntries(await Promise.all(subgraphNames.map(async (name) => [name, await freePort()]))) as Record<SubgraphName, number>;
    const urlEnv = Object.fromEntries(subgraphNames.map((name) => [envName(name, 'URL'), `http://127.0.0.1:${ports[name]}/graphql`]));
    const common = { NODE_ENV: 'production', HOST: '127.0.0.1', INTERNAL_TOKEN_SECRET: secret, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'warn', ...urlEnv };
    const subgraphs: Service[] = await Promise.all(
      subgraphNames.map((name) =>
        services.start(
          name,
          [path.join('subgraphs', name, 'dist', 'main.js')],
          { ...common, [envName(name, 'PORT')]: String(ports[name]), DATA_DIR: dataDir, SEED_DEMO_DATA: 'true' },
          `http://127.0.0.1:${ports[name]}/graphql`,
        ),
      ),
    );
    log(`subgraphs up in ${((Date.now() - started) / 1000).toFixed(1)} s (embedded stores, demo data)`);

    const { hot, tail } = await operations(urlEnv.REGIONS_URL!, urlEnv.TRAININGS_URL!);
    const bodies = sequence(hot, tail, 5_000);
    log(`${hot.length} hot operations, ${tail.length} in the tail, a sequence of ${bodies.length} requests`);

    const modes: { mode: string; env: NodeJS.ProcessEnv }[] = [
      { mode: 'off', env: { RESPONSE_CACHE: 'off' } },
      { mode: 'memory', env: { RESPONSE_CACHE: 'on' } },
    ];
    if (await redisAnswers(redisUrl)) modes.push({ mode: 'redis', env: { RESPONSE_CACHE: 'on', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisPrefix } });
    else log(`no Redis at ${redisUrl}: the Redis mode is left out`);

    const reference = new Map<string, string>();
    const results: ModeResult[] = [];
    const subgraphPids = () => subgraphs.map((s) => s.pid);
    for (const { mode, env } of modes) {
      // One anonymous address sends the load: not what the anonymous budget is for.
      gateway = await startGateway({ ...common, ...env, RATE_LIMIT: 'off', GATEWAY_PORT: String(await freePort()), GATEWAY_WORKERS: '1' }, path.join(benchDir, 'logs', `cache-${stamp}`, `gateway-${mode}.log`));
      await check(gateway.url, [...hot, ...tail.slice(0, 20)], reference, mode);
      const result: ModeResult = { mode, windows: { 50: [], 1: [] } };
      for (let round = 1; round <= rounds; round++) {
        for (const connections of [50, 1] as const) {
          let counts0 = { lookups: 0, hits: 0 };
          let counts1 = { lookups: 0, hits: 0 };
          let gw0 = new Map<number, number>();
          let sg0 = new Map<number, number>();
          let gwCpu = 0;
          let sgCpu = 0;
          const gatewayPid = gateway.child.pid!;
          const pendingCounts: Promise<void>[] = [];
          const sample = await loadGateway({
            url: gateway.url,
            bodies,
            connections,
            warmupS,
            durationS: windowS[connections],
            onWindow: () => {
              gw0 = treeCpuMs([gatewayPid]);
              sg0 = treeCpuMs(subgraphPids());
              pendingCounts.push(countsOf(gateway!.child).then((c) => void (counts0 = c)));
            },
            onWindowEnd: () => {
              gwCpu = cpuDelta(gw0, treeCpuMs([gatewayPid]));
              sgCpu = cpuDelta(sg0, treeCpuMs(subgraphPids()));
              pendingCounts.push(countsOf(gateway!.child).then((c) => void (counts1 = c)));
            },
          });
          await Promise.all(pendingCounts);
          const window = summarise(sample);
          const lookups = counts1.lookups - counts0.lookups;
          const entry = {
            ...window,
            hitRatio: lookups > 0 ? (counts1.hits - counts0.hits) / lookups : null,
            gatewayCpuMsPerRequest: gwCpu / Math.max(1, window.requests),
            subgraphCpuMsPerRequest: sgCpu / Math.max(1, window.requests),
          };
          result.windows[connections]!.push(entry);
          log(
            `${mode} round ${round} @${connections}: ${entry.rps.toFixed(0)} req/s, p50 ${entry.p50Ms.toFixed(2)} ms, p99 ${entry.p99Ms.toFixed(2)} ms, ` +
              `hit ratio ${entry.hitRatio === null ? '-' : (entry.hitRatio * 100).toFixed(1) + '%'}, gateway ${entry.gatewayCpuMsPerRequest.toFixed(2)} / subgraphs ${entry.subgraphCpuMsPerRequest.toFixed(2)} CPU ms/req` +
              (entry.errors ? `, ${entry.errors} errors` : ''),
          );
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      results.push(result);
      await stopGateway(gateway.child);
      gateway = undefined;
    }

    const table = report(results);
    console.log(`\n${table}`);
    mkdirSync(path.join(benchDir, 'results'), { recursive: true });
    const file = path.join(benchDir, 'results', `cache-${stamp}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          startedAt: new Date(started).toISOString(),
          machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
          settings: { windowS, warmupS, rounds, hotOperations: hot.length, tailOperations: tail.length, sequenceLength: bodies.length, hotShare: 0.8 },
          results,
        },
        null,
        2,
      ),
    );
    log(`results in ${path.relative(projectRoot, file)}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
  } finally {
    if (gateway) await stopGateway(gateway.child);
    await services.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
    await dropPrefix(redisUrl, redisPrefix).catch(() => undefined);
  }
}

/** The hot operations and the long tail, as JSON request bodies. */
async function operations(regionsUrl: string, trainingsUrl: string): Promise<{ hot: string[]; tail: string[] }> {
  const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
  const region = 'query Region($code: ID!) { region(code: $code) { code name level parent { code name } children { code name } } }';
  const organisation =
    'query Organisation($id: ID!) { organisation(id: $id) { id name acronym kind region { code name } leaders { name role } keyFigures { code value unit } } }';
  const programme =
    'query Programme($id: ID!) { programme(id: $id) { id name period { start end } budget { amount currency } managingOrganisation { name } indicators { code value unit asOf } events(first: 5) { nodes { id title startsAt } } } }';
  const events = 'query Events($first: Int) { events(first: $first) { nodes { id title startsAt region { code name } organiser { name } } pageInfo { hasNextPage endCursor } } }';
  const event =
    'query Event($id: ID!) { event(id: $id) { title startsAt endsAt venue { name city } region { code name } organiser { name } agenda { title speakers { name affiliation } } } }';

  const level2 = await regionCodes(regionsUrl, 2, 10);
  const level3 = await regionCodes(regionsUrl, 3, 2_000);
  const listed = (await direct('trainings', trainingsUrl, '{ events(first: 5) { nodes { id } } }')) as { events: { nodes: { id: string }[] } };
  const eventIds = listed.events.nodes.map((n) => n.id);
  const organisations = ['cemr', 'eurocities', 'uclg', 'aer', 'aer-irn', 'art-er', 'emilia-romagna-region', 'catalonia-social-rights', 'donegal-county-council'];
  const hot = [
    ...level2.map((code) => body(region, { code })),
    ...organisations.map((id) => body(organisation, { id })),
    ...['emilia-romagna-talents', 'eu-belong', 'talent-hub'].map((id) => body(programme, { id })),
    body(events, { first: 10 }),
    body(events, { first: 20 }),
    ...['ewrc-2024-eu-belong', ...eventIds].slice(0, 3).map((id) => body(event, { id })),
  ];
  return { hot, tail: level3.map((code) => body(region, { code })) };
}

async function regionCodes(regionsUrl: string, level: number, max: number): Promise<string[]> {
  const codes: string[] = [];
  let after: string | null = null;
  while (codes.length < max) {
    const data = (await direct('regions', regionsUrl, 'query($level: Int, $after: String) { regions(level: $level, first: 500, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } } }', {
      level,
      after,
    })) as { regions: { nodes: { code: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    codes.push(...data.regions.nodes.map((n) => n.code));
    if (!data.regions.pageInfo.hasNextPage) break;
    after = data.regions.pageInfo.endCursor;
  }
  return codes.slice(0, max);
}

/** A query straight to a subgraph, signed for it as the gateway would sign an anonymous caller (subgraphs run in production). */
async function direct(subgraph: string, url: string, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const request = JSON.stringify({ query, variables });
  const headers = { 'content-type': 'application/json', ...internalRequestHeaders(null, secret, { audience: subgraph, body: request }) };
  const response = await fetch(url, { method: 'POST', headers, body: request });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`subgraph query failed: ${body.errors[0]!.message}`);
  return body.data;
}

/** A fixed sequence (seeded): 80% hot operations, 20% the tail, each uniformly. */
function sequence(hot: readonly string[], tail: readonly string[], length: number): string[] {
  let state = 42;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length }, () => (random() < 0.8 || tail.length === 0 ? hot[Math.floor(random() * hot.length)]! : tail[Math.floor(random() * tail.length)]!));
}

/** Every answer must be a complete one and equal the uncached gateway's. */
async function check(url: string, bodies: readonly string[], reference: Map<string, string>, mode: string): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    for (const body of bodies) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      const parsed = JSON.parse(text) as { errors?: { message: string }[] };
      if (!response.ok || parsed.errors) throw new Error(`${mode}: ${body.slice(0, 80)} failed: ${text.slice(0, 300)}`);
      const expected = reference.get(body);
      if (expected === undefined) reference.set(body, text);
      else if (expected !== text) throw new Error(`${mode}: the answer to ${body.slice(0, 80)} differs from the uncached one`);
    }
  }
}

async function startGateway(env: NodeJS.ProcessEnv, logFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join('dist', 'bench', 'cache-gateway.js')], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const logStream = createWriteStream(logFile);
  child.stderr!.pipe(logStream);
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      logStream.write(chunk);
      buffered += chunk.toString('utf8');
      const match = /cache bench gateway ready at (\S+)/.exec(buffered);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code, signal) => reject(new Error(`gateway exited (${signal ?? code}) before it was ready; see ${logFile}`)));
  });
}

function countsOf(child: ChildProcess): Promise<{ lookups: number; hits: number }> {
  return new Promise((resolve) => {
    const onMessage = (message: { counts?: { lookups: number; hits: number } }) => {
      if (!message?.counts) return;
      child.off('message', onMessage);
      resolve(message.counts);
    };
    child.on('message', onMessage);
    child.send('counts');
  });
}

async function stopGateway(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await closed;
  clearTimeout(timer);
}

async function redisAnswers(url: string): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function report(results: ModeResult[]): string {
  const off = results.find((r) => r.mode === 'off');
  const rps = (r: ModeResult, c: number) => median(r.windows[c]!.map((w) => w.rps));
  const lines = [
    `Response cache, medians of ${rounds} rounds (${windowS[50]} s at 50 connections, ${windowS[1]} s at 1, after ${warmupS} s of warm-up)`,
    '',
    '| response cache | req/s @50 | speed-up @50 | p50 ms @50 | p99 ms @50 | req/s @1 | p50 ms @1 | hit ratio @50 | gateway CPU ms/req @50 | subgraphs CPU ms/req @50 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of results) {
    const w50 = result.windows[50]!;
    const hits = w50.map((w) => w.hitRatio).filter((h): h is number => h !== null);
    lines.push(
      `| ${result.mode} | ${rps(result, 50).toFixed(0)} | ${off ? (rps(result, 50) / rps(off, 50)).toFixed(2) + '×' : '–'} | ` +
        `${median(w50.map((w) => w.p50Ms)).toFixed(2)} | ${median(w50.map((w) => w.p99Ms)).toFixed(2)} | ${rps(result, 1).toFixed(0)} | ` +
        `${median(result.windows[1]!.map((w) => w.p50Ms)).toFixed(2)} | ${hits.length ? (median(hits) * 100).toFixed(1) + '%' : '–'} | ` +
        `${median(w50.map((w) => w.gatewayCpuMsPerRequest)).toFixed(2)} | ${median(w50.map((w) => w.subgraphCpuMsPerRequest)).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

await main();
