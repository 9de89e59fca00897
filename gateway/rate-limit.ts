import { createHash } from 'node:crypto';
import type http from 'node:http';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { graphqlError } from '@talent-hub/platform/errors';
import type { GraphQLError } from 'graphql';
import type { GatewayContext } from './context.js';
import { estimateOperationCost } from './limits.js';
import type { GatewayMetrics } from './metrics.js';
import { MemoryBuckets, defaultMaxBuckets, type BucketCheck, type BucketStore, type Budget, type RateLimitLevel } from './rate-limit-bucket.js';
import type { RateLimitConfig, RateLimitOptions } from './rate-limit-config.js';
import { RedisBuckets } from './rate-limit-redis.js';
import { warmUpRequest } from './subgraph-source.js';
import type { Logger } from './supergraph.js';

// Rate limits on estimated cost, per organisation and per client, checked once an operation is resolved and before
// any subgraph is called (the same moment as the query limits of limits.ts). Who pays:
// - a signed-in partner: its organisation's bucket (shared by all its users and apps) and its own client bucket
//   (one per token subject within the organisation); the request is charged to both, or refused by the one that
//   lacks the units;
// - an anonymous caller: one bucket per address (an IPv6 address by its /64, what one host usually holds);
// - the graph's own services (`service` role) and the gateway's plan warm-up: nothing, never refused.
// The client is the token's subject, not the `apollographql-client-name` header: a header the caller writes freely
// would hand out a fresh client budget per value. Each operation of a batch is charged on its own.

export { defaultRateLimits, type RateLimitConfig, type RateLimitOptions } from './rate-limit-config.js';

/** The caller's address: the socket's peer, or the address the outermost of `trustedProxies` proxies saw. */
export function clientAddressOf(req: Pick<http.IncomingMessage, 'headers' | 'socket'>, trustedProxies: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return normaliseAddress(peer);
  const forwarded = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  // Nearest first: the peer (the last proxy), then what each proxy appended, right to left. The ones left of the
  // address our outermost proxy appended are the client's own words.
  const chain = [peer, ...hops.reverse()];
  return normaliseAddress(chain[Math.min(trustedProxies, chain.length - 1)]!);
}

/** IPv4 as is (also when mapped into IPv6), IPv6 as its /64. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The buckets a request is charged to; none for the graph's own services and the gateway's warm-up. */
export function bucketsOf(context: GatewayContext, config: RateLimitConfig): BucketCheck[] | undefined {
  if ((context as unknown as Record<symbol, unknown>)[warmUpRequest]) return undefined;
  const identity = context.identity;
  if (!identity) {
    return [{ key: `anon:${context.clientAddress ?? 'unknown'}`, level: 'anonymous', budget: config.anonymous }];
  }
  if (identity.roles.includes('service')) return undefined;
  const org = identity.organisationId;
  // Subjects are user ids at the identity provider: kept out of Redis keys.
  const subject = createHash('sha256').update(identity.subject).digest('base64url').slice(0, 22);
  return [
    { key: `org:${org}`, level: 'organisation', budget: config.organisations[org] ?? config.organisation },
    { key: `client:${org}:${subject}`, level: 'client', budget: config.client },
  ];
}

/**
 * The estimated cost of the request's operation, as the query limits measured it (estimateOperationCost remembers
 * it per request, so it is not walked twice).
 */
export function operationCost(requestContext: GraphQLRequestContextDidResolveOperation<GatewayContext>): number {
  const { schema, document, operation, request } = requestContext;
  return operation ? estimateOperationCost({ schema, document, operation, request }) : 1;
}

const budgetName: Record<RateLimitLevel, string> = {
  client: "your client's budget",
  organisation: "your organisation's budget (shared by all its clients)",
  anonymous: 'the budget of anonymous callers from your address (sign in for a larger one)',
};

/** The refusal: 429, `Retry-After` in whole seconds, and a message that says which budget and when to retry. */
export function rateLimitedError(level: RateLimitLevel, retryAfterMs: number, cost: number, budget: Budget): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const message =
    `Rate limited: ${budgetName[level]} of estimated cost is spent (it holds ${budget.capacity} and regains ` +
    `${budget.refillPerSecond} a second; this operation costs ${Math.max(1, Math.ceil(cost))}). Retry after ${retryAfterSeconds} s.`;
  return graphqlError('RATE_LIMITED', message, {
    budget: level,
    retryAfterSeconds,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  });
}

/** The store the options ask for: the caller's own, Redis, or this process's memory. */
export function createBucketStore(options: RateLimitOptions, logger: Logger, metrics?: GatewayMetrics): BucketStore {
  if (options.store) return options.store;
  if (!options.redisUrl) return new MemoryBuckets(defaultMaxBuckets);
  return new RedisBuckets({
    url: options.redisUrl,
    keyPrefix: options.redisKeyPrefix ?? 'talent-hub:',
    commandTimeoutMs: options.redisCommandTimeoutMs ?? 200,
    logger,
    ...(metrics ? { onFallback: () => metrics.recordRateLimitFallback() } : {}),
  });
}

/**
 * Apollo Server plugin: charges each operation's estimated cost to its caller's buckets once it is resolved, and
 * refuses it (RATE_LIMITED, 429) when one lacks the units. An operation above `maxCost` is left to the query
 * limits, which refuse it in the same step, uncharged. The store is closed with the server.
 */
export function rateLimitPlugin(
  config: RateLimitConfig,
  store: BucketStore,
  options: { maxCost: number; metrics?: GatewayMetrics },
): ApolloServerPlugin<GatewayContext> {
  const { maxCost, metrics } = options;
  return {
    async serverWillStart() {
      return { serverWillStop: () => store.close() };
    },
    async requestDidStart({ contextValue }) {
      const checks = bucketsOf(contextValue, config);
      if (!checks) return;
      return {
        async didResolveOperation(requestContext) {
          const cost = operationCost(requestContext);
          if (cost > maxCost) return;
          const decision = await store.take(checks, cost);
          if (decision.allowed) {
            metrics?.recordRateLimitCharge(contextValue.identity?.organisationId, decision.charged);
            return;
          }
          metrics?.recordRateLimitRefusal(decision.level);
          const budget = checks.find((c) => c.level === decision.level)!.budget;
          throw rateLimitedError(decision.level, decision.retryAfterMs, cost, budget);
        },
      };
    },
  };
}
