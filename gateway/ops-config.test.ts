import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from './config.js';

// The operations settings of config.ts: deadlines, retries, breaker, readiness checks and the shutdown delay.

describe('readGatewayConfig: operations settings', () => {
  it('defaults to a 5 s deadline, one retry, a breaker of 5 failures and 10 s, no shutdown delay outside production', () => {
    const config = readGatewayConfig({});
    expect(config.resilience).toEqual({ timeoutMs: 5_000, requestTimeoutMs: 10_000, retries: 1, breakerFailures: 5, breakerCooldownMs: 10_000 });
    expect(config.subgraphTimeoutsMs).toEqual({});
    expect(config.readiness).toEqual({ checkTimeoutMs: 1_000, cacheMs: 1_500 });
    expect(config.shutdownDelayMs).toBe(0);
  });

  it('waits 5 s after SIGTERM in production unless told otherwise', () => {
    const production = { NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: 'x'.repeat(32), AUTH_JWT_SECRET: 'y'.repeat(32) };
    expect(readGatewayConfig(production).shutdownDelayMs).toBe(5_000);
    expect(readGatewayConfig({ ...production, SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs).toBe(0);
  });

  it('reads every variable, with per-subgraph deadlines over the common one', () => {
    const config = readGatewayConfig({
      SUBGRAPH_TIMEOUT_MS: '2500',
      TRAININGS_TIMEOUT_MS: '8000',
      SUBGRAPH_RETRIES: '0',
      SUBGRAPH_BREAKER_FAILURES: '3',
      SUBGRAPH_BREAKER_COOLDOWN_MS: '30000',
      HEALTH_CHECK_TIMEOUT_MS: '250',
      READINESS_CACHE_MS: '0',
      SHUTDOWN_DELAY_MS: '15000',
    });
    // The request's deadline covers the slowest subgraph's fetch deadline.
    expect(config.resilience).toEqual({ timeoutMs: 2_500, requestTimeoutMs: 8_000, retries: 0, breakerFailures: 3, breakerCooldownMs: 30_000 });
    expect(readGatewayConfig({ REQUEST_DEADLINE_MS: '3000' }).resilience.requestTimeoutMs).toBe(3_000);
    expect(config.subgraphTimeoutsMs).toEqual({ trainings: 8_000 });
    expect(config.readiness).toEqual({ checkTimeoutMs: 250, cacheMs: 0 });
    expect(config.shutdownDelayMs).toBe(15_000);
  });

  it.each([
    ['SUBGRAPH_TIMEOUT_MS', '0'],
    ['SUBGRAPH_TIMEOUT_MS', '5s'],
    ['REQUEST_DEADLINE_MS', '0'],
    ['REGIONS_TIMEOUT_MS', '-1'],
    ['SUBGRAPH_RETRIES', '4'],
    ['SUBGRAPH_BREAKER_FAILURES', '0'],
    ['SUBGRAPH_BREAKER_COOLDOWN_MS', '1.5'],
    ['HEALTH_CHECK_TIMEOUT_MS', '10'],
    ['READINESS_CACHE_MS', 'soon'],
    ['SHUTDOWN_DELAY_MS', '300001'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => readGatewayConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be a whole number from`));
  });
});
