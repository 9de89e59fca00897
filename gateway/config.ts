import os from 'node:os';
import path from 'node:path';
import { isProduction, readInteger, readPort, readSecret, readString, readUrl, type Env } from '../subgraphs/lib/env.js';
import { readSubgraphUrls, type SubgraphName } from '../subgraphs/lib/config.js';
import { developmentInternalSecret } from '../subgraphs/lib/identity.js';
import type { AuthConfig } from './auth.js';
import type { CacheConfig } from './cache/setup.js';
import { projectRoot } from '../subgraphs/lib/paths.js';

/** Everything the gateway process reads from its environment, read once by main.ts. */
export interface GatewayConfig {
  host: string;
  port: number;
  /** Absolute path of the composed supergraph that the gateway serves and watches. */
  supergraphPath: string;
  /** Subgraph URLs by subgraph name, as the supergraph names them. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Processes serving requests (node:cluster workers sharing the port); 1 serves from the main process. */
  workers: number;
  /** How callers' bearer tokens are checked. */
  auth: AuthConfig;
  /** Signs the identity passed on to the subgraphs (shared with them). */
  internalTokenSecret: string;
  /** Persisted queries and the response cache: where they are stored and for how long. */
  cache: CacheConfig;
}

/** Outside production, tokens are HS256 with this secret unless AUTH_JWT_SECRET or AUTH_JWKS_URL is set. */
export const developmentJwtSecret = 'development-only-jwt-secret-never-use-in-production';
export const defaultIssuer = 'talent-hub-dev';
export const defaultAudience = 'talent-hub-graph';

export { defaultSubgraphPorts, type SubgraphName } from '../subgraphs/lib/config.js';

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
 * - `TALENTS_URL`, `TRAININGS_URL`, `REGIONS_URL`: where each subgraph answers (default
 *   `http://127.0.0.1:4001/graphql`, 4002, 4003). They win over the URLs written in the supergraph, so one
 *   committed supergraph serves every deployment.
 * - `GATEWAY_WORKERS`: processes serving requests, 1 to 64 (default: see `defaultWorkers`). Each worker loads
 *   and watches the supergraph itself.
 * - `AUTH_JWKS_URL`: the identity provider's JWKS URL (RS256/ES256 tokens). Otherwise `AUTH_JWT_SECRET`, an HS256
 *   secret of at least 32 characters. In production one of the two is required; elsewhere a development secret
 *   stands in (the one `npm run token` signs with).
 * - `AUTH_ISSUER` (default `talent-hub-dev`), `AUTH_AUDIENCE` (default `talent-hub-graph`): the `iss` and `aud`
 *   every token must carry. `AUTH_CLOCK_SKEW_SECONDS`: leeway on expiry, 0 to 300 (default 30).
 * - `INTERNAL_TOKEN_SECRET`: signs the identity passed to the subgraphs; the same value as theirs. Required in
 *   production.
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
 */
export function readGatewayConfig(env: Env = process.env): GatewayConfig {
  return {
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, 'GATEWAY_PORT', 4000),
    supergraphPath: path.resolve(readString(env, 'SUPERGRAPH_PATH', path.join(projectRoot, 'schema', 'supergraph.graphql'))),
    subgraphUrls: readSubgraphUrls(env),
    workers: readWorkers(env),
    auth: readAuthConfig(env),
    internalTokenSecret: readSecret(env, 'INTERNAL_TOKEN_SECRET', developmentInternalSecret),
    cache: readCacheConfig(env, readWorkers(env)),
  };
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
