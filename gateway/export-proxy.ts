import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { errorBody, type ErrorCode } from '@talent-hub/platform/errors';
import { exportDatasets, exportPrefix, parseExportPath } from '@talent-hub/platform/export-paths';
import type { HttpRoute } from '@talent-hub/platform/http-front';
import type { InternalTokenSigner } from '@talent-hub/platform/identity';
import { AuthenticationError, type Authenticate } from './auth.js';

// GET /export/<dataset>.<format>?<filters> at the gateway: authorised exactly like /graphql (the bearer token is
// checked by the same authenticator; none is an anonymous caller, a bad one is 401), then forwarded to the subgraph
// that owns the dataset with the caller's identity in an internal token, as the gateway's GraphQL fetches are (signed
// for that subgraph, this request id and the empty body). The subgraph decides rows and columns; its answer is
// streamed back with backpressure (a slow client slows the subgraph's read, nothing piles up here), gzipped when
// the client accepts it.

export interface ExportProxyOptions {
  authenticate: Authenticate;
  signer: InternalTokenSigner;
  /** The base URL of a subgraph by name (`http://host:port/`), undefined when the gateway does not know it. */
  subgraphUrl(name: string): string | undefined;
  /**
   * How long a subgraph may take to start answering an export (its fetch deadline, as for GraphQL): a subgraph that
   * accepts the connection and never answers would otherwise hold the download open for ever. The rows themselves
   * may take longer: once the answer has started, only the client's pace bounds it.
   */
  answerTimeoutMs(name: string): number;
}

/** gzip level 1: exports are large and streamed; speed matters more than the last percent of size. */
const gzipLevel = 1;

export function exportProxy(options: ExportProxyOptions): HttpRoute {
  return {
    prefix: exportPrefix,
    async handle(req, res, requestId) {
      req.resume();
      const answer = (status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
        res.end(errorBody(code, message));
      };
      if (req.method !== 'GET') return answer(405, 'BAD_REQUEST', 'Exports are read with GET.', { allow: 'GET' });
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      const path = parseExportPath(query >= 0 ? url.slice(0, query) : url);
      if ('status' in path) return answer(path.status, path.status === 404 ? 'NOT_FOUND' : 'BAD_USER_INPUT', path.message);
      let identity;
      try {
        identity = await options.authenticate(req.headers.authorization);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        return answer(401, 'UNAUTHENTICATED', error.message, { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
      const owner = exportDatasets[path.dataset];
      const base = options.subgraphUrl(owner);
      if (!base) return answer(503, 'SUBGRAPH_UNAVAILABLE', `The ${owner} subgraph, which exports ${path.dataset}, is not configured.`);
      const target = new URL(`${exportPrefix}/${path.dataset}.${path.format}${query >= 0 ? url.slice(query) : ''}`, base);
      const headers = options.signer.headers(identity, { audience: owner, body: '', requestId });

      const timeoutMs = options.answerTimeoutMs(owner);
      const upstream = await new Promise<http.IncomingMessage | Error>((resolve) => {
        const request = http.get(target, { headers }, resolve);
        request.once('error', resolve);
        const deadline = setTimeout(() => request.destroy(new SubgraphTimeout()), timeoutMs);
        request.once('response', () => clearTimeout(deadline));
        request.once('close', () => clearTimeout(deadline));
        // The client left before the subgraph answered: stop asking.
        res.once('close', () => request.destroy());
      });
      if (upstream instanceof Error) {
        if (res.destroyed) return;
        if (upstream instanceof SubgraphTimeout) {
          return answer(504, 'SUBGRAPH_TIMEOUT', `The ${owner} subgraph did not start the export within ${timeoutMs} ms.`);
        }
        return answer(502, 'SUBGRAPH_UNAVAILABLE', `The ${owner} subgraph did not answer the export.`);
      }
      res.once('close', () => upstream.destroy());
      const passed: Record<string, string> = { 'cache-control': 'no-store', vary: 'Accept-Encoding' };
      const contentType = upstream.headers['content-type'];
      if (contentType) passed['content-type'] = contentType;
      // Refusals (400, 401, 403, 404) come back as the subgraph wrote them: small JSON, not compressed.
      const gzip = upstream.statusCode === 200 && acceptsGzip(req.headers['accept-encoding']);
      if (gzip) passed['content-encoding'] = 'gzip';
      res.writeHead(upstream.statusCode ?? 502, passed);
      try {
        if (gzip) await pipeline(upstream, zlib.createGzip({ level: gzipLevel }), res);
        else await pipeline(upstream, res);
      } catch {
        // The client left, or the subgraph's stream was cut: the download ends incomplete, to be resumed.
        res.destroy();
      }
    },
  };
}

/** Whether an Accept-Encoding header takes gzip (`gzip`, `*`, not with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === 'x-gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

class SubgraphTimeout extends Error {}
