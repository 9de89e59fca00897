import { PGlite } from '@electric-sql/pglite';
import { Kysely, type CompiledQuery, type Migration } from 'kysely';
import { migrateToLatest } from '../migrate.js';
import { PGliteDialect } from '../pglite-dialect.js';

// Test support for query-plan checks: an in-memory, migrated database whose statements are recorded, so a test
// can run a repository call and EXPLAIN exactly the statement it sent, with the same parameters.

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export interface PlanProbe<DB> {
  client: PGlite;
  db: Kysely<DB>;
  /** Runs `run`, which must send exactly one statement, then EXPLAINs it under the given settings. */
  planOf(run: () => Promise<unknown>, settings?: string[]): Promise<{ sql: string; nodes: PlanNode[] }>;
}

export async function openPlanProbe<DB>(migrations: Record<string, Migration>): Promise<PlanProbe<DB>> {
  const client = await PGlite.create();
  const sent: CompiledQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new PGliteDialect(client),
    log: (event) => {
      if (event.level === 'query') sent.push(event.query);
    },
  });
  await migrateToLatest(db, migrations);
  return {
    client,
    db,
    async planOf(run, settings = []) {
      sent.length = 0;
      await run();
      if (sent.length !== 1) throw new Error(`Expected one statement, got ${sent.length}`);
      const query = sent[0]!;
      for (const setting of settings) await client.query(`set ${setting}`);
      try {
        const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (format json) ${query.sql}`, [
          ...query.parameters,
        ]);
        const nodes: PlanNode[] = [];
        const walk = (node: PlanNode) => {
          nodes.push(node);
          node.Plans?.forEach(walk);
        };
        walk(rows[0]!['QUERY PLAN'][0]!.Plan);
        return { sql: query.sql, nodes };
      } finally {
        for (const setting of settings) await client.query(`reset ${setting.split('=')[0]!.trim()}`);
      }
    },
  };
}

/** The big tables a plan reads in full. */
export const seqScansOn = (tables: ReadonlySet<string>, nodes: readonly PlanNode[]) =>
  nodes.filter((n) => n['Node Type'] === 'Seq Scan' && tables.has(n['Relation Name']!)).map((n) => n['Relation Name']);

/** The indexes a plan uses. */
export const indexesUsed = (nodes: readonly PlanNode[]) => nodes.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));
