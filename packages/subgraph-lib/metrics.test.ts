import { describe, expect, it } from 'vitest';
import { BoundedLabels, maxOperationLabels } from '@talent-hub/platform/labels';
import { SubgraphMetrics } from './metrics.js';

const operationShape = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

describe('bounded labels', () => {
  it('keeps the first names, then counts the rest as other', () => {
    const labels = new BoundedLabels(3, operationShape);
    expect(['A', 'B', 'A', 'C', 'D', 'B'].map((n) => labels.labelOf(n))).toEqual(['A', 'B', 'A', 'C', 'other', 'B']);
  });

  it('says anonymous for no name and other for a name that is not an identifier', () => {
    const labels = new BoundedLabels(10, operationShape);
    expect(labels.labelOf(null)).toBe('anonymous');
    expect(labels.labelOf('')).toBe('anonymous');
    expect(labels.labelOf('talent@example.org')).toBe('other');
    expect(labels.labelOf('x'.repeat(65))).toBe('other');
    // Refused names take no place among the kept ones.
    expect(labels.labelOf('Fine')).toBe('Fine');
  });
});

describe('subgraph metrics', () => {
  it('exposes each series with bounded labels', async () => {
    const metrics = new SubgraphMetrics({ defaultMetrics: false });
    for (let i = 0; i < maxOperationLabels + 50; i++) {
      metrics.requestStarted('regions');
      metrics.requestFinished('regions', `Operation${i}`, 'success', 0.01);
    }
    metrics.statementSent('regions', 'select', 0.002, false);
    metrics.statementSent('regions', 'update', 0.004, true);
    metrics.countError('regions', 'BAD_USER_INPUT');
    metrics.countError('regions', 'not a code');
    metrics.countError('regions', undefined);
    const text = await metrics.registry.metrics();
    const operations = new Set([...text.matchAll(/subgraph_graphql_requests_total\{[^}]*operation="([^"]+)"/g)].map((m) => m[1]));
    expect(operations.size).toBe(maxOperationLabels + 1);
    expect(text).toContain('subgraph_graphql_requests_total{subgraph="regions",operation="other",outcome="success"} 50');
    expect(text).toContain('subgraph_graphql_requests_in_flight{subgraph="regions"} 0');
    expect(text).toContain('subgraph_db_statements_total{subgraph="regions",kind="select"} 1');
    expect(text).toContain('subgraph_db_statement_errors_total{subgraph="regions",kind="update"} 1');
    expect(text).toContain('subgraph_db_statement_duration_seconds_count{subgraph="regions",kind="update"} 1');
    expect(text).toContain('subgraph_graphql_errors_total{subgraph="regions",code="BAD_USER_INPUT"} 1');
    expect(text).toContain('subgraph_graphql_errors_total{subgraph="regions",code="OTHER"} 1');
    expect(text).toContain('subgraph_graphql_errors_total{subgraph="regions",code="UNSPECIFIED"} 1');
  });

  it('reads the pools on each scrape and forgets a closed one', async () => {
    const metrics = new SubgraphMetrics({ defaultMetrics: false });
    let waiting = 0;
    const unwatch = metrics.watchPool('talents', () => ({ total: 10, idle: 3, waiting }));
    metrics.watchPool('talents', () => ({ total: 1, idle: 1, waiting: 0 }));
    waiting = 4;
    let text = await metrics.registry.metrics();
    expect(text).toContain('subgraph_db_pool_connections{subgraph="talents"} 11');
    expect(text).toContain('subgraph_db_pool_idle_connections{subgraph="talents"} 4');
    expect(text).toContain('subgraph_db_pool_waiting_queries{subgraph="talents"} 4');
    unwatch();
    text = await metrics.registry.metrics();
    expect(text).toContain('subgraph_db_pool_connections{subgraph="talents"} 1');
  });
});
