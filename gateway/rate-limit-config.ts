import type { BucketStore, Budget } from './rate-limit-bucket.js';

// The rate limit's settings and their parsers, apart from the limiter itself so that config.ts (read by the
// cluster's primary too) loads no gateway code. See rate-limit.ts for what is limited and how.

export interface RateLimitConfig {
  enabled: boolean;
  /** Each anonymous address (IPv6: its /64). */
  anonymous: Budget;
  /** Each organisation, all its clients together, unless `organisations` names it. */
  organisation: Budget;
  /** Each client (token subject) within its organisation. */
  client: Budget;
  /** Organisations with a budget of their own, by id. */
  organisations: Record<string, Budget>;
  /**
   * Proxies in front of the gateway that append the address they saw to X-Forwarded-For (load balancer, ingress).
   * 0: the header is ignored and the caller is the socket's peer; a client could otherwise name any address.
   */
  trustedProxies: number;
}

/** Where buckets live: Redis shared by every replica (same settings as the cache), or this process's memory. */
export interface RateLimitStoreConfig {
  redisUrl?: string;
  redisKeyPrefix: string;
  redisCommandTimeoutMs: number;
}

export interface RateLimitOptions extends RateLimitConfig, Partial<RateLimitStoreConfig> {
  /** A store of one's own (tests); by default one is made from the settings above and closed with the gateway. */
  store?: BucketStore;
}

/**
 * Defaults, in units of the estimated cost (cost.ts: the supergraph's @cost/@listSize, lists multiplied by their
 * page size). For scale: the partner app's talent list (TalentsWithRegistrations, 100 talents) costs 4,402, a
 * talent page 1,086, the statistics dashboard (up to 10,000 cells) 20,100, a region by code 1; GATEWAY_MAX_COST
 * allows 500,000.
 * - a client: bursts of 300,000 (68 talent lists, or 15 dashboards, at once) and 10,000 a second sustained, i.e. two
 *   talent lists or nine talent pages a second, far past what a person clicks through the partner apps;
 * - an organisation: 1,000,000 and 50,000 a second, so five of its clients at full rate;
 * - an anonymous address: 50,000 and 2,000 a second, enough for public pages and the README examples.
 */
export const defaultRateLimits: RateLimitConfig = {
  enabled: true,
  anonymous: { capacity: 50_000, refillPerSecond: 2_000 },
  organisation: { capacity: 1_000_000, refillPerSecond: 50_000 },
  client: { capacity: 300_000, refillPerSecond: 10_000 },
  organisations: {},
  trustedProxies: 0,
};

/**
 * `capacity/refill` (e.g. `300000/10000`): whole numbers, capacity from 1, refill from 1 a second. Throws a message
 * naming `what` otherwise.
 */
export function parseBudget(text: string, what: string): Budget {
  const match = /^\s*(\d{1,12})\s*\/\s*(\d{1,12})\s*$/.exec(text);
  const capacity = Number(match?.[1]);
  const refillPerSecond = Number(match?.[2]);
  if (!match || capacity < 1 || refillPerSecond < 1) {
    throw new Error(`${what} must be capacity/refill-per-second in cost units, two whole numbers from 1 (e.g. 300000/10000); got "${text.slice(0, 100)}"`);
  }
  return { capacity, refillPerSecond };
}

const organisationId = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `cemr:2000000/100000,other-org:500000/20000`: organisation ids (slugs) with their budgets, each named once. */
export function parseOrganisationBudgets(text: string, what: string): Record<string, Budget> {
  const budgets: Record<string, Budget> = {};
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const colon = entry.indexOf(':');
    const id = entry.slice(0, Math.max(0, colon)).trim();
    if (colon < 0 || !organisationId.test(id)) {
      throw new Error(`${what} must be comma-separated organisation:capacity/refill entries (e.g. cemr:2000000/100000); got "${entry.trim().slice(0, 100)}"`);
    }
    if (Object.hasOwn(budgets, id)) throw new Error(`${what} names organisation ${id} twice`);
    budgets[id] = parseBudget(entry.slice(colon + 1), `${what} (organisation ${id})`);
  }
  return budgets;
}

