import os from 'node:os';
import path from 'node:path';
import { isProduction, readBoolean, readInteger, readPort, readSecret, readString, readUrl, type Env } from '@talent-hub/platform/env';
import { envName, readSubgraphUrls, subgraphRegistry, unknownSubgraphVariables, type SubgraphEntry } from '@talent-hub/platform/registry';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import type { AuthConfig } from './auth.js';
import { defaultReadiness, type ReadinessOptions } from './health.js';
import { defaultResilience, type ResilienceOptions } from './resilience.js';
import type { CacheConfig } from './cache/setup.js';
import { readMetricsAccess, type CorsOrigins, type MetricsAccess } from '@talent-hub/platform/http-front';
import { defaultHttpLimits, defaultQueryLimits, type HttpLimits, type QueryLimits } from './limits.js';
import { projectRoot } from '@talent-hub/platform/paths';
import { defaultTrustedDocumentsPath } from './trusted-documents.js';
import { trustedDocumentsModes, type TrustedDocumentsMode } from './trusted-documents-plugin.js';
import { defaultRateLimits, parseBudget, parseOrganisationBudgets, type RateLimitOptions } from './rate-limit-config.js';
import type { Budget } from './rate-limit-bucket.js';

/** Everything the gateway process reads from its environment, read once by main.ts. */
export interface GatewayConfig {
  host: string;
  port: number;
  /** Absolute path of the composed supergraph that the gateway serves and watches. */
  supergraphPath: string;
  /** Subgraph URLs by subgraph name, for every subgraph of the registry. */
  subgraphUrls: Record<string, string>;
  /** Processes serving requests (node:cluster workers sharing the port); 1 serves from the main process. */
  workers: number;
  /** How callers' bearer tokens are checked. */
  auth: AuthConfig;
  /** Signs the identity passed on to the subgraphs (shared with them). */
  internalTokenSecret: string;
  /** Who may read /metrics, and on which port (`METRICS_TOKEN`, `METRICS_PORT`: readMetricsAccess). */
  metricsAccess: MetricsAccess;
  /** Deadline, retries and circuit breaker of every subgraph fetch. */
  resilience: ResilienceOptions;
  /** Fetch deadlines of particular subgraphs, over `resilience.timeoutMs`. */
  subgraphTimeoutsMs: Record<string, number>;
  /** Requests in flight to one subgraph from one process at most; more wait, in order, for one to end. */
  subgraphConnections: number;
  /** How GET /ready checks the subgraphs. */
  readiness: ReadinessOptions;
  /** After SIGTERM: how long the gateway keeps serving while not ready, before it closes its listener. */
  shutdownDelayMs: number;
  /** Persisted queries and the response cache: where they are stored and for how long. */
  cache: CacheConfig;
  /** What one operation may ask for (depth, aliases, root fields, cost, tokens). */
  queryLimits: QueryLimits;
  /** Whether answers carry `extensions.cost = { estimated, actual }`. */
  costExtensions: boolean;
  /** What one HTTP request may carry (body size, batch length) and which browser origins may call (CORS). */
  httpLimits: HttpLimits;
  /** Whether the schema answers introspection queries. */
  introspection: boolean;
  /** Production error answers: no internal messages of unexpected errors. */
  maskErrors: boolean;
  /** What is done with documents not in their client's manifest, and where the manifests are. */
  trustedDocuments: TrustedDocumentsConfig;
  /** Budgets of estimated cost per organisation, client and anonymous address, and where they are kept. */
  rateLimit: RateLimitOptions;
  /** Serve the explorer at `/` and the dashboard at /dashboard from their built dist/ folders. */
  webApps: boolean;
}

export interface TrustedDocumentsConfig {
  mode: TrustedDocumentsMode;
  /** A folder of `<client name>.json` manifests, or one such file (absolute). */
  path: string;
}

/** Outside production, tokens are HS256 with this secret unless AUTH_JWT_SECRET or AUTH_JWKS_URL is set. */
export const developmentJwtSecret = 'development-only-jwt-secret-never-use-in-production';
export const defaultIssuer = 'talent-hub-dev';
export const defaultAudience = 'talent-hub-graph';
/** SUBGRAPH_CONNECTIONS' default (see readGatewayConfig). */
export const defaultSubgraphConnections = 16;

/**
 * Workers by default: one per core the process may use but one, at least 1 and at most 4. A gateway worker is
 * single-threaded and CPU-bound (planning, merging subgraph answers, JSON), so it gains from a core of its own,
 * but one core is left to the kernel's network work, the primary that hands out connections and whatever shares
 * the machine (on a 2-core machine that also runs the subgraphs and PostgreSQL, 2 workers served no more than 1,
 * in 70 MiB more memory: bench/README.md). Past 4, memory (130 to 200 MiB a worker) grows faster than what the
 * subgraphs behind one gateway can take.
 */
export function defaultWorkers(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * Variables:
 * - `GATEWAY_PORT`: port to listen on (default 4000; 0 picks a free port).
 * - `HOST`: interface to listen on (default 127.0.0.1; use 0.0.0.0 in a container).
 * - `SUPERGRAPH_PATH`: the composed supergraph file (default `<project>/schema/supergraph.graphql`); a relative
 *   path is taken from the current folder. The gateway reloads it when it changes.
 * - `<NAME>_URL` for each subgraph of subgraphs/registry.json (`TALENTS_URL`, ...): where it answers (default
 *   `http://127.0.0.1:<its registry port>/graphql`). They win over the URLs written in the supergraph, so one
 *   committed supergraph serves every deployment. A `<NAME>_URL` or `<NAME>_TIMEOUT_MS` naming no subgraph of the
 *   registry is refused (see unknownSubgraphVariables), and so is a supergraph naming a subgraph without a URL.
 * - `GATEWAY_WORKERS`: processes serving requests, 1 to 64 (default: see `defaultWorkers`). Each worker loads
 *   and watches the supergraph itself.
 * - `AUTH_JWKS_URL`: the identity provider's JWKS URL (RS256/ES256 tokens). Otherwise `AUTH_JWT_SECRET`, an HS256
 *   secret of at least 32 characters. In production one of the two is required; elsewhere a development secret
 *   stands in (the one `npm run token` signs with).
 * - `AUTH_ISSUER` (default `talent-hub-dev`), `AUTH_AUDIENCE` (default `talent-hub-graph`): the `iss` and `aud`
 *   every token must carry. `AUTH_CLOCK_SKEW_SECONDS`: leeway on expiry, 0 to 300 (default 30).
 * - `INTERNAL_TOKEN_SECRET`: signs the identity passed to the subgraphs; the same value as theirs. Required in
 *   production.
 * - `METRICS_TOKEN` (scrapers send it as a bearer token), `METRICS_PORT` (/metrics on a port of its own): see
 *   readMetricsAccess in packages/platform/http-front.ts; both absent, /metrics is open on the gateway's port.
 * - `SUBGRAPH_TIMEOUT_MS`: deadline of one subgraph fetch, retries included (default 5000, 1 to 600,000); past it
 *   the answer carries the other subgraphs' data and a SUBGRAPH_TIMEOUT error naming the subgraph.
 *   `<NAME>_TIMEOUT_MS` (e.g. `TALENTS_TIMEOUT_MS`) overrides it for one subgraph of the registry.
 * - `REQUEST_DEADLINE_MS`: deadline of all the fetches of one client request together (default twice
 *   SUBGRAPH_TIMEOUT_MS, and at least the longest `<NAME>_TIMEOUT_MS`; 1 to 600,000): a plan of sequential fetches
 *   does not get a full fetch deadline each. A fetch cut short by it gives SUBGRAPH_TIMEOUT and does not count
 *   against the subgraph's circuit breaker.
 * - `SUBGRAPH_CONNECTIONS`: requests in flight to one subgraph from one gateway process at most (default
 *   16, 1 to 1,024); more wait, first come first served, within their fetch deadline. A subgraph serves its
 *   requests in flight by turns, so past its few database connections more at once only makes each slower, until all
 *   miss their deadline together and the work done for them is lost; waiting in line, the first ones finish in time.
 * - `SUBGRAPH_RETRIES`: extra attempts of a query's fetch after a connection error or a 5xx answer, when the
 *   deadline leaves time (default 1, 0 to 3). Mutations are never sent twice.
 * - `SUBGRAPH_BREAKER_FAILURES` (default 5, 1 to 1,000) consecutive failed fetches open a subgraph's circuit (a
 *   mutation's timeout is not counted: a slow write says nothing of whether reads are served):
 *   its fetches then fail at once with SUBGRAPH_UNAVAILABLE for `SUBGRAPH_BREAKER_COOLDOWN_MS` (default 10,000,
 *   100 to 600,000), after which one fetch probes it; success closes the circuit.
 * - `HEALTH_CHECK_TIMEOUT_MS`: a subgraph whose /health has not answered 200 within this is reported down in the
 *   bodies of GET /ready and GET /health and in `gateway_subgraph_up` (default 1000, 50 to 60,000); it does not make
 *   the gateway unready. `READINESS_CACHE_MS`: how long those checks are reused (default 1500, 0 to 60,000).
 * - `SHUTDOWN_DELAY_MS`: after SIGTERM the gateway answers 503 on /ready but keeps serving this long, so that the
 *   load balancer stops sending first; then it closes its listener and finishes the requests in flight (default
 *   0; 5000 with NODE_ENV=production; 0 to 300,000).
 * - `LOG_LEVEL`, `LOG_FORMAT`: see packages/platform/logging.ts (read when the logger is made, in main.ts).
 * - Caching (gateway/cache/): `REDIS_URL` (`redis://` or `rediss://`): the store of persisted queries and cached
 *   answers, shared by every gateway process and replica; unset, each process keeps its own in memory
 *   (`CACHE_MEMORY_MIB`, default 64, 1 to 4,096). `REDIS_KEY_PREFIX` (default `talent-hub:`) goes before every
 *   key. `REDIS_COMMAND_TIMEOUT_MS` (default 200, 10 to 10,000): a slower Redis answer counts as a miss; when
 *   Redis is down the gateway serves uncached and logs it at most every 30 s. `PERSISTED_QUERY_TTL_SECONDS`
 *   (default 86,400, 60 to 2,592,000): how long a registered persisted query is kept.
 *   `RESPONSE_CACHE` (`on` or `off`): cache whole answers of queries as the subgraphs' `@cacheControl` hints
 *   allow, invalidated by mutations. Default on, except with several workers (`GATEWAY_WORKERS` > 1) and no
 *   `REDIS_URL`: each worker would keep its own cache and a mutation through one would not invalidate the
 *   others', so `on` is then refused. `RESPONSE_CACHE_MAX_TTL_SECONDS` (default 300, 1 to 86,400): longest life
 *   of a cached answer whatever the hints say.
 * - Limits per operation, each refused with its own code and HTTP 400 before any subgraph is called (see
 *   limits.ts for how they are measured): `GATEWAY_MAX_DEPTH` (default 15, 1 to 100), `GATEWAY_MAX_ALIASES`
 *   (default 30, 0 to 1,000), `GATEWAY_MAX_ROOT_FIELDS` (default 10, 1 to 100), `GATEWAY_MAX_COST` (estimated
 *   cost from the schema's `@cost` and `@listSize` directives, see cost.ts; default 500,000, 1 to 100,000,000),
 *   `GATEWAY_MAX_TOKENS` (tokens of the query text, refused while parsing, default 10,000, 100 to 1,000,000). A
 *   variable whose value nests objects and lists deeper than 32 levels is refused with BAD_USER_INPUT.
 * - `GATEWAY_COST_EXTENSIONS`: answers carry `extensions.cost = { estimated, actual }`, the operation's estimated
 *   cost and the cost of the data returned (default true).
 * - Limits per HTTP request: `GATEWAY_MAX_BODY_BYTES` (default 1,048,576 = 1 MiB, 1 KiB to 100 MiB; larger
 *   bodies get 413), `GATEWAY_MAX_BATCH` (operations in one JSON array body, default 10, 1 to 100; 1 turns
 *   batching off).
 * - `CORS_ORIGINS`: browser origins allowed to call, comma-separated exact origins (`https://app.example.org`),
 *   or `*` for any. Default: any origin outside production, none in production (same-origin pages and non-browser
 *   clients are not affected).
 * - `GATEWAY_INTROSPECTION`: answer introspection queries (default true, false in production).
 * - `TRUSTED_DOCUMENTS` (`off`, `log` or `enforce`; default `off`, `log` in production): what the gateway does with a
 *   document that is not in the trusted documents manifest of the client named by the `apollographql-client-name`
 *   (or `graphql-client-name`) header. `log` runs it and counts and logs its hash; `enforce` refuses it with
 *   DOCUMENT_NOT_TRUSTED before parsing it (see trusted-documents-plugin.ts). Production defaults to `log`, not
 *   `enforce`: turning enforcement on refuses every client without a manifest, so it is a decision to take once
 *   `gateway_untrusted_documents_total` shows none left. `TRUSTED_DOCUMENTS_PATH`: a folder of
 *   `<client name>.json` manifests or one such file (default the committed gateway/trusted-documents/); the gateway
 *   does not start when it holds no valid manifest and the mode is not `off`.
 * - `GATEWAY_WEB_APPS`: serve the web apps from their built dist/ folders, the explorer to browsers opening `/`
 *   and the dashboard at /dashboard (default true). With the development token secret (no AUTH_JWT_SECRET nor
 *   AUTH_JWKS_URL, outside production), POST /dev/token also mints development tokens for their sign-in button.
 * - With `NODE_ENV=production`, unexpected errors reach clients as "Internal server error" with their code only.
 */
export function readGatewayConfig(env: Env = process.env): GatewayConfig {
  const registry = subgraphRegistry();
  const unknown = unknownSubgraphVariables(env, registry);
  if (unknown.length > 0) throw new Error(unknown.join('\n'));
  return {
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, 'GATEWAY_PORT', 4000),
    supergraphPath: path.resolve(readString(env, 'SUPERGRAPH_PATH', path.join(projectRoot, 'schema', 'supergraph.graphql'))),
    subgraphUrls: readSubgraphUrls(env, registry),
    workers: readWorkers(env),
    auth: readAuthConfig(env),
    internalTokenSecret: readSecret(env, 'INTERNAL_TOKEN_SECRET', developmentInternalSecret),
    metricsAccess: readMetricsAccess(env),
    resilience: readResilience(env, registry),
    subgraphTimeoutsMs: readSubgraphTimeouts(env, registry),
    subgraphConnections: readInteger(env, 'SUBGRAPH_CONNECTIONS', defaultSubgraphConnections, 1, 1_024),
    readiness: {
      checkTimeoutMs: readInteger(env, 'HEALTH_CHECK_TIMEOUT_MS', defaultReadiness.checkTimeoutMs, 50, 60_000),
      cacheMs: readInteger(env, 'READINESS_CACHE_MS', defaultReadiness.cacheMs, 0, 60_000),
    },
    shutdownDelayMs: readInteger(env, 'SHUTDOWN_DELAY_MS', isProduction(env) ? 5_000 : 0, 0, 300_000),
    cache: readCacheConfig(env, readWorkers(env)),
    queryLimits: readQueryLimits(env),
    costExtensions: readBoolean(env, 'GATEWAY_COST_EXTENSIONS', true),
    httpLimits: readHttpLimits(env),
    introspection: readBoolean(env, 'GATEWAY_INTROSPECTION', !isProduction(env)),
    maskErrors: isProduction(env),
    trustedDocuments: readTrustedDocumentsConfig(env),
    rateLimit: readRateLimitConfig(env),
    webApps: readBoolean(env, 'GATEWAY_WEB_APPS', true),
  };
}

export function readTrustedDocumentsConfig(env: Env): TrustedDocumentsConfig {
  const raw = env.TRUSTED_DOCUMENTS?.trim().toLowerCase();
  const mode = raw === undefined || raw === '' ? (isProduction(env) ? 'log' : 'off') : raw;
  if (!trustedDocumentsModes.includes(mode as TrustedDocumentsMode)) {
    throw new Error(`TRUSTED_DOCUMENTS must be off, log or enforce; got "${env.TRUSTED_DOCUMENTS!.slice(0, 100)}"`);
  }
  return {
    mode: mode as TrustedDocumentsMode,
    path: path.resolve(readString(env, 'TRUSTED_DOCUMENTS_PATH', defaultTrustedDocumentsPath)),
  };
}

function readResilience(env: Env, registry: readonly SubgraphEntry[]): ResilienceOptions {
  const timeoutMs = readInteger(env, 'SUBGRAPH_TIMEOUT_MS', defaultResilience.timeoutMs, 1, 600_000);
  // By default a request may wait for two full fetch deadlines, and always for the slowest subgraph's one.
  const longestFetchMs = Math.max(timeoutMs, ...Object.values(readSubgraphTimeouts(env, registry)));
  return {
    timeoutMs,
    requestTimeoutMs: readInteger(env, 'REQUEST_DEADLINE_MS', Math.max(2 * timeoutMs, longestFetchMs), 1, 600_000),
    retries: readInteger(env, 'SUBGRAPH_RETRIES', defaultResilience.retries, 0, 3),
    breakerFailures: readInteger(env, 'SUBGRAPH_BREAKER_FAILURES', defaultResilience.breakerFailures, 1, 1_000),
    breakerCooldownMs: readInteger(env, 'SUBGRAPH_BREAKER_COOLDOWN_MS', defaultResilience.breakerCooldownMs, 100, 600_000),
  };
}

export function readRateLimitConfig(env: Env): RateLimitOptions {
  const d = defaultRateLimits;
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  return {
    enabled: readBoolean(env, 'RATE_LIMIT', d.enabled),
    anonymous: readBudget(env, 'RATE_LIMIT_ANONYMOUS', d.anonymous),
    organisation: readBudget(env, 'RATE_LIMIT_ORGANISATION', d.organisation),
    client: readBudget(env, 'RATE_LIMIT_CLIENT', d.client),
    organisations: readOrganisationBudgets(env, 'RATE_LIMIT_ORGANISATIONS'),
    trustedProxies: readInteger(env, 'RATE_LIMIT_TRUSTED_PROXIES', d.trustedProxies, 0, 10),
    ...(redisUrl ? { redisUrl } : {}),
    redisKeyPrefix: readString(env, 'REDIS_KEY_PREFIX', 'talent-hub:'),
    redisCommandTimeoutMs: readInteger(env, 'REDIS_COMMAND_TIMEOUT_MS', 200, 10, 10_000),
  };
}

function readBudget(env: Env, name: string, fallback: Budget): Budget {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : parseBudget(raw, name);
}

function readOrganisationBudgets(env: Env, name: string): Record<string, Budget> {
  return parseOrganisationBudgets(env[name] ?? '', name);
}

export function readQueryLimits(env: Env): QueryLimits {
  const d = defaultQueryLimits;
  return {
    maxDepth: readInteger(env, 'GATEWAY_MAX_DEPTH', d.maxDepth, 1, 100),
    maxAliases: readInteger(env, 'GATEWAY_MAX_ALIASES', d.maxAliases, 0, 1_000),
    maxRootFields: readInteger(env, 'GATEWAY_MAX_ROOT_FIELDS', d.maxRootFields, 1, 100),
    maxCost: readInteger(env, 'GATEWAY_MAX_COST', d.maxCost, 1, 100_000_000),
    maxTokens: readInteger(env, 'GATEWAY_MAX_TOKENS', d.maxTokens, 100, 1_000_000),
  };
}

export function readHttpLimits(env: Env): HttpLimits {
  return {
    maxBodyBytes: readInteger(env, 'GATEWAY_MAX_BODY_BYTES', defaultHttpLimits.maxBodyBytes, 1024, 100 * 1024 * 1024),
    maxBatch: readInteger(env, 'GATEWAY_MAX_BATCH', defaultHttpLimits.maxBatch, 1, 100),
    corsOrigins: readCorsOrigins(env),
  };
}

function readCorsOrigins(env: Env): CorsOrigins {
  const raw = env.CORS_ORIGINS?.trim();
  if (raw === undefined || raw === '') return isProduction(env) ? [] : '*';
  if (raw === '*') return '*';
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || parsed.origin !== origin || !['https:', 'http:'].includes(parsed.protocol)) {
      throw new Error(`CORS_ORIGINS must be * or comma-separated origins such as https://app.example.org (no path, no trailing slash); got "${origin.slice(0, 100)}"`);
    }
    return origin;
  });
}

function readSubgraphTimeouts(env: Env, registry: readonly SubgraphEntry[]): Record<string, number> {
  const timeouts: Record<string, number> = {};
  for (const { name } of registry) {
    const variable = envName(name, 'TIMEOUT_MS');
    if (env[variable] !== undefined && env[variable]!.trim() !== '') timeouts[name] = readInteger(env, variable, 0, 1, 600_000);
  }
  return timeouts;
}

function readWorkers(env: Env): number {
  const raw = env.GATEWAY_WORKERS;
  if (raw === undefined || raw.trim() === '') return defaultWorkers();
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new Error(`GATEWAY_WORKERS must be a whole number from 1 to 64; got "${raw}"`);
  }
  return workers;
}

export function readAuthConfig(env: Env): AuthConfig {
  const jwksUrl = readUrl(env, 'AUTH_JWKS_URL', ['https:', 'http:']);
  if (jwksUrl && isProduction(env) && !jwksUrl.startsWith('https:')) throw new Error('AUTH_JWKS_URL must be https in production');
  const common = {
    issuer: readString(env, 'AUTH_ISSUER', defaultIssuer),
    audience: readString(env, 'AUTH_AUDIENCE', defaultAudience),
    clockToleranceSeconds: readInteger(env, 'AUTH_CLOCK_SKEW_SECONDS', 30, 0, 300),
  };
  if (jwksUrl) return { ...common, jwksUrl };
  return { ...common, jwtSecret: readSecret(env, 'AUTH_JWT_SECRET', developmentJwtSecret) };
}

export function readCacheConfig(env: Env, workers: number): CacheConfig {
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const raw = env.RESPONSE_CACHE?.trim().toLowerCase();
  if (raw !== undefined && raw !== '' && raw !== 'on' && raw !== 'off') {
    throw new Error(`RESPONSE_CACHE must be on or off; got "${env.RESPONSE_CACHE}"`);
  }
  const shared = redisUrl !== undefined || workers === 1;
  if (raw === 'on' && !shared) {
    throw new Error('RESPONSE_CACHE=on with GATEWAY_WORKERS above 1 needs REDIS_URL (each worker would keep its own cache, invalidated alone)');
  }
  return {
    ...(redisUrl ? { redisUrl } : {}),
    redisKeyPrefix: readString(env, 'REDIS_KEY_PREFIX', 'talent-hub:'),
    redisCommandTimeoutMs: readInteger(env, 'REDIS_COMMAND_TIMEOUT_MS', 200, 10, 10_000),
    memoryMiB: readInteger(env, 'CACHE_MEMORY_MIB', 64, 1, 4_096),
    persistedQueryTtlSeconds: readInteger(env, 'PERSISTED_QUERY_TTL_SECONDS', 86_400, 60, 2_592_000),
    responseCache: raw === 'on' || (raw !== 'off' && shared),
    responseCacheMaxTtlSeconds: readInteger(env, 'RESPONSE_CACHE_MAX_TTL_SECONDS', 300, 1, 86_400),
  };
}
