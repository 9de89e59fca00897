import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { DocumentNode } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Kysely, Migration } from 'kysely';
import { HttpFront, HttpRefusal, type FrontLimits, type MetricsAccess } from '@talent-hub/platform/http-front';
import { clientErrorCodes, maskInternalError } from '@talent-hub/platform/errors';
import { enforceAuthDirectives, type Policy } from './auth.js';
import { cachePolicyPlugin } from './cache-policy.js';
import { cacheReportPlugin } from './cache-report.js';
import type { SubgraphConfig } from './config.js';
import { openDatabase, type Database, type StoreConfig } from './db.js';
import { identityHeader, InternalTokenVerifier, type Identity, type TokenBinding } from '@talent-hub/platform/identity';
import { defaultSubgraphLimits, subgraphLimitsPlugin, type SubgraphLimits } from './limits.js';
import { createReadinessCheck, readinessReport } from './health.js';
import { createLogger, type Logger } from '@talent-hub/platform/logging';
import { metricsPlugin, subgraphMetrics } from './metrics.js';
import { noteRefusal, observeRequests } from './request-observer.js';
import { migrateToLatest } from './migrate.js';
import { createPeers, noPeers, type Peers } from './peers.js';
import { cellKeySalt, developmentCellKeySalt } from './disclosure.js';
import { startTracing, stopTracing } from '@talent-hub/platform/tracing';
import { exportRoute, type ExportDefinitions } from './export-route.js';

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
  /** The secret salt of keyed record keys (disclosure.ts), derived from the deployment's internal token secret. */
  cellKeySalt: string;
}

/** A reference to an entity owned by another subgraph, by its key field (`{ code }` for a Region): the gateway fetches its other fields there. */
export type EntityRef<Key extends string> = { [K in Key]: string };

/** Everything that makes a subgraph, gathered in its server.ts so that tests, composition and main share it. */
export interface SubgraphModule<DB, Loaders> {
  name: string;
  typeDefs: DocumentNode;
  /**
   * The resolvers, typed where they are written by the subgraph's generated `Resolvers` (generated/resolvers.ts,
   * `npm run codegen`), which checks them against its schema; here only handed to buildSubgraphSchema.
   */
  resolvers: object;
  migrations: Record<string, Migration>;
  /** Writes the demo data if the database lacks it; true when it wrote. */
  seed: (db: Kysely<DB>) => Promise<boolean>;
  /** This request's loaders; those whose rows depend on who asks (which profiles a list holds) read the identity. */
  createLoaders: (db: Kysely<DB>, identity: Identity | null) => Loaders;
  /** The named rules its schema's `@policy` directives refer to. */
  policies?: Record<string, Policy<SubgraphContext<DB, Loaders>>>;
  /**
   * Work the subgraph does outside requests while it runs (e.g. retrying deliveries); started after it listens,
   * stopped after the last request has been served and before the database closes. It logs through `logger`
   * (the process's logger, `component: "background"` on each line): ids, counts and outcomes, never personal data.
   */
  background?: (db: Kysely<DB>, peers: Peers, logger: Logger) => { stop(): Promise<void> };
  /** The datasets it streams at GET /export/<dataset>.<format> (export-route.ts), behind the internal token. */
  exports?: ExportDefinitions<SubgraphContext<DB, Loaders>>;
}

export type AnySubgraph = SubgraphModule<any, any>;

export interface SubgraphServerOptions {
  /** What one operation may ask (default defaultSubgraphLimits); the body limit is the HTTP front's. */
  limits?: SubgraphLimits;
  /** Production: internal errors reach the caller as "Internal server error" with their code (default false). */
  maskErrors?: boolean;
  /** Where internal errors are logged, with the request id (the caller only sees their code when masked). */
  logger?: Logger;
}

/** The subgraph's executable schema: its SDL and resolvers, with its @auth directives enforced. */
export function subgraphSchema<DB, L>(subgraph: SubgraphModule<DB, L>) {
  return enforceAuthDirectives(
    buildSubgraphSchema([{ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers as GraphQLResolverMap<SubgraphContext<DB, L>> }]),
    subgraph.policies,
  );
}

export function createSubgraphServer<DB, L>(subgraph: SubgraphModule<DB, L>, options: SubgraphServerOptions = {}): ApolloServer<SubgraphContext<DB, L>> {
  const mask = options.maskErrors ?? false;
  return new ApolloServer<SubgraphContext<DB, L>>({
    schema: subgraphSchema(subgraph),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // runSubgraph handles signals itself (stop, then close the database); Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    // A malformed scalar literal (a DateTime that is not one) fails validation; say BAD_USER_INPUT, as for any
    // other malformed argument, rather than a generic validation failure.
    // (Duck-typed: graphql ships CommonJS and ESM builds, so `instanceof GraphQLError` can be false here.)
    // In production (maskErrors) an internal error keeps its code and loses its message, as at the gateway: a
    // caller on the internal network must not read SQL or stack details either (the message is logged).
    formatError: (formatted, error) => {
      const shown =
        formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && inputErrorCode(error) === 'BAD_USER_INPUT'
          ? { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } }
          : formatted;
      return mask ? maskInternalError(shown) : shown;
    },
    // Inline traces cost time on every request; the gateway does not report to Apollo.
    // cachePolicyPlugin: the answer's Cache-Control, as Apollo's cache control plugin (disabled) would give it, read
    // from the answer once rather than hooked into every field (cache-policy.ts).
    // cacheReportPlugin: tells the gateway's response cache what each write changed (cache-report.ts).
    // subgraphLimitsPlugin: depth, aliases, root fields and representations, before execution (limits.ts).
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin(),
      cacheReportPlugin(),
      subgraphLimitsPlugin(options.limits ?? defaultSubgraphLimits),
      ...(options.logger ? [internalErrorLog<SubgraphContext<DB, L>>(options.logger)] : []),
    ],
  });
}

/** Logs each error that is not a client error with the request id: in production its message reaches no caller. */
function internalErrorLog<C extends { requestId?: string }>(logger: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code === 'string' && clientErrorCodes.has(code)) continue;
            logger.error({ err: error.originalError ?? error, requestId: contextValue.requestId, path: error.path }, 'internal error');
          }
        },
      };
    },
  };
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
  salt: string = developmentCellKeySalt,
): SubgraphContext<DB, L> {
  return { db, loaders: subgraph.createLoaders(db, identity), identity, requestId, peers, cellKeySalt: salt };
}

/**
 * The caller of an HTTP request: the verified identity of its internal token (null for a token of an anonymous
 * caller); without a token, anonymous unless `required` (production), then 401. A token that fails verification
 * (forged, expired, for another subgraph, request or body, already used) is refused with 401 rather than served
 * as anonymous, so a misconfigured gateway shows up at once instead of as missing data.
 */
export function identityOfRequest(
  headers: IncomingHttpHeaders,
  verifier: InternalTokenVerifier,
  binding: TokenBinding,
  required = false,
): Identity | null {
  const token = headers[identityHeader];
  if (token === undefined) {
    if (!required) return null;
    throw new HttpRefusal(401, 'UNAUTHENTICATED', `This subgraph serves only requests signed by the gateway (${identityHeader}).`);
  }
  try {
    if (typeof token !== 'string') throw new Error('the header is repeated');
    return verifier.verify(token, binding);
  } catch (error) {
    throw new HttpRefusal(401, 'UNAUTHENTICATED', `The caller's identity could not be verified: ${(error as Error).message}.`);
  }
}

/**
 * What a subgraph's HTTP front takes. Subgraphs answer the gateway and each other, never browsers: a request with
 * an `Origin` header is refused and no CORS header is ever sent. Batches are not taken (the gateway sends one
 * operation per fetch).
 */
export function subgraphHttpLimits(limits: SubgraphLimits = defaultSubgraphLimits): FrontLimits {
  return { maxBodyBytes: limits.maxBodyBytes, maxBatch: 1, corsOrigins: [], refuseBrowsers: true };
}


/** Opens the subgraph's store, runs its migrations and, when asked, its demo seed. */
export async function prepareDatabase<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  store: StoreConfig,
  options: { seed: boolean },
): Promise<Database<DB>> {
  const database = await openDatabase<DB>(store, { name: subgraph.name });
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
  /** Where GraphQL answers: `http://HOST:PORT/` (also at `/graphql`; /health, /ready and /metrics beside it). */
  url: string;
  /** Drains requests and closes the listener, then stops the background work (not the database). */
  stop(): Promise<void>;
  /**
   * The graceful stop: /ready answers 503 at once, requests are still served for `delayMs` (so load balancers
   * take the replica out), then the listener closes, requests in flight finish (cut off after `timeoutMs`) and
   * the background work stops. The database stays open (its owner closes it).
   */
  shutdown(options: { delayMs: number; timeoutMs: number }): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
  internalTokenSecret: string;
  subgraphUrls?: Record<string, string>;
  /** One line per request and the lifecycle's lines; silent by default (tests). */
  logger?: Logger;
  /** How long /ready waits for the database (default 2 s). */
  readinessTimeoutMs?: number;
  /** Its limits on a request (default defaultSubgraphLimits). */
  limits?: SubgraphLimits;
  /** Refuse requests without an internal token (production; default false: tests and local tools call directly). */
  requireIdentity?: boolean;
  /** Mask internal errors (production; default false). */
  maskErrors?: boolean;
  /** Who may read /metrics, and on which port (default: open, on the subgraph's port). */
  metricsAccess?: MetricsAccess;
}

/** Serves a subgraph over HTTP (through the HTTP front of packages/platform/http-front.ts); stopping it drains requests and closes the listener. */
export async function listenSubgraph<DB, L>(subgraph: SubgraphModule<DB, L>, db: Kysely<DB>, options: ListenOptions): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger({ service: subgraph.name, env: { LOG_LEVEL: 'silent', LOG_FORMAT: 'json' } });
  const metrics = subgraphMetrics();
  const limits = options.limits ?? defaultSubgraphLimits;
  const server = createSubgraphServer(subgraph, { limits, maskErrors: options.maskErrors ?? false, logger });
  server.addPlugin(metricsPlugin(subgraph.name, metrics));
  const verifier = new InternalTokenVerifier(options.internalTokenSecret);
  const requireIdentity = options.requireIdentity ?? false;
  const peers = createPeers({ self: subgraph.name, internalTokenSecret: options.internalTokenSecret, subgraphUrls: options.subgraphUrls ?? {} });
  const salt = cellKeySalt(options.internalTokenSecret);
  const readiness = createReadinessCheck(db, subgraph.migrations, { timeoutMs: options.readinessTimeoutMs ?? 2_000 });
  const exports = subgraph.exports;
  const http = new HttpFront<SubgraphContext<DB, L>>({
    // Exports carry no body: their internal token is signed for the empty body, and always required.
    routes: exports
      ? [
          exportRoute({
            db,
            definitions: exports,
            identify: (req, requestId) => identityOfRequest(req.headers, verifier, { audience: subgraph.name, requestId, body: '' }, true),
            context: (identity, requestId) => createContext(subgraph, db, identity, requestId, peers, salt),
            onError: (error, requestId) => logger.error({ err: error, requestId }, 'export failed'),
          }),
        ]
      : [],
    server,
    limits: subgraphHttpLimits(limits),
    context: async (req, requestId, body) =>
      createContext(subgraph, db, identityOfRequest(req.headers, verifier, { audience: subgraph.name, requestId, body }, requireIdentity), requestId, peers, salt),
    metricsAccess: options.metricsAccess,
    readiness: async () => readinessReport(await readiness()),
    metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }),
    observe: observeRequests(subgraph.name, metrics, logger),
    onRefused: (refusal) => noteRefusal(subgraph.name, metrics, refusal.code),
    onError: (error, requestId) => logger.error({ err: error, requestId }, 'request failed'),
  });
  await server.start();
  let url: string;
  try {
    url = await http.listen(options.host, options.port);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const background = subgraph.background?.(db, peers, logger.child({ component: 'background' }));

  let stopped: Promise<void> | undefined;
  const shutdown = ({ delayMs, timeoutMs }: { delayMs: number; timeoutMs: number }) =>
    (stopped ??= (async () => {
      const { inFlightAtClose, cutOff } = await http.drain(delayMs, timeoutMs);
      logger.info({ inFlightAtClose, cutOff }, 'listener closed, requests in flight finished');
      await server.stop();
      await background?.stop();
    })());
  return { url, shutdown, stop: () => shutdown({ delayMs: 0, timeoutMs: 10_000 }) };
}

/** The body of every subgraph's main.ts: prepare the store, listen, and stop cleanly on a signal. */
export async function runSubgraph<DB, L>(
  subgraph: SubgraphModule<DB, L>,
  config: SubgraphConfig,
): Promise<void> {
  // First, so that every span of the process goes to the registered provider (off unless OTEL_* says otherwise).
  await startTracing(subgraph.name);
  const logger = createLogger({ service: subgraph.name });
  const started = Date.now();
  const database = await prepareDatabase(subgraph, config.store, { seed: config.seedDemoData });
  const running = await listenSubgraph(subgraph, database.db, { ...config, logger });
  logger.info({ url: running.url, store: config.store.kind, startMs: Date.now() - started }, 'subgraph ready');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, delayMs: config.shutdownDelayMs }, 'subgraph stopping');
    let code = 0;
    try {
      await running.shutdown({ delayMs: config.shutdownDelayMs, timeoutMs: config.shutdownTimeoutMs });
      await database.close();
      logger.info('subgraph stopped');
    } catch (error) {
      logger.error({ err: error }, 'subgraph did not stop cleanly');
      code = 1;
    }
    await stopTracing();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
