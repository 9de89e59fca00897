import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { talentsWithRegistrations } from '@talent-hub/gateway/known-operations';
import { documentHash } from '@talent-hub/gateway/trusted-documents';
import { projectRoot } from '@talent-hub/platform/paths';
import { envName } from '@talent-hub/platform/registry';
import { subgraphNames, type SubgraphName } from './database.js';
import { loadGateway, summarise, type Window } from './load.js';
import { cpuDelta, processTree, treeCpuMs } from './proc.js';
import { freePort, Services, type Service } from './services.js';

// `npm run bench:trusted`: what trusted documents cost the gateway, in CPU per request of the flagship operation
// (gateway/known-operations.ts, TalentsWithRegistrations, first 100). The three subgraphs run from dist/ on fresh
// embedded stores (demo data), and three gateway processes (one worker each, response cache off, production) with
// TRUSTED_DOCUMENTS off, log and enforce. They are all started at once and idle while another one is measured.
// Four variants alternate in each round:
// - off: the full text;
// - log: the full text, trusted (client talent-hub-partner-apps);
// - enforce, text: the same;
// - enforce, documentId: only the id, served from the manifest.
// Each window runs at 10 connections. About 3 minutes. The demo data's flagship answers are smaller than those of
// `npm run bench` (100k talents), and anonymous: the demo talents' registrations are private, so they come back
// null with FORBIDDEN errors and no event is fetched. The gateway's CPU per request is therefore smaller here, and
// the fixed cost of the check weighs more: the share measured is an upper bound. Results go to
// bench/results/trusted-<timestamp>.json and a table.

const connections = 10;
const warmupS = 2;
const durationS = 5;
const rounds = 3;
const client = 'talent-hub-partner-apps';
const secret = randomBytes(24).toString('hex');

interface Variant {
  name: string;
  gateway: 'off' | 'log' | 'enforce';
  body: string;
}

interface Measured extends Window {
  gatewayCpuMsPerRequest: number;
}

const log = (message: string) => console.log(`[bench:trusted] ${message}`);

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const benchDir = path.join(projectRoot, 'bench');
  const services = new Services(path.join(benchDir, 'logs', `trusted-${stamp}`));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-bench-trusted-'));
  try {
    const started = Date.now();
    const ports = Object.fromEntries(await Promise.all(subgraphNames.map(async (name) => [name, await freePort()]))) as Record<SubgraphName, number>;
    const urlEnv = Object.fromEntries(subgraphNames.map((name) => [envName(name, 'URL'), `http://127.0.0.1:${ports[name]}/graphql`]));
    const common = { NODE_ENV: 'production', HOST: '127.0.0.1', INTERNAL_TOKEN_SECRET: secret, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'warn', ...urlEnv };
    await Promise.all(
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

    const gateways = {} as Record<Variant['gateway'], Service>;
    for (const mode of ['off', 'log', 'enforce'] as const) {
      const port = await freePort();
      // Introspection on everywhere, alike: the readiness probe of Services sends `{ __typename }`, which enforce
      // mode refuses when introspection is off. A trusted document takes the same path either way.
      const env = { ...common, GATEWAY_PORT: String(port), GATEWAY_WORKERS: '1', RESPONSE_CACHE: 'off', GATEWAY_INTROSPECTION: 'true', TRUSTED_DOCUMENTS: mode };
      gateways[mode] = await services.start(`gateway-${mode}`, ['gateway/dist/main.js'], env, `http://127.0.0.1:${port}/`);
    }

    const { query, name, variables } = { ...talentsWithRegistrations, variables: { first: 100 } };
    const text = JSON.stringify({ query, operationName: name, variables });
    const byId = JSON.stringify({ documentId: `sha256:${documentHash(query)}`, operationName: name, variables });
    const variants: Variant[] = [
      { name: 'off', gateway: 'off', body: text },
      { name: 'log', gateway: 'log', body: text },
      { name: 'enforce, text', gateway: 'enforce', body: text },
      { name: 'enforce, documentId', gateway: 'enforce', body: byId },
    ];
    await check(variants, gateways);

    const results = new Map<string, Measured[]>(variants.map((v) => [v.name, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const variant of variants) {
        const pids = processTree(gateways[variant.gateway].pid);
        let before = new Map<number, number>();
        let cpu = 0;
        const sample = await loadGateway({
          url: gateways[variant.gateway].url,
          bodies: [variant.body],
          headers: { 'apollographql-client-name': client },
          connections,
          warmupS,
          durationS,
          onWindow: () => void (before = treeCpuMs(pids)),
          onWindowEnd: () => void (cpu = cpuDelta(before, treeCpuMs(pids))),
        });
        const window = summarise(sample);
        const measured = { ...window, gatewayCpuMsPerRequest: cpu / Math.max(1, window.requests) };
        results.get(variant.name)!.push(measured);
        log(
          `round ${round} ${variant.name}: ${measured.rps.toFixed(1)} req/s, p50 ${measured.p50Ms.toFixed(1)} ms, gateway ${measured.gatewayCpuMsPerRequest.toFixed(2)} CPU ms/req` +
            (measured.errors ? `, ${measured.errors} errors` : ''),
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }

    const table = report(variants, results);
    console.log(`\n${table}`);
    mkdirSync(path.join(benchDir, 'results'), { recursive: true });
    const file = path.join(benchDir, 'results', `trusted-${stamp}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          startedAt: new Date(started).toISOString(),
          machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
          settings: { operation: name, variables, connections, warmupS, durationS, rounds, client },
          results: Object.fromEntries(results),
        },
        null,
        2,
      ),
    );
    log(`results in ${path.relative(projectRoot, file)}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
  } finally {
    await services.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Every variant answers 200 with data (the anonymous flagship's registrations are refused field by field), and the
 * same answer as the gateway without trusted documents, before anything is measured.
 */
async function check(variants: readonly Variant[], gateways: Record<Variant['gateway'], Service>): Promise<void> {
  let reference: string | undefined;
  for (const variant of variants) {
    const response = await fetch(gateways[variant.gateway].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollographql-client-name': client },
      body: variant.body,
    });
    const text = await response.text();
    const answer = JSON.parse(text) as { data?: { talents?: { nodes?: unknown[] } } | null; errors?: { extensions?: { code?: string } }[] };
    const refusedFields = (answer.errors ?? []).every((e) => e.extensions?.code === 'FORBIDDEN');
    if (!response.ok || !answer.data?.talents?.nodes?.length || !refusedFields) throw new Error(`${variant.name}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    reference ??= text;
    if (text !== reference) throw new Error(`${variant.name}: the answer differs from the one with trusted documents off`);
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function report(variants: readonly Variant[], results: Map<string, Measured[]>): string {
  const cpu = (name: string) => median(results.get(name)!.map((w) => w.gatewayCpuMsPerRequest));
  const off = cpu('off');
  const lines = [
    `Trusted documents, flagship (TalentsWithRegistrations, first 100, demo data), medians of ${rounds} rounds of ${durationS} s at ${connections} connections`,
    '',
    '| TRUSTED_DOCUMENTS | req/s | p50 ms | gateway CPU ms/req | compared with off | each round |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const { name } of variants) {
    const windows = results.get(name)!;
    const difference = ((cpu(name) - off) / off) * 100;
    lines.push(
      `| ${name} | ${median(windows.map((w) => w.rps)).toFixed(1)} | ${median(windows.map((w) => w.p50Ms)).toFixed(1)} | ${cpu(name).toFixed(2)} | ` +
        `${name === 'off' ? '–' : `${difference >= 0 ? '+' : ''}${difference.toFixed(1)}%`} | ${windows.map((w) => w.gatewayCpuMsPerRequest.toFixed(2)).join(', ')} |`,
    );
  }
  return lines.join('\n');
}

await main();
