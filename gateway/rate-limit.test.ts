import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import { readGatewayConfig, readRateLimitConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { knownOperations } from './known-operations.js';
import { measureOperation } from './limits.js';
import { MemoryBuckets } from './rate-limit-bucket.js';
import { bucketsOf, clientAddressOf, defaultRateLimits, normaliseAddress, rateLimitedError } from './rate-limit.js';
import { warmUpRequest } from './subgraph-source.js';

describe('rate limit configuration', () => {
  it('is on by default with the default budgets, shared through Redis when REDIS_URL is set', () => {
    const config = readRateLimitConfig({});
    expect(config).toMatchObject({ ...defaultRateLimits, redisKeyPrefix: 'talent-hub:', redisCommandTimeoutMs: 200 });
    expect(config.redisUrl).toBeUndefined();
    expect(readRateLimitConfig({ REDIS_URL: 'redis://cache:6379', REDIS_KEY_PREFIX: 'x:' })).toMatchObject({ redisUrl: 'redis://cache:6379', redisKeyPrefix: 'x:' });
    expect(readGatewayConfig({}).rateLimit.enabled).toBe(true);
  });

  it('reads on/off, budgets and per-organisation budgets', () => {
    const config = readRateLimitConfig({
      RATE_LIMIT: 'off',
      RATE_LIMIT_ANONYMOUS: '100/5',
      RATE_LIMIT_ORGANISATION: ' 2000 / 200 ',
      RATE_LIMIT_CLIENT: '500/50',
      RATE_LIMIT_ORGANISATIONS: 'cemr:4000000/200000, small-org:1000/10,',
      RATE_LIMIT_TRUSTED_PROXIES: '1',
    });
    expect(config).toMatchObject({
      enabled: false,
      anonymous: { capacity: 100, refillPerSecond: 5 },
      organisation: { capacity: 2_000, refillPerSecond: 200 },
      client: { capacity: 500, refillPerSecond: 50 },
      organisations: { cemr: { capacity: 4_000_000, refillPerSecond: 200_000 }, 'small-org': { capacity: 1_000, refillPerSecond: 10 } },
      trustedProxies: 1,
    });
  });

  it('refuses malformed values with a message naming the variable and the expected form', () => {
    const refused = (env: Record<string, string>) => () => readRateLimitConfig(env);
    expect(refused({ RATE_LIMIT: 'sometimes' })).toThrow(/RATE_LIMIT/);
    expect(refused({ RATE_LIMIT_CLIENT: '1000' })).toThrow(/RATE_LIMIT_CLIENT must be capacity\/refill-per-second .* got "1000"/);
    expect(refused({ RATE_LIMIT_CLIENT: '1000/0' })).toThrow(/RATE_LIMIT_CLIENT must be/);
    expect(refused({ RATE_LIMIT_ANONYMOUS: '-5/1' })).toThrow(/RATE_LIMIT_ANONYMOUS must be/);
    expect(refused({ RATE_LIMIT_ORGANISATION: '1.5/2' })).toThrow(/RATE_LIMIT_ORGANISATION must be/);
    expect(refused({ RATE_LIMIT_ORGANISATIONS: 'cemr=100/1' })).toThrow(/RATE_LIMIT_ORGANISATIONS must be comma-separated organisation:capacity\/refill/);
    expect(refused({ RATE_LIMIT_ORGANISATIONS: 'CEMR:100/1' })).toThrow(/RATE_LIMIT_ORGANISATIONS must be/);
    expect(refused({ RATE_LIMIT_ORGANISATIONS: 'cemr:100' })).toThrow(/RATE_LIMIT_ORGANISATIONS \(organisation cemr\) must be capacity\/refill/);
    expect(refused({ RATE_LIMIT_ORGANISATIONS: 'cemr:100/1,cemr:200/2' })).toThrow(/names organisation cemr twice/);
    expect(refused({ RATE_LIMIT_TRUSTED_PROXIES: '11' })).toThrow(/RATE_LIMIT_TRUSTED_PROXIES must be a whole number from 0 to 10/);
  });

  it('lets a signed-in partner use the apps as they are used: bursts of talent lists, and pages at a steady pace', () => {
    const schema = buildSchema(readFileSync(path.join(projectRoot, 'schema', 'api.graphql'), 'utf8'));
    const costOf = (name: string) => {
      const operation = knownOperations.find((o) => o.name === name)!;
      const document = parse(operation.query);
      const definition = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
      return measureOperation(schema, document, definition, operation.variables).cost;
    };
    let now = 0;
    const buckets = new MemoryBuckets(100, () => now);
    const checks = bucketsOf({ identity: { subject: 'u', organisationId: 'cemr', roles: ['viewer'] }, requestId: 'r' }, defaultRateLimits)!;
    // 20 talent lists (the flagship page, 100 talents) at once, then a talent page every 50 ms for a minute.
    const list = costOf('TalentsWithRegistrations');
    const page = costOf('TalentPage');
    for (let i = 0; i < 20; i++) expect(buckets.takeNow(checks, list).allowed).toBe(true);
    for (let i = 0; i < 1_200; i++, now += 50) expect(buckets.takeNow(checks, page).allowed).toBe(true);
    // Anonymous: 200 small public queries (a region, cost 2 to 3) at once.
    const anonymous = bucketsOf({ identity: null, requestId: 'r', clientAddress: '203.0.113.9' }, defaultRateLimits)!;
    for (let i = 0; i < 200; i++) expect(buckets.takeNow(anonymous, 3).allowed).toBe(true);
  });
});

describe('who pays', () => {
  const partner = (subject: string, organisationId = 'cemr'): GatewayContext => ({
    identity: { subject, organisationId, roles: ['editor'] },
    requestId: 'r',
  });

  it('charges a partner to its organisation and to its own client bucket, with the organisation\'s override', () => {
    const config = { ...defaultRateLimits, organisations: { cemr: { capacity: 7, refillPerSecond: 1 } } };
    const checks = bucketsOf(partner('alice'), config)!;
    expect(checks.map((c) => [c.level, c.budget])).toEqual([
      ['organisation', { capacity: 7, refillPerSecond: 1 }],
      ['client', defaultRateLimits.client],
    ]);
    expect(checks[0]!.key).toBe('org:cemr');
    // Subjects do not appear in keys; two subjects, two buckets; the same subject in two organisations, two buckets.
    expect(checks[1]!.key).not.toContain('alice');
    expect(bucketsOf(partner('bob'), config)![1]!.key).not.toBe(checks[1]!.key);
    expect(bucketsOf(partner('alice', 'other'), config)![1]!.key).not.toBe(checks[1]!.key);
  });

  it('charges an anonymous caller to its address, and never the graph\'s services or the warm-up', () => {
    expect(bucketsOf({ identity: null, requestId: 'r', clientAddress: '198.51.100.7' }, defaultRateLimits)).toEqual([
      { key: 'anon:198.51.100.7', level: 'anonymous', budget: defaultRateLimits.anonymous },
    ]);
    expect(bucketsOf({ identity: { subject: 'trainings', organisationId: '', roles: ['service'] }, requestId: 'r' }, defaultRateLimits)).toBeUndefined();
    expect(bucketsOf({ identity: null, requestId: 'warm-up', [warmUpRequest]: true } as GatewayContext, defaultRateLimits)).toBeUndefined();
  });

  it('believes X-Forwarded-For only as far as the configured proxies', () => {
    const request = (peer: string, forwarded?: string) => ({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as never;
    // No proxy configured: a client writing the header changes nothing.
    expect(clientAddressOf(request('203.0.113.5', '1.2.3.4'), 0)).toBe('203.0.113.5');
    // One proxy (it appended the address it saw): what the client wrote before it is ignored.
    expect(clientAddressOf(request('10.0.0.2', '1.2.3.4, 203.0.113.5'), 1)).toBe('203.0.113.5');
    // Two proxies: the outer one's view.
    expect(clientAddressOf(request('10.0.0.2', '1.2.3.4, 203.0.113.5, 10.0.0.9'), 2)).toBe('203.0.113.5');
    // Fewer hops than proxies: the furthest address known.
    expect(clientAddressOf(request('10.0.0.2'), 1)).toBe('10.0.0.2');
    expect(clientAddressOf(request('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
  });

  it('keys IPv6 callers by their /64, so that one host does not get a budget per address', () => {
    expect(normaliseAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(normaliseAddress('2001:0db8:0001:0002:ffff:eeee:dddd:cccc')).toBe('2001:db8:1:2::/64');
    expect(normaliseAddress('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(normaliseAddress('::1')).toBe('0:0:0:0::/64');
    expect(normaliseAddress('192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('the refusal', () => {
  it('is RATE_LIMITED with 429, Retry-After in whole seconds, and a message naming the budget and the wait', () => {
    const error = rateLimitedError('organisation', 2_300, 12_005, { capacity: 1_000_000, refillPerSecond: 50_000 });
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', budget: 'organisation', retryAfterSeconds: 3 });
    const http = error.extensions.http as unknown as { status: number; headers: Map<string, string> };
    expect(http.status).toBe(429);
    expect(http.headers.get('retry-after')).toBe('3');
    expect(error.message).toMatch(/organisation's budget .* costs 12005\). Retry after 3 s\./);
    expect(rateLimitedError('client', 10, 1, { capacity: 1, refillPerSecond: 1 }).extensions.retryAfterSeconds).toBe(1);
    expect(rateLimitedError('client', 10, 1, { capacity: 1, refillPerSecond: 1 }).message).toMatch(/your client's budget/);
  });
});
