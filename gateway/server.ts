// First: @apollo/federation-internals' exports are read as plain values from here on (plain-exports.ts).
import './plain-exports.js';
import { ApolloGateway, type GatewayConfig } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { InternalTokenSigner, developmentInternalSecret } from '@talent-hub/platform/identity';
import { HttpFront, HttpRefusal, type MetricsAccess } from '@talent-hub/platform/http-front';
import { envName } from '@talent-hub/platform/registry';
import { AuthenticationError, createAuthenticator, type AuthConfig } from './auth.js';
import { defaultSubgraphConnections, readAuthConfig, type TrustedDocumentsConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { defaultHttpLimits, defaultQueryLimits, formatGatewayError, queryLimitsPlugin, type HttpLimits, type QueryLimits } from './limits.js';
import { knownOperations, type KnownOperation } from './known-operations.js';
import { SubgraphDataSource, SubgraphPool, warmUpRequest, type SubgraphPoolOptions } from './subgraph-source.js';
import { watchSupergraph, type Logger } from './supergraph.js';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { Readiness, defaultReadiness, type ReadinessOptions } from './health.js';
import { FetchTimings, apolloLogger, createGatewayLogger, requestLogPlugin } from './logging.js';
import { countingPlanCache, gatewayMetrics, type GatewayMetrics } from './metrics.js';
import { SubgraphGuard, defaultResilience, type ResilienceOptions } from './resilience.js';
import { gatewayCaching, type GatewayCacheOptions } from './cache/setup.js';
import { loadTrustedDocuments } from './trusted-documents.js';
import { acceptingDocumentIds, trustedDocumentsPlugin } from './trusted-documents-plugin.js';
import { clientAddressOf, createBucketStore, rateLimitPlugin, type RateLimitOptions } from './rate-limit.js';
import { devTokenRoute, mintsDevelopmentTokens } from './dev-token.js';
import { landingPage, webAppRoute, webApps as builtWebApps } from './web.js';
import { exportProxy } from './export-proxy.js';

export type { Logger } from './supergraph.js';

export interface GatewayOptions {
  /** Requests in flight to one subgraph at most (SUBGRAPH_CONNECTIONS; default defaultSubgraphConnections). */
  subgraphConnections?: number;
  /**
   * Serve the web apps (the explorer at `/` for browsers, the dashboard at /dashboard) from their dist/ folders
   * (default false; `GATEWAY_WEB_APPS` in the process). The explorer needs introspection: without it `/` serves none.
   */
  webApps?: boolean;
  /** The composed supergraph file. */
  supergraphPath: string;
  /**
   * Subgraph URLs by subgraph name; a subgraph not named here is called at the URL the supergraph gives, unless
   * `onlyConfiguredSubgraphs`.
   */
  subgraphUrls: Record<string, string>;
  /**
   * Refuse a supergraph that names a subgraph `subgraphUrls` lacks (the gateway process: its URLs come from the
   * registry and the environment, never from the file): at start, the gateway does not start; on a reload, it keeps
   * serving the previous supergraph.
   */
  onlyConfiguredSubgraphs?: boolean;
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
  /** Who may read /metrics, and on which port (default: open, on the gateway's port). */
  metricsAccess?: MetricsAccess;
  /** Depth, aliases, root fields, cost and tokens one operation may have (default: `defaultQueryLimits`). */
  queryLimits?: QueryLimits;
  /** Answers carry `extensions.cost = { estimated, actual }` (default false; config.ts turns it on). */
  costExtensions?: boolean;
  /** Body size, batch length and CORS origins of a request (default: `defaultHttpLimits`). */
  httpLimits?: HttpLimits;
  /** Answer introspection queries and serve the explorer (default true; config.ts turns it off in production). */
  introspection?: boolean;
  /** Replace the messages of unexpected errors with a generic one (production; default false). */
  maskErrors?: boolean;
  /** Persisted queries in the cache store and the response cache (gateway/cache/); without it, persisted queries in
   * Apollo Server's own memory cache and no response cache. */
  cache?: GatewayCacheOptions;
  /** Deadline, retries and circuit breaker of the subgraph fetches (default: `defaultResilience`). */
  resilience?: Partial<ResilienceOptions>;
  /** Fetch deadlines of particular subgraphs, by name, over `resilience.timeoutMs`. */
  subgraphTimeoutsMs?: Record<string, number>;
  /** How GET /ready checks the subgraphs (default: `defaultReadiness`). */
  readiness?: Partial<ReadinessOptions>;
  /** Where requests and fetches are counted (default: this process's metrics, served at GET /metrics). */
  metrics?: GatewayMetrics;
  /** Documents not in their client's manifest: logged or refused (default off; see trusted-documents-plugin.ts). */
  trustedDocuments?: TrustedDocumentsConfig;
  /**
   * Budgets of estimated cost per organisation, client and anonymous address (rate-limit.ts). Without it, or with
   * `enabled: false`, nothing is rate limited (config.ts turns it on by default for the gateway process).
   */
  rateLimit?: RateLimitOptions;
}

export type QueryPlanCache = NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>;

export interface ListenOptions extends GatewayOptions {
  host: string;
  port: number;
}

export interface RunningGateway {
  /** The URL it answers at, with the real port when asked for port 0. */
  url: string;
  /**
   * Marks the gateway not ready (GET /ready answers 503), keeps serving for `delayMs` (default 0) so that load
   * balancers stop sending, then drains requests, closes the listener, the file watcher and the subgraph connections.
   */
  stop(options?: { delayMs?: number }): Promise<void>;
}

/** Below Node's default keep-alive timeout of the subgraphs' HTTP servers (5 s). */
export const subgraphIdleTimeoutMs = 4_000;
/**
 * Query plan cache, per process. A plan of the known operations weighs 5 to 40 KiB (as the cache measures it);
 * 32 MiB keeps about a thousand such plans, more distinct operations than the partner apps send.
 */
export const queryPlanCacheMiB = 32;
/** On stop, how long requests in flight may still run once the listener is closed (as Apollo's drain plugin did). */
export const drainTimeoutMs = 10_000;

// Without a logger of the caller's, the process's pino logger (logging.ts), made on first use: LOG_LEVEL is read then.
let processLogger: Logger | undefined;
const defaultLogger = () => (processLogger ??= apolloLogger(createGatewayLogger()));

/** The subgraphs a supergraph names, with the URL written in it. */
export function subgraphsNamedIn(supergraphSdl: string): [name: string, url: string][] {
  return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g)].map((m) => [m[1]!, m[2]!]);
}

/** Throws, naming them, when the supergraph names subgraphs that have no configured URL. */
export function checkSubgraphUrls(supergraphSdl: string, subgraphUrls: Record<string, string>): void {
  const missing = subgraphsNamedIn(supergraphSdl).map(([name]) => name).filter((name) => !Object.hasOwn(subgraphUrls, name));
  if (missing.length > 0) {
    const them = missing.length > 1 ? 'them' : 'it';
    throw new Error(
      `it names ${missing.map((name) => `subgraph ${name}`).join(', ')} with no URL: add ${them} to subgraphs/registry.json ` +
        `(and set ${missing.map((name) => envName(name, 'URL')).join(', ')} where ${them} do${missing.length > 1 ? '' : 'es'} not run on this machine)`,
    );
  }
}

/** Builds the gateway and its server; nothing listens, reads or watches until the server starts. */
export function createGateway(options: GatewayOptions): {
  server: ApolloServer<GatewayContext>;
  gateway: ApolloGateway;
  readiness: Readiness;
  metrics: GatewayMetrics;
} {
  const logger = options.logger ?? defaultLogger();
  const pool = new SubgraphPool({
    maxConnections: options.subgraphConnections ?? defaultSubgraphConnections,
    idleTimeoutMs: subgraphIdleTimeoutMs,
    cacheReports: options.cache?.responseCache ?? false,
    ...options.subgraphPool,
  });

  const signer = new InternalTokenSigner(options.internalTokenSecret ?? developmentInternalSecret);
  const metrics = options.metrics ?? gatewayMetrics();
  const timings = new FetchTimings();
  const readiness = new Readiness({ ...defaultReadiness, ...options.readiness }, (subgraph, up) => metrics.recordSubgraphUp(subgraph, up));
  const subgraphUrlOf = (name: string, url: string | undefined) => options.subgraphUrls[name] ?? url!;
  // Kept by subgraph name across supergraph reloads (data sources are made anew when a subgraph's URL changes).
  const guards = new Map<string, SubgraphGuard>();
  const guardOf = (name: string) => {
    let guard = guards.get(name);
    if (!guard) {
      const resilience = { ...defaultResilience, ...options.resilience };
      resilience.timeoutMs = options.subgraphTimeoutsMs?.[name] ?? resilience.timeoutMs;
      guard = new SubgraphGuard(name, resilience, {
        onFetch: (outcome, ms, context) => {
          metrics.recordFetch(name, outcome, ms / 1000);
          timings.record(context, { subgraph: name, ms, outcome });
        },
        onRetry: () => metrics.recordRetry(name),
        onBreakerChange: (state, failures) => {
          metrics.recordBreakerState(name, state);
          if (state === 'open') logger.warn(`Subgraph ${name}: circuit open after ${failures} failed fetches; failing fast for ${resilience.breakerCooldownMs} ms.`);
          else logger.info(`Subgraph ${name}: circuit ${state}.`);
        },
      });
      metrics.recordBreakerState(name, 'closed');
      guards.set(name, guard);
    }
    return guard;
  };
  const planCache = countingPlanCache(
    options.queryPlanCache ??
      new InMemoryLRUCache<NonNullable<Awaited<ReturnType<QueryPlanCache['get']>>>>({
        // As ApolloGateway sizes its own plan cache (experimental_approximateQueryPlanStoreMiB).
        maxSize: queryPlanCacheMiB * 1024 * 1024,
        sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8'),
      }),
    metrics,
  );

  const gateway = new ApolloGateway({
    logger,
    // Refuse a broken supergraph in every environment (the default skips this check when NODE_ENV=production).
    validateSupergraph: true,
    // Ours, of the same size as the gateway's own, so that its hits and misses are counted.
    queryPlannerConfig: { cache: planCache },
    supergraphSdl: async ({ update }) => {
      const watched = await watchSupergraph(options.supergraphPath, {
        update,
        watch: options.watch,
        logger,
        ...(options.onlyConfiguredSubgraphs ? { check: (sdl: string) => checkSubgraphUrls(sdl, options.subgraphUrls) } : {}),
      });
      return {
        supergraphSdl: watched.supergraphSdl,
        cleanup: async () => {
          watched.close();
          pool.destroy();
        },
      };
    },
    buildService: ({ name, url }) => new SubgraphDataSource(name, subgraphUrlOf(name, url), pool, signer, guardOf(name)),
  });
  // Registered before Apollo Server's own listener: readiness follows every load, the first one included.
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    const urls: Record<string, string> = {};
    for (const [name, url] of subgraphsNamedIn(coreSupergraphSdl)) {
      urls[name] = subgraphUrlOf(name, url);
    }
    readiness.supergraphLoadedWith(urls);
  });

  const trustedMode = options.trustedDocuments?.mode ?? 'off';
  let trustedPlugins: ApolloServerPlugin<GatewayContext>[] = [];
  if (options.trustedDocuments && trustedMode !== 'off') {
    const documents = loadTrustedDocuments(options.trustedDocuments.path);
    logger.info(`Trusted documents (${trustedMode}): ${documents.size} documents of ${[...documents.clients].join(', ')}.`);
    trustedPlugins = [
      trustedDocumentsPlugin({
        mode: trustedMode,
        documents,
        introspection: options.introspection ?? true,
        logger,
        onUntrusted: (event) => metrics.recordUntrustedDocument(event.clientLabel, event.action),
      }) as ApolloServerPlugin<GatewayContext>,
    ];
  }

  // The response cache's hit ratio in /metrics (a caller's own onLookup wins).
  const caching = gatewayCaching(options.cache && { onLookup: (hit) => metrics.recordCacheLookup(hit), ...options.cache }, logger);
  const queryLimits = options.queryLimits ?? defaultQueryLimits;
  const rateLimit = options.rateLimit?.enabled
    ? [rateLimitPlugin(options.rateLimit, createBucketStore(options.rateLimit, logger, metrics), { maxCost: queryLimits.maxCost, metrics })]
    : [];
  const server = new ApolloServer<GatewayContext>({
    // No cast needed: @apollo/gateway 2.14 implements @apollo/server-gateway-interface 1.x (Apollo Server 4's)
    // and Apollo Server 5 asks for 2.x, but the two declare the same interface (only the logger and fetcher type
    // packages they import moved up a major version, with the same shapes), so it type-checks and behaves as is.
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection ?? true,
    // Without introspection, validation errors must not name fields either ("Did you mean \"email\"?").
    hideSchemaDetailsFromClientErrors: options.introspection === false,
    formatError: formatGatewayError(options.maskErrors ?? false),
    allowBatchedHttpRequests: (options.httpLimits ?? defaultHttpLimits).maxBatch > 1,
    // A query text past this many tokens is refused while parsing, before validation spends time on it.
    parseOptions: { maxTokens: (options.queryLimits ?? defaultQueryLimits).maxTokens },
    // main.ts owns SIGINT/SIGTERM. Apollo Server's own handler would call stop() alongside ours, and in 5.5.1
    // a stop() that finds another one under way waits on a barrier that is only released when stopping fails.
    stopOnTerminationSignals: false,
    persistedQueries: caching.persistedQueries,
    plugins: [
      // Off even when APOLLO_KEY happens to be set: this graph reports nothing to Apollo. With usage reporting
      // off, the gateway never asks subgraphs for inline traces (the ftv1 header).
      ApolloServerPluginUsageReportingDisabled(),
      // Browsers opening `/` get the explorer from the HTTP front (listenGateway), never Apollo's CDN-loaded page.
      ApolloServerPluginLandingPageDisabled(),
      // Before the limits: an untrusted document is refused before anything else looks at it.
      ...trustedPlugins,
      queryLimitsPlugin(queryLimits, { costExtensions: options.costExtensions ?? false }),
      // Same step as the query limits (didResolveOperation), so before the response cache and any fetch.
      ...rateLimit,
      requestLogPlugin(logger, metrics, timings),
      ...caching.plugins,
    ],
  });

  return { server, gateway, readiness, metrics };
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
  const logger = options.logger ?? defaultLogger();
  const { server, gateway, readiness, metrics } = createGateway(options);
  const authenticate = createAuthenticator(options.auth ?? readAuthConfig({}));

  const { requestTimeoutMs } = { ...defaultResilience, ...options.resilience };
  const auth = options.auth ?? readAuthConfig({});
  const web = options.webApps ?? false;
  const front = new HttpFront<GatewayContext>({
    routes: [
      ...(web ? builtWebApps.map((app) => webAppRoute(app)) : []),
      ...(web && mintsDevelopmentTokens(auth) ? [devTokenRoute(auth)] : []),
      // GET /export/<dataset>.csv|.ndjson, authorised as /graphql and streamed from the owning subgraph.
      exportProxy({
        authenticate,
        signer: new InternalTokenSigner(options.internalTokenSecret ?? developmentInternalSecret),
        subgraphUrl: (name) => options.subgraphUrls[name],
        answerTimeoutMs: (name) => options.subgraphTimeoutsMs?.[name] ?? options.resilience?.timeoutMs ?? defaultResilience.timeoutMs,
      }),
    ],
    // The explorer is schema-driven: a graph without introspection offers browsers none.
    ...(web && options.introspection !== false ? { landingPage: landingPage() } : {}),
    // With trusted documents, a POST body may name its document by `documentId`.
    server: (options.trustedDocuments?.mode ?? 'off') === 'off' ? server : acceptingDocumentIds(server),
    limits: options.httpLimits ?? defaultHttpLimits,
    context: async (req, requestId) => {
      try {
        const clientAddress = clientAddressOf(req, options.rateLimit?.trustedProxies ?? 0);
        return { identity: await authenticate(req.headers.authorization), requestId, clientAddress, deadline: performance.now() + requestTimeoutMs };
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        throw new HttpRefusal(401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
    },
    readiness: () => readiness.report(),
    health: () => ({ subgraphs: readiness.lastKnown() }),
    // The scrape asks the subgraphs too (a check at most READINESS_CACHE_MS old), so gateway_subgraph_up is current.
    metrics: async () => {
      await readiness.subgraphStatuses();
      return metrics.exposition();
    },
    metricsAccess: options.metricsAccess,
    // Refusals never reach the request log plugin: counted and logged here (ids, status and code only).
    onRefused: (refusal) => {
      metrics.recordRefusal(refusal.status);
      logger.info({ msg: 'request refused', ...refusal } as unknown as string);
    },
    onError: (error) => logger.error(`Request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  try {
    await server.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`The gateway could not start from ${options.supergraphPath}: ${message}`, { cause: error });
  }
  const operations = options.warmOperations ?? knownOperations;
  await metrics.warmingUp(() => warmQueryPlans(server, operations, logger));
  // After each supergraph reload the gateway drops its query plans: make the known ones again straight away, once
  // Apollo Server (in a listener of its own, registered first) has switched to the new schema.
  gateway.onSchemaLoadOrUpdate(() => {
    setImmediate(() => {
      metrics.warmingUp(() => warmQueryPlans(server, operations, logger)).catch((error: unknown) => logger.debug(`Query plans not made again: ${String(error)}`));
    });
  });
  let url: string;
  try {
    url = await front.listen(options.host, options.port);
  } catch (error) {
    await server.stop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const stop = async (delayMs: number) => {
    if (delayMs > 0) logger.info(`Not ready; serving for ${delayMs} ms more before closing the listener.`);
    const { inFlightAtClose, cutOff } = await front.drain(delayMs, drainTimeoutMs);
    logger.info(`Listener closed with ${inFlightAtClose} request(s) in flight${cutOff > 0 ? `, ${cutOff} cut off` : ''}.`);
    await server.stop();
  };
  return { url, stop: (stopOptions) => (stopped ??= stop(stopOptions?.delayMs ?? 0)) };
}
