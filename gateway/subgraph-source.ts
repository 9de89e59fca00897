import http from 'node:http';
import https from 'node:https';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { graphqlError } from '@talent-hub/platform/errors';
import type { Identity, InternalTokenSigner } from '@talent-hub/platform/identity';
import { injectTraceHeaders } from '@talent-hub/platform/tracing';
import type { GatewayContext } from './context.js';
import { canMerge, mergeOperations, mergeVariables, splitResponse } from './fetch-batch.js';
import { cacheReportHeader, noteUnanswered, takeReport } from './cache/subgraph-reports.js';
import { fieldErrorsOfFailedFetch } from './fetch-errors.js';
import { FetchTimeoutError, SubgraphGuard } from './resilience.js';

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** Marks a request that only warms the gateway's caches: its subgraph fetches answer nothing and send nothing. */
export const warmUpRequest = Symbol('warmUpRequest');

export interface SubgraphPoolOptions {
  /** Connections to one subgraph at most (per process); more requests at once wait for a free one. */
  maxConnections: number;
  /**
   * Idle connections are closed after this long. Shorter than the subgraphs' own keep-alive timeout (Node's
   * default, 5 s), so that the gateway never sends a request on a connection that the subgraph is closing.
   */
  idleTimeoutMs: number;
  /** Send each distinct entity representation of a fetch once (default true). */
  deduplicateRepresentations?: boolean;
  /** Merge the fetches of one request to one subgraph that start together into one operation (default true). */
  mergeFetches?: boolean;
  /**
   * Ask each subgraph for its cache report (what the answer was derived from, what a write changed): the response
   * cache's invalidation reads it. Default true; off when the gateway has no response cache, because the report
   * costs the subgraph a look at every object it resolves (a fifth of its CPU on a large page).
   */
  cacheReports?: boolean;
}

/** Keep-alive connections to the subgraphs, shared by every data source of a gateway. */
export class SubgraphPool {
  readonly http: http.Agent;
  readonly https: https.Agent;
  constructor(readonly options: SubgraphPoolOptions) {
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxConnections,
      maxFreeSockets: options.maxConnections,
      // The most recently used connection first: under light load the same few stay warm and the rest time out.
      scheduling: 'lifo' as const,
      // Applies to idle connections only: the agent closes a free socket on timeout; a request in flight on one
      // only gets a 'timeout' event, which we leave alone.
      timeout: options.idleTimeoutMs,
    };
    this.http = new http.Agent(agentOptions);
    this.https = new https.Agent(agentOptions);
  }

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/**
 * Sends the gateway's fetches to one subgraph. Compared with the stock RemoteGraphQLDataSource:
 * - It speaks HTTP directly over the shared keep-alive pool (no fetch API objects per request: Request, Headers,
 *   body streams), and parses the answer once.
 * - It sends each distinct entity representation once: 100 talents living in 8 regions cost 8 representations,
 *   not 100. Answers are spread back over the original positions, errors included, so the gateway sees what it
 *   would have seen without this.
 * - Fetches of one incoming request that start together (the branches of a Parallel plan node) go to the subgraph
 *   as one merged operation (see fetch-batch.ts): one HTTP request and one execution there instead of several.
 * - Errors read like GraphQL errors and name the subgraph, never its address: a subgraph's 4xx answer passes on
 *   its own message and code (BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED); a 5xx answer gives SUBGRAPH_ERROR, an
 *   unreachable subgraph or an open circuit SUBGRAPH_UNAVAILABLE, no answer in time SUBGRAPH_TIMEOUT.
 * - Every HTTP exchange goes through the subgraph's guard (resilience.ts): deadline, circuit breaker, and one
 *   more attempt for a query's fetch that failed on a connection error or a 5xx answer. Never for a mutation:
 *   the first attempt may have written before failing.
 * - It never asks for inline traces (ftv1) itself; it forwards the header only when the executor sets it,
 *   which it does only when usage reporting captures traces (off in this gateway).
 */
export class SubgraphDataSource implements GraphQLDataSource {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly send: typeof http.request;
  private readonly deduplicate: boolean;
  private readonly cacheReports: boolean;
  private readonly merge: boolean;
  private readonly guard: SubgraphGuard;
  private queue: Queued[] = [];

  constructor(
    private readonly subgraphName: string,
    url: string,
    pool: SubgraphPool,
    private readonly signer?: InternalTokenSigner,
    guard?: SubgraphGuard,
  ) {
    this.guard = guard ?? new SubgraphGuard(subgraphName);
    this.url = new URL(url);
    const secure = this.url.protocol === 'https:';
    this.agent = secure ? pool.https : pool.http;
    this.send = secure ? https.request : http.request;
    this.deduplicate = pool.options.deduplicateRepresentations ?? true;
    this.cacheReports = pool.options.cacheReports ?? true;
    this.merge = pool.options.mergeFetches ?? true;
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<SubgraphResponse> {
    if ((options.context as Record<symbol, unknown> | undefined)?.[warmUpRequest]) return { data: null };
    const { request } = options;
    if (!request.query) throw new Error('Missing query');

    let variables = request.variables;
    const deduplicated = this.deduplicate ? deduplicateRepresentations(variables?.representations) : undefined;
    if (deduplicated) variables = { ...variables, representations: deduplicated.unique };

    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    // The caller's identity and request id travel with every fetch; nothing else of the client's request does.
    const context = options.context as Partial<GatewayContext> | undefined;
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (this.cacheReports) headers[cacheReportHeader] = '1';
    // W3C trace context of the active span (@apollo/gateway's gateway.fetch), so the subgraph's span joins the trace.
    injectTraceHeaders(headers);
    const incoming = options.kind === 'incoming operation' ? options.incomingRequestContext : undefined;
    const policy = incoming?.overallCachePolicy as { restrict?: (hint: object) => void } | undefined;
    const fetch: Fetch = {
      query: request.query,
      variables,
      operationName: request.operationName,
      headers,
      restrict: policy?.restrict ? (hint) => policy.restrict!(hint) : undefined,
      retry: incoming?.operation?.operation === 'query',
      context: options.context,
      identity: context?.identity ?? null,
    };

    let response: SubgraphResponse;
    try {
      response = this.merge && incoming && canMerge(fetch.query) ? await this.enqueue(fetch, incoming) : await this.sendOne(fetch);
    } catch (error) {
      // A fetch that failed as a whole: an error at each field it was to fill, so that each is null with its own
      // error and a nullable field stops the null there (fetch-errors.ts). Errors of ours only; others are bugs.
      if (!(error instanceof GraphQLError) || error.extensions['serviceName'] !== this.subgraphName) throw error;
      return { data: null, errors: fieldErrorsOfFailedFetch(error.toJSON(), (options.kind === 'incoming operation' ? options.document : undefined) ?? request.query, request.variables?.representations) };
    }
    return deduplicated ? spreadEntities(response, deduplicated.positions) : response;
  }

  /** Holds the fetch until the current synchronous run ends, with the other fetches that start in it. */
  private enqueue(fetch: Fetch, group: object): Promise<SubgraphResponse> {
    return new Promise((resolve, reject) => {
      this.queue.push({ fetch, group, resolve, reject });
      if (this.queue.length === 1) queueMicrotask(() => this.flush());
    });
  }

  private flush(): void {
    const groups = new Map<object, Queued[]>();
    for (const queued of this.queue) {
      const list = groups.get(queued.group);
      if (list) list.push(queued);
      else groups.set(queued.group, [queued]);
    }
    this.queue = [];
    for (const group of groups.values()) {
      if (group.length === 1) this.sendOne(group[0]!.fetch).then(group[0]!.resolve, group[0]!.reject);
      else this.sendMerged(group);
    }
  }

  private async sendOne(fetch: Fetch): Promise<SubgraphResponse> {
    const body = JSON.stringify({ query: fetch.query, variables: fetch.variables, operationName: fetch.operationName });
    let answer: Answer;
    let response: SubgraphResponse;
    try {
      answer = await this.exchange(body, fetch);
      response = this.read(answer);
    } catch (error) {
      noteUnanswered(fetch.context);
      throw error;
    }
    // Out of the answer before the gateway merges it: the cache report is for the response cache alone.
    takeReport(fetch.context, response);
    fetch.restrict?.(cacheHint(answer.cacheControl));
    return response;
  }

  private async sendMerged(group: Queued[]): Promise<void> {
    try {
      const merged = mergeOperations(group.map((q) => q.fetch.query));
      const variables = mergeVariables(group.map((q) => q.fetch.variables));
      const body = JSON.stringify({ query: merged.query, variables, operationName: merged.operationName });
      let answer: Answer;
      let response: SubgraphResponse;
      try {
        answer = await this.exchange(body, group[0]!.fetch);
        response = this.read(answer);
      } catch (error) {
        noteUnanswered(group[0]!.fetch.context);
        throw error;
      }
      // The group is one incoming request's: its report is that request's.
      takeReport(group[0]!.fetch.context, response);
      const parts = splitResponse(merged, response);
      const hint = cacheHint(answer.cacheControl);
      group.forEach((queued, i) => {
        queued.fetch.restrict?.(hint);
        queued.resolve(parts[i]!);
      });
    } catch (error) {
      for (const queued of group) queued.reject(error);
    }
  }

  /** The GraphQL response in an answer, or the error to raise for it. */
  private read(answer: Answer): SubgraphResponse {
    if (answer.status < 200 || answer.status > 299) throw this.errorFromAnswer(answer);
    const response = parseJson(answer.text);
    if (!response || typeof response !== 'object') {
      throw graphqlError('SUBGRAPH_ERROR', `Subgraph "${this.subgraphName}" answered something other than a GraphQL response.`, { serviceName: this.subgraphName });
    }
    return response as SubgraphResponse;
  }

  /** One fetch's HTTP exchange under the subgraph's deadline, breaker and retry rules (the fetches of a merged group share them). */
  private exchange(body: string, fetch: Fetch): Promise<Answer> {
    const deadline = (fetch.context as Partial<GatewayContext> | undefined)?.deadline;
    return this.guard.run((timeoutMs) => this.post(body, this.signed(fetch, body), timeoutMs), { retry: fetch.retry, context: fetch.context, deadline });
  }

  /**
   * The headers with a token signed for this one exchange: this subgraph, the request id, the exact body (see
   * identity.ts). Per attempt, so a retry carries a fresh token; an anonymous caller gets an anonymous token.
   */
  private signed(fetch: Fetch, body: string): Record<string, string> {
    if (!this.signer) return fetch.headers;
    return { ...fetch.headers, ...this.signer.headers(fetch.identity, { audience: this.subgraphName, body, requestId: fetch.headers['x-request-id'] }) };
  }

  /** One HTTP request; rejects with the socket's error, or FetchTimeoutError (the request is then aborted). */
  private post(body: string, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
    const requestHeaders = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | undefined, answer?: Answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(answer!);
      };
      const request = this.send(this.url, { method: 'POST', agent: this.agent, headers: requestHeaders }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => settle(error));
        // A connection closed before the end of the body (the subgraph stopped) ends here without 'end'.
        response.on('close', () => {
          if (!response.complete) settle(Object.assign(new Error('connection closed mid-answer'), { code: 'ECONNRESET' }));
        });
        response.on('end', () =>
          settle(undefined, {
            status: response.statusCode ?? 0,
            text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
            cacheControl: response.headers['cache-control'],
          }),
        );
      });
      // The whole exchange, waiting for a pooled connection included, fits in the time given; destroying the
      // request closes its connection, so the subgraph's late answer lands nowhere.
      const timer = setTimeout(() => {
        const error = new FetchTimeoutError(timeoutMs);
        settle(error);
        request.destroy(error);
      }, timeoutMs);
      request.on('error', (error) => settle(error));
      request.end(body);
    });
  }

  private errorFromAnswer(answer: Answer): GraphQLError {
    const body = parseJson(answer.text) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined;
    const first = body?.errors?.[0];
    if (answer.status < 500 && typeof first?.message === 'string') {
      // The subgraph's own refusal (401, 400...), passed on with its code and message.
      const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'BAD_REQUEST';
      return new GraphQLError(first.message, { extensions: { code, serviceName: this.subgraphName } });
    }
    return graphqlError('SUBGRAPH_ERROR', `Subgraph "${this.subgraphName}" answered HTTP ${answer.status}.`, { serviceName: this.subgraphName, status: answer.status });
  }
}

interface Fetch {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  headers: Record<string, string>;
  restrict: ((hint: object) => void) | undefined;
  /** Whether a failed exchange may be sent again: only for a query's fetches. */
  retry: boolean;
  /** The incoming request's context, for its log line's fetch timings. */
  context: object | undefined;
  /** The caller, signed into each exchange's token (null: anonymous). */
  identity: Identity | null;
}

interface Queued {
  fetch: Fetch;
  /** The incoming request the fetch belongs to: only fetches of the same request are merged. */
  group: object;
  resolve: (response: SubgraphResponse) => void;
  reject: (error: unknown) => void;
}

interface Answer {
  status: number;
  text: string;
  cacheControl: string | undefined;
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The cache hint a subgraph's Cache-Control header gives (as RemoteGraphQLDataSource reads it). */
export function cacheHint(header: string | undefined): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: 0 };
  if (!header) return hint;
  for (const directive of header.split(',')) {
    const [name, value] = directive.trim().toLowerCase().split('=');
    if (name === 'max-age' && value && /^[0-9]+$/.test(value)) hint.maxAge = Number(value);
    else if (name === 'private') hint.scope = 'PRIVATE';
    else if (name === 'public') hint.scope = 'PUBLIC';
  }
  return hint;
}

/**
 * The distinct representations of an entity fetch, and for each original position the index of its distinct one.
 * Undefined when there is nothing to gain (not an entity fetch, or no repeats).
 */
export function deduplicateRepresentations(representations: unknown): { unique: unknown[]; positions: Uint32Array } | undefined {
  if (!Array.isArray(representations) || representations.length < 2) return undefined;
  const indexByKey = new Map<string, number>();
  const unique: unknown[] = [];
  const positions = new Uint32Array(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const key = representationKey(representations[i]);
    let index = indexByKey.get(key);
    if (index === undefined) {
      index = unique.length;
      unique.push(representations[i]);
      indexByKey.set(key, index);
    }
    positions[i] = index;
  }
  return unique.length < representations.length ? { unique, positions } : undefined;
}

/**
 * A key equal for equal representations. The gateway builds every representation of a fetch from the same
 * selection, so fields come in the same order; flat ones (`{ __typename, code }`, the usual @key) are keyed by
 * their values, nested ones by their JSON.
 */
function representationKey(representation: unknown): string {
  if (representation === null || typeof representation !== 'object') return JSON.stringify(representation);
  let key = '';
  // for...in rather than Object.entries: no array per representation (a flagship page sends a thousand).
  for (const name in representation) {
    const value = (representation as Record<string, unknown>)[name];
    if (value !== null && typeof value === 'object') return JSON.stringify(representation);
    const text = typeof value === 'string' ? value : String(value);
    if (text.includes('\u0001')) return JSON.stringify(representation);
    key += `${name}\u0001${typeof value}\u0001${text}\u0001`;
  }
  return key;
}

/**
 * The answer to the distinct representations, spread back over the original ones: `_entities[i]` is the entity
 * of representation i, and an error about a distinct entity is repeated for each position it stands for.
 */
export function spreadEntities(response: SubgraphResponse, positions: Uint32Array): SubgraphResponse {
  const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
  const data = Array.isArray(entities)
    ? { ...response.data, _entities: Array.from(positions, (index) => entities[index] ?? null) }
    : response.data;
  let errors = response.errors;
  if (errors?.some((e) => e.path?.[0] === '_entities' && typeof e.path[1] === 'number')) {
    const originals = new Map<number, number[]>();
    positions.forEach((index, i) => {
      const list = originals.get(index);
      if (list) list.push(i);
      else originals.set(index, [i]);
    });
    errors = errors.flatMap((error): GraphQLFormattedError[] => {
      const path = error.path;
      if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return [error];
      return (originals.get(path[1]) ?? []).map((i) => ({ ...error, path: ['_entities', i, ...path.slice(2)] }));
    });
  }
  return { ...response, data, ...(errors ? { errors } : {}) };
}
