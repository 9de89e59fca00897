import type { ApolloServerOptions } from '@apollo/server';
import type { CacheStore } from './keyvalue.js';

type PersistedQueryOptions = Exclude<NonNullable<ApolloServerOptions<any>['persistedQueries']>, false>;

/**
 * Automatic persisted queries (Apollo's protocol): a client sends the SHA-256 of its query; when the gateway does
 * not know it, it answers PERSISTED_QUERY_NOT_FOUND and the client sends the hash with the query, which Apollo
 * Server checks against the hash and stores. Stored in the gateway's cache store (Apollo Server prefixes the keys
 * with `apq:`), so that with Redis a query registered at one gateway replica is known to all of them.
 *
 * `ttlSeconds`: how long a query text stays once registered (it costs a few hundred bytes; an evicted one is
 * simply registered again by the client on its next PERSISTED_QUERY_NOT_FOUND).
 */
export function persistedQueries(store: CacheStore, ttlSeconds: number): PersistedQueryOptions {
  return { cache: store, ttl: ttlSeconds };
}
