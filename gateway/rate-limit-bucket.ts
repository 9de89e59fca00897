// Token buckets counted in cost units: a bucket holds up to `capacity` units and gains `refillPerSecond` units a
// second; a request takes its operation's estimated cost from every bucket it is charged to (its organisation's and
// its client's), or from none when one of them lacks it. The same arithmetic runs in this process (MemoryBuckets)
// and in Redis (rate-limit-redis.ts, a Lua transcription of `takeFrom`).

/** What one bucket allows: a burst of `capacity` cost units, and `refillPerSecond` units a second sustained. */
export interface Budget {
  capacity: number;
  refillPerSecond: number;
}

/** Which budget a bucket is: one per organisation, one per client (token subject) in it, one per anonymous address. */
export type RateLimitLevel = 'organisation' | 'client' | 'anonymous';

/** One bucket a request is charged to. `key` is unique per bucket (it names the level). */
export interface BucketCheck {
  key: string;
  level: RateLimitLevel;
  budget: Budget;
}

export type RateLimitDecision =
  | { allowed: true; charged: number }
  | { allowed: false; level: RateLimitLevel; retryAfterMs: number };

export interface BucketState {
  tokens: number;
  /** Epoch ms of the last charge. */
  updatedAt: number;
}

/** Every request costs at least 1; one costlier than a full bucket takes a full bucket (GATEWAY_MAX_COST bounds it). */
export function chargeOf(cost: number, budget: Budget): number {
  return Math.min(Math.max(1, Math.ceil(cost)), budget.capacity);
}

/** Units in a bucket at `now`: what it held, plus what it gained since, at most its capacity; full when unknown. */
export function tokensAt(state: BucketState | undefined, budget: Budget, now: number): number {
  if (!state) return budget.capacity;
  const elapsedMs = Math.max(0, now - state.updatedAt);
  return Math.min(budget.capacity, state.tokens + (elapsedMs * budget.refillPerSecond) / 1000);
}

/**
 * Charges `cost` to every bucket of `checks` when each has enough, or to none. When refused: the level whose wait
 * is the longest (so that retrying after it passes every bucket, unless others charged them meanwhile), and that
 * wait. `states` is read and, when allowed, written.
 */
export function takeFrom(states: Map<string, BucketState>, checks: readonly BucketCheck[], cost: number, now: number): RateLimitDecision {
  let refused: { level: RateLimitLevel; retryAfterMs: number } | undefined;
  const tokens: number[] = [];
  for (const check of checks) {
    const held = tokensAt(states.get(check.key), check.budget, now);
    const charge = chargeOf(cost, check.budget);
    tokens.push(held);
    if (held < charge) {
      const retryAfterMs = Math.ceil(((charge - held) * 1000) / check.budget.refillPerSecond);
      if (!refused || retryAfterMs > refused.retryAfterMs) refused = { level: check.level, retryAfterMs };
    }
  }
  if (refused) return { allowed: false, ...refused };
  let charged = 0;
  checks.forEach((check, i) => {
    const charge = chargeOf(cost, check.budget);
    charged = Math.max(charged, charge);
    states.set(check.key, { tokens: tokens[i]! - charge, updatedAt: now });
  });
  return { allowed: true, charged };
}

/** Where buckets are kept: this process's memory or Redis. */
export interface BucketStore {
  readonly kind: 'memory' | 'redis';
  take(checks: readonly BucketCheck[], cost: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Buckets kept in memory by default: past this many, the least recently charged are dropped. */
export const defaultMaxBuckets = 100_000;

/**
 * Buckets in this process. The map is bounded: each charge moves a bucket to the end, and past `maxBuckets` the
 * least recently charged ones are dropped. A dropped bucket comes back full, which is what an idle one has become
 * anyway (a bucket left alone for capacity / refillPerSecond seconds is full); only a flood of distinct callers
 * (addresses) could push out a bucket still in use, and then that caller gets a fresh budget, never less.
 */
export class MemoryBuckets implements BucketStore {
  readonly kind = 'memory';
  private readonly states = new Map<string, BucketState>();

  constructor(
    private readonly maxBuckets = defaultMaxBuckets,
    private readonly now: () => number = Date.now,
  ) {}

  /** The decision at once (the store is in memory); `take` wraps it for the BucketStore interface. */
  takeNow(checks: readonly BucketCheck[], cost: number): RateLimitDecision {
    const decision = takeFrom(this.states, checks, cost, this.now());
    if (decision.allowed) {
      for (const { key } of checks) {
        // Re-inserted at the end: the map's order is the order of last charges.
        const state = this.states.get(key)!;
        this.states.delete(key);
        this.states.set(key, state);
      }
      for (const key of this.states.keys()) {
        if (this.states.size <= this.maxBuckets) break;
        this.states.delete(key);
      }
    }
    return decision;
  }

  async take(checks: readonly BucketCheck[], cost: number): Promise<RateLimitDecision> {
    return this.takeNow(checks, cost);
  }

  /** Buckets held now (tests). */
  get size(): number {
    return this.states.size;
  }

  async close(): Promise<void> {
    this.states.clear();
  }
}
