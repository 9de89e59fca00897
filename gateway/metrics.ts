import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BoundedLabels, maxOperationLabels, operationNameShape } from '@talent-hub/platform/labels';

// Prometheus metrics of one gateway process. Labels carry only bounded sets of values: operation names (capped,
// see OperationLabels), subgraph names (from the supergraph), and fixed outcome words. Never variables, ids,
// tokens or anything a caller types freely beyond an identifier-shaped operation name.

/** How a GraphQL request ended: `partial` is data with errors (a subgraph missing, a field refused). */
export type RequestOutcome = 'success' | 'partial' | 'error';
/** How one fetch to a subgraph ended (after retries). */
export type FetchOutcome = 'success' | 'error' | 'timeout' | 'unavailable' | 'circuit_open';

/**
 * Client-chosen operation names as a bounded set of label values (see BoundedLabels): `anonymous` for unnamed
 * operations, the first `max` distinct identifier-shaped names, `other` for everything else. First come, first
 * labelled: the partner apps' operations are sent from the first minutes on, and a flood of invented names
 * afterwards only grows `other`.
 */
export class OperationLabels extends BoundedLabels {
  constructor(max = maxOperationLabels) {
    super(max, operationNameShape);
  }
}

/** Organisations labelled per process; later new ones count as `other`. */
export const maxOrganisationLabels = 100;
const organisationIdShape = /^[a-z0-9]+(-[a-z0-9]+)*$/;

// Buckets in seconds: from a cached plan over one fast subgraph (a few ms) to the subgraph timeout (5 s default).
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly operations: OperationLabels;
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly requestDuration: Histogram<'operation' | 'outcome'>;
  private readonly fetchDuration: Histogram<'subgraph' | 'outcome'>;
  private readonly fetchErrors: Counter<'subgraph' | 'outcome'>;
  private readonly retries: Counter<'subgraph'>;
  private readonly breakerState: Gauge<'subgraph'>;
  private readonly subgraphUp: Gauge<'subgraph'>;
  private readonly planCache: Counter<'result'>;
  private readonly responseCache: Counter<'result'>;
  private readonly refusals: Counter<'status'>;
  private readonly untrustedDocuments: Counter<'client' | 'action'>;
  private readonly rateLimitRefusals: Counter<'level'>;
  private readonly rateLimitCost: Counter<'organisation'>;
  private readonly rateLimitFallbacks: Counter;
  /** Organisation ids as labels: from verified tokens, so few, but capped all the same. */
  private readonly organisations = new BoundedLabels(maxOrganisationLabels, organisationIdShape, 'anonymous', 'other');
  private cacheHits = 0;
  private cacheLookups = 0;
  /** Plan cache lookups are not counted while the gateway warms its own plans (see server.ts). */
  private warming = 0;

  constructor(options: { defaultMetrics?: boolean; maxOperationLabels?: number } = {}) {
    this.operations = new OperationLabels(options.maxOperationLabels);
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'gateway_graphql_requests_total',
      help: 'GraphQL requests by operation name (anonymous, other past the cap) and outcome (success, partial, error).',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'Time from the request reaching Apollo Server to the response being ready, by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: latencyBuckets,
      registers,
    });
    this.fetchDuration = new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'One fetch to a subgraph, retries included, by subgraph and outcome (success, error, timeout, unavailable, circuit_open).',
      labelNames: ['subgraph', 'outcome'],
      buckets: latencyBuckets,
      registers,
    });
    this.fetchErrors = new Counter({
      name: 'gateway_subgraph_fetch_errors_total',
      help: 'Fetches to a subgraph that failed, by subgraph and outcome (error, timeout, unavailable, circuit_open).',
      labelNames: ['subgraph', 'outcome'],
      registers,
    });
    this.retries = new Counter({
      name: 'gateway_subgraph_fetch_retries_total',
      help: 'Query fetches sent to a subgraph again after a connection error, a 5xx answer or a timeout.',
      labelNames: ['subgraph'],
      registers,
    });
    this.breakerState = new Gauge({
      name: 'gateway_subgraph_circuit_state',
      help: 'Circuit breaker of each subgraph: 0 closed, 1 half-open (probing), 2 open (failing fast).',
      labelNames: ['subgraph'],
      aggregator: 'max',
      registers,
    });
    this.subgraphUp = new Gauge({
      name: 'gateway_subgraph_up',
      help: "Whether each subgraph's /health answered 200 in time at the gateway's last check (1) or not (0); /ready and /health report the same.",
      labelNames: ['subgraph'],
      aggregator: 'min',
      registers,
    });
    this.planCache = new Counter({
      name: 'gateway_query_plan_cache_lookups_total',
      help: 'Query plan cache lookups by result (hit, miss); the gateway warming its own plans is not counted.',
      labelNames: ['result'],
      registers,
    });
    this.responseCache = new Counter({
      name: 'gateway_response_cache_lookups_total',
      help: 'Response cache lookups by result (hit, miss).',
      labelNames: ['result'],
      registers,
    });
    this.refusals = new Counter({
      name: 'gateway_http_refusals_total',
      help: 'Requests answered before GraphQL handling with an error status (401 bad token, 413 too large, 400 bad JSON or batch, 403 CORS, 415), by status.',
      labelNames: ['status'],
      registers,
    });
    this.untrustedDocuments = new Counter({
      name: 'gateway_untrusted_documents_total',
      help: 'Documents not in their client\'s trusted documents manifest, by client (a client name with a manifest, unknown for any other name, none without one) and action (logged in TRUSTED_DOCUMENTS=log mode, refused in enforce mode).',
      labelNames: ['client', 'action'],
      registers,
    });
    this.rateLimitRefusals = new Counter({
      name: 'gateway_rate_limit_refusals_total',
      help: 'Operations refused by the rate limit (429 RATE_LIMITED), by the budget that was spent: organisation, client or anonymous.',
      labelNames: ['level'],
      registers,
    });
    this.rateLimitCost = new Counter({
      name: 'gateway_rate_limit_cost_total',
      help: 'Estimated cost charged to the rate limit buckets, by organisation (anonymous for callers without a token; other past the cap). Never by client.',
      labelNames: ['organisation'],
      registers,
    });
    this.rateLimitFallbacks = new Counter({
      name: 'gateway_rate_limit_fallbacks_total',
      help: 'Rate limit checks made with this process\'s own buckets because Redis failed or was slow.',
      registers,
    });
    for (const level of ['organisation', 'client', 'anonymous']) this.rateLimitRefusals.inc({ level }, 0);
    const metrics = this;
    new Gauge({
      name: 'gateway_response_cache_hit_ratio',
      help: 'Share of response cache lookups that hit since the process started (averaged over workers; the exact ratio is rate(hits)/rate(lookups) of gateway_response_cache_lookups_total).',
      aggregator: 'average',
      registers,
      collect() {
        this.set(metrics.cacheLookups === 0 ? 0 : metrics.cacheHits / metrics.cacheLookups);
      },
    });
    for (const result of ['hit', 'miss']) {
      this.planCache.inc({ result }, 0);
      this.responseCache.inc({ result }, 0);
    }
  }

  recordRequest(operationName: string | null | undefined, outcome: RequestOutcome, seconds: number): string {
    const operation = this.operations.labelOf(operationName);
    this.requests.inc({ operation, outcome });
    this.requestDuration.observe({ operation, outcome }, seconds);
    return operation;
  }

  recordFetch(subgraph: string, outcome: FetchOutcome, seconds: number): void {
    this.fetchDuration.observe({ subgraph, outcome }, seconds);
    if (outcome !== 'success') this.fetchErrors.inc({ subgraph, outcome });
  }

  recordRetry(subgraph: string): void {
    this.retries.inc({ subgraph });
  }

  recordBreakerState(subgraph: string, state: 'closed' | 'half-open' | 'open'): void {
    this.breakerState.set({ subgraph }, state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }

  recordSubgraphUp(subgraph: string, up: boolean): void {
    this.subgraphUp.set({ subgraph }, up ? 1 : 0);
  }

  recordPlanCacheLookup(hit: boolean): void {
    if (this.warming === 0) this.planCache.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** A request refused by the HTTP front (see http.ts); the status is one of a few codes it answers. */
  recordRefusal(status: number): void {
    this.refusals.inc({ status: String(status) });
  }

  /** A document not in its client's manifest; `client` is already one of a bounded set (trusted-documents-plugin.ts). */
  recordUntrustedDocument(client: string, action: 'logged' | 'refused'): void {
    this.untrustedDocuments.inc({ client, action });
  }

  /** An operation refused by the rate limit, by the level of the budget that was spent. */
  recordRateLimitRefusal(level: 'organisation' | 'client' | 'anonymous'): void {
    this.rateLimitRefusals.inc({ level });
  }

  /** Cost charged to a caller's buckets; `organisationId` undefined for an anonymous caller. */
  recordRateLimitCharge(organisationId: string | undefined, cost: number): void {
    this.rateLimitCost.inc({ organisation: this.organisations.labelOf(organisationId) }, cost);
  }

  recordRateLimitFallback(): void {
    this.rateLimitFallbacks.inc();
  }

  /** The response cache calls this once per lookup. */
  recordCacheLookup(hit: boolean): void {
    this.cacheLookups++;
    if (hit) this.cacheHits++;
    this.responseCache.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** Runs the gateway's own plan warm-up without counting its plan cache lookups. */
  async warmingUp<T>(work: () => Promise<T>): Promise<T> {
    this.warming++;
    try {
      return await work();
    } finally {
      this.warming--;
    }
  }

  /**
   * The exposition text. In a cluster worker, the metrics of every worker summed by the primary (a scrape lands
   * on any one worker; its own numbers alone would jump between scrapes).
   */
  async exposition(): Promise<{ contentType: string; text: string }> {
    if (cluster.isWorker && process.send && clusterMetricsEnabled) {
      return { contentType: this.registry.contentType, text: await askPrimaryForMetrics() };
    }
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

let processMetrics: GatewayMetrics | undefined;

/** The metrics of this process, made on first use: one registry per process, whatever serves in it. */
export function gatewayMetrics(): GatewayMetrics {
  return (processMetrics ??= new GatewayMetrics());
}

/** For the response cache: one lookup, hit or miss, counted in this process's metrics. */
export function recordCacheLookup(hit: boolean): void {
  gatewayMetrics().recordCacheLookup(hit);
}

// Cluster aggregation: the primary asks every worker for its metrics (prom-client's AggregatorRegistry, over the
// cluster's IPC channel) and sums them; a worker asked for /metrics forwards the question to the primary.

const metricsRequest = 'talent-hub:metrics-request';
const metricsResponse = 'talent-hub:metrics-response';
let clusterMetricsEnabled = false;

/** In a worker: answer the primary's requests for this process's registry, and forward /metrics to it. */
export function serveMetricsToPrimary(metrics: GatewayMetrics): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([metrics.registry]);
  new AggregatorRegistry(); // adds the worker's listener for the primary's requests
  clusterMetricsEnabled = true;
}

/** In the primary: answer workers that ask for the cluster's metrics. */
export function aggregateWorkerMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== metricsRequest) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: metricsResponse, id: message.id, text }),
      (error: Error) => worker.isConnected() && worker.send({ type: metricsResponse, id: message.id, error: error.message }),
    );
  });
}

let nextRequest = 0;
const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();

function askPrimaryForMetrics(): Promise<string> {
  if (pending.size === 0) process.on('message', onPrimaryAnswer);
  const id = nextRequest++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => settle(id, new Error('the primary did not send the cluster metrics within 5 s')), 5_000);
    pending.set(id, {
      resolve: (text) => (clearTimeout(timer), resolve(text)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    process.send!({ type: metricsRequest, id });
  });
}

function onPrimaryAnswer(message: { type?: string; id?: number; text?: string; error?: string }): void {
  if (message?.type !== metricsResponse || message.id === undefined) return;
  settle(message.id, message.error === undefined ? (message.text ?? '') : new Error(message.error));
}

function settle(id: number, result: string | Error): void {
  const waiting = pending.get(id);
  if (!waiting) return;
  pending.delete(id);
  if (pending.size === 0) process.off('message', onPrimaryAnswer);
  if (result instanceof Error) waiting.reject(result);
  else waiting.resolve(result);
}

/** The shape of the gateway's query plan cache (QueryPlanCache in server.ts), whatever it stores. */
export interface ClearableCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
  clear(): void;
}

/** The cache, counting each lookup as a hit or a miss (ApolloGateway looks a plan up once per request). */
export function countingPlanCache<V>(cache: ClearableCache<V>, metrics: GatewayMetrics): ClearableCache<V> {
  return {
    async get(key: string) {
      const value = await cache.get(key);
      metrics.recordPlanCacheLookup(value !== undefined);
      return value;
    },
    set: (key: string, value: V, options?: { ttl?: number | null }) => cache.set(key, value, options),
    delete: (key: string) => cache.delete(key),
    clear: () => cache.clear(),
  };
}
