import { Kysely, PostgresDialect, type CompiledQuery, type LogEvent } from 'kysely';
import pg from 'pg';
import { subgraphMetrics, type StatementKind } from './metrics.js';
import { PGliteDialect } from './pglite-dialect.js';
import { openPGlite } from './pglite-store.js';
import { currentRequest } from './request-scope.js';
import { recordStatementSpan } from '@talent-hub/platform/tracing';

/** Where a subgraph keeps its data: a PostgreSQL server, or an embedded PGlite folder (or memory when absent). */
export type StoreConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | undefined };

/** Counts the SQL statements sent, so tests can prove that a query's cost does not grow with its rows. */
export interface StatementStats {
  statements: number;
}

export interface DatabaseOptions {
  /**
   * The subgraph this store belongs to: the `subgraph` label of its statement and pool metrics. Without one the
   * store is not measured (scripts, tests of the store itself); its statements are still counted and traced.
   */
  name?: string;
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

/** The pg pool behind each PostgreSQL store, for what Kysely cannot do (COPY ... TO STDOUT in export.ts). */
const pools = new WeakMap<Kysely<any>, pg.Pool>();

/** The pg pool of a store opened by openDatabase on PostgreSQL; undefined on PGlite. */
export function postgresPoolOf(db: Kysely<any>): pg.Pool | undefined {
  return pools.get(db);
}

export async function openDatabase<DB>(store: StoreConfig, options: DatabaseOptions = {}): Promise<Database<DB>> {
  const stats: StatementStats = { statements: 0 };
  const metrics = options.name === undefined ? undefined : subgraphMetrics();
  // Kysely calls this after every statement, in the async context of the code that sent it: the request's.
  const log = (event: LogEvent) => {
    stats.statements += 1;
    const request = currentRequest();
    if (request) request.statements += 1;
    const kind = statementKind(event.query);
    const failed = event.level === 'error';
    metrics?.statementSent(options.name!, kind, event.queryDurationMillis / 1000, failed);
    recordStatementSpan(kind, event.query.sql, event.queryDurationMillis, failed);
    if (failed && process.env.LOG_SQL_ERRORS === '1') console.error(event.error);
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
    pools.set(db, pool);
    const unwatch = metrics?.watchPool(options.name!, () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
    return { db, stats, store: 'postgres', close: () => (unwatch?.(), db.destroy()) };
  }

  // Small shared buffers, and a new cluster from the committed template rather than initdb (pglite-store.ts).
  const client = await openPGlite({ dataDir: store.dataDir || undefined, parsers: { [INT8]: parseInt8, [DATE]: keepText, [NUMERIC]: keepText } });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client), log });
  // PGlite is one session in this process: one connection, always there; its queue is not visible from here.
  const unwatch = metrics?.watchPool(options.name!, () => ({ total: 1, idle: 1, waiting: 0 }));
  return { db, stats, store: 'pglite', close: () => (unwatch?.(), db.destroy()) };
}

const kindOfNode: Record<string, StatementKind> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
};

/** What a statement does, from Kysely's query tree, or from the first word of raw SQL. */
export function statementKind(query: CompiledQuery): StatementKind {
  const byNode = kindOfNode[query.query.kind];
  if (byNode) return byNode;
  const first = /^\s*(?:\(\s*)*([a-z]+)/i.exec(query.sql)?.[1]?.toLowerCase();
  return first === 'select' || first === 'insert' || first === 'update' || first === 'delete' ? first : 'other';
}
