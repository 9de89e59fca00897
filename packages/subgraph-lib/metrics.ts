import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BoundedLabels, maxOperationLabels, operationNameShape } from '@talent-hub/platform/labels';
import { currentRequest } from './request-scope.js';

// Prometheus metrics of a subgraph process, served at GET /metrics. One registry per process: in production a
// process serves one subgraph; where several share a process (the end-to-end tests) every series carries the
// `subgraph` label. Labels take values from small fixed sets (subgraph names, statement kinds, outcomes, error
// codes) or from a capped set of identifier-shaped operation names: never SQL text, variables, ids or tokens.

/** What a SQL statement does, the only detail of it that reaches a label. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'other';
/** How a GraphQL request ended: `partial` is data with errors (e.g. a field refused). */
export type RequestOutcome = 'success' | 'partial' | 'error';

/** Distinct error codes labelled per subgraph and process; codes are constants in code, so this is a safety net. */
export const maxErrorCodeLabels = 50;

const errorCodeShape = /^[A-Z][A-Z0-9_]{0,63}$/;

/** What a pool reports when scraped: connections open, of which idle, and queries waiting for one. */
export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

// Seconds. Requests: from an entity lookup served by one batched statement (a millisecond or two) to a slow
// dashboard aggregate. Statements: from an index lookup (well under a millisecond on PGlite) upwards.
const requestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const statementBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class SubgraphMetrics {
  readonly registry = new Registry();
  private readonly operations = new Map<string, BoundedLabels>();
  private readonly codes = new Map<string, BoundedLabels>();
  private readonly pools = new Map<string, Set<() => PoolUse>>();
  private readonly requests: Counter<'subgraph' | 'operation' | 'outcome'>;
  private readonly requestDuration: Histogram<'subgraph' | 'operation'>;
  private readonly inFlight: Gauge<'subgraph'>;
  private readonly errors: Counter<'subgraph' | 'code'>;
  private readonly statements: Counter<'subgraph' | 'kind'>;
  private readonly statementErrors: Counter<'subgraph' | 'kind'>;
  private readonly statementDuration: Histogram<'subgraph' | 'kind'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'subgraph_graphql_requests_total',
      help: 'GraphQL requests served, by operation name (capped; see maxOperationLabels) and outcome.',
      labelNames: ['subgraph', 'operation', 'outcome'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'subgraph_graphql_request_duration_seconds',
      help: 'Time from a GraphQL request arriving to its response being sent, by operation name.',
      labelNames: ['subgraph', 'operation'],
      buckets: requestBuckets,
      registers,
    });
    this.inFlight = new Gauge({
      name: 'subgraph_graphql_requests_in_flight',
      help: 'GraphQL requests being served now.',
      labelNames: ['subgraph'],
      registers,
    });
    this.errors = new Counter({
      name: 'subgraph_graphql_errors_total',
      help: 'Errors in GraphQL responses, by extensions.code.',
      labelNames: ['subgraph', 'code'],
      registers,
    });
    this.statements = new Counter({
      name: 'subgraph_db_statements_total',
      help: 'SQL statements sent, by kind (select, insert, update, delete, other).',
      labelNames: ['subgraph', 'kind'],
      registers,
    });
    this.statementErrors = new Counter({
      name: 'subgraph_db_statement_errors_total',
      help: 'SQL statements that failed, by kind.',
      labelNames: ['subgraph', 'kind'],
      registers,
    });
    this.statementDuration = new Histogram({
      name: 'subgraph_db_statement_duration_seconds',
      help: 'Time a SQL statement took, from sending to its result (waiting for a connection excluded), by kind.',
      labelNames: ['subgraph', 'kind'],
      buckets: statementBuckets,
      registers,
    });
    const pools = this.pools;
    const poolGauge = (name: string, help: string, field: keyof PoolUse) =>
      new Gauge({
        name,
        help,
        labelNames: ['subgraph'],
        registers,
        collect() {
          this.reset();
          for (const [subgraph, sources] of pools) {
            let sum = 0;
            for (const source of sources) sum += source()[field];
            this.set({ subgraph }, sum);
          }
        },
      });
    poolGauge('subgraph_db_pool_connections', 'Database connections open (pg pool totalCount; 1 for embedded PGlite).', 'total');
    poolGauge('subgraph_db_pool_idle_connections', 'Database connections open and idle (pg pool idleCount).', 'idle');
    poolGauge('subgraph_db_pool_waiting_queries', 'Queries waiting for a free database connection (pg pool waitingCount).', 'waiting');
  }

  operationLabel(subgraph: string, operation: string | null | undefined): string {
    let labels = this.operations.get(subgraph);
    if (!labels) this.operations.set(subgraph, (labels = new BoundedLabels(maxOperationLabels, operationNameShape)));
    return labels.labelOf(operation);
  }

  private codeLabel(subgraph: string, code: string | undefined): string {
    let labels = this.codes.get(subgraph);
    if (!labels) this.codes.set(subgraph, (labels = new BoundedLabels(maxErrorCodeLabels, errorCodeShape, 'UNSPECIFIED', 'OTHER')));
    return labels.labelOf(code);
  }

  requestStarted(subgraph: string): void {
    this.inFlight.inc({ subgraph });
  }

  requestFinished(subgraph: string, operation: string | null, outcome: RequestOutcome, seconds: number): void {
    const label = this.operationLabel(subgraph, operation);
    this.inFlight.dec({ subgraph });
    this.requests.inc({ subgraph, operation: label, outcome });
    this.requestDuration.observe({ subgraph, operation: label }, seconds);
  }

  countError(subgraph: string, code: unknown): void {
    this.errors.inc({ subgraph, code: this.codeLabel(subgraph, typeof code === 'string' ? code : undefined) });
  }

  statementSent(subgraph: string, kind: StatementKind, seconds: number, failed: boolean): void {
    this.statements.inc({ subgraph, kind });
    this.statementDuration.observe({ subgraph, kind }, seconds);
    if (failed) this.statementErrors.inc({ subgraph, kind });
  }

  /** Reports a pool's use under a subgraph's name on each scrape, until the returned function is called. */
  watchPool(subgraph: string, use: () => PoolUse): () => void {
    let sources = this.pools.get(subgraph);
    if (!sources) this.pools.set(subgraph, (sources = new Set()));
    sources.add(use);
    return () => {
      sources.delete(use);
      if (sources.size === 0 && this.pools.get(subgraph) === sources) this.pools.delete(subgraph);
    };
  }
}

let processMetrics: SubgraphMetrics | undefined;

/** The process's metrics, made on first use (with Node's default metrics: CPU, memory, event loop, GC). */
export function subgraphMetrics(): SubgraphMetrics {
  return (processMetrics ??= new SubgraphMetrics());
}

/**
 * Counts errors in responses by `extensions.code`, and notes the operation name and error codes in the request's
 * record for the HTTP layer. (Requests the HTTP front refuses itself, such as a forged identity, are counted by the
 * front's `onRefused`: see request-observer.ts.)
 */
export function metricsPlugin(subgraph: string, metrics: SubgraphMetrics = subgraphMetrics()): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName }) {
          const record = currentRequest();
          if (record) record.operation = operationName ?? null;
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const errors: readonly GraphQLFormattedError[] = result.errors ?? [];
          if (record) record.hasData = result.data !== undefined && result.data !== null;
          for (const error of errors) {
            const code = error.extensions?.code;
            metrics.countError(subgraph, code);
            record?.errorCodes.push(typeof code === 'string' ? code : 'UNSPECIFIED');
          }
        },
      };
    },
  };
}
