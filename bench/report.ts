import type { DataSetSize } from './database.js';
import type { ExportRun, Window } from './load.js';
import { guardsTable, type GuardResults } from './guards.js';
import type { Op, Target } from './options.js';

// The results file's shape, and the markdown table printed at the end of a run: for each figure the median over
// the rounds and their spread (min–max), as targets alternate within each round and a machine's noise moves them
// all alike.

export interface WindowResult extends Window {
  /** Gateway CPU (user + system, all its processes) per request; null for the lower bound. */
  gatewayCpuMsPerRequest: number | null;
  subgraphCpuMsPerRequest: number;
  gatewayProcesses: number;
}

/** A window at a fixed arrival rate (bench/open-loop.ts). */
export interface RateWindowResult extends WindowResult {
  /** Requests/s sent, on schedule. */
  rate: number;
  /** Requests scheduled in the window; `requests` of them answered well. */
  scheduled: number;
  /** Not sent: due while the in-flight limit was reached. */
  dropped: number;
  timedOut: number;
}

/** One figure over the rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number;
}

export interface ExportResult extends ExportRun {
  gatewayCpuMsPerRequest: number | null;
  subgraphCpuMsPerRequest: number;
}

export interface OpResults {
  /** Windows by connection count, one per round. */
  windows: Record<number, WindowResult[]>;
  /** Windows at the fixed arrival rate, one per round. */
  rateWindows?: RateWindowResult[];
  exports?: ExportResult[];
  /** SQL statements per request: by subgraph name, and `total` and `requests`. */
  sqlPerRequest?: Record<string, number> & { total: number; requests: number };
}

export interface TargetResults {
  label: string;
  ops: Partial<Record<Op, OpResults>>;
  peakRssBytes?: number | null;
  processes?: number;
  /** Median and spread of each figure, by operation, then by kind of window (`rate`, `c50`, `c1`, `export`). */
  summary?: Partial<Record<Op, Record<string, Record<string, Spread>>>>;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string };
  dataSet: { talents: number; events: number; registrations: number; asked: DataSetSize; generateMs: number | null };
  settings: Record<string, unknown>;
  sqlCount: string | null;
  plans: Record<string, string>;
  /** The lower bound's fetches (bench/lower-bound.ts), by operation. */
  lowerBoundPlans?: Record<string, string>;
  /** The fixed arrival rate of each operation, and where it comes from. */
  rates?: Partial<Record<Op, { rate: number; basis: string }>>;
  /** Figures that contradict the method, e.g. a target doing less subgraph work than the lower bound. */
  warnings?: string[];
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

export function spread(values: readonly (number | null | undefined)[]): Spread {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return { median: median(finite), min: finite.length ? Math.min(...finite) : NaN, max: finite.length ? Math.max(...finite) : NaN, rounds: finite.length };
}

const windowFigures = ['rps', 'p50Ms', 'p99Ms', 'gatewayCpuMsPerRequest', 'subgraphCpuMsPerRequest', 'errors'] as const;
const exportFigures = ['rowsPerSecond', 'pageP50Ms', 'gatewayCpuMsPerRequest', 'subgraphCpuMsPerRequest'] as const;

/** Fills each target's `summary`: every figure's median and spread over the rounds. */
export function summariseResults(results: BenchResults): void {
  for (const target of Object.values(results.targets)) {
    if (!target) continue;
    target.summary = {};
    for (const [op, r] of Object.entries(target.ops) as [Op, OpResults][]) {
      const kinds: Record<string, Record<string, Spread>> = {};
      const figures = (windows: readonly object[], keys: readonly string[]) =>
        Object.fromEntries(keys.map((key) => [key, spread(windows.map((w) => (w as Record<string, number | null>)[key]))]));
      if (r.rateWindows?.length) kinds.rate = figures(r.rateWindows, [...windowFigures, 'rate', 'dropped', 'timedOut']);
      for (const [connections, windows] of Object.entries(r.windows)) kinds[`c${connections}`] = figures(windows, windowFigures);
      if (r.exports?.length) kinds.export = figures(r.exports, exportFigures);
      target.summary[op] = kinds;
    }
  }
}

/** The median and spread of one figure of a target (e.g. kind `rate`, figure `p50Ms`); undefined if not measured. */
export function figure(results: BenchResults, target: Target, op: Op, kind: string, name: string): Spread | undefined {
  const value = results.targets[target]?.summary?.[op]?.[kind]?.[name];
  return value && value.rounds > 0 ? value : undefined;
}

/**
 * No target can do less subgraph work than the lower bound: each figure of subgraph CPU per request where the
 * bound's median is above a target's is reported (noise, or a bound that is not one).
 */
export function boundWarnings(results: BenchResults): string[] {
  const warnings: string[] = [];
  if (!results.targets.bound) return warnings;
  for (const op of allOpsOf(results)) {
    for (const kind of Object.keys(results.targets.bound.summary?.[op] ?? {})) {
      const bound = figure(results, 'bound', op, kind, 'subgraphCpuMsPerRequest');
      if (!bound) continue;
      for (const t of Object.keys(results.targets) as Target[]) {
        if (t === 'bound') continue;
        const other = figure(results, t, op, kind, 'subgraphCpuMsPerRequest');
        if (other && other.median < bound.median) {
          // Whether the rounds overlap says whether this may be noise.
          const overlap = other.max >= bound.min ? 'the rounds overlap' : 'every round below';
          warnings.push(
            `${op} (${kindLabel(kind)}): ${t} used ${fmt(other.median, 2)} subgraph CPU ms/req, ${fmt((100 * (bound.median - other.median)) / bound.median, 0)}% less than the lower bound's ${fmt(bound.median, 2)} (${overlap})`,
          );
        }
      }
    }
  }
  return warnings;
}

const allOpsOf = (results: BenchResults): Op[] => [...new Set(Object.values(results.targets).flatMap((t) => Object.keys(t?.ops ?? {}) as Op[]))];
const kindLabel = (kind: string) => (kind === 'rate' ? 'fixed rate' : kind === 'export' ? 'export' : `${kind.slice(1)} connection(s)`);

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

/** The goals of issue 15 (performance), from this run: the fixed-rate figures first, then saturation. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const connections = (results.settings.connections as number[]) ?? [50, 1];
  const high = Math.max(...connections);
  const checks: TargetCheck[] = [];
  const add = (goal: string, value: number | undefined, ok: (v: number) => boolean, unit = '×', note?: string) => {
    const known = value !== undefined && Number.isFinite(value);
    checks.push({ goal, measured: known ? `${fmt(value, 2)}${unit}` : 'not measured', met: known ? ok(value) : null, ...(note ? { note } : {}) });
  };
  const atRate = (t: Target, op: Op, name: string) => figure(results, t, op, 'rate', name)?.median;
  const rps = (t: Target) => metric(results, t, 'flagship', high, 'rps');
  const gatewayCpu = (t: Target) => atRate(t, 'flagship', 'gatewayCpuMsPerRequest');
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);
  add('A gateway CPU per flagship request ≤ 0.5× C3 (fixed rate)', ratio(gatewayCpu('A'), gatewayCpu('C3')), (v) => v <= 0.5, '×', `${fmt(gatewayCpu('A'), 1)} vs ${fmt(gatewayCpu('C3'), 1)} ms`);
  add('A gateway CPU per flagship request ≤ 8 ms (fixed rate)', gatewayCpu('A'), (v) => v <= 8, ' ms');
  add(`A ≥ 4× C, flagship req/s at ${high} connections`, ratio(rps('A'), rps('C')), (v) => v >= 4);
  add(`A ≥ 2× C3, flagship req/s at ${high} connections`, ratio(rps('A'), rps('C3')), (v) => v >= 2);
  add(`A ≥ 2.5× B, flagship req/s at ${high} connections`, ratio(rps('A'), rps('B')), (v) => v >= 2.5);
  for (const op of ['flagship', 'dashboard', 'talent'] as const) {
    const p50 = atRate('A', op, 'p50Ms');
    const p99 = atRate('A', op, 'p99Ms');
    add(`A p99 ≤ 2× p50 at the fixed rate (${op})`, ratio(p99, p50), (v) => v <= 2, '×', `${fmt(p99, 1)} vs ${fmt(p50, 1)} ms`);
  }
  add('subgraph CPU per flagship request ≤ 10 ms (A, fixed rate)', atRate('A', 'flagship', 'subgraphCpuMsPerRequest'), (v) => v <= 10, ' ms');
  add('subgraph CPU per talent page ≤ 2 ms (A, fixed rate)', atRate('A', 'talent', 'subgraphCpuMsPerRequest'), (v) => v <= 2, ' ms');
  const rss = results.targets.A?.peakRssBytes;
  add('gateway RSS ≤ 300 MiB under load (A, all processes)', rss ? rss / 2 ** 20 : undefined, (v) => v <= 300, ' MiB');
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
  lines.push(
    `${settings.rounds} rounds (targets alternating in each); saturated: ${settings.durationS} s per window after ${settings.warmupS} s of warm-up, closed loop (autocannon; the lower bound: a replay client); ` +
      `fixed rate: ${settings.rateDurationS ?? '–'} s per window after ${settings.warmupS} s at the same rate, open loop, latency from each request's scheduled time. ` +
      'Each figure: median of the rounds (min–max). Load generator in the bench\'s own process, loopback.',
  );
  lines.push(`SQL statements: ${results.sqlCount ?? 'not counted in this run'}.`);
  lines.push('');
  const cell = (target: Target, op: Op, kind: string, name: string, digits: number) => {
    const f = figure(results, target, op, kind, name);
    if (!f) return '–';
    return f.rounds > 1 && f.min !== f.max ? `${fmt(f.median, digits)} (${fmt(f.min, digits)}–${fmt(f.max, digits)})` : fmt(f.median, digits);
  };
  for (const op of ['flagship', 'dashboard', 'talent'] as const) {
    if (!targets.some((t) => results.targets[t]?.ops[op])) continue;
    const rate = results.rates?.[op];
    lines.push(`**${opTitles[op]}**: plan \`${results.plans[op] ?? '?'}\`${results.lowerBoundPlans?.[op] ? `; lower bound \`${results.lowerBoundPlans[op]}\`` : ''}`);
    lines.push(rate ? `Fixed rate ${fmt(rate.rate, 1)} req/s (${rate.basis}).` : 'No fixed-rate windows.');
    lines.push('');
    const head = ['target', 'rate req/s', 'p50 ms', 'p99 ms', 'gateway CPU ms/req', 'subgraphs CPU ms/req', `req/s @${high}`, `p50 ms @${high}`, `p99 ms @${high}`];
    if (low !== high) head.push(`p50 ms @${low}`, `subgraphs CPU ms/req @${low}`);
    head.push('SQL/req');
    lines.push(`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`);
    for (const t of targets) {
      const r = results.targets[t]?.ops[op];
      if (!r) continue;
      const row = [results.targets[t]!.label];
      const answered = figure(results, t, op, 'rate', 'errors');
      row.push(rate ? `${fmt(rate.rate, 1)}${answered && answered.max > 0 ? ` (${fmt(answered.max, 0)} errors)` : ''}` : '–');
      row.push(cell(t, op, 'rate', 'p50Ms', 2), cell(t, op, 'rate', 'p99Ms', 1), t === 'bound' ? '–' : cell(t, op, 'rate', 'gatewayCpuMsPerRequest', 2), cell(t, op, 'rate', 'subgraphCpuMsPerRequest', 2));
      row.push(cell(t, op, `c${high}`, 'rps', 1), cell(t, op, `c${high}`, 'p50Ms', 1), cell(t, op, `c${high}`, 'p99Ms', 0));
      if (low !== high) row.push(cell(t, op, `c${low}`, 'p50Ms', 2), cell(t, op, `c${low}`, 'subgraphCpuMsPerRequest', 2));
      row.push(fmt(r.sqlPerRequest?.total, 1));
      lines.push(`| ${row.join(' | ')} |`);
    }
    lines.push('');
  }
  // Ratios of medians: A's req/s saturated against each reference gateway's (above 1: A serves more), and A's
  // gateway CPU per request at the fixed rate against theirs (below 1: A spends less).
  const others = (['B', 'C', 'C3'] as const).filter((t) => results.targets[t] && results.targets.A);
  const ratioOps = (['flagship', 'dashboard', 'talent'] as const).filter((op) => results.targets.A?.ops[op]);
  if (others.length && ratioOps.length) {
    const head = ['ratio', ...ratioOps.flatMap((op) => [`${op} req/s @${high}`, `${op} gateway CPU @rate`])];
    lines.push(`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`);
    const ratio = (a: Spread | undefined, b: Spread | undefined) => (a && b ? `${fmt(a.median / b.median, 2)}×` : '–');
    for (const t of others) {
      const row = [`A / ${t}`];
      for (const op of ratioOps) {
        row.push(ratio(figure(results, 'A', op, `c${high}`, 'rps'), figure(results, t, op, `c${high}`, 'rps')));
        row.push(ratio(figure(results, 'A', op, 'rate', 'gatewayCpuMsPerRequest'), figure(results, t, op, 'rate', 'gatewayCpuMsPerRequest')));
      }
      lines.push(`| ${row.join(' | ')} |`);
    }
    lines.push('');
  }
  for (const warning of results.warnings ?? []) lines.push(`**Warning**: ${warning}.`, '');
  if (targets.some((t) => results.targets[t]?.ops.export)) {
    lines.push(`**${opTitles.export}**: every talent, 500 a page, one request at a time; plan \`${results.plans.export ?? '?'}\``);
    lines.push('');
    lines.push('| target | rows/s | page p50 ms | gateway CPU ms/page | subgraphs CPU ms/page | SQL/page |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const t of targets) {
      const r = results.targets[t]?.ops.export;
      if (!r) continue;
      lines.push(
        `| ${results.targets[t]!.label} | ${int(exportMetric(results, t, 'rowsPerSecond'))} | ${fmt(exportMetric(results, t, 'pageP50Ms'), 1)} | ${t === 'bound' ? '–' : fmt(exportMetric(results, t, 'gatewayCpuMsPerRequest'), 2)} | ${fmt(exportMetric(results, t, 'subgraphCpuMsPerRequest'), 2)} | ${fmt(r.sqlPerRequest?.total, 1)} |`,
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
    if (t === 'bound') continue;
    const r = results.targets[t]!;
    lines.push(`| ${r.label} | ${r.processes ?? '–'} | ${r.peakRssBytes ? `${fmt(r.peakRssBytes / 2 ** 20, 0)} MiB` : '–'} |`);
  }
  lines.push('');
  lines.push('| goal (issue 15) | measured | met |', '| --- | ---: | :---: |');
  for (const check of checkTargets(results)) {
    lines.push(`| ${check.goal} | ${check.measured}${check.note ? ` (${check.note})` : ''} | ${check.met === null ? '–' : check.met ? 'yes' : '**no**'} |`);
  }
  return lines.join('\n');
}
