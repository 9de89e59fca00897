import { writeFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { InternalTokenSigner } from '@talent-hub/platform/identity';
import { summarise } from './load.js';
import { cpuDelta, treeCpuMs } from './proc.js';

// `npm run bench -- --aggregates-only`: the common dashboard aggregates at the subgraph that answers them, one
// request after another (latency, not throughput), over the bench's data set. talentStatistics is measured twice:
// from the statistics rollups (migration 0007), and from the raw statement, by marking the rollups stale (every
// request then asks the rollups, gets nothing and asks the raw statement: the "before" carries that one extra
// empty statement, a fraction of a millisecond). Both must give the same answer, byte for byte. The rollups are
// then rebuilt (timed) and measured. registrationStatistics (trainings, its own per-event counts) for comparison.
// Beside the latencies, the CPU per request of the subgraph process and of its PostgreSQL backends (from /proc):
// on a machine shared with other work, latencies wait for a core, CPU time does not.

const CELLS = 'region { code } category citizenship skill { uri label } careerStage talents suppressed';
const TALENTS = `query ($groupBy: [TalentDimension!]!, $regionLevel: Int, $filter: TalentFilter) {
  talentStatistics(groupBy: $groupBy, regionLevel: $regionLevel, filter: $filter) { cells { ${CELLS} } } }`;
const REGISTRATIONS = `query ($groupBy: [RegistrationDimension!]!) { registrationStatistics(groupBy: $groupBy) {
  eventKind month events capacity suppressed registrations { value suppressed } attended { value suppressed } completed { value suppressed } } }`;

interface Aggregate {
  name: string;
  subgraph: 'talents' | 'trainings';
  query: string;
  variables: Record<string, unknown>;
}

export const aggregates: Aggregate[] = [
  { name: 'REGION level 2', subgraph: 'talents', query: TALENTS, variables: { groupBy: ['REGION'], regionLevel: 2 } },
  { name: 'CATEGORY x CAREER_STAGE', subgraph: 'talents', query: TALENTS, variables: { groupBy: ['CATEGORY', 'CAREER_STAGE'] } },
  { name: 'SKILL', subgraph: 'talents', query: TALENTS, variables: { groupBy: ['SKILL'] } },
  { name: 'REGION level 2 x CATEGORY', subgraph: 'talents', query: TALENTS, variables: { groupBy: ['REGION', 'CATEGORY'], regionLevel: 2 } },
  {
    name: 'REGION level 3 in ITH (Nord-Est)',
    subgraph: 'talents',
    query: TALENTS,
    variables: { groupBy: ['REGION'], regionLevel: 3, filter: { regionCode: 'ITH' } },
  },
  {
    name: 'REGION level 2, filter organisationId (not kept: raw)',
    subgraph: 'talents',
    query: TALENTS,
    variables: { groupBy: ['REGION'], regionLevel: 2, filter: { organisationId: 'cemr' } },
  },
  { name: 'registrationStatistics EVENT_KIND x MONTH', subgraph: 'trainings', query: REGISTRATIONS, variables: { groupBy: ['EVENT_KIND', 'MONTH'] } },
];

export interface AggregateResult {
  name: string;
  cells: number;
  bytes: number;
  rollups: Measured;
  raw: Measured;
}

interface Measured {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  /** CPU ms per request of the subgraph process and of PostgreSQL's backends of its database. */
  subgraphCpuMs: number;
  postgresCpuMs: number;
}

export interface AggregateResults {
  rebuildMs: number;
  rollupRows: number;
  results: AggregateResult[];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** POSTs a body and returns the answer's text; throws on an HTTP or GraphQL error. */
function post(url: string, body: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`));
        else resolve(text);
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** p95 from summarise's sorted latencies (it reports p50 and p99). */
function percentile(latencies: number[], q: number): number {
  const sorted = Float64Array.from(latencies).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export async function measureAggregates(options: {
  urls: Record<'talents' | 'trainings', string>;
  /** The subgraphs' process ids and database names. */
  pids: Record<'talents' | 'trainings', number>;
  databases: Record<'talents' | 'trainings', string>;
  talentsDatabaseUrl: string;
  internalTokenSecret: string;
  warmupS: number;
  durationS: number;
  resultsFile: string;
  log: (message: string) => void;
}): Promise<AggregateResults> {
  const { log } = options;
  const signer = new InternalTokenSigner(options.internalTokenSecret);
  const database = new pg.Client({ connectionString: options.talentsDatabaseUrl });
  await database.connect();

  /** One window: warm-up, then `durationS` of requests one after another; latencies and the last answer. */
  const measure = async (aggregate: Aggregate) => {
    const body = JSON.stringify({ query: aggregate.query, variables: aggregate.variables });
    const latencies: number[] = [];
    let answer = '';
    let cpu = { subgraph: new Map<number, number>(), postgres: new Map<number, number>() };
    const backends = async () =>
      (await database.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [options.databases[aggregate.subgraph]])).rows.map((r) => r.pid);
    let postgresPids: number[] = [];
    for (const [seconds, record] of [[options.warmupS, false], [options.durationS, true]] as const) {
      if (record) {
        postgresPids = await backends();
        cpu = { subgraph: treeCpuMs([options.pids[aggregate.subgraph]]), postgres: treeCpuMs(postgresPids) };
      }
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        // Signed outside the timed part, as the gateway signs each fetch (anonymous: a public dashboard).
        const headers = signer.headers(null, { audience: aggregate.subgraph, body });
        const started = performance.now();
        answer = await post(options.urls[aggregate.subgraph], body, headers);
        if (record) latencies.push(performance.now() - started);
      }
    }
    const subgraphCpuMs = cpuDelta(cpu.subgraph, treeCpuMs([options.pids[aggregate.subgraph]])) / latencies.length;
    const postgresCpuMs = cpuDelta(cpu.postgres, treeCpuMs(postgresPids)) / latencies.length;
    const window = summarise({ requests: latencies.length, errors: 0, elapsedMs: options.durationS * 1000, latencies: Float64Array.from(latencies) });
    const measured: Measured = { requests: window.requests, p50Ms: window.p50Ms, p95Ms: percentile(latencies, 0.95), subgraphCpuMs, postgresCpuMs };
    return { window: measured, answer };
  };

  try {
    // 1. Raw: the rollups marked stale.
    await database.query('update talent_statistics_shapes set ready = false');
    const raw = new Map<string, Awaited<ReturnType<typeof measure>>>();
    for (const aggregate of aggregates) {
      raw.set(aggregate.name, await measure(aggregate));
      log(`aggregates, raw: ${aggregate.name}: p50 ${raw.get(aggregate.name)!.window.p50Ms.toFixed(2)} ms, CPU ${raw.get(aggregate.name)!.window.subgraphCpuMs.toFixed(2)} + ${raw.get(aggregate.name)!.window.postgresCpuMs.toFixed(2)} ms`);
    }
    // 2. The rollups rebuilt from the tables (what a bulk load does at its end), then measured.
    const started = performance.now();
    await database.query('select talent_statistics_rebuild()');
    const rebuildMs = performance.now() - started;
    await database.query('vacuum analyze talent_statistics_rollup, talent_statistics_grains');
    const rollupRows = Number((await database.query('select count(*) as n from talent_statistics_rollup')).rows[0].n);
    log(`aggregates: rollups rebuilt in ${(rebuildMs / 1000).toFixed(1)} s (${rollupRows} cells)`);
    const results: AggregateResult[] = [];
    for (const aggregate of aggregates) {
      const fromRollups = await measure(aggregate);
      const before = raw.get(aggregate.name)!;
      if (fromRollups.answer !== before.answer) throw new Error(`${aggregate.name}: the rollups' answer differs from the raw statement's`);
      const data = JSON.parse(fromRollups.answer).data;
      const cells = (data.talentStatistics?.cells ?? data.registrationStatistics).length as number;
      results.push({ name: aggregate.name, cells, bytes: Buffer.byteLength(fromRollups.answer), rollups: fromRollups.window, raw: before.window });
      log(`aggregates, rollups: ${aggregate.name}: p50 ${fromRollups.window.p50Ms.toFixed(2)} ms, CPU ${fromRollups.window.subgraphCpuMs.toFixed(2)} + ${fromRollups.window.postgresCpuMs.toFixed(2)} ms (raw p50 ${before.window.p50Ms.toFixed(2)} ms), ${cells} cells, same answer`);
    }
    const output: AggregateResults = { rebuildMs, rollupRows, results };
    writeFileSync(options.resultsFile, `${JSON.stringify(output, null, 2)}\n`);
    console.log(aggregatesTable(output));
    return output;
  } finally {
    // Never leave the rollups stale (a failure between the two steps).
    await database.query('select talent_statistics_rebuild() where exists (select 1 from talent_statistics_shapes where not ready)').catch(() => undefined);
    await database.end();
  }
}

export function aggregatesTable(output: AggregateResults): string {
  const ms = (v: number) => v.toFixed(1);
  const cpu = (m: Measured) => `${ms(m.subgraphCpuMs)} + ${ms(m.postgresCpuMs)}`;
  const rows = output.results.map(
    (r) => `| ${r.name} | ${r.cells} | ${ms(r.rollups.p50Ms)} | ${ms(r.rollups.p95Ms)} | ${cpu(r.rollups)} | ${ms(r.raw.p50Ms)} | ${ms(r.raw.p95Ms)} | ${cpu(r.raw)} |`,
  );
  return [
    '| aggregate at the subgraph | cells | p50 ms | p95 ms | CPU ms/req (subgraph + PostgreSQL) | raw p50 ms | raw p95 ms | raw CPU ms/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Rollups: ${output.rollupRows} cells, rebuilt in ${(output.rebuildMs / 1000).toFixed(1)} s.`,
  ].join('\n');
}
