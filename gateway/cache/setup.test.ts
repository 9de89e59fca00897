import { describe, expect, it } from 'vitest';
import { readCacheConfig } from '../config.js';

describe('readCacheConfig', () => {
  it('defaults to an in-memory store with the response cache on for one worker', () => {
    expect(readCacheConfig({}, 1)).toEqual({
      redisKeyPrefix: 'talent-hub:',
      redisCommandTimeoutMs: 200,
      memoryMiB: 64,
      persistedQueryTtlSeconds: 86_400,
      responseCache: true,
      responseCacheMaxTtlSeconds: 300,
    });
  });

  it('reads every variable', () => {
    expect(
      readCacheConfig(
        {
          REDIS_URL: 'redis://cache.internal:6380/2',
          REDIS_KEY_PREFIX: 'th-prod:',
          REDIS_COMMAND_TIMEOUT_MS: '50',
          CACHE_MEMORY_MIB: '16',
          PERSISTED_QUERY_TTL_SECONDS: '3600',
          RESPONSE_CACHE: 'off',
          RESPONSE_CACHE_MAX_TTL_SECONDS: '120',
        },
        4,
      ),
    ).toEqual({
      redisUrl: 'redis://cache.internal:6380/2',
      redisKeyPrefix: 'th-prod:',
      redisCommandTimeoutMs: 50,
      memoryMiB: 16,
      persistedQueryTtlSeconds: 3600,
      responseCache: false,
      responseCacheMaxTtlSeconds: 120,
    });
  });

  it('keeps the response cache off by default with several workers and no Redis, and refuses to turn it on', () => {
    expect(readCacheConfig({}, 3).responseCache).toBe(false);
    expect(readCacheConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, 3).responseCache).toBe(true);
    expect(() => readCacheConfig({ RESPONSE_CACHE: 'on' }, 3)).toThrow(/RESPONSE_CACHE=on .* needs REDIS_URL/);
  });

  it('stops at malformed values, naming the variable', () => {
    expect(() => readCacheConfig({ REDIS_URL: 'http://127.0.0.1:6379' }, 1)).toThrow(/REDIS_URL/);
    expect(() => readCacheConfig({ RESPONSE_CACHE: 'yes please' }, 1)).toThrow(/RESPONSE_CACHE must be on or off/);
    expect(() => readCacheConfig({ CACHE_MEMORY_MIB: '0' }, 1)).toThrow(/CACHE_MEMORY_MIB/);
    expect(() => readCacheConfig({ REDIS_COMMAND_TIMEOUT_MS: 'fast' }, 1)).toThrow(/REDIS_COMMAND_TIMEOUT_MS/);
    expect(() => readCacheConfig({ RESPONSE_CACHE_MAX_TTL_SECONDS: '-1' }, 1)).toThrow(/RESPONSE_CACHE_MAX_TTL_SECONDS/);
  });
});
