import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../supergraph.js';
import { MemoryStore, RedisStore, type CacheStore } from './keyvalue.js';
import { persistedQueries } from './persisted-queries.js';
import { responseCachePlugin } from './response-cache.js';

/** The gateway's caching settings, as `readCacheConfig` in ../config.ts reads them. */
export interface CacheConfig {
  /** Redis shared by every gateway replica; absent: a store in each process's memory. */
  redisUrl?: string;
  /** Before every Redis key. */
  redisKeyPrefix: string;
  /** A Redis command not answered within this time counts as a miss. */
  redisCommandTimeoutMs: number;
  /** Size of the in-memory store (without Redis), MiB. */
  memoryMiB: number;
  /** How long a registered persisted query is kept, seconds. */
  persistedQueryTtlSeconds: number;
  /** Whether whole answers are cached (see response-cache.ts). */
  responseCache: boolean;
  /** Longest life of a cached answer, seconds, whatever the subgraphs' hints allow. */
  responseCacheMaxTtlSeconds: number;
}

export interface GatewayCacheOptions extends CacheConfig {
  /** Called on each response cache lookup with whether it hit (the hit-ratio metric plugs in here). */
  onLookup?: (hit: boolean) => void;
  /** A store of one's own (tests); by default one is made from the settings above and closed with the gateway. */
  store?: CacheStore;
}

export function createCacheStore(config: CacheConfig, logger: Logger): CacheStore {
  if (config.redisUrl) {
    return new RedisStore({
      url: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      commandTimeoutMs: config.redisCommandTimeoutMs,
      logger,
    });
  }
  return new MemoryStore(config.memoryMiB * 1024 * 1024);
}

/**
 * What the gateway's Apollo Server gets for caching: persisted queries in the store, the response cache plugin
 * when turned on, and a plugin that closes a store made here when the server stops. Without options, persisted
 * queries use Apollo Server's own in-memory cache and nothing else is cached.
 */
export function gatewayCaching(
  options: GatewayCacheOptions | undefined,
  logger: Logger,
): { persistedQueries: ApolloServerOptions<GatewayContext>['persistedQueries']; plugins: ApolloServerPlugin<GatewayContext>[] } {
  if (!options) return { persistedQueries: undefined, plugins: [] };
  const owned = options.store === undefined;
  const store = options.store ?? createCacheStore(options, logger);
  const plugins: ApolloServerPlugin<GatewayContext>[] = [];
  if (options.responseCache) {
    plugins.push(responseCachePlugin({ store, maxTtlSeconds: options.responseCacheMaxTtlSeconds, onLookup: options.onLookup, logger }));
  }
  if (owned) {
    plugins.push({
      async serverWillStart() {
        return { serverWillStop: () => store.close() };
      },
    });
  }
  return { persistedQueries: persistedQueries(store, options.persistedQueryTtlSeconds), plugins };
}
