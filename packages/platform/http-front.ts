import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { endpoints, operationalPaths } from './endpoints.js';
import { errorBody, type ErrorCode } from './errors.js';
import { maxDocumentNesting, nestsDeeperThan, queryTexts } from './document-nesting.js';
import { requestIdOf } from './request-id.js';
import { readInteger, readString, type Env } from './env.js';

// The one HTTP front of every service, the gateway and each subgraph alike, on plain node:http:
// - GraphQL at `/` and `/graphql`, handed to Apollo Server as startStandaloneServer would, with less done per
//   request (no middleware chain; the body is read once, checked and parsed once);
// - the operational endpoints: GET /health (liveness), GET /ready (readiness, one JSON shape with `reasons`),
//   GET /metrics (Prometheus), never cached, 405 for other methods;
// - what every request is held to before GraphQL runs: CORS, the body limit (413), UTF-8 JSON (415, 400), the batch
//   limit, and the service's own check of the caller (401); a service that browsers never call (the subgraphs)
//   refuses every request that carries an `Origin` header (403). Refusals are GraphQL-shaped JSON, so clients show their
//   reason as they show any other error, and each is reported to `onRefused`;
// - `x-request-id` on every answer, and a drain on shutdown: /ready says 503, responses ask clients to close their
//   connection, the listener closes and the requests in flight finish.

/** Browser origins allowed to call: `*`, or exact origins such as `https://app.example.org`. */
export type CorsOrigins = '*' | readonly string[];

export interface FrontLimits {
  /** Bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** Operations in one batched request (a JSON array body); 1 refuses batches. */
  maxBatch: number;
  corsOrigins: CorsOrigins;
  /**
   * Refuse (403) every request that carries an `Origin` header, preflights included, and never send CORS headers:
   * for services that pages never call (subgraphs). Browsers send `Origin` with every cross-origin request and every
   * POST; servers calling servers (the gateway, a subgraph's peers) do not.
   */
  refuseBrowsers?: boolean;
}

/**
 * Who may read GET /metrics: with `token`, only a scraper sending `Authorization: Bearer <token>` (else 401); with
 * `port`, /metrics is served on that port alone (the main port then answers 404 there), so that a network policy
 * can keep it internal. Both may be set.
 */
export interface MetricsAccess {
  token?: string;
  port?: number;
}

/**
 * `METRICS_TOKEN` (at least 16 characters; scrapers send it as a bearer token) and `METRICS_PORT` (a port of its own
 * for /metrics, 1 to 65535; 0 or absent: none); both absent, /metrics is open on the service's port, as before.
 */
export function readMetricsAccess(env: Env): MetricsAccess {
  const token = readString(env, 'METRICS_TOKEN', '');
  if (token !== '' && token.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters long');
  const port = readInteger(env, 'METRICS_PORT', 0, 0, 65_535);
  return { ...(token ? { token } : {}), ...(port > 0 ? { port } : {}) };
}

/** What GET /ready says: ready, or not with one sentence per reason (and, optionally, details such as migrations). */
export interface ReadinessReport {
  ready: boolean;
  reasons: string[];
  details?: Record<string, unknown>;
}

/** Thrown by `context` to refuse a request before GraphQL runs (e.g. 401 for a token that does not verify). */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * An HTTP endpoint served beside GraphQL (e.g. exports, web pages): every path equal to `prefix` or below it
 * (`/export` serves `/export` and `/export/talents.csv`). The handler answers in full; a throw or rejection before
 * the headers are sent becomes a 500, after them the connection is cut. Counted as in flight, so a drain waits.
 */
export interface HttpRoute {
  prefix: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> | void;
}

/** A request the front answered itself, for metrics and logs: never its body or headers. */
export interface Refusal {
  requestId: string;
  status: number;
  code: string;
  durationMs: number;
}

export interface HttpFrontOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  limits: FrontLimits;
  /** The context of one GraphQL request, given its body as received (empty for a GET); may throw an HttpRefusal. */
  context(req: http.IncomingMessage, requestId: string, body: Buffer): Promise<C>;
  readiness(): Promise<ReadinessReport>;
  /** More for GET /health's body beside `status: "ok"` (the gateway's last known subgraph status); must not wait. */
  health?(): Record<string, unknown>;
  metrics(): Promise<{ contentType: string; text: string }>;
  /** Who may read /metrics, and where (default: anyone, on the service's port). */
  metricsAccess?: MetricsAccess;
  /**
   * Called when a GraphQL request arrives (its logging, metrics, trace span start here); returns how to run its
   * execution, e.g. inside its span and request record. The execution starts once the body has been read, from an
   * event of the socket: work done from there would not otherwise be in the request's async context.
   */
  observe?(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): (execute: () => void) => void;
  onRefused?(refusal: Refusal): void;
  /** Endpoints beside GraphQL, matched by path prefix before GraphQL's paths. */
  routes?: readonly HttpRoute[];
  /**
   * What a browser opening `/` or `/graphql` gets (GET or HEAD, `Accept: text/html`, no query string): a page
   * instead of a GraphQL answer. Without it, such requests go to Apollo Server like any other.
   */
  landingPage?: HttpRoute['handle'];
  /** An unexpected failure (the client got a 500, or its connection was cut). */
  onError(error: unknown, requestId: string): void;
}

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const graphqlPaths = new Set(['/', '/graphql']);
/** A browser navigating, not a GraphQL client (which asks for JSON or the GraphQL response type). */
const acceptsHtml = (req: http.IncomingMessage) => /\btext\/html\b/i.test(req.headers.accept ?? '');

export class HttpFront<C extends BaseContext> {
  readonly http: http.Server;
  /** The listener of /metrics alone, when `metricsAccess.port` is set. */
  readonly metricsHttp: http.Server | undefined;
  private notReady = false;
  private inFlight = 0;
  private whenIdle: (() => void)[] = [];

  constructor(private readonly options: HttpFrontOptions<C>) {
    this.http = http.createServer((req, res) => this.route(req, res));
    if (options.metricsAccess?.port !== undefined) this.metricsHttp = http.createServer((req, res) => this.routeMetrics(req, res));
  }

  /** Listens (port 0 picks a free one) and returns the URL GraphQL answers at, `http://HOST:PORT/`. */
  async listen(host: string, port: number): Promise<string> {
    await listenOn(this.http, host, port);
    if (this.metricsHttp) {
      try {
        await listenOn(this.metricsHttp, host, this.options.metricsAccess!.port!);
      } catch (error) {
        await new Promise((resolve) => this.http.close(resolve));
        throw error;
      }
    }
    const { address, port: bound } = this.http.address() as AddressInfo;
    const hostname = address === '' || address === '::' || address === '0.0.0.0' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
    return `http://${hostname}:${bound}/`;
  }

  /** GraphQL requests being served now. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** From now on /ready answers 503 and every response asks its client to close the connection. */
  markNotReady(): void {
    this.notReady = true;
  }

  get draining(): boolean {
    return this.notReady;
  }

  /**
   * The graceful stop: not ready at once, still serving for `delayMs` (so that load balancers take this replica
   * out), then close(timeoutMs).
   */
  async drain(delayMs: number, timeoutMs: number): Promise<{ inFlightAtClose: number; cutOff: number }> {
    this.markNotReady();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return this.close(timeoutMs);
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
    this.http.closeAllConnections();
    await closed;
    if (this.metricsHttp?.listening) {
      const metricsClosed = new Promise<void>((resolve) => this.metricsHttp!.close(() => resolve()));
      this.metricsHttp.closeAllConnections();
      await metricsClosed;
    }
    return { inFlightAtClose, cutOff };
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = performance.now();
    const requestId = requestIdOf(req.headers);
    res.setHeader('x-request-id', requestId);
    if (this.notReady) res.setHeader('connection', 'close');
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query >= 0 ? url.slice(0, query) : url;
    if (path === endpoints.metrics && this.metricsHttp) {
      req.resume();
      this.refuse(res, requestId, started, 404, 'NOT_FOUND', `Metrics are served on port ${this.options.metricsAccess!.port} (METRICS_PORT), not here.`);
      return;
    }
    if (operationalPaths.includes(path)) {
      req.resume();
      this.operational(req, res, path);
      return;
    }
    const route = this.options.routes?.find((r) => path === r.prefix || path.startsWith(r.prefix.endsWith('/') ? r.prefix : `${r.prefix}/`));
    if (route) {
      this.serve(route.handle, req, res, requestId);
      return;
    }
    if (this.options.landingPage && graphqlPaths.has(path) && query < 0 && (req.method === 'GET' || req.method === 'HEAD') && acceptsHtml(req)) {
      this.serve(this.options.landingPage, req, res, requestId);
      return;
    }
    if (!graphqlPaths.has(path)) {
      req.resume();
      this.refuse(res, requestId, started, 404, 'NOT_FOUND', `Nothing is served at ${path.slice(0, 100)}: GraphQL answers at / and /graphql.`);
      return;
    }
    if (this.options.limits.refuseBrowsers && req.headers.origin !== undefined) {
      req.resume();
      this.refuse(res, requestId, started, 403, 'FORBIDDEN', 'This service is not called from browsers: requests with an Origin header are refused.');
      return;
    }
    if (!this.cors(req, res, requestId, started)) return;
    // Refused before reading: the declared length already says too much. (A chunked body is counted as it comes.)
    if (Number(req.headers['content-length']) > this.options.limits.maxBodyBytes) {
      req.resume();
      this.refuseTooLarge(res, requestId, started);
      return;
    }
    this.inFlight += 1;
    res.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
    });
    const within = this.options.observe?.(req, res, requestId) ?? ((execute: () => void) => execute());
    this.readBody(req, res, requestId, started, query >= 0 ? url.slice(query) : '', within);
  }

  private serve(handle: HttpRoute['handle'], req: http.IncomingMessage, res: http.ServerResponse, requestId: string): void {
    this.inFlight += 1;
    res.once('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
    });
    const failed = (error: unknown) => {
      this.options.onError(error, requestId);
      if (res.headersSent) res.destroy();
      else send(res, 500, 'application/json; charset=utf-8', errorBody('INTERNAL_SERVER_ERROR', 'Internal server error'));
    };
    try {
      Promise.resolve(handle(req, res, requestId)).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  /** The listener of METRICS_PORT: GET /metrics, nothing else. */
  private routeMetrics(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path !== endpoints.metrics) return send(res, 404, 'text/plain; charset=utf-8', 'Not Found');
    this.operational(req, res, path);
  }

  private operational(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed');
      return;
    }
    const token = this.options.metricsAccess?.token;
    if (path === endpoints.metrics && token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized: send the metrics token (METRICS_TOKEN) as a bearer token.');
      return;
    }
    const answer = async (): Promise<void> => {
      if (path === endpoints.health) return send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ status: 'ok', ...this.options.health?.() }));
      if (path === endpoints.ready) {
        const report: ReadinessReport = this.notReady ? { ready: false, reasons: ['shutting down'] } : await this.options.readiness();
        const body = report.ready ? { status: 'ready', ...report.details } : { status: 'not ready', reasons: report.reasons, ...report.details };
        return send(res, report.ready ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(body));
      }
      const { contentType, text } = await this.options.metrics();
      return send(res, 200, contentType, text);
    };
    answer().catch((error: unknown) => {
      this.options.onError(error, String(res.getHeader('x-request-id')));
      if (res.headersSent) res.destroy();
      else if (path === endpoints.ready) send(res, 503, 'application/json; charset=utf-8', JSON.stringify({ status: 'not ready', reasons: ['the readiness check failed'] }));
      else send(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error');
    });
  }

  /**
   * Sets the headers a browser needs for an allowed origin and answers preflights (OPTIONS): 204 for an allowed
   * origin, 403 for another. False when the request has been answered. Never credentials (cookies): callers
   * authenticate with a bearer token.
   */
  private cors(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, started: number): boolean {
    const origins = this.options.limits.corsOrigins;
    const origin = req.headers.origin;
    const allowed = origins === '*' || (origin !== undefined && origins.includes(origin));
    // Caches must not serve one origin's answer (with its allow-origin) to another.
    res.setHeader('vary', 'Origin');
    if (allowed && (origin !== undefined || origins === '*')) res.setHeader('access-control-allow-origin', origins === '*' ? '*' : origin!);
    if (req.method !== 'OPTIONS') return true;
    req.resume();
    if (origin === undefined || req.headers['access-control-request-method'] === undefined) {
      // Not a preflight: say what the endpoint takes.
      res.setHeader('allow', 'GET, POST, OPTIONS');
      send(res, 204, undefined, '');
      return false;
    }
    if (!allowed) {
      this.refuse(res, requestId, started, 403, 'FORBIDDEN', `Cross-origin requests from ${origin.slice(0, 200)} are not allowed (CORS_ORIGINS).`);
      return false;
    }
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    const requested = req.headers['access-control-request-headers'];
    if (requested) {
      res.setHeader('access-control-allow-headers', requested);
      res.appendHeader('vary', 'Access-Control-Request-Headers');
    }
    res.setHeader('access-control-max-age', '600');
    send(res, 204, undefined, '');
    return false;
  }

  private readBody(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    requestId: string,
    started: number,
    search: string,
    within: (execute: () => void) => void,
  ): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > this.options.limits.maxBodyBytes) {
        refused = true;
        this.refuseTooLarge(res, requestId, started);
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
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const body = this.parseBody(req, res, requestId, started, raw);
      if (body === refusedBody) return;
      if (queryTexts(body, search).some((text) => nestsDeeperThan(text, maxDocumentNesting))) {
        this.refuse(res, requestId, started, 400, 'QUERY_TOO_DEEP', `The query text nests braces, parentheses or brackets more than ${maxDocumentNesting} deep.`, { limit: maxDocumentNesting });
        return;
      }
      within(() => this.execute(req, res, requestId, started, search, body, raw));
    });
  }

  /** The JSON body, undefined for a request without one (GET), or refusedBody once the request has been answered. */
  private parseBody(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, started: number, raw: Buffer): unknown {
    const contentType = req.headers['content-type'];
    if (contentType === undefined || !jsonType.test(contentType)) return undefined;
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      this.refuse(res, requestId, started, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be UTF-8 (JSON); send charset=utf-8 or no charset.');
      return refusedBody;
    }
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      this.refuse(res, requestId, started, 400, 'BAD_REQUEST', 'The request body is not valid UTF-8.');
      return refusedBody;
    }
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      this.refuse(res, requestId, started, 400, 'BAD_REQUEST', `The request body is not valid JSON: ${(error as Error).message}`);
      return refusedBody;
    }
    const { maxBatch } = this.options.limits;
    if (Array.isArray(body) && body.length > maxBatch) {
      const message =
        maxBatch === 1
          ? 'This server takes no batched requests (a JSON array body): send one operation per request.'
          : `A batched request may hold at most ${maxBatch} operations; this one holds ${body.length}.`;
      this.refuse(res, requestId, started, 400, 'BATCH_TOO_LARGE', message, { limit: maxBatch, measured: body.length });
      return refusedBody;
    }
    return body;
  }

  private execute(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, started: number, search: string, body: unknown, raw: Buffer): void {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    this.options
      .context(req, requestId, raw)
      .then((context) =>
        this.options.server.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search, body },
          context: async () => context,
        }),
      )
      .then(async (response) => {
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        if (this.notReady) res.setHeader('connection', 'close');
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        // Incremental delivery (@defer): each part as it comes.
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch((error: unknown) => {
        if (error instanceof HttpRefusal) {
          for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
          this.refuse(res, requestId, started, error.status, error.code, error.message);
          return;
        }
        this.options.onError(error, requestId);
        if (res.headersSent) res.destroy();
        else send(res, 500, 'application/json; charset=utf-8', errorBody('INTERNAL_SERVER_ERROR', 'Internal server error'));
      });
  }

  private refuseTooLarge(res: http.ServerResponse, requestId: string, started: number): void {
    const limit = this.options.limits.maxBodyBytes;
    this.refuse(res, requestId, started, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the ${limit} bytes allowed.`, { limit }, true);
  }

  /**
   * Answers a request the front does not hand to GraphQL, with a GraphQL-shaped error body. A refusal made while
   * the body is still coming (413) closes the connection: the rest of the body would otherwise be read as the next
   * request.
   */
  private refuse(
    res: http.ServerResponse,
    requestId: string,
    started: number,
    status: number,
    code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
    close = false,
  ): void {
    if (close) res.setHeader('connection', 'close');
    send(res, status, 'application/json; charset=utf-8', errorBody(code, message, extensions));
    this.options.onRefused?.({ requestId, status, code, durationMs: Math.round((performance.now() - started) * 10) / 10 });
  }
}

const refusedBody = Symbol('refused');

function listenOn(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Whether an Authorization header is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** An answer of the front itself: never cached, its length known. */
function send(res: http.ServerResponse, status: number, contentType: string | undefined, body: string): void {
  res.statusCode = status;
  if (contentType) res.setHeader('content-type', contentType);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', String(Buffer.byteLength(body)));
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
