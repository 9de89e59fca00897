import type { GraphQLFormattedError } from 'graphql';
import type { Database, StoreConfig } from '../db.js';
import type { Identity } from '@talent-hub/platform/identity';
import type { Peers } from '../peers.js';
import { createContext, createSubgraphServer, prepareDatabase, type SubgraphModule } from '../subgraph.js';

// Test helpers shared by the subgraphs' own tests: a seeded subgraph in memory, queried without HTTP.

export interface Result<T = any> {
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface TestSubgraph<DB> {
  database: Database<DB>;
  /** Runs an operation with a fresh per-request context, as an HTTP request would get; anonymous unless `as` is given. */
  query<T = any>(query: string, variables?: Record<string, unknown>, as?: Identity | null): Promise<Result<T>>;
  /** Runs an operation (anonymously unless `as` is given) and returns how many SQL statements it sent. */
  countStatements(query: string, variables?: Record<string, unknown>, as?: Identity | null): Promise<{ result: Result; statements: number }>;
  stop(): Promise<void>;
}

export async function startTestSubgraph<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  store: StoreConfig = { kind: 'pglite', dataDir: undefined },
  /** The other subgraphs as this one's calls reach them (fakes); none answers when absent. */
  peers?: Peers,
): Promise<TestSubgraph<DB>> {
  const database = await prepareDatabase(subgraph, store, { seed: true });
  const server = createSubgraphServer(subgraph);
  await server.start();
  const query = async (text: string, variables?: Record<string, unknown>, as: Identity | null = null) => {
    const response = await server.executeOperation(
      { query: text, ...(variables ? { variables } : {}) },
      { contextValue: createContext(subgraph, database.db, as, undefined, peers) },
    );
    if (response.body.kind !== 'single') throw new Error('Expected a single result');
    return response.body.singleResult as Result;
  };
  return {
    database,
    query,
    async countStatements(text, variables, as) {
      const before = database.stats.statements;
      const result = await query(text, variables, as);
      return { result, statements: database.stats.statements - before };
    },
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}

/** The error codes of a result, for assertions. */
export const errorCodes = (result: Result) => (result.errors ?? []).map((e) => e.extensions?.code);

/** An identity for tests: a user of `organisationId` with one role. */
export function caller(organisationId: string, role: 'viewer' | 'editor' | 'admin' = 'editor', subject = `user-of-${organisationId}`): Identity {
  return { subject, organisationId, roles: [role] };
}
