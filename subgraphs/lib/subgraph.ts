import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DocumentNode } from 'graphql';
import type { Kysely, Migration } from 'kysely';
import { openDatabase, type Database, type StoreConfig } from './db.js';
import { migrateToLatest } from './migrate.js';

/** What a request's resolvers get: the database and this request's own DataLoaders. */
export interface SubgraphContext<DB, Loaders> {
  db: Kysely<DB>;
  loaders: Loaders;
}

/** Everything that makes a subgraph, gathered in its server.ts so that tests, composition and main share it. */
export interface SubgraphModule<DB, Loaders> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<DB, Loaders>>;
  migrations: Record<string, Migration>;
  /** Writes the demo data if the database lacks it; true when it wrote. */
  seed: (db: Kysely<DB>) => Promise<boolean>;
  createLoaders: (db: Kysely<DB>) => Loaders;
}

export type AnySubgraph = SubgraphModule<any, any>;

export function createSubgraphServer<DB, L>(subgraph: SubgraphModule<DB, L>): ApolloServer<SubgraphContext<DB, L>> {
  return new ApolloServer<SubgraphContext<DB, L>>({
    schema: buildSubgraphSchema([{ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers }]),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // runSubgraph handles signals itself (stop, then close the database); Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    // A malformed scalar literal (a DateTime that is not one) fails validation; say BAD_USER_INPUT, as for any
    // other malformed argument, rather than a generic validation failure.
    // (Duck-typed: graphql ships CommonJS and ESM builds, so `instanceof GraphQLError` can be false here.)
    formatError: (formatted, error) =>
      formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && inputErrorCode(error) === 'BAD_USER_INPUT'
        ? { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } }
        : formatted,
    // Inline traces cost time on every request; the gateway does not report to Apollo.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
}

function inputErrorCode(error: unknown): unknown {
  const original = (error as { originalError?: { extensions?: Record<string, unknown> } } | null)?.originalError;
  return original?.extensions?.code;
}

export function createContext<DB, L>(subgraph: SubgraphModule<DB, L>, db: Kysely<DB>): SubgraphContext<DB, L> {
  return { db, loaders: subgraph.createLoaders(db) };
}

/** Opens the subgraph's store, runs its migrations and, when asked, its demo seed. */
export async function prepareDatabase<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  store: StoreConfig,
  options: { seed: boolean },
): Promise<Database<DB>> {
  const database = await openDatabase<DB>(store);
  try {
    await migrateToLatest(database.db, subgraph.migrations);
    if (options.seed) await subgraph.seed(database.db);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

export interface RunningSubgraph {
  url: string;
  stop(): Promise<void>;
}

/** Serves a subgraph over HTTP; stopping it drains requests and closes the listener (not the database). */
export async function listenSubgraph<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  db: Kysely<DB>,
  options: { host: string; port: number },
): Promise<RunningSubgraph> {
  const server = createSubgraphServer(subgraph);
  const { url } = await startStandaloneServer(server, {
    listen: { host: options.host, port: options.port },
    context: async () => createContext(subgraph, db),
  });
  return { url, stop: () => server.stop() };
}

/** The body of every subgraph's main.ts: prepare the store, listen, and stop cleanly on a signal. */
export async function runSubgraph<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  config: { host: string; port: number; store: StoreConfig; seedDemoData: boolean },
): Promise<void> {
  const started = Date.now();
  const database = await prepareDatabase(subgraph, config.store, { seed: config.seedDemoData });
  const running = await listenSubgraph(subgraph, database.db, config);
  console.log(`${subgraph.name} subgraph ready at ${running.url} (${config.store.kind}, ${Date.now() - started} ms)`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${subgraph.name} subgraph stopping (${signal})`);
    await running.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
