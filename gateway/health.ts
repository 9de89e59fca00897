import http from 'node:http';
import https from 'node:https';
import { endpoints } from '@talent-hub/platform/endpoints';
import type { ReadinessReport } from '@talent-hub/platform/http-front';

// The gateway's readiness, which its HTTP front serves at GET /ready (with /health and /metrics, before GraphQL
// handling and without authentication): never more than subgraph names and whether each answers.

export interface ReadinessOptions {
  /** A subgraph whose /health has not answered 200 within this long is reported down. */
  checkTimeoutMs: number;
  /** Subgraph checks are reused for this long, so that probes from every replica and kubelet do not pile up. */
  cacheMs: number;
}

export const defaultReadiness: ReadinessOptions = { checkTimeoutMs: 1_000, cacheMs: 1_500 };

/** A subgraph's liveness URL: `/health` at the origin of its GraphQL URL (which is served at `/graphql`). */
export function healthUrlOf(graphqlUrl: string): URL {
  return new URL(endpoints.health, graphqlUrl);
}

/** What the gateway last learnt of one subgraph: "up", or why not. */
export type SubgraphStatus = 'up' | string;

/**
 * Ready means "this gateway can serve": its supergraph is loaded (and, from the HTTP front, it is not shutting
 * down). A subgraph that is down does not make it unready: every gateway replica sees the same subgraphs, so
 * taking them out of rotation would take the whole graph down for the sake of one part, while each can still
 * answer every other part (with an error at the missing fields). The subgraphs' status is reported beside it:
 * in /ready's and /health's bodies (`subgraphs`) and in the `gateway_subgraph_up` gauge.
 */
export class Readiness {
  private supergraphLoaded = false;
  private readonly subgraphs = new Map<string, URL>();
  private checked: { at: number; statuses: Record<string, SubgraphStatus> } | undefined;
  private checking: Promise<Record<string, SubgraphStatus>> | undefined;

  constructor(
    private readonly options: ReadinessOptions = defaultReadiness,
    /** Called with each subgraph's result after every check (metrics). */
    private readonly onChecked: (subgraph: string, up: boolean) => void = () => {},
  ) {}

  /** Called on each supergraph load, with the subgraphs it names and the URLs the gateway calls them at. */
  supergraphLoadedWith(subgraphUrls: Record<string, string>): void {
    this.supergraphLoaded = true;
    this.subgraphs.clear();
    for (const [name, url] of Object.entries(subgraphUrls)) this.subgraphs.set(name, healthUrlOf(url));
    this.checked = undefined;
  }

  /** For GET /ready: ready once the supergraph is loaded; the subgraphs' status (checked now unless recent) beside. */
  async report(): Promise<ReadinessReport> {
    if (!this.supergraphLoaded) return { ready: false, reasons: ['the supergraph is not loaded yet'] };
    return { ready: true, reasons: [], details: { subgraphs: await this.subgraphStatuses() } };
  }

  /**
   * For GET /health (liveness, which must answer at once): the last known status of each subgraph, without
   * waiting for a check ("not checked yet" before the first); a stale one starts a check in the background.
   */
  lastKnown(): Record<string, SubgraphStatus> {
    const fresh = this.checked && performance.now() - this.checked.at < this.options.cacheMs;
    if (!fresh && this.supergraphLoaded) void this.subgraphStatuses();
    const known = this.checked?.statuses ?? {};
    return Object.fromEntries([...this.subgraphs.keys()].map((name) => [name, known[name] ?? 'not checked yet']));
  }

  /** Each subgraph's status, from a check at most `cacheMs` old; probes arriving while a check runs share it. */
  subgraphStatuses(): Promise<Record<string, SubgraphStatus>> {
    if (this.checked && performance.now() - this.checked.at < this.options.cacheMs) return Promise.resolve(this.checked.statuses);
    this.checking ??= Promise.all([...this.subgraphs].map(async ([name, url]) => [name, await this.checkSubgraph(url)] as const))
      .then((results) => {
        const statuses: Record<string, SubgraphStatus> = {};
        for (const [name, reason] of results) {
          statuses[name] = reason ?? 'up';
          this.onChecked(name, reason === undefined);
        }
        this.checked = { at: performance.now(), statuses };
        return statuses;
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  /** Undefined when the subgraph answered 200 in time, otherwise why not. */
  private checkSubgraph(url: URL): Promise<string | undefined> {
    const timeoutMs = this.options.checkTimeoutMs;
    return new Promise((resolve) => {
      const send = url.protocol === 'https:' ? https.get : http.get;
      // A connection of its own, closed after: a probe every second or so does not need the pool, and must not
      // wait behind queued GraphQL fetches in it.
      const request = send(url, { agent: false, headers: { accept: 'application/json', connection: 'close' } }, (response) => {
        response.resume();
        clearTimeout(timer);
        resolve(response.statusCode === 200 ? undefined : `down: answered HTTP ${response.statusCode}`);
      });
      const timer = setTimeout(() => {
        resolve(`down: no answer within ${timeoutMs} ms`);
        request.destroy();
      }, timeoutMs);
      request.on('error', (error: Error & { code?: string }) => {
        clearTimeout(timer);
        resolve(`down: could not be reached (${error.code ?? error.message})`);
      });
    });
  }
}
