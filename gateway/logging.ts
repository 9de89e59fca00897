import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { createLogger, type Logger as PinoLogger } from '@talent-hub/platform/logging';
import type { Env } from '@talent-hub/platform/env';
import type { GatewayContext } from './context.js';
import type { FetchOutcome, GatewayMetrics, RequestOutcome } from './metrics.js';
import { warmUpRequest } from './subgraph-source.js';
import type { Logger } from './supergraph.js';
import { operationNameShape } from '@talent-hub/platform/labels';

// The gateway's logs: pino JSON lines (packages/platform/logging.ts), one line per GraphQL request at info with what
// it takes to follow it (request id, operation name and type, outcome, status, duration, the subgraph fetches and
// their timings, error codes), and never what a caller sent as data: no variables, no query text, no error
// messages (they may quote an argument), no tokens.

export type { PinoLogger };

/** The gateway process's logger (`LOG_LEVEL`, `LOG_FORMAT`: see packages/platform/logging.ts). */
export function createGatewayLogger(env: Env = process.env): PinoLogger {
  return createLogger({ service: 'gateway', env });
}

/**
 * The Logger shape ApolloGateway, Apollo Server, the supergraph watcher and the request lines log through, onto
 * pino. A plain object becomes a line with its fields (its `msg` the message).
 */
export function apolloLogger(log: PinoLogger): Logger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: unknown) => {
    if (message instanceof Error) log[level]({ err: message }, message.message);
    else if (message !== null && typeof message === 'object') {
      const { msg, ...fields } = message as { msg?: unknown };
      log[level](fields, typeof msg === 'string' ? msg : '');
    } else log[level](typeof message === 'string' ? message : String(message));
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

export interface FetchTiming {
  subgraph: string;
  ms: number;
  outcome: FetchOutcome;
}

/** Fetches listed per request line at most; a plan has a handful, a pathological one is cut short. */
const maxFetchesLogged = 50;

/**
 * The fetch timings of the requests in flight, keyed by their context object (the one every fetch of a request
 * is given), so that nothing outlives the request.
 */
export class FetchTimings {
  private readonly byRequest = new WeakMap<object, FetchTiming[]>();

  record(context: object | undefined, timing: FetchTiming): void {
    if (!context) return;
    const list = this.byRequest.get(context);
    if (!list) this.byRequest.set(context, [timing]);
    else if (list.length < maxFetchesLogged) list.push(timing);
  }

  take(context: object): FetchTiming[] {
    const list = this.byRequest.get(context) ?? [];
    this.byRequest.delete(context);
    return list;
  }
}

/** Counts and logs every GraphQL request once, when its response is ready (the gateway's warm-up excepted). */
export function requestLogPlugin(log: Logger, metrics: GatewayMetrics, timings: FetchTimings): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart(start) {
      if ((start.contextValue as unknown as Record<symbol, unknown>)[warmUpRequest]) return;
      const started = performance.now();
      return {
        async willSendResponse(requestContext) {
          const ms = performance.now() - started;
          const body = requestContext.response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          const errors = result.errors ?? [];
          const outcome: RequestOutcome =
            errors.length === 0 ? 'success' : result.data !== undefined && result.data !== null ? 'partial' : 'error';
          const name = requestContext.operationName ?? requestContext.request.operationName ?? onlyOperationName(requestContext.document);
          metrics.recordRequest(name, outcome, ms / 1000);
          const fetches = timings.take(requestContext.contextValue);
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))].slice(0, 10);
          log.info({
            msg: 'graphql request',
            requestId: requestContext.contextValue.requestId,
            operation: name && operationNameShape.test(name) ? name : name ? '(not an identifier)' : null,
            operationType: requestContext.operation?.operation ?? null,
            outcome,
            status: requestContext.response.http.status ?? 200,
            durationMs: round(ms),
            fetches: fetches.map((f) => ({ subgraph: f.subgraph, ms: round(f.ms), outcome: f.outcome })),
            ...(codes.length > 0 ? { errorCodes: codes } : {}),
          });
        },
      };
    },
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** The name of a document's only operation: how a request that failed validation is still told apart. */
function onlyOperationName(document: DocumentNode | undefined): string | undefined {
  const operations = document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 ? (operations[0] as OperationDefinitionNode).name?.value : undefined;
}
