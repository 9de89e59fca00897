import type { StoreConfig } from '@talent-hub/subgraph-lib/db';
import type { TableProgress } from './progress.js';
import type { TableLoad } from './tables.js';

/**
 * One session on one subgraph's database for the bulk load: plain SQL, COPY of a table's rows, VACUUM. The load
 * runs in a single transaction on it (`begin` … `commit`), so nobody sees a half-loaded data set.
 */
export interface Writer {
  readonly store: StoreConfig['kind'];
  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Streams the table's rows into it; returns when the database has them all. */
  copy(load: TableLoad, progress: TableProgress, signal?: AbortSignal): Promise<void>;
  /** VACUUM ANALYZE of the whole database; outside a transaction. */
  vacuumAnalyze(): Promise<void>;
  close(): Promise<void>;
}

export const copyStatement = (load: TableLoad, source: 'stdin' | "'/dev/blob'") =>
  `copy ${quote(load.table)} (${load.columns.map(quote).join(', ')}) from ${source}`;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A table's COPY text in pieces of about `size` characters, reporting progress as each piece is handed over.
 * Stops with the signal's reason (Ctrl-C) between pieces.
 */
export function* chunks(load: TableLoad, progress: TableProgress, size: number, signal?: AbortSignal): Generator<string> {
  let text = '';
  let units = 0;
  let rows = 0;
  for (const piece of load.pieces()) {
    text += piece.text;
    units += piece.units;
    rows += piece.rows;
    if (text.length >= size) {
      signal?.throwIfAborted();
      yield text;
      progress.add(units, rows);
      text = '';
      units = 0;
      rows = 0;
    }
  }
  signal?.throwIfAborted();
  if (text) yield text;
  progress.add(units, rows);
}
