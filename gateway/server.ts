import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, type GatewayConfig } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { InternalTokenSigner, developmentInternalSecret } from '../subgraphs/lib/identity.js';
import { createAuthenticator, type AuthConfig } from './auth.js';
import { readAuthConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { graphqlRequestListener } from './http.js';
import { knownOperations, type KnownOperation } from './known-operations.js';
import { SubgraphDataSource, SubgraphPool, warmUpRequest, type SubgraphPoolOptions } from './subgraph-source.js';
import { watchSupergraph, type Logger } from './supergraph.js';
import { gatewayCaching, type GatewayCacheOptions } from './cache/setup.js';

export type { Logger } from './supergraph.js';

export interface GatewayOptions {
  /** The composed supergraph file. */
  supergraphPath: string;
  /** Subgraph URLs by subgraph name; a subgraph not named here is called at the URL the supergraph gives. */
  subgraphUrls: Record<string, string>;
  /** Reload the supergraph when its file changes. */
  watch: boolean;
  logger?: Logger;
  /** Operations whose query plans are made when the gateway starts and after each reload (default: the known ones). */
  warmOperations?: readonly KnownOperation[];
  /** Changes to the subgraph connection pool and fetch handling (the benchmark turns steps of the tuning off). */
  subgraphPool?: Partial<SubgraphPoolOptions>;
  /** A query plan cache of one's own (tests look into it); by default the gateway's LRU of `queryPlanCacheMiB`. */
  queryPlanCache?: QueryPlanCache;
  /** How bearer tokens are checked (default: the development HS256 secret, as `npm run token` signs). */
  auth?: AuthConfig;
  /** Signs the identity passed to the subgraphs (default: the development secret, as theirs). */
  internalTokenSecret?: string;
  /** Persisted queries in the cache store and the response cache (gateway/cache/); without it, persisted queries in
   * Apollo Server's own memory cache and no response cache. */
  cache?: GatewayCacheOptions;
}

export type QueryPlanCache = NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>;

export interface ListenOptions extends GatewayOptions {
  host: string;
  port: number;
}

export interface RunningGateway {
  /** The URL it answers at, with the real port when asked for port 0. */
  url: string;
  /** Drains requests, closes the listener, the file watcher and the subgraph connections. */
  stop(): Promise<void>;
}

/**
 * Connections kept to each subgraph, per gateway process. A subgraph is one Node process with 10 database
 * connections: past a few dozen requests at once it only queues them, so more connections would only move the
 * queue from the gateway into the subgraph's accept backlog and cost a socket each.
 */
export const subgraphConnectionsPerProcess = 64;
/** Below Node's default keep-alive timeout of the subgraphs' HTTP servers (5 s). */
export const subgraphIdleTimeoutMs = 4_000;
/**
 * Query plan cache, per process. A plan of the known operations weighs 5 to 40 KiB (as the cache measures it);
 * 32 MiB keeps about a thousand such plans, more distinct operations than the partner apps send.
 */
export const queryPlanCacheMiB = 32;

// The gateway's own default logger prints at info level; ours does the same and also carries the watcher's lines.
const defaultLogger: Logger = { debug: () => {}, info: console.info, warn: console.warn, error: console.error };

/** Builds the gateway and its server; nothing listens, reads or watches until the server starts. */
export function createGateway(options: GatewayOptions): { server: ApolloServer<GatewayContext>; gateway: ApolloGateway } {
  const logger = options.logger ?? defaultLogger;
  const pool = new SubgraphPool({
    maxConnections: subgraphConnectionsPerProcess,
    idleTimeoutMs: subgraphIdleTimeoutMs,
    ...options.subgraphPool,
  });

  const signer = new InternalTokenSigner(options.internalTokenSecret ?? developmentInternalSecret);

  const gateway = new ApolloGateway({
    logger,
    // Refuse a broken supergraph in every environment (the default skips this check when NODE_ENV=production).
    validateSupergraph: true,
    experimental_approximateQueryPlanStoreMiB: queryPlanCacheMiB,
    ...(options.queryPlanCache ? { queryPlannerConfig: { cache: options.queryPlanCache } } : {}),
    supergraphSdl: async ({ update }) => {
      const watched = await watchSupergraph(options.supergraphPath, { update, watch: options.watch, logger });
      return {
        supergraphSdl: watched.supergraphSdl,
        cleanup: async () => {
          watched.close();
          pool.destroy();
        },
      };
    },
    buildService: ({ name, url }) => new SubgraphDataSource(name, options.subgraphUrls[name] ?? url!, pool, signer),
  });

  const caching = gatewayCaching(options.cache, logger);
  const server = new ApolloServer<GatewayContext>({
    // No cast needed: @apollo/gateway 2.14 implements @apollo/server-gateway-interface 1.x (Apollo Server 4's)
    // and Apollo Server 5 asks for 2.x, but the two declare the same interface (only the logger and fetcher type
    // packages they import moved up a major version, with the same shapes), so it type-checks and behaves as is.
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGINT/SIGTERM. Apollo Server's own handler would call stop() alongside ours, and in 5.5.1
    // a stop() that finds another one under way waits on a barrier that is only released when stopping fails.
    stopOnTerminationSignals: false,
    persistedQueries: caching.persistedQueries,
    plugins: [
      // Off even when APOLLO_KEY happens to be set: this graph reports nothing to Apollo. With usage reporting
      // off, the gateway never asks subgraphs for inline traces (the ftv1 header).
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginLandingPageLocalDefault({ embed: { runTelemetry: false } }),
      ...caching.plugins,
    ],
  });

  return { server, gateway };
}

/**
 * Plans each operation (with and without its operation name, as clients send either) and validates it, filling
 * Apollo Server's parsed-document cache and the gateway's query plan cache. Subgraphs are not called: the warm-up
 * requests' fetches answer nothing. An operation that does not fit the current supergraph is logged and skipped.
 */
export async function warmQueryPlans(
  server: ApolloServer<GatewayContext>,
  operations: readonly KnownOperation[],
  logger: Logger,
): Promise<void> {
  for (const operation of operations) {
    for (const operationName of [operation.name, undefined]) {
      const response = await server.executeOperation(
        { query: operation.query, variables: operation.variables, ...(operationName ? { operationName } : {}) },
        { contextValue: { identity: null, requestId: 'warm-up', [warmUpRequest]: true } as GatewayContext },
      );
      const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
      const refused = errors?.find((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' || e.extensions?.code === 'GRAPHQL_PARSE_FAILED');
      if (refused) {
        logger.warn(`Query plan of ${operation.name} not made: ${refused.message}`);
        break;
      }
    }
  }
}

/** Starts the gateway on a host and port (0 for a free one), with its query plans made before it listens. */
export async function listenGateway(options: ListenOptions): Promise<RunningGateway> {
  const logger = options.logger ?? defaultLogger;
  const { server, gateway } = createGateway(options);
  const authenticate = createAuthenticator(options.auth ?? readAuthConfig({}));
  const httpServer = http.createServer(graphqlRequestListener(server, logger, authenticate));
  server.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  try {
    await server.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`The gateway could not start from ${options.supergraphPath}: ${message}`, { cause: error });
  }
  const operations = options.warmOperations ?? knownOperations;
  await warmQueryPlans(server, operations, logger);
  // After each supergraph reload the gateway drops its query plans: make the known ones again straight away, once
  // Apollo Server (in a listener of its own, registered first) has switched to the new schema.
  gateway.onSchemaLoadOrUpdate(() => {
    setImmediate(() => {
      warmQueryPlans(server, operations, logger).catch((error: unknown) => logger.debug(`Query plans not made again: ${String(error)}`));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen({ host: options.host, port: options.port }, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const { address, port } = httpServer.address() as AddressInfo;
  const host = address === '' || address === '::' || address === '0.0.0.0' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  let stopped: Promise<void> | undefined;
  return { url: `http://${host}:${port}/`, stop: () => (stopped ??= server.stop()) };
}
