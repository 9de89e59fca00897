import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DocumentNode } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Kysely, Migration } from 'kysely';
import { enforceAuthDirectives, type Policy } from './auth.js';
import { openDatabase, type Database, type StoreConfig } from './db.js';
import { identityHeader, InternalTokenVerifier, type Identity } from './identity.js';
import { migrateToLatest } from './migrate.js';
import { createPeers, noPeers, type Peers } from './peers.js';
import { requestIdOf } from './request-id.js';

/** What a request's resolvers get: the caller, the database and this request's own DataLoaders. */
export interface SubgraphContext<DB, Loaders> {
  db: Kysely<DB>;
  loaders: Loaders;
  /** The caller as the gateway verified it; null for an anonymous caller. */
  identity: Identity | null;
  /** The gateway's request id (`x-request-id`), or one made here; for logs and audit rows. */
  requestId: string;
  /** Calls to the other subgraphs as this service (see peers.ts). */
  peers: Peers;
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
  /** The named rules its schema's `@policy` directives refer to. */
  policies?: Record<string, Policy<SubgraphContext<DB, Loaders>>>;
  /** Work the subgraph does outside requests while it runs (e.g. retrying deliveries); started after it listens. */
  background?: (db: Kysely<DB>, peers: Peers) => { stop(): Promise<void> };
}

export type AnySubgraph = SubgraphModule<any, any>;

export function createSubgraphServer<DB, L>(subgraph: SubgraphModule<DB, L>): ApolloServer<SubgraphContext<DB, L>> {
  return new ApolloServer<SubgraphContext<DB, L>>({
    schema: enforceAuthDirectives(
      buildSubgraphSchema([{ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers }]),
      subgraph.policies,
    ),
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

export function createContext<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  db: Kysely<DB>,
  identity: Identity | null = null,
  requestId: string = randomUUID(),
  peers: Peers = noPeers,
): SubgraphContext<DB, L> {
  return { db, loaders: subgraph.createLoaders(db), identity, requestId, peers };
}

/**
 * The caller of an HTTP request: anonymous without an identity header; the verified identity with a valid one.
 * A header that fails verification (forged, expired, signed with another secret) is refused with 401 rather than
 * served as anonymous, so a misconfigured gateway shows up at once instead of as missing data.
 */
export async function identityOfRequest(headers: IncomingHttpHeaders, verifier: InternalTokenVerifier): Promise<Identity | null> {
  const token = headers[identityHeader];
  if (token === undefined) return null;
  try {
    if (typeof token !== 'string') throw new Error('the header is repeated');
    return await verifier.verify(token);
  } catch (error) {
    throw new GraphQLError(`The caller's identity could not be verified: ${(error as Error).message}.`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
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
  options: { host: string; port: number; internalTokenSecret: string; subgraphUrls?: Record<string, string> },
): Promise<RunningSubgraph> {
  const server = createSubgraphServer(subgraph);
  const verifier = new InternalTokenVerifier(options.internalTokenSecret);
  const peers = createPeers({ self: subgraph.name, internalTokenSecret: options.internalTokenSecret, subgraphUrls: options.subgraphUrls ?? {} });
  const { url } = await startStandaloneServer(server, {
    listen: { host: options.host, port: options.port },
    context: async ({ req }) =>
      createContext(subgraph, db, await identityOfRequest(req.headers, verifier), requestIdOf(req.headers), peers),
  });
  const background = subgraph.background?.(db, peers);
  return {
    url,
    stop: async () => {
      await background?.stop();
      await server.stop();
    },
  };
}

/** The body of every subgraph's main.ts: prepare the store, listen, and stop cleanly on a signal. */
export async function runSubgraph<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  config: {
    host: string;
    port: number;
    store: StoreConfig;
    seedDemoData: boolean;
    internalTokenSecret: string;
    subgraphUrls: Record<string, string>;
  },
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
