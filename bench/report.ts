import type { DataSetSize } from './database.js';
import type { ExportRun, Window } from './load.js';
import { guardsTable, type GuardResults } from './guards.js';
import type { Op, Target } from './options.js';

// The results file's shape, and the markdown table printed at the end of a run (medians over the rounds).

export interface WindowResult extends Window {
  /** Gateway CPU (user + system, all its processes) per request; null for the direct target. */
  gatewayCpuMsPerRequest: number | null;
  subgraphCpuMsPerRequest: number;
  gatewayProcesses: number;
}

export interface ExportResult extends ExportRun {
  gatewayCpuMsPerRequest: number | null;
  subgraphCpuMsPerRequest: number;
}

export interface OpResults {
  /** Windows by connection count, one per round. */
  windows: Record<number, WindowResult[]>;
  exports?: ExportResult[];
  /** SQL statements per request: by subgraph name, and `total` and `requests`. */
  sqlPerRequest?: Record<string, number> & { total: number; requests: number };
}

export interface TargetResults {
  label: string;
  ops: Partial<Record<Op, OpResults>>;
  peakRssBytes?: number | null;
  processes?: number;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string };
  dataSet: { talents: number; events: number; registrations: number; asked: DataSetSize; generateMs: number | null };
  settings: Record<string, unknown>;
  sqlCount: string | null;
  plans: Record<string, string>;
  targets: Partial<Record<Target, TargetResults>>;
  /** Queries measured at the talents subgraph itself (bench/subgraph-queries.ts). */
  subgraphQueries?: Partial<Record<string, { requests: number; p50Ms: number; p99Ms: number; variants: number }>>;
  /** Gateway CPU per flagship request with rate limiting and trusted documents on (bench/guards.ts). */
  guards?: GuardResults;
}

export const median = (values: readonly number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Median of one metric of a target's windows for an operation at a connection count. */
export function metric(results: BenchResults, target: Target, op: Op, connections: number, key: keyof WindowResult): number {
  const windows = results.targets[target]?.ops[op]?.windows[connections] ?? [];
  return median(windows.map((w) => w[key] as number));
}

export function exportMetric(results: BenchResults, target: Target, key: keyof ExportResult): number {
  return median((results.targets[target]?.ops.export?.exports ?? []).map((e) => e[key] as number));
}

const fmt = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const int = (value: number) => fmt(value, 0);

const opTitles: Record<Op, string> = {
  flagship: '1. flagship (100 talents, registrations, events, regions, organisers)',
  dashboard: '2. dashboard aggregate',
  talent: '3. talent page by id',
  export: '4. bulk export',
};

export interface TargetCheck {
  goal: string;
  measured: string;
  met: boolean | null;
  note?: string;
}

/** The issue's targets, as ratios from this run. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const connections = (results.settings.connections as number[]) ?? [50, 1];
  const high = Math.max(...connections);
  const low = Math.min(...connections);
  const rps = (t: Target) => metric(results, t, 'flagship', high, 'rps');
  const checks: TargetCheck[] = [];
  const ratio = (a: number, b: number) => a / b;
  const add = (goal: string, value: number, ok: (v: number) => boolean, unit = '×', note?: string) =>
    checks.push({ goal, measured: Number.isFinite(value) ? `${fmt(value, 2)}${unit}` : 'not measured', met: Number.isFinite(value) ? ok(value) : null, ...(note ? { note } : {}) });
  add(`A ≥ 2.5× C (dedup off), flagship req/s at ${high} connections`, ratio(rps('A'), rps('C')), (v) => v >= 2.5);
  add(`A ≥ 1.3× B, flagship req/s at ${high} connections`, ratio(rps('A'), rps('B')), (v) => v >= 1.3);
  for (const op of ['flagship', 'dashboard', 'talent'] as const) {
    add(
      `A p50 at ${low} connection ≤ 1.5× direct critical path (${op})`,
      ratio(metric(results, 'A', op, low, 'p50Ms'), metric(results, 'direct', op, low, 'p50Ms')),
      (v) => v <= 1.5,
      '×',
      `${fmt(metric(results, 'A', op, low, 'p50Ms'), 2)} ms vs ${fmt(metric(results, 'direct', op, low, 'p50Ms'), 2)} ms`,
    );
  }
  add(`aggregate p50 ≤ 20 ms at the subgraph (dashboard, direct, ${low} connection)`, metric(results, 'direct', 'dashboard', low, 'p50Ms'), (v) => v <= 20, ' ms');
  add(`aggregate p50 ≤ 20 ms at the subgraph (dashboard, direct, ${high} connections)`, metric(results, 'direct', 'dashboard', high, 'p50Ms'), (v) => v <= 20, ' ms');
  add('export ≥ 50k rows/s through the gateway (A)', exportMetric(results, 'A', 'rowsPerSecond'), (v) => v >= 50_000, ' rows/s');
  const rss = results.targets.A?.peakRssBytes;
  add('gateway RSS ≤ 300 MiB under load (A, all processes)', rss ? rss / 2 ** 20 : NaN, (v) => v <= 300, ' MiB');
  return checks;
}

export function markdownReport(results: BenchResults): string {
  const targets = Object.keys(results.targets) as Target[];
  const connections = (results.settings.connections as number[]) ?? [50, 1];
  const high = Math.max(...connections);
  const low = Math.min(...connections);
  const { machine, dataSet, settings } = results;
  const lines: string[] = [];
  lines.push(`Run of ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}.`);
  lines.push(`Data: ${int(dataSet.talents)} talents, ${int(dataSet.events)} events, ${int(dataSet.registrations)} registrations${dataSet.generateMs ? ` (generated in ${fmt(dataSet.generateMs / 1000, 0)} s)` : ''}.`);
  lines.push(`${settings.rounds} rounds (targets alternating in each), ${settings.durationS} s per window after ${settings.warmupS} s of warm-up; medians of the rounds. Load generator (autocannon; the direct target: a replay client) in its own process, loopback.`);
  lines.push(`SQL statements: ${results.sqlCount ?? 'not counted in this run'}.`);
  lines.push('');
  for (const op of ['flagship', 'dashboard', 'talent'] as const) {
    if (!targets.some((t) => results.targets[t]?.ops[op])) continue;
    lines.push(`**${opTitles[op]}**: plan \`${results.plans[op] ?? '?'}\``);
    lines.push('');
    const head = ['target'];
    for (const c of [high, low]) head.push(`req/s @${c}`, `p50 ms @${c}`, `p99 ms @${c}`);
    head.push(`gateway CPU ms/req @${high}`, `subgraphs CPU ms/req @${high}`, 'SQL/req');
    lines.push(`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`);
    for (const t of targets) {
      const r = results.targets[t]?.ops[op];
      if (!r) continue;
      const row = [results.targets[t]!.label];
      for (const c of [high, low]) row.push(fmt(metric(results, t, op, c, 'rps'), 0), fmt(metric(results, t, op, c, 'p50Ms'), 2), fmt(metric(results, t, op, c, 'p99Ms'), 1));
      row.push(t === 'direct' ? '–' : fmt(metric(results, t, op, high, 'gatewayCpuMsPerRequest'), 2), fmt(metric(results, t, op, high, 'subgraphCpuMsPerRequest'), 2), fmt(r.sqlPerRequest?.total, 1));
      lines.push(`| ${row.join(' | ')} |`);
    }
    lines.push('');
  }
  if (targets.some((t) => results.targets[t]?.ops.export)) {
    lines.push(`**${opTitles.export}**: every talent, 500 a page, one request at a time; plan \`${results.plans.export ?? '?'}\``);
    lines.push('');
    lines.push('| target | rows/s | page p50 ms | gateway CPU ms/page | subgraphs CPU ms/page | SQL/page |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const t of targets) {
      const r = results.targets[t]?.ops.export;
      if (!r) continue;
      lines.push(
        `| ${results.targets[t]!.label} | ${int(exportMetric(results, t, 'rowsPerSecond'))} | ${fmt(exportMetric(results, t, 'pageP50Ms'), 1)} | ${t === 'direct' ? '–' : fmt(exportMetric(results, t, 'gatewayCpuMsPerRequest'), 2)} | ${fmt(exportMetric(results, t, 'subgraphCpuMsPerRequest'), 2)} | ${fmt(r.sqlPerRequest?.total, 1)} |`,
      );
    }
    lines.push('');
  }
  const queries = Object.entries(results.subgraphQueries ?? {});
  if (queries.length > 0) {
    lines.push('**At the talents subgraph** (one connection, requests one after another; goal (issue 11): p50 ≤ 20 ms)', '');
    lines.push('| query | requests | p50 ms | p99 ms | met |', '| --- | ---: | ---: | ---: | :---: |');
    for (const [name, q] of queries) lines.push(`| ${name} | ${int(q!.requests)} | ${fmt(q!.p50Ms, 2)} | ${fmt(q!.p99Ms, 1)} | ${q!.p50Ms <= 20 ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  if (results.guards) lines.push(guardsTable(results.guards), '', 'Goal (issue 13): each guard under 5% of the flagship\'s gateway CPU.', '');
  lines.push('| gateway | processes | peak RSS (VmHWM, summed) |', '| --- | ---: | ---: |');
  for (const t of targets) {
    if (t === 'direct') continue;
    const r = results.targets[t]!;
    lines.push(`| ${r.label} | ${r.processes ?? '–'} | ${r.peakRssBytes ? `${fmt(r.peakRssBytes / 2 ** 20, 0)} MiB` : '–'} |`);
  }
  lines.push('');
  lines.push('| target (issue 3) | measured | met |', '| --- | ---: | :---: |');
  for (const check of checkTargets(results)) {
    lines.push(`| ${check.goal} | ${check.measured}${check.note ? ` (${check.note})` : ''} | ${check.met === null ? '–' : check.met ? 'yes' : '**no**'} |`);
  }
  return lines.join('\n');
}
