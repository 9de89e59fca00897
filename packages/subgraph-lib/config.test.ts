import { describe, expect, it } from 'vitest';
import { readSubgraphConfig } from './config.js';
import { defaultSubgraphLimits } from './limits.js';

const secret = 'a-production-secret-that-is-long-enough-123';

describe('readSubgraphConfig: limits at every hop', () => {
  it('defaults: limits, no token required and errors shown outside production; required and masked in production', () => {
    const local = readSubgraphConfig('regions', {});
    expect(local).toMatchObject({ limits: defaultSubgraphLimits, requireIdentity: false, maskErrors: false, metricsAccess: {} });
    const production = readSubgraphConfig('regions', { NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: secret });
    expect(production).toMatchObject({ requireIdentity: true, maskErrors: true });
  });

  it('reads the limits, the metrics access, and refuses bad values', () => {
    const config = readSubgraphConfig('regions', {
      SUBGRAPH_MAX_BODY_BYTES: '4096',
      SUBGRAPH_MAX_DEPTH: '30',
      SUBGRAPH_MAX_ALIASES: '10',
      SUBGRAPH_MAX_ROOT_FIELDS: '5',
      SUBGRAPH_MAX_REPRESENTATIONS: '500',
      SUBGRAPH_REQUIRE_IDENTITY: 'true',
      METRICS_TOKEN: 'a-scraper-token-0123',
      METRICS_PORT: '9464',
    });
    expect(config.limits).toEqual({ maxBodyBytes: 4096, maxDepth: 30, maxAliases: 10, maxRootFields: 5, maxRepresentations: 500 });
    expect(config.requireIdentity).toBe(true);
    expect(config.metricsAccess).toEqual({ token: 'a-scraper-token-0123', port: 9464 });
    expect(() => readSubgraphConfig('regions', { SUBGRAPH_MAX_REPRESENTATIONS: '0' })).toThrow(/SUBGRAPH_MAX_REPRESENTATIONS/);
    expect(() => readSubgraphConfig('regions', { METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => readSubgraphConfig('regions', { METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => readSubgraphConfig('regions', { NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: secret, SUBGRAPH_REQUIRE_IDENTITY: 'false' })).toThrow(
      /cannot be false in production/,
    );
  });
});
