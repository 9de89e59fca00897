import { describe, expect, it } from 'vitest';
import { GatewayMetrics, OperationLabels, countingPlanCache, type ClearableCache } from './metrics.js';

describe('OperationLabels', () => {
  it('labels unnamed operations anonymous, odd names other, and at most the cap of distinct names', () => {
    const labels = new OperationLabels(3);
    expect(labels.labelOf(undefined)).toBe('anonymous');
    expect(labels.labelOf(null)).toBe('anonymous');
    expect(labels.labelOf('')).toBe('anonymous');
    expect(labels.labelOf('TalentPage')).toBe('TalentPage');
    expect(labels.labelOf('talent page; drop')).toBe('other');
    expect(labels.labelOf('a'.repeat(65))).toBe('other');
    expect(labels.labelOf('jane.doe@example.org')).toBe('other');
    expect(labels.labelOf('Two')).toBe('Two');
    expect(labels.labelOf('Three')).toBe('Three');
    expect(labels.labelOf('Four')).toBe('other');
    expect(labels.labelOf('TalentPage')).toBe('TalentPage'); // known names keep their label
  });
});

describe('GatewayMetrics', () => {
  it('counts plan cache hits and misses, except while the gateway warms its own plans', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    const store = new Map<string, string>();
    const inner: ClearableCache<string> = {
      get: async (key) => store.get(key),
      set: async (key, value) => void store.set(key, value),
      delete: async (key) => store.delete(key),
      clear: () => store.clear(),
    };
    const cache = countingPlanCache(inner, metrics);
    await metrics.warmingUp(async () => {
      await cache.get('warm');
      await cache.set('warm', 'plan');
    });
    await cache.get('warm');
    await cache.get('cold');
    await cache.get('warm');
    cache.clear();
    expect(store.size).toBe(0);
    const { text } = await metrics.exposition();
    expect(text).toContain('gateway_query_plan_cache_lookups_total{result="hit"} 2');
    expect(text).toContain('gateway_query_plan_cache_lookups_total{result="miss"} 1');
  });

  it('exposes requests, fetches, retries, breaker states and the response cache ratio under bounded labels', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false, maxOperationLabels: 2 });
    metrics.recordRequest('TalentPage', 'success', 0.012);
    metrics.recordRequest('Dashboard', 'partial', 0.2);
    metrics.recordRequest('Third', 'error', 0.001);
    metrics.recordRequest(undefined, 'success', 0.001);
    metrics.recordFetch('trainings', 'timeout', 5);
    metrics.recordFetch('regions', 'success', 0.003);
    metrics.recordRetry('trainings');
    metrics.recordBreakerState('trainings', 'open');
    metrics.recordCacheLookup(true);
    metrics.recordCacheLookup(false);
    metrics.recordCacheLookup(true);
    metrics.recordCacheLookup(true);
    const { text, contentType } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain/);
    expect(text).toContain('gateway_graphql_requests_total{operation="TalentPage",outcome="success"} 1');
    expect(text).toContain('gateway_graphql_requests_total{operation="Dashboard",outcome="partial"} 1');
    expect(text).toContain('gateway_graphql_requests_total{operation="other",outcome="error"} 1');
    expect(text).toContain('gateway_graphql_requests_total{operation="anonymous",outcome="success"} 1');
    expect(text).toContain('gateway_graphql_request_duration_seconds_bucket{le="0.25",operation="Dashboard",outcome="partial"} 1');
    expect(text).toContain('gateway_subgraph_fetch_errors_total{subgraph="trainings",outcome="timeout"} 1');
    expect(text).not.toContain('gateway_subgraph_fetch_errors_total{subgraph="regions"');
    expect(text).toContain('gateway_subgraph_fetch_duration_seconds_count{subgraph="regions",outcome="success"} 1');
    expect(text).toContain('gateway_subgraph_fetch_retries_total{subgraph="trainings"} 1');
    expect(text).toContain('gateway_subgraph_circuit_state{subgraph="trainings"} 2');
    expect(text).toContain('gateway_response_cache_lookups_total{result="hit"} 3');
    expect(text).toContain('gateway_response_cache_hit_ratio 0.75');
  });

  it('carries the default Node metrics in its own registry', async () => {
    const { text } = await new GatewayMetrics().exposition();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
