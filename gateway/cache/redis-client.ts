import type { Redis, RedisOptions } from 'ioredis';

// How the gateway talks to Redis, for the cache store and the rate limit alike: a slow or absent Redis must cost a
// request at most one command timeout, never a queue of commands waiting for a reconnection.

/** Options of a gateway Redis client: fail fast (no offline queue, no retries per command), reconnect in the background. */
export function gatewayRedisOptions(keyPrefix: string, commandTimeoutMs: number): RedisOptions {
  return {
    keyPrefix,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1_000, commandTimeoutMs),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  };
}

/** Closes a client: QUIT when connected (at most 1 s), otherwise at once. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  client.disconnect();
}
