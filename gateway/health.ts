import http from 'node:http';
import https from 'node:https';
import { endpoints } from '@talent-hub/platform/endpoints';
import type { ReadinessReport } from '@talent-hub/platform/http-front';

// The gateway's readiness, which its HTTP front serves at GET /ready (with /health and /metrics, before GraphQL
// handling and without authentication): never more than subgraph names and what is missing.

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

/**
 * Ready when the supergraph is loaded and every subgraph of the supergraph answered its /health with 200 within the
 * timeout (while draining, the front answers 503 without asking). A subgraph that is down makes the gateway not ready, not dead: it
 * keeps serving partial answers, and is ready again once the subgraph is back.
 */
export class Readiness {
  private supergraphLoaded = false;
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

  async report(): Promise<ReadinessReport> {
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
