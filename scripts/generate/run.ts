import type { StoreConfig } from '@talent-hub/subgraph-lib/db';
import { loadSubgraph } from '../subgraphs.js';
import { begin, countGenerated, deferRollups, finishLoad, openWriter, prepare, removeGenerated, type Counted } from './database.js';
import type { GenerateOptions } from './options.js';
import { makePlan } from './plan.js';
import { format, seconds, type Progress, type TableResult } from './progress.js';
import { loadReference } from './reference.js';
import { talentTables, trainingTables, type TableLoad } from './tables.js';
import type { Writer } from './writer.js';

/** Every subgraph's store by name: the three the generated data fills, and any other of the registry. */
export type Stores = Record<'talents' | 'trainings' | 'regions', StoreConfig> & Record<string, StoreConfig>;

export interface RunContext {
  progress: Progress;
  /** Status lines (stderr in the CLI). */
  log: (line: string) => void;
  /** Aborts the load (Ctrl-C): every transaction rolls back. */
  signal?: AbortSignal;
}

export interface RunResult {
  tables: TableResult[];
  /** Generated rows of an earlier run that this one replaced, by main table. */
  removed: Counted[];
  ms: { prepare: number; load: number; vacuum: number; total: number };
}

/** Refusal to overwrite an earlier data set without --replace: a usage matter, not a failure. */
export class ExistingDataError extends Error {}

/**
 * Generates the data set into the talents and trainings databases, after migrating (and seeding) every subgraph's.
 *
 * Atomicity: each of talents and trainings is loaded in one transaction (remove old generated rows, COPY the new
 * ones), and both transactions stay open until every table of both has loaded; only then do they commit, talents
 * first (so registrations never point at talents not yet committed). A failure or abort before that rolls both
 * back and leaves the previous state. The regions database gets no generated rows: events and talents point at
 * its seed's organisations, programmes and NUTS regions.
 */
export async function generateData(options: GenerateOptions, stores: Stores, context: RunContext): Promise<RunResult> {
  const { log, progress, signal } = context;
  const started = Date.now();
  const plan = makePlan(loadReference(), options);

  for (const [name, store] of Object.entries(stores)) {
    signal?.throwIfAborted();
    log(`${name}: migrating, and loading the demo seed if missing (${describe(store)})`);
    await prepare(await loadSubgraph(name), store);
  }
  const prepared = Date.now();

  const writers: Record<string, Writer> = {};
  const tables: TableResult[] = [];
  const removed: Counted[] = [];
  let loaded = prepared;
  const committed: string[] = [];
  try {
    const loads: [name: 'talents' | 'trainings', TableLoad[]][] = [
      ['talents', talentTables(plan)],
      ['trainings', trainingTables(plan)],
    ];
    for (const [name] of loads) {
      const writer = (writers[name] = await openWriter(stores[name]));
      await begin(writer, name);
      await deferRollups(writer, name);
    }
    const existing = (await Promise.all(loads.map(([name]) => countGenerated(writers[name]!, name)))).flat();
    removed.push(...existing.filter((c) => c.rows > 0));
    if (existing.some((c) => c.rows > 0) && !options.replace) {
      throw new ExistingDataError(
        `The databases already hold generated data (${existing.map((c) => `${format(c.rows)} ${c.table}`).join(', ')}). ` +
          'Nothing was changed. Run again with --replace to remove it and generate anew (the demo seed is kept).',
      );
    }
    for (const [name, tableLoads] of loads) {
      const writer = writers[name]!;
      const earlier = existing.filter((c) => c.name === name && c.rows > 0);
      if (earlier.length > 0) {
        await removeGenerated(writer, name);
        log(`${name}: removed the earlier generated ${earlier.map((c) => `${format(c.rows)} ${c.table}`).join(', ')}`);
      }
      for (const load of tableLoads) {
        const tracker = progress.start(load.table, load.unit, load.units);
        await writer.copy(load, tracker, signal);
        tables.push(tracker.finish());
      }
    }
    for (const [name] of loads) await finishLoad(writers[name]!, name);
    signal?.throwIfAborted();
    for (const [name] of loads) {
      await writers[name]!.query('commit');
      committed.push(name);
      log(`${name}: committed`);
    }
    loaded = Date.now();
  } catch (error) {
    for (const writer of Object.values(writers)) await writer.query('rollback').catch(() => undefined);
    await closeAll(writers);
    if (committed.length > 0 && error instanceof Error) {
      // Only a failing COMMIT gets here: what committed holds whole tables and valid references, but the data set
      // is incomplete. Running again with --replace makes it whole.
      error.message = `${error.message} (${committed.join(', ')} committed before the failure; run again with --replace)`;
    }
    throw error;
  }

  try {
    // Fresh statistics (and a visibility map) so that the planner uses the new indexes at once.
    for (const [name, store] of Object.entries(stores)) {
      const writer = (writers[name] ??= await openWriter(store));
      log(`${name}: VACUUM ANALYZE`);
      await writer.vacuumAnalyze();
    }
  } finally {
    await closeAll(writers);
  }
  const done = Date.now();
  return {
    tables,
    removed,
    ms: { prepare: prepared - started, load: loaded - prepared, vacuum: done - loaded, total: done - started },
  };
}

async function closeAll(writers: Record<string, Writer>): Promise<void> {
  for (const [name, writer] of Object.entries(writers)) {
    await writer.close().catch((error: unknown) => console.error(`closing ${name} failed:`, error));
    delete writers[name];
  }
}

const describe = (store: StoreConfig) =>
  store.kind === 'postgres' ? `PostgreSQL ${new URL(store.url).pathname.slice(1)}` : `PGlite ${store.dataDir ?? 'in memory'}`;

/** The closing summary: rows and rate per table, and where the time went. */
export function summarise(result: RunResult): string {
  const lines = result.tables.map((t) => {
    const rate = format(Math.round((t.rows * 1000) / Math.max(1, t.ms)));
    return `  ${t.table.padEnd(18)} ${format(t.rows).padStart(11)} rows  ${seconds(t.ms).padStart(7)}  ${rate.padStart(9)} rows/s`;
  });
  const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
  const { prepare, load, vacuum, total } = result.ms;
  const phases = `migrate and seed ${seconds(prepare)}, load ${seconds(load)}, VACUUM ANALYZE ${seconds(vacuum)}`;
  return [`Generated ${format(rows)} rows in ${seconds(total)} (${phases}):`, ...lines].join('\n');
}
