import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { defaultWorkers, developmentJwtSecret, readGatewayConfig } from './config.js';

describe('defaultWorkers', () => {
  it('is one worker per core but one, at least 1 and at most 4', () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => defaultWorkers(cores))).toEqual([1, 1, 2, 3, 4, 4]);
  });
});

describe('readGatewayConfig', () => {
  it('has defaults for every variable', () => {
    // The auth, limits, resilience and cache sections have their own tests (auth.test.ts, ops-config.test.ts,
    // limits.test.ts, cache/setup.test.ts); here the core of the config.
    expect(readGatewayConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
      subgraphUrls: {
        talents: 'http://127.0.0.1:4001/graphql',
        trainings: 'http://127.0.0.1:4002/graphql',
        regions: 'http://127.0.0.1:4003/graphql',
      },
      workers: defaultWorkers(),
      auth: { issuer: 'talent-hub-dev', audience: 'talent-hub-graph', clockToleranceSeconds: 30, jwtSecret: developmentJwtSecret },
      internalTokenSecret: developmentInternalSecret,
      subgraphConnections: 16,
    });
  });

  it('needs real secrets in production', () => {
    expect(() => readGatewayConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(/INTERNAL_TOKEN_SECRET/);
    expect(() => readGatewayConfig({ NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: 'x'.repeat(32) })).toThrow(/AUTH_JWT_SECRET/);
  });

  it('reads every variable', () => {
    const config = readGatewayConfig({
      GATEWAY_PORT: '0',
      HOST: '0.0.0.0',
      SUPERGRAPH_PATH: 'elsewhere/supergraph.graphql',
      REGIONS_URL: 'https://regions.example/graphql',
      GATEWAY_WORKERS: '3',
      SUBGRAPH_CONNECTIONS: '4',
    });
    expect(config.workers).toBe(3);
    expect(config.subgraphConnections).toBe(4);
    expect(config.port).toBe(0);
    expect(config.host).toBe('0.0.0.0');
    expect(config.supergraphPath).toBe(path.resolve('elsewhere/supergraph.graphql'));
    expect(config.subgraphUrls.regions).toBe('https://regions.example/graphql');
    expect(config.subgraphUrls.talents).toBe('http://127.0.0.1:4001/graphql');
  });

  it('fails on a bad value, naming the variable', () => {
    expect(() => readGatewayConfig({ GATEWAY_PORT: '80a' })).toThrow(/GATEWAY_PORT/);
    expect(() => readGatewayConfig({ GATEWAY_PORT: '70000' })).toThrow(/GATEWAY_PORT/);
    expect(() => readGatewayConfig({ TRAININGS_URL: 'ftp://trainings' })).toThrow(/TRAININGS_URL/);
    expect(() => readGatewayConfig({ TALENTS_URL: 'not a url' })).toThrow(/TALENTS_URL/);
    for (const connections of ['0', '1025', 'many']) {
      expect(() => readGatewayConfig({ SUBGRAPH_CONNECTIONS: connections })).toThrow(/SUBGRAPH_CONNECTIONS/);
    }
    for (const workers of ['0', '1.5', 'two', '65']) {
      expect(() => readGatewayConfig({ GATEWAY_WORKERS: workers })).toThrow(/GATEWAY_WORKERS/);
    }
  });

  it('refuses a <NAME>_URL or <NAME>_TIMEOUT_MS that names no subgraph of the registry', () => {
    expect(() => readGatewayConfig({ TALENT_URL: 'http://talents:4001/graphql' })).toThrow(/TALENT_URL names no subgraph .*did you mean TALENTS_URL\?/);
    expect(() => readGatewayConfig({ BADGES_TIMEOUT_MS: '100' })).toThrow(/BADGES_TIMEOUT_MS names no subgraph/);
    expect(readGatewayConfig({ TRAININGS_URL: 'http://trainings:4002/graphql', TRAININGS_TIMEOUT_MS: '700' })).toMatchObject({
      subgraphUrls: { trainings: 'http://trainings:4002/graphql' },
      subgraphTimeoutsMs: { trainings: 700 },
    });
  });
});
