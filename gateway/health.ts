import http from 'node:http';
import https from 'node:https';
import type { GatewayMetrics } from './metrics.js';
import { endpoints } from '@talent-hub/platform/endpoints';

// Probes for the platform: GET /health (liveness: the process answers), GET /ready (readiness: worth sending
// traffic to) and GET /metrics (Prometheus). They are answered before GraphQL handling, without authentication,
// and never say more than subgraph names and what is missing.

export interface ReadinessOptions {
  /** A subgraph whose /health has not answered 200 within this long makes the gateway not ready. */
  checkTimeoutMs: number;
  /** Subgraph checks are reused for this long, so that probes from every replica and kubelet do not pile up. */
  cacheMs: number;
}

export const defaultReadiness: ReadinessOptions = { checkTimeoutMs: 1_000, cacheMs: 1_500 };

/** A subgraph's liveness URL: `/health` at the origin of its GraphQL URL (which is served at `/graphql`). */
export function healthUrlOf(graphqlUrl: string): URL {
  return new URL(endpoints.health, graphqlUrl);
}

export interface ReadinessReport {
  ready: boolean;
  /** Why not, one sentence each; empty when ready. */
  reasons: string[];
}

/**
 * Ready when the supergraph is loaded, the gateway is not draining, and every subgraph of the supergraph answered
 * its /health with 200 within the timeout. A subgraph that is down makes the gateway not ready, not dead: it
 * keeps serving partial answers, and is ready again once the subgraph is back.
 */
export class Readiness {
  private supergraphLoaded = false;
  private draining = false;
  private readonly subgraphs = new Map<string, URL>();
  private checked: { at: number; reasons: string[] } | undefined;
  private checking: Promise<string[]> | undefined;

  constructor(private readonly options: ReadinessOptions = defaultReadiness) {}

  /** Called on each supergraph load, with the subgraphs it names and the URLs the gateway calls them at. */
  supergraphLoadedWith(subgraphUrls: Record<string, string>): void {
    this.supergraphLoaded = true;
    this.subgraphs.clear();
    for (const [name, url] of Object.entries(subgraphUrls)) this.subgraphs.set(name, healthUrlOf(url));
    this.checked = undefined;
  }

  /** From now on not ready: the load balancer stops sending while requests in flight finish. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async report(): Promise<ReadinessReport> {
    if (this.draining) return { ready: false, reasons: ['the gateway is shutting down'] };
    if (!this.supergraphLoaded) return { ready: false, reasons: ['the supergraph is not loaded yet'] };
    const reasons = await this.subgraphReasons();
    return { ready: reasons.length === 0, reasons };
  }

  private subgraphReasons(): Promise<string[]> {
    if (this.checked && performance.now() - this.checked.at < this.options.cacheMs) return Promise.resolve(this.checked.reasons);
    // Probes arriving while a check runs share it.
    this.checking ??= Promise.all([...this.subgraphs].map(([name, url]) => this.checkSubgraph(name, url)))
      .then((results) => {
        const reasons = results.filter((r): r is string => r !== undefined);
        this.checked = { at: performance.now(), reasons };
        return reasons;
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  /** Undefined when the subgraph answered 200 in time, otherwise why not. */
  private checkSubgraph(name: string, url: URL): Promise<string | undefined> {
    const timeoutMs = this.options.checkTimeoutMs;
    return new Promise((resolve) => {
      const send = url.protocol === 'https:' ? https.get : http.get;
      // A connection of its own, closed after: a probe every second or so does not need the pool, and must not
      // wait behind queued GraphQL fetches in it.
      const request = send(url, { agent: false, headers: { accept: 'application/json', connection: 'close' } }, (response) => {
        response.resume();
        clearTimeout(timer);
        resolve(response.statusCode === 200 ? undefined : `subgraph ${name} answered HTTP ${response.statusCode}`);
      });
      const timer = setTimeout(() => {
        resolve(`subgraph ${name} did not answer within ${timeoutMs} ms`);
        request.destroy();
      }, timeoutMs);
      request.on('error', (error: Error & { code?: string }) => {
        clearTimeout(timer);
        resolve(`subgraph ${name} could not be reached (${error.code ?? error.message})`);
      });
    });
  }
}

/**
 * Answers GET (and HEAD) /health, /ready and /metrics; returns false for every other request, which then goes on
 * to GraphQL handling. While draining, every response asks its client to close the connection, so that clients
 * holding keep-alive connections reconnect through the load balancer to another replica.
 */
export function operationsEndpoints(readiness: Readiness, metrics: GatewayMetrics) {
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (readiness.isDraining) res.setHeader('connection', 'close');
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const end = url.indexOf('?');
    const path = end >= 0 ? url.slice(0, end) : url;
    if (path === endpoints.health) {
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ status: 'ok' }));
      return true;
    }
    if (path === endpoints.ready) {
      readiness.report().then(
        ({ ready, reasons }) =>
          send(res, ready ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(ready ? { status: 'ready' } : { status: 'not ready', reasons })),
        () => send(res, 503, 'application/json; charset=utf-8', JSON.stringify({ status: 'not ready', reasons: ['the readiness check failed'] })),
      );
      return true;
    }
    if (path === endpoints.metrics) {
      metrics.exposition().then(
        ({ contentType, text }) => send(res, 200, contentType, text),
        (error: Error) => send(res, 500, 'text/plain; charset=utf-8', `Metrics unavailable: ${error.message}`),
      );
      return true;
    }
    return false;
  };
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', String(Buffer.byteLength(body)));
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
