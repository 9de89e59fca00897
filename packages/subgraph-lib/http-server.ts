import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { context as otelContext } from '@opentelemetry/api';
import type { Readiness, ReadinessCheck } from './health.js';
import type { Logger } from '@talent-hub/platform/logging';
import type { RequestOutcome, SubgraphMetrics } from './metrics.js';
import { requestIdOf } from '@talent-hub/platform/request-id';
import { newRequestRecord, runInRequest, type RequestRecord } from './request-scope.js';
import { endRequestSpan, startRequestSpan } from '@talent-hub/platform/tracing';
import { endpoints, operationalPaths } from '@talent-hub/platform/endpoints';

// A subgraph's HTTP front on plain node:http: GraphQL at `/graphql` and `/` (handed to Apollo Server as
// startStandaloneServer did, without Express), and the operational endpoints:
// - GET /health: liveness, 200 while the process runs;
// - GET /ready: readiness, 200 when the database answers and its migrations are current, 503 (with the reason,
//   as JSON) otherwise, and from the moment the subgraph starts shutting down;
// - GET /metrics: Prometheus text.
// Every GraphQL request gets one log line, its metrics and a server span; the listener drains on shutdown.

/** Request bodies larger than this are refused (413), as startStandaloneServer's body parser did. */
export const maxBodyBytes = 50 * 1024 * 1024;

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export interface SubgraphHttpOptions<C extends BaseContext> {
  subgraph: string;
  server: ApolloServer<C>;
  /** Builds a request's context; may throw a GraphQLError with an HTTP status (401 for a refused identity). */
  context(req: http.IncomingMessage, requestId: string): Promise<C>;
  readiness: ReadinessCheck;
  metrics: SubgraphMetrics;
  logger: Logger;
}

export class SubgraphHttpServer<C extends BaseContext> {
  readonly http: http.Server;
  private draining = false;
  private inFlight = 0;
  private whenIdle: (() => void)[] = [];

  constructor(private readonly options: SubgraphHttpOptions<C>) {
    this.http = http.createServer((req, res) => this.route(req, res));
  }

  /** Listens; the URL is the one startStandaloneServer gave (`http://127.0.0.1:PORT/`), GraphQL answers there. */
  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen({ host, port }, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const { address, port: bound } = this.http.address() as AddressInfo;
    const hostname = address === '' || address === '::' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
    return `http://${hostname}:${bound}/`;
  }

  /** GraphQL requests being served now. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** From now on /ready answers 503 and every response asks its client to close the connection. */
  markNotReady(): void {
    this.draining = true;
  }

  /**
   * Stops accepting connections, lets the requests in flight finish (for at most `timeoutMs`), then closes every
   * connection. Resolves with the requests in flight when it stopped accepting and those cut off at the end.
   */
  async close(timeoutMs: number): Promise<{ inFlightAtClose: number; cutOff: number }> {
    this.markNotReady();
    const inFlightAtClose = this.inFlight;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    // Idle keep-alive connections are closed by close() itself (Node 19+); busy ones end after their response,
    // which carries `connection: close`.
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.whenIdle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    const cutOff = this.inFlight;
    // Whatever is left is idle (a connection whose last response went out before draining began) or overdue.
    this.http.closeAllConnections();
    await closed;
    return { inFlightAtClose, cutOff };
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query >= 0 ? url.slice(0, query) : url;
    if (path === '/' || path === '/graphql') {
      this.graphql(req, res, path, query >= 0 ? url.slice(query) : '');
      return;
    }
    if (operationalPaths.includes(path)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        this.reply(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed');
        return;
      }
      this.operational(path, res).catch((error: unknown) => {
        this.options.logger.error({ err: error, path }, 'operational endpoint failed');
        if (res.headersSent) res.destroy();
        else this.reply(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error');
      });
      // The request has no body worth reading; drain it so the connection can be reused.
      req.resume();
      return;
    }
    req.resume();
    this.reply(res, 404, 'text/plain; charset=utf-8', 'Not Found');
  }

  private async operational(path: string, res: http.ServerResponse): Promise<void> {
    if (path === endpoints.health) {
      this.reply(res, 200, 'application/json; charset=utf-8', JSON.stringify({ status: 'ok' }));
      return;
    }
    if (path === endpoints.ready) {
      const readiness: Readiness = this.draining ? { ready: false, reason: 'shutting down' } : await this.options.readiness();
      const body = readiness.ready
        ? { status: 'ready' }
        : { status: 'not ready', reason: readiness.reason, ...(readiness.pendingMigrations ? { pendingMigrations: readiness.pendingMigrations } : {}) };
      this.reply(res, readiness.ready ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(body));
      return;
    }
    const { registry } = this.options.metrics;
    const text = await registry.metrics();
    this.reply(res, 200, registry.contentType, text);
  }

  private graphql(req: http.IncomingMessage, res: http.ServerResponse, path: string, search: string): void {
    const { subgraph, metrics } = this.options;
    const started = performance.now();
    const requestId = requestIdOf(req.headers);
    const record = newRequestRecord(requestId);
    const method = req.method?.toUpperCase() ?? 'GET';
    const { span, context } = startRequestSpan(`${method} ${path}`, req.headers, {
      'http.request.method': method,
      'url.path': path,
      'subgraph.name': subgraph,
      'talent_hub.request_id': requestId,
    });
    this.inFlight += 1;
    metrics.requestStarted(subgraph);
    res.once('close', () => {
      this.finished(record, res, (performance.now() - started) / 1000);
      endRequestSpan(span, res.statusCode, record.operation ? { 'graphql.operation.name': record.operation } : {});
    });

    // CORS as the `cors` package's defaults (startStandaloneServer's): any origin; preflights answered here.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
      const requested = req.headers['access-control-request-headers'];
      if (requested) {
        res.setHeader('access-control-allow-headers', requested);
        res.setHeader('vary', 'Access-Control-Request-Headers');
      }
      req.resume();
      this.reply(res, 204, undefined, '');
      return;
    }

    // Run in the request's span and record. Set here, at the body's end: event listeners run in the context of
    // whatever emits the event (the socket), not of the code that registered them.
    const execute = (body: unknown) =>
      otelContext.with(context, () => runInRequest(record, () => this.execute(req, res, method, search, requestId, body)));
    this.readBody(req, res, execute);
  }

  private readBody(req: http.IncomingMessage, res: http.ServerResponse, execute: (body: unknown) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        this.reply(res, 413, 'text/plain; charset=utf-8', 'Request body too large.', true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      refused = true;
      res.destroy();
    });
    req.on('end', () => {
      if (refused) return;
      let body: unknown;
      const contentType = req.headers['content-type'];
      if (contentType !== undefined && jsonType.test(contentType)) {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        try {
          body = text === '' ? {} : JSON.parse(text);
        } catch (error) {
          this.reply(res, 400, 'text/plain; charset=utf-8', `The request body is not valid JSON: ${(error as Error).message}`);
          return;
        }
      }
      execute(body);
    });
  }

  private execute(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    search: string,
    requestId: string,
    body: unknown,
  ): void {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    this.options.server
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search, body },
        context: () => this.options.context(req, requestId),
      })
      .then(async (response) => {
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        if (this.draining) res.setHeader('connection', 'close');
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch((error: unknown) => {
        this.options.logger.error({ err: error, requestId }, 'request failed');
        if (res.headersSent) res.destroy();
        else this.reply(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error');
      });
  }

  private reply(res: http.ServerResponse, status: number, contentType: string | undefined, body: string, close = false): void {
    res.statusCode = status;
    if (contentType) res.setHeader('content-type', contentType);
    if (close || this.draining) res.setHeader('connection', 'close');
    res.end(body);
  }

  /** The request's log line and metrics, once its response is sent (or its connection lost). */
  private finished(record: RequestRecord, res: http.ServerResponse, seconds: number): void {
    const { subgraph, metrics, logger } = this.options;
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
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
  }
}
