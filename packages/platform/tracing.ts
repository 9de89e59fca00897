import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { readString, readUrl, type Env } from './env.js';

// OpenTelemetry tracing for the gateway and the subgraphs. Off unless the standard OTEL_* variables ask for it
// (see readTracingConfig); then each process registers the OpenTelemetry Node SDK, exporting through OTLP (or the
// exporters OTEL_TRACES_EXPORTER names). Spans are made by hand rather than by auto-instrumentation (ESM hoists
// imports, so patching modules after they load would not work):
// - the gateway: @apollo/gateway makes gateway.request / gateway.plan / gateway.execute / gateway.fetch spans on
//   the registered provider; its data source injects `traceparent` into each subgraph fetch (injectTraceHeaders);
// - a subgraph: one server span per HTTP request, parented on the incoming `traceparent` (startRequestSpan);
// - every SQL statement: a client span under the request's span (recordStatementSpan), with the statement's
//   text with its placeholders, never its parameters.
// Without a registered provider, the API hands out non-recording spans and all of this costs next to nothing.

const tracer = trace.getTracer('talent-hub');

/** Whether and how a process (a subgraph or the gateway) exports OpenTelemetry traces. */
export interface TracingConfig {
  enabled: boolean;
  /** `service.name` of its spans. */
  serviceName: string;
}

const traceExporters = ['otlp', 'console', 'zipkin', 'none'];

/**
 * Tracing is off unless one of the standard OpenTelemetry variables asks for it:
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): the collector's OTLP/HTTP address,
 *   e.g. `http://otel-collector:4318`; setting it switches tracing on with the OTLP exporter.
 * - `OTEL_TRACES_EXPORTER`: `otlp`, `console` or `zipkin` (comma-separated) switches tracing on with those
 *   exporters; `none` keeps it off even when an endpoint is set.
 * - `OTEL_SERVICE_NAME`: the service name on its spans (default: the service's own name, e.g. `talents`).
 * The OpenTelemetry SDK reads the rest of its standard variables itself (`OTEL_EXPORTER_OTLP_HEADERS`,
 * `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_RESOURCE_ATTRIBUTES`, ...).
 * Traces propagate as W3C trace context (`traceparent`), gateway to subgraphs.
 */
export function readTracingConfig(serviceName: string, env: Env = process.env): TracingConfig {
  const endpoint =
    readUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']) ?? readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  const exporters = readString(env, 'OTEL_TRACES_EXPORTER', '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = exporters.find((name) => !traceExporters.includes(name));
  if (unknown) throw new Error(`OTEL_TRACES_EXPORTER must list ${traceExporters.join(', ')}; got "${unknown}"`);
  const enabled = exporters.includes('none') ? false : exporters.length > 0 || endpoint !== undefined;
  return { enabled, serviceName: readString(env, 'OTEL_SERVICE_NAME', serviceName) };
}

interface Started {
  shutdown(): Promise<void>;
}

let started: Promise<Started | undefined> | undefined;

/**
 * Registers the OpenTelemetry SDK for this process when tracing is configured; call it first in a process's
 * start-up (runSubgraph, the gateway's main.ts). Once per process: later calls return the first call's answer.
 * True when tracing is on.
 */
export async function startTracing(serviceName: string, env: Env = process.env): Promise<boolean> {
  started ??= (async () => {
    const config = readTracingConfig(serviceName, env);
    if (!config.enabled) return undefined;
    // Loaded only when on: the SDK and its exporters are a large import for a process that does not trace.
    const { NodeSDK } = await import('@opentelemetry/sdk-node');
    const sdk = new NodeSDK({
      serviceName: config.serviceName,
      // Traces only: metrics are Prometheus' (GET /metrics), logs are pino's JSON lines on standard output.
      metricReaders: [],
      logRecordProcessors: [],
      instrumentations: [],
    });
    sdk.start();
    return sdk;
  })();
  return (await started) !== undefined;
}

/** Sends the spans still buffered and stops exporting; call it last before the process exits. */
export async function stopTracing(): Promise<void> {
  const sdk = await started;
  await sdk?.shutdown().catch(() => undefined);
}

/** Adds the active span's W3C trace context (`traceparent`, `tracestate`) to the headers of an outgoing request. */
export function injectTraceHeaders(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}

/**
 * Starts the server span of an incoming HTTP request, as a child of the span its `traceparent` names (a remote
 * parent: the gateway's fetch). Returns the span and the context to run the request in.
 */
export function startRequestSpan(
  name: string,
  headers: IncomingHttpHeaders,
  attributes: Record<string, string | number>,
): { span: Span; context: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends a request's span with its HTTP status; 5xx marks it failed (4xx is the caller's error, not the server's). */
export function endRequestSpan(span: Span, status: number, attributes: Record<string, string | number>): void {
  if (!span.isRecording()) return span.end();
  span.setAttributes({ ...attributes, 'http.response.status_code': status });
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

const maxStatementText = 2_000;

/**
 * The statement as a span may show it: Kysely sends values as parameters ($1, $2...), which are never part of
 * the text; string literals written into the SQL itself (rare: migrations, a `sql.lit`) are masked too, so no
 * value of a row can reach the trace backend through this attribute.
 */
export function statementText(text: string): string {
  const masked = text.replace(/'(?:[^']|'')*'/g, "'?'").replace(/\s+/g, ' ').trim();
  return masked.length > maxStatementText ? `${masked.slice(0, maxStatementText)}...` : masked;
}

/**
 * Records a SQL statement that has just finished as a child span of the active span (the request's), from its
 * measured duration: the database log hook sees a statement only after it ran. Statements outside a recording
 * span (migrations, seeds, background work, or tracing off) make no span.
 */
export function recordStatementSpan(kind: string, text: string, durationMs: number, failed: boolean): void {
  const active = context.active();
  if (!trace.getSpan(active)?.isRecording()) return;
  const end = performance.timeOrigin + performance.now();
  const operation = kind.toUpperCase();
  const span = tracer.startSpan(
    operation,
    {
      kind: SpanKind.CLIENT,
      startTime: end - durationMs,
      attributes: { 'db.system': 'postgresql', 'db.operation.name': operation, 'db.statement': statementText(text) },
    },
    active,
  );
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}
