import { spawn } from 'node:child_process';
import pg from 'pg';
import { projectRoot } from '@talent-hub/platform/paths';
import { envName, subgraphRegistry } from '@talent-hub/platform/registry';

// The benchmark's own PostgreSQL databases, one per subgraph of the registry, holding the generated data set.

export const subgraphNames: readonly string[] = subgraphRegistry().map((entry) => entry.name);
export type SubgraphName = string;

export interface DataSetSize {
  talents: number;
  events: number;
  registrations: number;
  seed: number;
}

export interface BenchDatabases {
  /** postgres:// URL of each subgraph's database. */
  urls: Record<SubgraphName, string>;
  names: Record<SubgraphName, string>;
}

export function benchDatabases(serverUrl: string, prefix: string): BenchDatabases {
  const names = Object.fromEntries(subgraphNames.map((name) => [name, `${prefix}_${name}`])) as Record<SubgraphName, string>;
  const urls = Object.fromEntries(
    subgraphNames.map((name) => {
      const url = new URL(serverUrl);
      url.pathname = `/${names[name]}`;
      return [name, url.toString()];
    }),
  ) as Record<SubgraphName, string>;
  return { urls, names };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the databases that do not exist yet; `recreate` drops them first. */
export async function ensureDatabases(serverUrl: string, dbs: BenchDatabases, recreate: boolean): Promise<void> {
  await withClient(serverUrl, async (client) => {
    for (const name of Object.values(dbs.names)) {
      if (recreate) await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (!rowCount) await client.query(`create database ${quoteIdent(name)}`);
    }
  });
}

/** Rows in a table, or 0 when the table does not exist (a database not migrated yet). */
async function rowCount(url: string, table: string): Promise<number> {
  return withClient(url, async (client) => {
    const exists = await client.query('select to_regclass($1) as t', [table]);
    if (!exists.rows[0]?.t) return 0;
    const { rows } = await client.query(`select count(*)::bigint as n from ${quoteIdent(table)}`);
    return Number(rows[0].n);
  });
}

export interface DataSetCounts {
  talents: number;
  events: number;
  registrations: number;
}

export async function countDataSet(dbs: BenchDatabases): Promise<DataSetCounts> {
  const [talents, events, registrations] = await Promise.all([
    rowCount(dbs.urls.talents!, 'talents'),
    rowCount(dbs.urls.trainings!, 'events'),
    rowCount(dbs.urls.trainings!, 'registrations'),
  ]);
  return { talents, events, registrations };
}

/**
 * The data set the benchmark generated into its databases, as it noted it on the talents database (a comment on
 * the database, so nothing is added to the subgraph's own tables); undefined when it noted none.
 */
export async function notedDataSet(serverUrl: string, dbs: BenchDatabases): Promise<DataSetSize | undefined> {
  return withClient(serverUrl, async (client) => {
    const { rows } = await client.query("select shobj_description(oid, 'pg_database') as note from pg_database where datname = $1", [
      dbs.names.talents,
    ]);
    try {
      return rows[0]?.note ? (JSON.parse(rows[0].note).benchDataSet as DataSetSize | undefined) : undefined;
    } catch {
      return undefined;
    }
  });
}

export async function noteDataSet(serverUrl: string, dbs: BenchDatabases, size: DataSetSize): Promise<void> {
  await withClient(serverUrl, async (client) => {
    const note = JSON.stringify({ benchDataSet: size }).replace(/'/g, "''");
    await client.query(`comment on database ${quoteIdent(dbs.names.talents!)} is '${note}'`);
  });
}

/**
 * True when the databases hold the data set asked for: noted as generated with these flags (or, with `atLeast`,
 * with at least as many rows of each kind: a trial run does not replace a larger data set), and still there.
 */
export const holdsDataSet = (noted: DataSetSize | undefined, counts: DataSetCounts, size: DataSetSize, atLeast = false) =>
  noted !== undefined &&
  (atLeast
    ? noted.talents >= size.talents && noted.events >= size.events && noted.registrations >= size.registrations
    : noted.talents === size.talents && noted.events === size.events && noted.registrations === size.registrations && noted.seed === size.seed) &&
  counts.talents >= noted.talents;

/**
 * Runs the project's data generator (`npm run data:generate`) into the benchmark databases; it migrates, seeds
 * and loads them. Its output goes to this process's stderr. Resolves with the time it took.
 */
export async function generateDataSet(dbs: BenchDatabases, size: DataSetSize): Promise<number> {
  const started = Date.now();
  const args = ['run', 'data:generate', '--', '--talents', String(size.talents), '--events', String(size.events)];
  args.push('--registrations', String(size.registrations), '--seed', String(size.seed));
  const child = spawn('npm', args, {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...Object.fromEntries(subgraphNames.map((name) => [envName(name, 'DATABASE_URL'), dbs.urls[name]])),
    },
    stdio: ['ignore', process.stderr, process.stderr],
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`npm ${args.join(' ')} failed (exit code ${code})`);
  return Date.now() - started;
  // (the caller notes the data set once the generator has succeeded)
}

/** PostgreSQL's version string, e.g. "15.20". */
export async function serverVersion(serverUrl: string): Promise<string> {
  return withClient(serverUrl, async (client) => (await client.query('show server_version')).rows[0].server_version);
}

/**
 * Counts SQL statements per database. Without `pg_stat_statements` (not loaded on this server: it needs
 * `shared_preload_libraries` and a restart) the count is `pg_stat_database`'s committed plus rolled-back
 * transactions: every statement a subgraph sends outside a transaction is one transaction of its own.
 *
 * A backend reports its counters to the statistics system when it goes idle, at most once a second, and
 * otherwise within 10 s (PGSTAT_IDLE_INTERVAL): a reading is only complete that long after the last statement.
 */
export class StatementCounter {
  static readonly settleMs = 11_000;
  private constructor(
    private readonly client: pg.Client,
    private readonly dbs: BenchDatabases,
  ) {}

  static async open(serverUrl: string, dbs: BenchDatabases): Promise<StatementCounter> {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    return new StatementCounter(client, dbs);
  }

  /** Committed plus rolled-back transactions so far, by subgraph. */
  async read(): Promise<Record<SubgraphName, number>> {
    await this.client.query('select pg_stat_clear_snapshot()');
    const { rows } = await this.client.query(
      'select datname, (xact_commit + xact_rollback)::bigint as n from pg_stat_database where datname = any($1)',
      [Object.values(this.dbs.names)],
    );
    const byName = new Map(rows.map((row) => [row.datname as string, Number(row.n)]));
    return Object.fromEntries(subgraphNames.map((name) => [name, byName.get(this.dbs.names[name]!) ?? 0])) as Record<
      SubgraphName,
      number
    >;
  }

  async method(): Promise<string> {
    const { rowCount: loaded } = await this.client.query("select 1 from pg_extension where extname = 'pg_stat_statements'");
    return loaded
      ? 'pg_stat_database xact_commit + xact_rollback (pg_stat_statements is installed but this count does not use it)'
      : 'pg_stat_database xact_commit + xact_rollback (pg_stat_statements is not loaded)';
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
