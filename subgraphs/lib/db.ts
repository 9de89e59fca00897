import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';

/** Where a subgraph keeps its data: a PostgreSQL server, or an embedded PGlite folder (or memory when absent). */
export type StoreConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | undefined };

/** Counts the SQL statements sent, so tests can prove that a query's cost does not grow with its rows. */
export interface StatementStats {
  statements: number;
}

export interface Database<DB> {
  db: Kysely<DB>;
  stats: StatementStats;
  store: StoreConfig['kind'];
  close(): Promise<void>;
}

// Both drivers return the same JavaScript values for the same SQL types: counts as numbers, dates as
// 'YYYY-MM-DD' strings (pg would build a local-midnight Date), numerics as exact decimal strings.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const parseInt8 = (value: string) => Number(value);
const keepText = (value: string) => value;

export async function openDatabase<DB>(store: StoreConfig): Promise<Database<DB>> {
  const stats: StatementStats = { statements: 0 };
  const log = (event: LogEvent) => {
    stats.statements += 1;
    if (event.level === 'error' && process.env.LOG_SQL_ERRORS === '1') console.error(event.error);
  };

  if (store.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: store.url,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8) return parseInt8;
          if (oid === DATE || oid === NUMERIC) return keepText;
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log });
    return { db, stats, store: 'postgres', close: () => db.destroy() };
  }

  if (store.dataDir) mkdirSync(store.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(store.dataDir ? { dataDir: store.dataDir } : {}),
    parsers: { [INT8]: parseInt8, [DATE]: keepText, [NUMERIC]: keepText },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client), log });
  return { db, stats, store: 'pglite', close: () => db.destroy() };
}
