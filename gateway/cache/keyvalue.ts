import { Redis } from 'ioredis';
import { closeRedis, gatewayRedisOptions } from './redis-client.js';
import type { Logger } from '../supergraph.js';

/**
 * The gateway's cache store: Apollo's `KeyValueCache<string>` (get, set with a TTL in seconds, delete), which
 * Apollo Server's persisted queries use as is, plus what the response cache needs to invalidate: entries stored
 * with tags, and dropping every entry of a tag. The same store backs both, in memory (one process) or in Redis
 * (shared by every gateway replica, so that a query registered or an entry invalidated by one is seen by all).
 *
 * A store never throws on a cache failure: a read that fails is a miss and a write that fails is lost, so the
 * gateway keeps serving, uncached, when Redis is down.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  /** Several keys in one round trip, in order. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** `ttl` in seconds; absent or null keeps the entry until it is pushed out. */
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean>;
  /**
   * Stores an entry for `ttlSeconds` and lists it under each tag, unless one of the tags was invalidated within
   * the hold time of `invalidateTags`: such an answer may have been read before the change that invalidated it.
   * True when stored.
   */
  setTagged(key: string, value: string, ttlSeconds: number, tags: readonly string[]): Promise<boolean>;
  /**
   * Drops every entry listed under one of the tags, and holds the tags for `holdSeconds` (entries tagged with
   * them are not stored meanwhile). Returns the number of entries dropped.
   */
  invalidateTags(tags: readonly string[], holdSeconds: number): Promise<number>;
  close(): Promise<void>;
}

// Key spaces inside a store: response entries, tag lists and holds never collide with Apollo's `apq:` keys.
const tagPrefix = 'tag:';
const holdPrefix = 'hold:';

interface MemoryEntry {
  value: string;
  /** Epoch ms; Infinity for no expiry. */
  expiresAt: number;
  bytes: number;
  tags: readonly string[] | undefined;
}

/**
 * An LRU store in this process, bounded in bytes (strings weighed at 2 bytes a character, as V8 may hold them).
 * Tag lists are kept beside the entries and shrink as entries leave, so they cost no more than the entries do and
 * an entry is never lost from its tags while it lives (an evicted tag list would be a missed invalidation).
 */
export class MemoryStore implements CacheStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly tags = new Map<string, Set<string>>();
  private readonly holds = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes held, for tests. */
  get size(): { entries: number; bytes: number; tags: number } {
    return { entries: this.entries.size, bytes: this.bytes, tags: this.tags.size };
  }

  async get(key: string): Promise<string | undefined> {
    return this.read(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => this.read(key));
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    this.write(key, value, options?.ttl ?? undefined, undefined);
  }

  async delete(key: string): Promise<boolean> {
    return this.remove(key);
  }

  async setTagged(key: string, value: string, ttlSeconds: number, tags: readonly string[]): Promise<boolean> {
    const now = this.now();
    for (const tag of tags) {
      const until = this.holds.get(tag);
      if (until === undefined) continue;
      if (until > now) return false;
      this.holds.delete(tag);
    }
    return this.write(key, value, ttlSeconds, tags);
  }

  async invalidateTags(tags: readonly string[], holdSeconds: number): Promise<number> {
    const now = this.now();
    if (this.holds.size > 10_000) for (const [tag, until] of this.holds) if (until <= now) this.holds.delete(tag);
    let dropped = 0;
    for (const tag of tags) {
      this.holds.set(tag, now + holdSeconds * 1000);
      const keys = this.tags.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) if (this.remove(key)) dropped++;
    }
    return dropped;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.tags.clear();
    this.holds.clear();
    this.bytes = 0;
  }

  private read(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order, so eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  private write(key: string, value: string, ttlSeconds: number | undefined, tags: readonly string[] | undefined): boolean {
    const bytes = 2 * (key.length + value.length) + 64;
    if (bytes > this.maxBytes) return false;
    this.remove(key);
    const expiresAt = ttlSeconds === undefined || ttlSeconds <= 0 ? Infinity : this.now() + ttlSeconds * 1000;
    this.entries.set(key, { value, expiresAt, bytes, tags });
    this.bytes += bytes;
    for (const tag of tags ?? []) {
      let keys = this.tags.get(tag);
      if (!keys) this.tags.set(tag, (keys = new Set()));
      keys.add(key);
    }
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
    return true;
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags ?? []) {
      const keys = this.tags.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.tags.delete(tag);
    }
    return true;
  }
}

export interface RedisStoreOptions {
  url: string;
  /** Put before every key, so that several deployments (or test runs) can share one Redis. */
  keyPrefix: string;
  /** A command not answered within this time counts as failed (a miss); the request does not wait longer. */
  commandTimeoutMs: number;
  logger: Logger;
  /** At most one warning per this interval while Redis fails (default 30 s). */
  logIntervalMs?: number;
}

// Stores an entry unless one of its tags is held, then lists it under each tag. The tag lists live as long as
// their longest-lived entry. KEYS: entry, n tag lists, n holds. ARGV: value, ttl, the entry's key without prefix.
const setTaggedScript = `
local n = (#KEYS - 1) / 2
for i = 1, n do
  if redis.call('EXISTS', KEYS[1 + n + i]) == 1 then return 0 end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
for i = 1, n do
  redis.call('SADD', KEYS[1 + i], ARGV[3])
  if redis.call('TTL', KEYS[1 + i]) < ttl then redis.call('EXPIRE', KEYS[1 + i], ttl) end
end
return 1
`;

// Drops the entries listed under each tag and the lists, and holds the tags. KEYS: n tag lists, n holds.
// ARGV: the key prefix (entries are listed without it), hold seconds. One script, so that no entry can be tagged
// between reading a list and dropping it. The entries' keys are not declared in KEYS, so this needs a single
// Redis (or one hash slot), not a cluster spreading keys.
const invalidateScript = `
local n = #KEYS / 2
local dropped = 0
for i = 1, n do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members do dropped = dropped + redis.call('DEL', ARGV[1] .. members[j]) end
  redis.call('DEL', KEYS[i])
  redis.call('SET', KEYS[n + i], '1', 'EX', tonumber(ARGV[2]))
end
return dropped
`;

type TaggingRedis = Redis & {
  setTagged(...args: (string | number)[]): Promise<number>;
  invalidateTags(...args: (string | number)[]): Promise<number>;
};

/**
 * The store in Redis (ioredis). When Redis is down or slow the gateway must keep serving at full speed, uncached:
 * - no offline queue: a command sent while disconnected fails at once instead of piling up until reconnection;
 * - each command has a timeout, so a stalled Redis costs a request at most `commandTimeoutMs`;
 * - reconnection goes on in the background with a growing delay (at most 5 s);
 * - failures are logged at most once per interval, with how many there were, never with keys or values.
 */
export class RedisStore implements CacheStore {
  readonly kind = 'redis';
  private readonly client: TaggingRedis;
  private readonly keyPrefix: string;
  private readonly logger: Logger;
  private readonly logIntervalMs: number;
  private lastLoggedAt = 0;
  private failuresSinceLog = 0;

  constructor(options: RedisStoreOptions) {
    this.keyPrefix = options.keyPrefix;
    this.logger = options.logger;
    this.logIntervalMs = options.logIntervalMs ?? 30_000;
    // Replies come back as strings; the store holds JSON text only.
    this.client = new Redis(options.url, { ...gatewayRedisOptions(options.keyPrefix, options.commandTimeoutMs), lazyConnect: false }) as TaggingRedis;
    this.client.defineCommand('setTagged', { lua: setTaggedScript });
    this.client.defineCommand('invalidateTags', { lua: invalidateScript });
    // Without a listener ioredis prints every connection error; ours are counted and logged once per interval.
    this.client.on('error', (error: Error) => this.failed(error));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.client.get(key)) ?? undefined;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    try {
      return (await this.client.mget(...keys)).map((value) => value ?? undefined);
    } catch (error) {
      this.failed(error);
      return keys.map(() => undefined);
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    try {
      const ttl = options?.ttl;
      if (ttl && ttl > 0) await this.client.set(key, value, 'EX', Math.ceil(ttl));
      else await this.client.set(key, value);
    } catch (error) {
      this.failed(error);
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.client.del(key)) > 0;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  async setTagged(key: string, value: string, ttlSeconds: number, tags: readonly string[]): Promise<boolean> {
    const keys = [key, ...tags.map((t) => tagPrefix + t), ...tags.map((t) => holdPrefix + t)];
    try {
      const stored = await this.client.setTagged(keys.length, ...keys, value, Math.max(1, Math.ceil(ttlSeconds)), key);
      return stored === 1;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  async invalidateTags(tags: readonly string[], holdSeconds: number): Promise<number> {
    if (tags.length === 0) return 0;
    const keys = [...tags.map((t) => tagPrefix + t), ...tags.map((t) => holdPrefix + t)];
    try {
      return await this.client.invalidateTags(keys.length, ...keys, this.keyPrefix, Math.max(1, Math.ceil(holdSeconds)));
    } catch (error) {
      // The change is committed but cached answers holding it stay until their max-age runs out: say so.
      this.failed(error, true);
      return 0;
    }
  }

  close(): Promise<void> {
    return closeRedis(this.client);
  }

  private failed(error: unknown, always = false): void {
    this.failuresSinceLog++;
    const now = Date.now();
    if (!always && now - this.lastLoggedAt < this.logIntervalMs) return;
    const code = (error as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
    const what = always
      ? 'Redis cache invalidation failed; cached answers may be stale until their max-age runs out'
      : 'Redis cache unavailable; serving without it';
    this.logger.warn(`${what} (${reason}; ${this.failuresSinceLog} failed call(s) since the last report)`);
    this.lastLoggedAt = now;
    this.failuresSinceLog = 0;
  }
}
