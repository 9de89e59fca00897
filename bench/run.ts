import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { talentDashboard, talentExport, talentPage, talentsWithRegistrations, type KnownOperation } from '@talent-hub/gateway/known-operations';
import { projectRoot } from '@talent-hub/platform/paths';
import { envName } from '@talent-hub/platform/registry';
import { describeReplay, replayFetches, startCapturer, type Replay } from './capture.js';
import { checkReplay, minimalReplay, replayWork } from './lower-bound.js';
import { loadAtRate } from './open-loop.js';
import {
  benchDatabases,
  countDataSet,
  ensureDatabases,
  generateDataSet,
  holdsDataSet,
  noteDataSet,
  notedDataSet,
  serverVersion,
  StatementCounter,
  subgraphNames,
  type SubgraphName,
} from './database.js';
import { loadDirect, loadGateway, post, replay, runExport, summarise, type ExportRun, type Sample, type Window } from './load.js';
import { parseOptions, rateOps, rateShare, rateWindowS, type Op, type Target } from './options.js';
import { cpuDelta, peakRssBytes, processTree, treeCpuMs, waitUntilIdle } from './proc.js';
import { summariseProfiles } from './profile.js';
import { boundWarnings, markdownReport, median, summariseResults, type BenchResults, type RateWindowResult, type TargetResults } from './report.js';
import { withSubgraphUrls } from './supergraph-urls.js';
import { freePort, Services, type Service } from './services.js';
import { ensureReferenceGateways } from './reference-gateways.js';
import { measureSubgraphQueries, type SubgraphQueryResults } from './subgraph-queries.js';
import { guardsTable, guardVariants, measureGuards, partnerToken, redisAnswers, type GuardResults } from './guards.js';
import { benchPartner, partnerFetchSigner } from './partner.js';
import { measureAggregates } from './aggregates.js';
import { benchExports } from './exports.js';

// `npm run bench`: see bench/README.md.

process.env.APOLLO_TELEMETRY_DISABLED = '1'; // the in-process capture gateway

const options = parseOptions(process.argv.slice(2), process.env);
// Production services refuse to start without their secrets; one random pair per run.
const serviceSecrets = { INTERNAL_TOKEN_SECRET: randomBytes(32).toString('hex'), AUTH_JWT_SECRET: randomBytes(32).toString('hex') };
// The capture and the lower bound sign each subgraph request as the gateway does (bench/partner.ts).
const signFetch = partnerFetchSigner(serviceSecrets.INTERNAL_TOKEN_SECRET);
const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
const benchDir = path.join(projectRoot, 'bench');
const logDir = path.join(benchDir, 'logs', stamp);
const profileDir = path.join(benchDir, 'profiles', stamp);
const supergraphPath = path.join(projectRoot, 'schema', 'supergraph.graphql');
const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const targetLabels: Record<Target, string> = {
  A: 'A: our gateway',
  A2: 'A2: ours, 2 workers',
  B: 'B: plain ApolloGateway',
  C: 'C: Hive Gateway, dedup off',
  C2: "C': Hive Gateway, dedup on",
  C3: 'C3: Hive Gateway, Rust query planner, dedup off',
  bound: 'lower bound: minimal subgraph fetches, no gateway',
};
const operations: Record<Op, KnownOperation> = {
  flagship: talentsWithRegistrations,
  dashboard: talentDashboard,
  talent: talentPage,
  export: talentExport,
};

const services = new Services(logDir);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(1);
    interrupted = true;
    log(`${signal}: stopping the services`);
    void services.stopAll().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await services.stopAll();
}

async function main(): Promise<void> {
  log(`targets ${options.targets.join(' ')}; operations ${options.ops.join(' ')}; ${options.rounds} round(s) of ${options.durationS} s windows at ${options.connections.join(' and ')} connection(s); logs in ${path.relative(projectRoot, logDir)}`);

  // 1. Databases with the generated data set.
  const dbs = benchDatabases(options.postgresUrl, options.databasePrefix);
  const pgVersion = await serverVersion(options.postgresUrl);
  await ensureDatabases(options.postgresUrl, dbs, false);
  let counts = await countDataSet(dbs);
  const noted = await notedDataSet(options.postgresUrl, dbs);
  let generateMs: number | undefined;
  if (options.regenerate || !holdsDataSet(noted, counts, options.size, options.quick)) {
    const hasGenerator = Boolean(JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).scripts?.['data:generate']);
    if (options.skipGenerate || !hasGenerator) {
      log(`the databases hold ${JSON.stringify(counts)} (generated: ${JSON.stringify(noted ?? 'nothing noted')}), not the data set asked for (${JSON.stringify(options.size)}); ${options.skipGenerate ? 'BENCH_SKIP_GENERATE is set' : 'there is no data:generate script yet'}, so measuring what is there`);
    } else {
      log(`generating ${JSON.stringify(options.size)} into ${Object.values(dbs.names).join(', ')} (drops them first)`);
      await ensureDatabases(options.postgresUrl, dbs, true);
      generateMs = await generateDataSet(dbs, options.size);
      await noteDataSet(options.postgresUrl, dbs, options.size);
      log(`generated in ${(generateMs / 1000).toFixed(1)} s`);
    }
  }

  if (options.prepareOnly) {
    log(`databases ready: ${JSON.stringify(await countDataSet(dbs))}`);
    return;
  }

  // 2. The subgraphs, from dist/, each on its own database (they migrate and seed the demo data when missing).
  const subgraphs = {} as Record<SubgraphName, Service>;
  const subgraphEnv: NodeJS.ProcessEnv = { ...serviceSecrets, NODE_ENV: 'production', HOST: '127.0.0.1', SEED_DEMO_DATA: 'true', LOG_LEVEL: 'warn' };
  // Ports first: each subgraph is told where the others answer (calls between subgraphs, e.g. talents asking
  // regions for a network's members).
  const ports = Object.fromEntries(await Promise.all(subgraphNames.map(async (name) => [name, await freePort()] as const))) as Record<SubgraphName, number>;
  const peerEnv = Object.fromEntries(subgraphNames.map((name) => [envName(name, 'URL'), `http://127.0.0.1:${ports[name]}/graphql`]));
  // --cpu-prof profiles the subgraphs too: a gateway's choices (deduplication, merging) show in their CPU.
  const profileArgs = (name: string) =>
    options.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, name)] : [];
  await Promise.all(
    subgraphNames.map(async (name) => {
      const port = ports[name]!;
      const env = { ...subgraphEnv, ...peerEnv, [envName(name, 'PORT')]: String(port), [envName(name, 'DATABASE_URL')]: dbs.urls[name] };
      subgraphs[name] = await services.start(name, [...profileArgs(name), path.join('subgraphs', name, 'dist', 'main.js')], env, `http://127.0.0.1:${port}/graphql`);
    }),
  );
  const subgraphUrls = Object.fromEntries(subgraphNames.map((name) => [name, subgraphs[name]!.url])) as Record<SubgraphName, string>;
  const urlEnv = Object.fromEntries(subgraphNames.map((name) => [envName(name, 'URL'), subgraphUrls[name]]));
  counts = await countDataSet(dbs);
  log(`subgraphs up; data set ${JSON.stringify(counts)}`);
  if (options.aggregatesOnly) {
    mkdirSync(path.join(benchDir, 'results'), { recursive: true });
    const resultsFile = path.join(benchDir, 'results', `${stamp}-aggregates.json`);
    await measureAggregates({ urls: { talents: subgraphUrls.talents!, trainings: subgraphUrls.trainings! }, pids: { talents: subgraphs.talents!.pid, trainings: subgraphs.trainings!.pid }, databases: { talents: dbs.names.talents!, trainings: dbs.names.trainings! }, talentsDatabaseUrl: dbs.urls.talents!, internalTokenSecret: serviceSecrets.INTERNAL_TOKEN_SECRET, warmupS: options.warmupS, durationS: options.durationS, resultsFile, log });
    return;
  }
  const exportBench = () =>
    benchExports({ services, urlEnv, secrets: serviceSecrets, supergraphPath, talentsDatabaseUrl: dbs.urls.talents!, rounds: options.rounds, stamp, log });
  if (options.exportsOnly) {
    await exportBench();
    return;
  }

  // 3. Reference answers and the subgraph requests of each operation, from an in-process gateway.
  const capturer = await startCapturer(withSubgraphUrls(readFileSync(supergraphPath, 'utf8'), urlEnv), subgraphUrls, signFetch);
  const exportPage = await capturer.capture(talentExport, {});
  // Talent pages: 50 talents of the first export page, mostly generated ones (past the 300 demo talents).
  // CEMR's own, whose personal fields the bench partner may read.
  const talentIds = (exportPage.data.talents.nodes as { id: string; organisation: { id: string } | null }[])
    .filter((t, i) => t.organisation?.id === benchPartner.organisationId && (i % 10 === 0 || (i > 300 && i % 5 === 0)))
    .slice(-50)
    .map((t) => t.id);
  // replays: the plan's subgraph requests as a stock ApolloGateway sends them; minimal: the same made minimal
  // (each distinct representation once, sibling fetches to one subgraph merged), what the lower bound replays.
  const work: Record<Op, { bodies: string[]; replays: Replay[]; minimal: Replay[]; references: unknown[] }> = {
    flagship: { bodies: [], replays: [], minimal: [], references: [] },
    dashboard: { bodies: [], replays: [], minimal: [], references: [] },
    talent: { bodies: [], replays: [], minimal: [], references: [] },
    export: { bodies: [], replays: [], minimal: [], references: [] },
  };
  // The flagship's page: the 100 talents after the first 500 (the demo talents sort first and have few
  // registrations; generated ones have about ten each).
  const flagshipAfter = exportPage.data.talents.pageInfo.endCursor as string;
  const variableSets: Record<Op, Record<string, unknown>[]> = {
    flagship: [{ first: 100, after: flagshipAfter, organisationId: benchPartner.organisationId }],
    dashboard: [talentDashboard.variables],
    talent: talentIds.map((id) => ({ id })),
    export: [{}],
  };
  for (const op of options.guardsOnly ? (['flagship'] as const) : options.ops) {
    const operation = operations[op];
    for (const variables of variableSets[op]) {
      const { replay, data } = await capturer.capture(operation, variables);
      work[op].bodies.push(JSON.stringify({ query: operation.query, variables, operationName: operation.name }));
      work[op].replays.push(replay);
      work[op].minimal.push(minimalReplay(replay));
      work[op].references.push(data);
    }
    const planned = replayWork(work[op].replays[0]!);
    const least = replayWork(work[op].minimal[0]!);
    log(
      `${op}: plan ${describeReplay(work[op].replays[0]!)} (${planned.requests} subgraph request(s), ${planned.representations} representation(s)); ` +
        `lower bound ${describeReplay(work[op].minimal[0]!)} (${least.requests}, ${least.representations}); ${work[op].bodies.length} variant(s)`,
    );
    if (options.targets.includes('bound')) for (const minimal of work[op].minimal.slice(0, 3)) await checkReplay(minimal, signFetch, op);
  }
  await capturer.stop();
  const exportFetch = replayFetches(work.export.replays[0] ?? exportPage.replay)[0]!;
  const exportSubgraphRequest = JSON.parse(exportFetch.body) as { query: string; operationName?: string };

  // 4. The gateways, each in its own process(es), all started now and idle while another is measured.
  // The response cache is off: this benchmark compares gateways doing the work (bench/cache.ts measures the cache).
  const gatewayEnv: NodeJS.ProcessEnv = {
    ...urlEnv,
    ...serviceSecrets,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SUPERGRAPH_PATH: supergraphPath,
    LOG_LEVEL: 'warn',
    RESPONSE_CACHE: 'off',
    // Rate limiting and trusted documents are what the guards phase measures; the comparison runs without them.
    RATE_LIMIT: 'off',
    TRUSTED_DOCUMENTS: 'off',
    // A's fetch deadline (5 s by default) as long as the load generator's: saturated at 50 connections, requests
    // queue for several seconds, and past its deadline A answers at once with partial data and opens its circuit
    // breaker, so it would be measured doing less work than B and C, which have no deadline of their own.
    SUBGRAPH_TIMEOUT_MS: '120000',
  };
  const token = await partnerToken(serviceSecrets.AUTH_JWT_SECRET);
  const asPartner = { authorization: `Bearer ${token}` };
  // 4a. What rate limiting and trusted documents cost the gateway, on the flagship (bench/guards.ts).
  let guards: GuardResults | undefined;
  if (options.guards && !interrupted) {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redis = (await redisAnswers(redisUrl)) ? { url: redisUrl, prefix: `talent-hub-bench:${stamp}:` } : undefined;
    if (!redis) log(`guards: no Redis at ${redisUrl}; rate limiting in Redis is left out`);
    guards = await measureGuards({
      services,
      gatewayEnv,
      jwtSecret: serviceSecrets.AUTH_JWT_SECRET,
      variants: guardVariants(talentsWithRegistrations, variableSets.flagship[0]!, redis),
      otherPids: () => subgraphNames.flatMap((name) => processTree(subgraphs[name]!.pid)),
      // One connection: far below saturation, so that a window's CPU is that of the requests it counts (at 50
      // connections requests queue, and those in flight when a window closes are charged to it). Longer windows
      // and more rounds than the comparison's, as the differences sought are a few percent.
      rounds: Math.max(5, options.rounds),
      durationS: Math.max(10, 2 * options.durationS),
      warmupS: options.warmupS,
      connections: 1,
      log,
      ...(redis ? { redis } : {}),
    });
    console.log(guardsTable(guards));
  }
  if (options.guardsOnly) {
    mkdirSync(path.join(benchDir, 'results'), { recursive: true });
    const file = path.join(benchDir, 'results', `guards-${stamp}.json`);
    writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), dataSet: counts, guards }, null, 1)}\n`);
    log(`results in ${path.relative(projectRoot, file)}`);
    return;
  }

  const gateways: Partial<Record<Target, Service>> = {};
  if (options.targets.some((target) => target.startsWith('C'))) ensureReferenceGateways(log);
  for (const target of options.targets) {
    if (target === 'bound') continue;
    const port = await freePort();
    if (target === 'A' || target === 'A2') {
      const workers = target === 'A2' ? '2' : options.workers !== undefined ? String(options.workers) : undefined;
      const env = { ...gatewayEnv, GATEWAY_PORT: String(port), ...(workers ? { GATEWAY_WORKERS: workers } : {}) };
      gateways[target] = await services.start(target, [...profileArgs(target), 'gateway/dist/main.js'], env, `http://127.0.0.1:${port}/`);
    } else if (target === 'B') {
      gateways.B = await services.start('B', [...profileArgs('B'), 'dist/bench/plain-gateway.js'], { ...gatewayEnv, PORT: String(port) }, `http://127.0.0.1:${port}/`);
    } else {
      // C and C3 with deduplication off, so that they do the same subgraph work as A and B (C' shows Hive's default).
      const env = { ...gatewayEnv, PORT: String(port), HIVE_DEDUPLICATE: target === 'C2' ? 'true' : 'false', HIVE_ROUTER_RUNTIME: target === 'C3' ? 'true' : 'false' };
      gateways[target] = await services.start(target, [...profileArgs(target), 'dist/bench/hive-gateway.js'], env, `http://127.0.0.1:${port}/graphql`);
    }
  }
  for (const [target, service] of Object.entries(gateways)) {
    log(`${target} up at ${service.url}: ${processTree(service.pid).length} process(es)`);
  }

  const gatewayPids = (target: Target) => (gateways[target] ? processTree(gateways[target].pid) : []);
  const subgraphPids = () => subgraphNames.flatMap((name) => processTree(subgraphs[name]!.pid));
  const exportOptions = (target: Target) =>
    target === 'bound'
      ? {
          url: exportFetch.url,
          bodyFor: (after: string | null) => JSON.stringify({ ...exportSubgraphRequest, variables: { after } }),
          headersFor: (body: string) => signFetch(exportFetch.service, body),
          connectionOf: (data: any) => data.talents,
        }
      : {
          url: gateways[target]!.url,
          bodyFor: (after: string | null) => JSON.stringify({ query: talentExport.query, variables: { after }, operationName: talentExport.name }),
          headersFor: () => asPartner,
          connectionOf: (data: any) => data.talents,
        };
  const allPids = () => [...options.targets.flatMap(gatewayPids), ...subgraphPids()];
  const load = (
    target: Target,
    op: Op,
    connections: number,
    warmupS: number,
    durationS: number,
    marks: { onWindow?: () => void; onWindowEnd?: () => void } = {},
  ): Promise<Sample> =>
    target === 'bound'
      ? loadDirect({ replays: work[op].minimal, sign: signFetch, connections, warmupS, durationS, ...marks })
      : loadGateway({ url: gateways[target]!.url, bodies: work[op].bodies, headers: asPartner, connections, warmupS, durationS, ...marks });

  // 5. Every target answers every operation as the reference does. The mean size of each target's answers is kept:
  // autocannon counts any HTTP 200 as answered, and a gateway whose fetch deadline or circuit breaker trips under
  // saturation answers 200 with partial data and errors, fast; a window whose answers are much smaller than these
  // is reported (runWarnings).
  const answerBytes: Partial<Record<Target, Partial<Record<Op, number>>>> = {};
  const runWarnings: string[] = [];
  if (options.verify) {
    const agent = new http.Agent({ keepAlive: true });
    for (const target of options.targets) {
      if (target === 'bound') continue;
      for (const op of options.ops) {
        const bodies = op === 'export' ? [exportOptions(target).bodyFor(null)] : work[op].bodies;
        const references = op === 'export' ? [exportPage.data] : work[op].references;
        let bytes = 0;
        for (const [i, body] of bodies.entries()) {
          const { status, text } = await post(agent, gateways[target]!.url, body, asPartner);
          bytes += Buffer.byteLength(text);
          const answer = JSON.parse(text) as { data?: unknown; errors?: { message: string }[] };
          if (status !== 200 || answer.errors?.length) throw new Error(`${target} ${op}: HTTP ${status} ${answer.errors?.[0]?.message ?? text.slice(0, 200)}`);
          if (JSON.stringify(answer.data) !== JSON.stringify(references[i])) throw new Error(`${target} ${op}: the answer differs from the reference`);
        }
        (answerBytes[target] ??= {})[op] = bytes / bodies.length;
      }
    }
    agent.destroy();
    log('every target answers every operation as the reference does');
  }

  // 6. Rounds: A B C ... A B C ..., each target through every operation, at each connection count.
  const results: Partial<Record<Target, TargetResults>> = {};
  for (const target of options.targets) results[target] = { label: targetLabels[target], ops: {} };
  log('warming every target up');
  for (const target of options.targets) {
    for (const op of options.ops) {
      if (op === 'export') await runExport({ ...exportOptions(target), maxPages: 20 });
      else await load(target, op, Math.max(...options.connections), 0, Math.max(2, options.warmupS));
      await waitUntilIdle(allPids);
    }
  }
  for (let round = 1; round <= options.rounds && !interrupted; round++) {
    for (const target of options.targets) {
      for (const op of options.ops) {
        const slot = (results[target]!.ops[op] ??= { windows: {} });
        if (op === 'export') {
          const gw0 = treeCpuMs(gatewayPids(target));
          const sg0 = treeCpuMs(subgraphPids());
          const run: ExportRun = await runExport(exportOptions(target));
          const gatewayCpu = cpuDelta(gw0, treeCpuMs([...gw0.keys()]));
          const subgraphCpu = cpuDelta(sg0, treeCpuMs([...sg0.keys()]));
          (slot.exports ??= []).push({
            ...run,
            gatewayCpuMsPerRequest: target === 'bound' ? null : gatewayCpu / run.pages,
            subgraphCpuMsPerRequest: subgraphCpu / run.pages,
          });
          log(`round ${round} ${target} export: ${Math.round(run.rowsPerSecond)} rows/s (${run.rows} rows, ${run.pages} pages, page p50 ${run.pageP50Ms.toFixed(1)} ms)`);
          await waitUntilIdle(allPids);
          continue;
        }
        for (const connections of options.connections) {
          const pids = gatewayPids(target);
          const cpu = cpuWindow(pids, subgraphPids);
          const sample = await load(target, op, connections, options.warmupS, options.durationS, cpu);
          const { gatewayCpu, subgraphCpu } = cpu.totals();
          const window: Window & { gatewayCpuMsPerRequest: number | null; subgraphCpuMsPerRequest: number; gatewayProcesses: number } = {
            ...summarise(sample),
            gatewayCpuMsPerRequest: target === 'bound' ? null : gatewayCpu / Math.max(1, sample.requests),
            subgraphCpuMsPerRequest: subgraphCpu / Math.max(1, sample.requests),
            gatewayProcesses: pids.length,
          };
          (slot.windows[connections] ??= []).push(window);
          const expectedBytes = answerBytes[target]?.[op];
          if (expectedBytes && window.bytesPerResponse !== undefined && window.bytesPerResponse < 0.9 * expectedBytes) {
            const warning = `round ${round} ${target} ${op} at ${connections} connection(s): answers of ${Math.round(window.bytesPerResponse)} bytes on average, ${Math.round(expectedBytes)} when verified (partial answers with errors counted as answered?)`;
            runWarnings.push(warning);
            log(`WARNING: ${warning}`);
          }
          const drainMs = await waitUntilIdle(allPids);
          log(
            `round ${round} ${target} ${op} c${connections}: ${window.rps.toFixed(1)} req/s, p50 ${window.p50Ms.toFixed(2)} ms, p99 ${window.p99Ms.toFixed(2)} ms` +
              (window.gatewayCpuMsPerRequest !== null ? `, gateway ${window.gatewayCpuMsPerRequest.toFixed(2)} CPU ms/req` : '') +
              `, subgraphs ${window.subgraphCpuMsPerRequest.toFixed(2)} CPU ms/req${window.errors ? `, ${window.errors} errors` : ''}; ${drainMs} ms to drain`,
          );
        }
      }
    }
  }

  // 6a. A fixed arrival rate below saturation, the same for every target: rateShare of the slowest target's
  // saturated req/s for the operation (or --rate), open loop (bench/open-loop.ts), targets alternating in rounds.
  // Saturated, a target's CPU per request includes queueing and contention; at one rate for all, each does the
  // same work in the same time, so its CPU per request and latency compare directly.
  const rates: Partial<Record<Op, { rate: number; basis: string }>> = {};
  if (options.rateWindows && !interrupted) {
    const high = Math.max(...options.connections);
    const gatewayTargets = options.targets.filter((t) => t !== 'bound');
    for (const op of rateOps) {
      if (!options.ops.includes(op)) continue;
      if (options.rate !== undefined) {
        rates[op] = { rate: options.rate, basis: '--rate' };
        continue;
      }
      const saturated = (gatewayTargets.length ? gatewayTargets : options.targets)
        .map((t) => [t, median((results[t]!.ops[op]?.windows[high] ?? []).map((w) => w.rps))] as const)
        .filter(([, rps]) => Number.isFinite(rps) && rps > 0);
      if (!saturated.length) {
        log(`${op}: no saturated window at ${high} connections to take a rate from; no fixed-rate windows (use --rate)`);
        continue;
      }
      const [slowest, rps] = saturated.reduce((a, b) => (b[1] < a[1] ? b : a));
      rates[op] = { rate: Math.max(0.1, Math.round(rateShare * rps * 10) / 10), basis: `${Math.round(rateShare * 100)}% of ${slowest}'s ${rps.toFixed(1)} req/s at ${high} connections` };
    }
    log(`fixed rates: ${JSON.stringify(rates)}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const sender = (target: Target, op: Op) =>
      target === 'bound'
        ? (i: number) => replay(agent, work[op].minimal[i % work[op].minimal.length]!, signFetch)
        : // An answer with errors (e.g. a subgraph fetch that timed out) is not an answer; no field is named "errors".
          (i: number) => post(agent, gateways[target]!.url, work[op].bodies[i % work[op].bodies.length]!, asPartner).then((r) => r.status === 200 && !r.text.includes('"errors":'));
    for (let round = 1; round <= options.rounds && !interrupted; round++) {
      for (const target of options.targets) {
        for (const op of rateOps) {
          const rate = rates[op]?.rate;
          if (rate === undefined || interrupted) continue;
          const pids = gatewayPids(target);
          const cpu = cpuWindow(pids, subgraphPids);
          const sample = await loadAtRate({
            send: sender(target, op),
            rate,
            warmupS: options.warmupS,
            durationS: rateWindowS(rate, options.rateDurationS),
            onWindow: cpu.onWindow,
            onWindowEnd: cpu.onWindowEnd,
          });
          const { gatewayCpu, subgraphCpu } = cpu.totals();
          const window: RateWindowResult = {
            ...summarise(sample),
            gatewayCpuMsPerRequest: target === 'bound' ? null : gatewayCpu / Math.max(1, sample.requests),
            subgraphCpuMsPerRequest: subgraphCpu / Math.max(1, sample.requests),
            gatewayProcesses: pids.length,
            rate,
            scheduled: sample.scheduled,
            dropped: sample.dropped,
            timedOut: sample.timedOut,
          };
          const slot = (results[target]!.ops[op] ??= { windows: {} });
          (slot.rateWindows ??= []).push(window);
          const drainMs = await waitUntilIdle(allPids);
          log(
            `round ${round} ${target} ${op} at ${rate} req/s: ${window.requests}/${window.scheduled} answered, p50 ${window.p50Ms.toFixed(2)} ms, p99 ${window.p99Ms.toFixed(2)} ms` +
              (window.gatewayCpuMsPerRequest !== null ? `, gateway ${window.gatewayCpuMsPerRequest.toFixed(2)} CPU ms/req` : '') +
              `, subgraphs ${window.subgraphCpuMsPerRequest.toFixed(2)} CPU ms/req` +
              (window.errors ? `, ${window.errors} errors (${window.dropped} dropped, ${window.timedOut} timed out)` : '') +
              `; ${drainMs} ms to drain`,
          );
        }
      }
    }
    agent.destroy();
  }

  // 6b. The Talent Hub's aggregates, at the talents subgraph itself, with every gateway idle.
  let subgraphQueries: SubgraphQueryResults | undefined;
  if (options.subgraphQueries.length > 0 && !interrupted) {
    await waitUntilIdle(allPids);
    subgraphQueries = await measureSubgraphQueries({
      queries: options.subgraphQueries,
      talentsUrl: subgraphs.talents!.url,
      talentsDatabaseUrl: dbs.urls.talents!,
      internalTokenSecret: serviceSecrets.INTERNAL_TOKEN_SECRET,
      warmupS: options.warmupS,
      durationS: options.durationS * options.rounds,
      log,
    });
  }

  // 6c. Streaming exports beside a bare COPY (bench/exports.ts).
  if (options.exports && !interrupted) await exportBench();

  // 7. Peak memory of each gateway over the whole run (VmHWM, summed over its processes).
  for (const target of options.targets) {
    const pids = gatewayPids(target);
    results[target]!.peakRssBytes = target === 'bound' ? null : pids.reduce((sum, pid) => sum + peakRssBytes(pid), 0);
    results[target]!.processes = target === 'bound' ? 0 : pids.length;
  }

  // 8. SQL statements per request, each target and operation on its own, read once the counters have settled.
  let sqlMethod: string | undefined;
  if (options.sql && !interrupted) {
    const counter = await StatementCounter.open(options.postgresUrl, dbs);
    sqlMethod = await counter.method();
    log(`counting SQL statements per request (${sqlMethod}); ${StatementCounter.settleMs / 1000} s of quiet after each`);
    await sleep(StatementCounter.settleMs);
    let before = await counter.read();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    for (const target of options.targets) {
      for (const op of options.ops) {
        if (interrupted) break;
        let requests: number;
        if (op === 'export') {
          requests = (await runExport({ ...exportOptions(target), maxPages: 20 })).pages;
        } else {
          requests = 50; // one wave at 50 connections
          let next = 0;
          const one = async () => {
            while (next < requests) {
              const i = next++;
              if (target === 'bound') await replay(agent, work[op].minimal[i % work[op].minimal.length]!, signFetch);
              else await post(agent, gateways[target]!.url, work[op].bodies[i % work[op].bodies.length]!, asPartner);
            }
          };
          await Promise.all(Array.from({ length: 50 }, one));
        }
        await sleep(StatementCounter.settleMs);
        const after = await counter.read();
        const perSubgraph = Object.fromEntries(subgraphNames.map((name) => [name, (after[name]! - before[name]!) / requests])) as Record<SubgraphName, number>;
        const slot = (results[target]!.ops[op] ??= { windows: {} });
        slot.sqlPerRequest = { ...perSubgraph, total: subgraphNames.reduce((sum, name) => sum + perSubgraph[name]!, 0), requests };
        log(`SQL ${target} ${op}: ${JSON.stringify(slot.sqlPerRequest)}`);
        before = after;
      }
    }
    agent.destroy();
    await counter.close();
  }

  // 9. Stop, then profiles, results and the table.
  await services.stopAll();
  let profiles: Record<string, string> | undefined;
  if (options.cpuProfile) {
    profiles = {};
    for (const target of readdirSync(profileDir)) profiles[target] = summariseProfiles(path.join(profileDir, target));
  }

  const benchResults: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: pgVersion,
    },
    dataSet: { ...counts, asked: options.size, generateMs: generateMs ?? null },
    settings: {
      quick: options.quick,
      rounds: options.rounds,
      durationS: options.durationS,
      warmupS: options.warmupS,
      connections: options.connections,
      rateDurationS: options.rateDurationS,
      rateShare,
      workersA: options.workers ?? 'default',
      cpuProfile: options.cpuProfile,
    },
    sqlCount: sqlMethod ?? null,
    plans: Object.fromEntries(options.ops.map((op) => [op, describeReplay(work[op].replays[0]!)])),
    lowerBoundPlans: Object.fromEntries(options.ops.map((op) => [op, describeReplay(work[op].minimal[0]!)])),
    rates,
    targets: results,
    ...(subgraphQueries ? { subgraphQueries } : {}),
    ...(guards ? { guards } : {}),
  };
  summariseResults(benchResults);
  benchResults.warnings = [...runWarnings, ...boundWarnings(benchResults)];
  for (const warning of benchResults.warnings) log(`WARNING: ${warning}`);
  mkdirSync(path.join(benchDir, 'results'), { recursive: true });
  const file = path.join(benchDir, 'results', `${stamp}.json`);
  // Numbers to 3 decimals: the file is meant to be committed, and more digits are noise.
  const rounded = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);
  writeFileSync(file, `${JSON.stringify(benchResults, rounded, 1)}\n`);
  console.log(markdownReport(benchResults));
  if (profiles) for (const [target, summary] of Object.entries(profiles)) console.log(`\n### CPU profile of ${target}\n\n${summary}`);
  log(`results in ${path.relative(projectRoot, file)}`);
}

/**
 * The CPU time of a gateway's processes and of the subgraphs' over one load window: read as the window opens and as
 * it closes (the load generator calls onWindow and onWindowEnd), or at once when it reports no end.
 */
function cpuWindow(gatewayPids: number[], subgraphPids: () => number[]) {
  let gateway0 = treeCpuMs(gatewayPids);
  let subgraphs0 = treeCpuMs(subgraphPids());
  let gateway1: Map<number, number> | undefined;
  let subgraphs1: Map<number, number> | undefined;
  return {
    onWindow: () => {
      gateway0 = treeCpuMs(gatewayPids);
      subgraphs0 = treeCpuMs(subgraphPids());
    },
    onWindowEnd: () => {
      gateway1 = treeCpuMs([...gateway0.keys()]);
      subgraphs1 = treeCpuMs([...subgraphs0.keys()]);
    },
    totals: () => ({
      gatewayCpu: cpuDelta(gateway0, gateway1 ?? treeCpuMs([...gateway0.keys()])),
      subgraphCpu: cpuDelta(subgraphs0, subgraphs1 ?? treeCpuMs([...subgraphs0.keys()])),
    }),
  };
}
