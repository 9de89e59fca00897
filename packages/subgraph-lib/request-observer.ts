import type http from 'node:http';
import { context as otelContext } from '@opentelemetry/api';
import type { Logger } from '@talent-hub/platform/logging';
import { endRequestSpan, startRequestSpan } from '@talent-hub/platform/tracing';
import type { RequestOutcome, SubgraphMetrics } from './metrics.js';
import { currentRequest, newRequestRecord, runInRequest, type RequestRecord } from './request-scope.js';

// What a subgraph notes about each GraphQL request its HTTP front hands over: a server span (a child of the
// gateway's fetch, from `traceparent`), the request record that the database hook and the metrics plugin fill
// (statements, operation, error codes), the request metrics, and one log line once the response is sent.

/** The HttpFront `observe` hook of a subgraph. */
export function observeRequests(subgraph: string, metrics: SubgraphMetrics, logger: Logger) {
  return (req: http.IncomingMessage, res: http.ServerResponse, requestId: string): ((execute: () => void) => void) => {
    const started = performance.now();
    const record = newRequestRecord(requestId);
    const method = req.method?.toUpperCase() ?? 'GET';
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const { span, context } = startRequestSpan(`${method} ${path}`, req.headers, {
      'http.request.method': method,
      'url.path': path,
      'subgraph.name': subgraph,
      'talent_hub.request_id': requestId,
    });
    metrics.requestStarted(subgraph);
    res.once('close', () => {
      finished(subgraph, metrics, logger, record, res, (performance.now() - started) / 1000);
      endRequestSpan(span, res.statusCode, record.operation ? { 'graphql.operation.name': record.operation } : {});
    });
    return (execute) => otelContext.with(context, () => runInRequest(record, execute));
  };
}

/** A refusal of the front (a forged identity, bad JSON): counted by its code, and noted for the request's log line. */
export function noteRefusal(subgraph: string, metrics: SubgraphMetrics, code: string, record: RequestRecord | undefined = currentRequest()): void {
  metrics.countError(subgraph, code);
  record?.errorCodes.push(code);
}

/** The request's log line and metrics, once its response is sent (or its connection lost). */
function finished(subgraph: string, metrics: SubgraphMetrics, logger: Logger, record: RequestRecord, res: http.ServerResponse, seconds: number): void {
  const status = res.statusCode;
  const outcome: RequestOutcome =
    status >= 400 || (record.errorCodes.length > 0 && !record.hasData) ? 'error' : record.errorCodes.length > 0 ? 'partial' : 'success';
  metrics.requestFinished(subgraph, record.operation, outcome, seconds);
  // Ids, names, counts and codes only: never variables, tokens or anything from the data.
  logger.info(
    {
      requestId: record.requestId,
      operation: record.operation,
      status: res.writableFinished ? status : 'aborted',
      outcome,
      durationMs: Math.round(seconds * 10_000) / 10,
      statements: record.statements,
      ...(record.errorCodes.length > 0 ? { errors: [...new Set(record.errorCodes)] } : {}),
    },
    'graphql request',
  );
}
