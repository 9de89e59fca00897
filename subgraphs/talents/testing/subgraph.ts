import { sql } from 'kysely';
import type { Identity } from '@talent-hub/platform/identity';
import type { PeerResult, Peers } from '@talent-hub/subgraph-lib/peers';
import { createContext, createSubgraphServer, prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import type { Database, StoreConfig } from '@talent-hub/subgraph-lib/db';
import type { Result } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TalentsDatabase } from '../db/types.js';
import { talentsSubgraph } from '../server.js';

// Test fixture (not a test file): the talents subgraph in memory with a caller, a request id and fake peers of
// its own, so that mutations and erasure deliveries can be tested without the other subgraphs.

/** The organisations of the regions demo seed. */
export const DEMO_ORGANISATIONS = ['talent-hub', 'cemr', 'eurocities', 'uclg', 'aer', 'aer-irn', 'art-er', 'emilia-romagna-region', 'catalonia-social-rights', 'donegal-county-council'];

/** The programmes of the regions demo seed. */
export const DEMO_PROGRAMMES = ['talent-hub', 'eu-belong', 'emilia-romagna-talents'];

/** The demo networks and their direct members, as the regions seed holds them. */
export const DEMO_NETWORKS: Record<string, string[]> = {
  'talent-hub': ['cemr', 'eurocities', 'uclg'],
  aer: ['aer-irn', 'catalonia-social-rights', 'donegal-county-council', 'emilia-romagna-region'],
  'aer-irn': ['catalonia-social-rights', 'donegal-county-council', 'emilia-romagna-region'],
};

/**
 * Stands in for the other subgraphs: `regions` knows the demo organisations, `trainings` accepts erasures unless
 * told to fail or hang. Records every call.
 */
export class FakePeers implements Peers {
  calls: { subgraph: string; query: string; variables?: Record<string, unknown> }[] = [];
  /** What a call to trainings does: answer, fail, or never answer. */
  trainings: 'ok' | 'fail' | 'hang' = 'ok';
  regionsDown = false;

  async call(subgraph: string, query: string, variables?: Record<string, unknown>): Promise<PeerResult> {
    this.calls.push({ subgraph, query, ...(variables ? { variables } : {}) });
    if (subgraph === 'regions') {
      if (this.regionsDown) throw new Error('The regions subgraph could not be reached: connection refused');
      const id = variables?.id as string;
      // Programmes, as mentorships and exchanges ask for them (mentoring-regions.ts).
      if (query.includes('programme(')) return { data: { programme: DEMO_PROGRAMMES.includes(id) ? { id } : null } };
      if (!DEMO_ORGANISATIONS.includes(id)) return { data: { organisation: null } };
      // The networks' members, as networkRetention asks for them (regions' demo seed).
      const members = DEMO_NETWORKS[id];
      return {
        data: {
          organisation: {
            id,
            kind: members || ['cemr', 'eurocities', 'uclg'].includes(id) ? 'NETWORK' : 'REGIONAL_AUTHORITY',
            members: { nodes: (members ?? []).map((m) => ({ id: m })), pageInfo: { hasNextPage: false } },
          },
        },
      };
    }
    if (subgraph === 'trainings') {
      if (this.trainings === 'fail') throw new Error('The trainings subgraph could not be reached: connection refused');
      if (this.trainings === 'hang') return new Promise(() => {});
      return { data: { eraseTalentData: 3 } };
    }
    throw new Error(`No URL is configured for the ${subgraph} subgraph`);
  }

  erasuresSent(): string[] {
    return this.calls.filter((c) => c.subgraph === 'trainings').map((c) => c.variables?.id as string);
  }
}

export interface TalentsUnderTest {
  database: Database<TalentsDatabase>;
  peers: FakePeers;
  query<T = any>(query: string, variables?: Record<string, unknown>, as?: Identity | null): Promise<Result<T>>;
  /** Runs an operation as `as` and returns how many SQL statements it sent. */
  countStatements(query: string, variables: Record<string, unknown> | undefined, as: Identity | null): Promise<{ result: Result; statements: number }>;
  /** Every row of the tables a mutation may write, as JSON, to compare before and after. */
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

/** The subgraph on a fresh seeded store: in-memory PGlite unless another is given (a PostgreSQL test database). */
export async function startTalents(store: StoreConfig = { kind: 'pglite', dataDir: undefined }): Promise<TalentsUnderTest> {
  const database = await prepareDatabase(talentsSubgraph, store, { seed: true });
  const server = createSubgraphServer(talentsSubgraph);
  await server.start();
  const peers = new FakePeers();
  let requests = 0;
  const query = async (text: string, variables?: Record<string, unknown>, as: Identity | null = null) => {
    const response = await server.executeOperation(
      { query: text, ...(variables ? { variables } : {}) },
      { contextValue: createContext(talentsSubgraph, database.db, as, `test-request-${++requests}`, peers) },
    );
    if (response.body.kind !== 'single') throw new Error('Expected a single result');
    return response.body.singleResult as Result;
  };
  return {
    database,
    peers,
    query,
    async countStatements(text, variables, as) {
      const before = database.stats.statements;
      const result = await query(text, variables, as);
      return { result, statements: database.stats.statements - before };
    },
    async snapshot() {
      const tables = ['talents', 'talent_skills', 'talent_languages', 'residence_periods', 'talent_consents', 'audit_log', 'erased_talents', 'erasure_outbox', 'affiliations',
        'talent_learning_goals', 'mentorships', 'mentorship_goals', 'exchanges'];
      const parts: unknown[] = [];
      for (const table of tables) {
        const { rows } = await sql`select * from ${sql.table(table)} order by 1, 2`.execute(database.db);
        parts.push([table, rows]);
      }
      return JSON.stringify(parts);
    },
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}
