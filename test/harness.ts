import path from 'node:path';
import { listenGateway, type RunningGateway } from '../gateway/server.js';
import type { Database, StoreConfig } from '../subgraphs/lib/db.js';
import { projectRoot } from '../subgraphs/lib/paths.js';
import { developmentInternalSecret } from '../subgraphs/lib/identity.js';
import { listenSubgraph, prepareDatabase, type AnySubgraph, type RunningSubgraph } from '../subgraphs/lib/subgraph.js';
import { regionsSubgraph } from '../subgraphs/regions/server.js';
import { talentsSubgraph } from '../subgraphs/talents/server.js';
import { trainingsSubgraph } from '../subgraphs/trainings/server.js';
import { createTestDatabase } from '../subgraphs/lib/test-database.js';

// End-to-end harness: the three subgraphs on free ports, each with its own freshly migrated and seeded store,
// and the gateway over the committed supergraph. Everything it starts, `stop()` stops (and drops).

export type StoreKind = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL points at a server (CI sets it). */
export const storeKinds: StoreKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

const SUBGRAPHS: AnySubgraph[] = [talentsSubgraph, trainingsSubgraph, regionsSubgraph];

export interface GraphResponse<T = any> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

export interface Stack {
  gatewayUrl: string;
  databases: Record<string, Database<any>>;
  /** POSTs an operation to the gateway, anonymously unless a bearer token is given. */
  query<T = any>(query: string, variables?: Record<string, unknown>, options?: { token?: string }): Promise<GraphResponse<T>>;
  /** The subgraphs' URLs, to call one directly. */
  subgraphUrls: Record<string, string>;
  /** SQL statements sent so far by all subgraphs together. */
  statements(): number;
  stop(): Promise<void>;
}


export async function startStack(kind: StoreKind): Promise<Stack> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('cleanup failed', error));
  };
  try {
    const databases: Record<string, Database<any>> = {};
    const running: Record<string, RunningSubgraph> = {};
    // Filled in as the subgraphs start: each one reads it when it calls another (erasure), by then all have started.
    const subgraphUrls: Record<string, string> = {};
    await Promise.all(
      SUBGRAPHS.map(async (subgraph) => {
        let store: StoreConfig = { kind: 'pglite', dataDir: undefined };
        if (kind === 'postgres') {
          const created = await createTestDatabase(process.env.TEST_DATABASE_URL!, subgraph.name);
          cleanups.push(created.drop);
          store = created.store;
        }
        const database = await prepareDatabase(subgraph, store, { seed: true });
        cleanups.push(() => database.close());
        databases[subgraph.name] = database;
        const server = await listenSubgraph(subgraph, database.db, {
          host: '127.0.0.1',
          port: 0,
          internalTokenSecret: developmentInternalSecret,
          subgraphUrls,
        });
        cleanups.push(() => server.stop());
        running[subgraph.name] = server;
        subgraphUrls[subgraph.name] = server.url;
      }),
    );
    const gateway: RunningGateway = await listenGateway({
      supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
      subgraphUrls: Object.fromEntries(Object.entries(running).map(([name, s]) => [name, s.url])),
      watch: false,
      host: '127.0.0.1',
      port: 0,
      logger: { debug() {}, info() {}, warn: console.warn, error: console.error },
    });
    cleanups.push(() => gateway.stop());
    return {
      gatewayUrl: gateway.url,
      databases,
      subgraphUrls,
      async query(query, variables, options) {
        const response = await fetch(gateway.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options?.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify({ query, variables }),
        });
        return { status: response.status, body: (await response.json()) as GraphResponse['body'] };
      },
      statements: () => Object.values(databases).reduce((sum, d) => sum + d.stats.statements, 0),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
