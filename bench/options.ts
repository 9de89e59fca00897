import type { DataSetSize } from './database.js';
import { subgraphQueryNames, type SubgraphQueryName } from './subgraph-queries.js';

// Command-line flags of `npm run bench -- ...`, with the environment variables that some of them fall back on.

export const allTargets = ['A', 'A2', 'B', 'C', 'C2', 'C3', 'bound'] as const;
export type Target = (typeof allTargets)[number];
export const allOps = ['flagship', 'dashboard', 'talent', 'export'] as const;
export type Op = (typeof allOps)[number];
/** The operations measured at a fixed arrival rate as well as saturated (the export is one page after another). */
export const rateOps = ['flagship', 'dashboard', 'talent'] as const satisfies readonly Op[];
/** The fixed arrival rate, as a share of the slowest target's saturated req/s for the operation. */
export const rateShare = 0.6;
/**
 * A fixed-rate window lasts at least rateDurationS and long enough for this many requests (at most 60 s): a p99 and
 * a CPU per request need enough requests that the one or two in flight at the window's edges do not matter.
 */
export const rateMinRequests = 50;
export const rateWindowS = (rate: number, minimumS: number): number => Math.max(minimumS, Math.min(60, rateMinRequests / rate));

export interface BenchOptions {
  quick: boolean;
  rounds: number;
  durationS: number;
  warmupS: number;
  connections: number[];
  /** Requests/s of the fixed-rate windows, forced for every operation; unset: rateShare of the slowest target. */
  rate: number | undefined;
  /** Seconds measured per fixed-rate window (after warmupS of the same load). */
  rateDurationS: number;
  /** Fixed-rate windows at all (--no-rate skips them). */
  rateWindows: boolean;
  targets: Target[];
  ops: Op[];
  /** Queries measured at the subgraph that answers them (bench/subgraph-queries.ts), after the gateway rounds. */
  subgraphQueries: SubgraphQueryName[];
  size: DataSetSize;
  postgresUrl: string;
  databasePrefix: string;
  skipGenerate: boolean;
  regenerate: boolean;
  sql: boolean;
  /** Worker processes of target A (unset: the gateway's default). */
  workers: number | undefined;
  cpuProfile: boolean;
  verify: boolean;
  /** Only make sure the databases hold the data set, then stop. */
  prepareOnly: boolean;
  /** Measure what rate limiting and trusted documents cost the gateway (bench/guards.ts). */
  guards: boolean;
  /** Only the guards: no comparison of targets, no subgraph queries, no SQL phase. */
  guardsOnly: boolean;
  /** Only the dashboard aggregates at the subgraphs, from the rollups and raw (bench/aggregates.ts). */
  aggregatesOnly: boolean;
  /** Streaming exports beside a bare COPY (bench/exports.ts), after the rounds. */
  exports: boolean;
  /** Only the exports: the subgraphs, one gateway, the export variants. */
  exportsOnly: boolean;
}

export const usage = `npm run bench -- [flags]

  --quick                 trial run: 1 round of 2 s windows, no SQL phase; uses the data set there if it is at least
                          10,000 talents, 500 events and 100,000 registrations, else generates that small one
  --rounds N              rounds of A B C ... (default 3)
  --duration S            seconds measured per window (default 5)
  --warmup S              seconds of load before each window opens, in the same run (default 3)
  --connections 50,1      concurrent connections of the windows (default 50,1)
  --rate R                fixed arrival rate (req/s) of the open-loop windows, the same for every target and
                          operation; default 60% of the slowest target's saturated req/s, per operation
  --rate-duration S       seconds measured per fixed-rate window at least (default 10; quick 4); longer when needed
                          for 50 requests in the window (at most 60 s)
  --no-rate               skip the fixed-rate windows (flagship, dashboard, talent)
  --targets LIST          of A (our gateway), A2 (ours with two workers), B (plain ApolloGateway), C (Hive Gateway,
                          deduplication off), C2 (Hive Gateway, deduplication on), C3 (Hive Gateway with the Rust
                          query planner, deduplication off), bound (no gateway: the lower bound, the plan's fetches
                          with each distinct representation once and parallel fetches to one subgraph merged);
                          default A,B,C,C3,bound
  --ops LIST              of flagship, dashboard, talent, export through the gateways, and mentorMatches,
                          networkRetention (one question again), networkRetentionFirst (a new question each
                          time) at the talents subgraph (default all)
  --talents N --events N --registrations N --seed N
                          data set to generate when the databases lack it (default 100000, 5000, 1000000, 42)
  --regenerate            drop the benchmark databases and generate the data set again
  --prepare               only create and fill the databases if needed, then stop
  --postgres URL          PostgreSQL server (default $BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432)
  --db-prefix NAME        databases NAME_talents, NAME_trainings, NAME_regions (default th_bench)
  --workers N             GATEWAY_WORKERS for target A (default: the gateway's own default)
  --no-sql                skip the SQL statement count phase
  --no-verify             skip comparing every target's answers with the reference before measuring
  --cpu-prof              run the gateways under node --cpu-prof and summarise the profiles (bench/profiles/)
  --no-guards             skip the guards phase (gateway CPU of rate limiting and trusted documents, bench/guards.ts)
  --guards-only           only the guards phase, on the data set
  --aggregates-only       only the dashboard aggregates at the subgraphs, from the statistics rollups and raw
                          (bench/aggregates.ts)
  --no-exports            skip the exports phase (talents as CSV and NDJSON through the gateway beside a bare COPY)
  --exports-only          only the exports phase, on the data set

  BENCH_SKIP_GENERATE=1   never run the generator; measure whatever data the databases hold`;

function list<T extends string>(raw: string, allowed: readonly T[], flag: string): T[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`${flag}: unknown "${item}" (one of ${allowed.join(', ')})`);
  return items as T[];
}

function positive(raw: string | undefined, flag: string, integer = true): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${flag} needs a ${integer ? 'whole ' : ''}number; got "${raw}"`);
  }
  return value;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    quick,
    rounds: quick ? 1 : 3,
    durationS: quick ? 2 : 5,
    warmupS: quick ? 1 : 3,
    connections: [50, 1],
    rate: undefined,
    rateDurationS: quick ? 4 : 10,
    rateWindows: true,
    targets: ['A', 'B', 'C', 'C3', 'bound'],
    ops: [...allOps],
    subgraphQueries: [...subgraphQueryNames],
    size: quick
      ? { talents: 10_000, events: 500, registrations: 100_000, seed: 42 }
      : { talents: 100_000, events: 5_000, registrations: 1_000_000, seed: 42 },
    postgresUrl: env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    databasePrefix: 'th_bench',
    skipGenerate: ['1', 'true'].includes(env.BENCH_SKIP_GENERATE ?? ''),
    regenerate: false,
    sql: !quick,
    workers: undefined,
    cpuProfile: false,
    verify: true,
    prepareOnly: false,
    guards: true,
    guardsOnly: false,
    aggregatesOnly: false,
    exports: true,
    exportsOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--quick':
        break;
      case '--rounds':
        options.rounds = Math.max(1, positive(value(), flag));
        break;
      case '--duration':
        options.durationS = positive(value(), flag, false);
        break;
      case '--warmup':
        options.warmupS = positive(value(), flag, false);
        break;
      case '--connections':
        options.connections = value().split(',').map((c) => Math.max(1, positive(c, flag)));
        break;
      case '--rate':
        options.rate = positive(value(), flag, false);
        if (options.rate <= 0) throw new Error('--rate must be above 0');
        break;
      case '--rate-duration':
        options.rateDurationS = Math.max(1, positive(value(), flag, false));
        break;
      case '--no-rate':
        options.rateWindows = false;
        break;
      case '--targets':
        options.targets = list(value(), allTargets, flag);
        break;
      case '--ops': {
        const ops = list(value(), [...allOps, ...subgraphQueryNames], flag);
        options.ops = ops.filter((op): op is Op => (allOps as readonly string[]).includes(op));
        options.subgraphQueries = ops.filter((op): op is SubgraphQueryName => (subgraphQueryNames as readonly string[]).includes(op));
        break;
      }
      case '--talents':
      case '--events':
      case '--registrations':
      case '--seed':
        options.size[flag.slice(2) as keyof DataSetSize] = positive(value(), flag);
        break;
      case '--regenerate':
        options.regenerate = true;
        break;
      case '--prepare':
        options.prepareOnly = true;
        break;
      case '--postgres':
        options.postgresUrl = value();
        break;
      case '--db-prefix':
        options.databasePrefix = value();
        if (!/^[a-z_][a-z0-9_]*$/.test(options.databasePrefix)) throw new Error('--db-prefix: lower-case letters, digits and _');
        break;
      case '--workers':
        options.workers = Math.max(1, positive(value(), flag));
        break;
      case '--sql':
        options.sql = true;
        break;
      case '--no-sql':
        options.sql = false;
        break;
      case '--no-verify':
        options.verify = false;
        break;
      case '--cpu-prof':
        options.cpuProfile = true;
        break;
      case '--no-guards':
        options.guards = false;
        break;
      case '--guards-only':
        options.guards = true;
        options.guardsOnly = true;
        options.sql = false;
        options.subgraphQueries = [];
        break;
      case '--aggregates-only':
        options.aggregatesOnly = true;
        break;
      case '--no-exports':
        options.exports = false;
        break;
      case '--exports-only':
        options.exports = true;
        options.exportsOnly = true;
        break;
      case '--help':
      case '-h':
        console.log(usage);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag ${flag}\n\n${usage}`);
    }
  }
  return options;
}
