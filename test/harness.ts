import path from 'node:path';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import type { Database, StoreConfig } from '@talent-hub/subgraph-lib/db';
import { projectRoot } from '@talent-hub/platform/paths';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { listenSubgraph, prepareDatabase, type RunningSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';
import { loadSubgraphs } from '../scripts/subgraphs.js';

// End-to-end harness: every subgraph of subgraphs/registry.json on a free port, each with its own freshly migrated and seeded store,
// and the gateway over the committed supergraph. Everything it starts, `stop()` stops (and drops).

export type StoreKind = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL points at a server (CI sets it). */
export const storeKinds: StoreKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

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


export interface StackOptions {
  /** Serve the built web apps (explorer at `/`, dashboard at /dashboard) and POST /dev/token, as `npm start` does. */
  webApps?: boolean;
}

export async function startStack(kind: StoreKind, options: StackOptions = {}): Promise<Stack> {
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
      (await loadSubgraphs()).map(async (subgraph) => {
        let store: StoreConfig = { kind: 'pglite', dataDir: undefined };
        if (kind === 'postgres') {
          const created = await createTestDatabase(process.env.TEST_DATABASE_URL!, subgraph.name.replaceAll('-', '_').slice(0, 30));
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
      webApps: options.webApps ?? false,
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
