import { Redis } from 'ioredis';
import { closeRedis, gatewayRedisOptions } from './cache/redis-client.js';
import type { Logger } from './supergraph.js';
import { MemoryBuckets, type BucketCheck, type BucketStore, type RateLimitDecision } from './rate-limit-bucket.js';

// Buckets in Redis, shared by every gateway process and replica: one Lua script per request reads every bucket the
// request is charged to, and charges all of them or none, atomically. The clock is Redis's own (TIME), so replicas
// whose clocks differ still refill the same buckets alike. Each bucket is a hash { t: units held, u: ms of the last
// charge } that expires once it would be full again (an absent bucket is a full one), so idle callers cost nothing.
//
// When Redis is down or slow, requests are neither refused nor held up: each process falls back to buckets of its
// own in memory (limits then hold per process, so a client may get up to as many budgets as there are processes,
// never less than one), skips Redis for a second after each failure, and logs at most every 30 s.

// KEYS: the buckets. ARGV[1]: the cost; then for bucket i, ARGV[2i] its capacity and ARGV[2i+1] its refill a second.
// Returns {0, charged} when charged, or {i, wait in ms} for the bucket i with the longest wait when refused.
const takeScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cost = math.max(1, math.ceil(tonumber(ARGV[1])))
local held, charges = {}, {}
local refused, longest = 0, 0
for i = 1, #KEYS do
  local capacity, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local state = redis.call('HMGET', KEYS[i], 't', 'u')
  local tokens = capacity
  if state[1] and state[2] then
    tokens = math.min(capacity, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * rate / 1000)
  end
  local charge = math.min(cost, capacity)
  held[i], charges[i] = tokens, charge
  if tokens < charge then
    local wait = math.ceil((charge - tokens) * 1000 / rate)
    if wait > longest then refused, longest = i, wait end
  end
end
if refused > 0 then return {refused, longest} end
local charged = 0
for i = 1, #KEYS do
  local capacity, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local left = held[i] - charges[i]
  redis.call('HSET', KEYS[i], 't', tostring(left), 'u', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil((capacity - left) * 1000 / rate) + 1000)
  if charges[i] > charged then charged = charges[i] end
end
return {0, charged}
`;

type LimitingRedis = Redis & { takeTokens(...args: (string | number)[]): Promise<[number, number]> };

export interface RedisBucketsOptions {
  url: string;
  /** Goes before every key (REDIS_KEY_PREFIX, as the cache's). */
  keyPrefix: string;
  commandTimeoutMs: number;
  logger: Logger;
  /** Least time between two logs of failures (default 30 s). */
  logIntervalMs?: number;
  /** How long Redis is left alone after a failure (default 1 s). */
  pauseAfterFailureMs?: number;
  /** The buckets used while Redis fails (default: a MemoryBuckets of its own). */
  fallback?: MemoryBuckets;
  /** Called on each check made by the fallback (metrics). */
  onFallback?: () => void;
}

export class RedisBuckets implements BucketStore {
  readonly kind = 'redis';
  private readonly client: LimitingRedis;
  private readonly fallback: MemoryBuckets;
  private readonly logger: Logger;
  private readonly logIntervalMs: number;
  private readonly pauseAfterFailureMs: number;
  private pausedUntil = 0;
  private lastLoggedAt = 0;
  private failuresSinceLog = 0;
  private readonly onFallback: () => void;
  private firstConnection: Promise<void> | undefined;

  constructor(options: RedisBucketsOptions) {
    this.logger = options.logger;
    this.logIntervalMs = options.logIntervalMs ?? 30_000;
    this.pauseAfterFailureMs = options.pauseAfterFailureMs ?? 1_000;
    this.fallback = options.fallback ?? new MemoryBuckets();
    this.onFallback = options.onFallback ?? (() => {});
    // As the cache's store (cache/keyvalue.ts): no offline queue, a timeout per command, reconnection in the background.
    this.client = new Redis(options.url, gatewayRedisOptions(`${options.keyPrefix}rate:`, options.commandTimeoutMs)) as LimitingRedis;
    this.client.defineCommand('takeTokens', { lua: takeScript });
    let timer: NodeJS.Timeout | undefined;
    this.firstConnection = Promise.race([
      new Promise<void>((resolve) => this.client.once('ready', resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, options.commandTimeoutMs))),
    ]).then(() => {
      clearTimeout(timer);
      this.firstConnection = undefined;
    });
    this.client.on('error', (error: Error) => this.failed(error));
  }

  async take(checks: readonly BucketCheck[], cost: number): Promise<RateLimitDecision> {
    // Just started: wait for the first connection (at most a command's timeout), rather than hand out per-process
    // budgets to the first callers of every replica.
    if (this.firstConnection) await this.firstConnection;
    if (Date.now() < this.pausedUntil || this.client.status !== 'ready') return this.fallBack(checks, cost);
    const args: (string | number)[] = [checks.length, ...checks.map((c) => c.key), cost];
    for (const { budget } of checks) args.push(budget.capacity, budget.refillPerSecond);
    try {
      const [refused, value] = await this.client.takeTokens(...args);
      if (refused === 0) return { allowed: true, charged: value };
      return { allowed: false, level: checks[refused - 1]!.level, retryAfterMs: value };
    } catch (error) {
      this.failed(error);
      this.pausedUntil = Date.now() + this.pauseAfterFailureMs;
      return this.fallBack(checks, cost);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    await closeRedis(this.client);
  }

  private fallBack(checks: readonly BucketCheck[], cost: number): RateLimitDecision {
    this.onFallback();
    return this.fallback.takeNow(checks, cost);
  }

  private failed(error: unknown): void {
    this.failuresSinceLog++;
    const now = Date.now();
    if (now - this.lastLoggedAt < this.logIntervalMs) return;
    const code = (error as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `Redis rate limiting unavailable; limiting with this process's own buckets (${reason}; ${this.failuresSinceLog} failure(s) since the last report)`,
    );
    this.lastLoggedAt = now;
    this.failuresSinceLog = 0;
  }
}
