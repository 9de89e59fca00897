import http from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { requestIdOf } from '@talent-hub/platform/request-id';
import { AuthenticationError, type Authenticate } from './auth.js';
import type { GatewayContext } from './context.js';
import { defaultHttpLimits, type CorsOrigins, type HttpLimits } from './limits.js';
import type { Logger } from './supergraph.js';

// The gateway's HTTP front: hands each request to Apollo Server, as startStandaloneServer does, with less done
// per request (no middleware chain: CORS headers are constants, the body is read once and parsed once), and with
// the listener in our hands, so that the gateway can warm its caches after Apollo Server has started and before
// it accepts a connection.

const utf8 = new TextDecoder('utf-8', { fatal: true });

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function graphqlRequestListener(
  server: ApolloServer<GatewayContext>,
  logger: Logger,
  authenticate: Authenticate,
  /** GET /health, /ready and /metrics (health.ts): answered here, before any GraphQL handling; false otherwise. */
  endpoints?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
  limits: HttpLimits = defaultHttpLimits,
  /** Told of every request this front refuses itself (Apollo Server's own answers are logged by its plugin). */
  onRefused?: (refusal: { requestId: string; status: number; durationMs: number }) => void,
): http.RequestListener {
  return (req, res) => {
    const started = performance.now();
    const requestId = requestIdOf(req.headers);
    res.setHeader('x-request-id', requestId);
    if (endpoints?.(req, res)) return;
    // Refusals made here (bad token, too large, bad JSON, CORS) never reach the request log plugin: count them.
    let handedOver = false;
    if (onRefused) {
      res.once('finish', () => {
        if (!handedOver && res.statusCode >= 400) {
          onRefused({ requestId, status: res.statusCode, durationMs: Math.round((performance.now() - started) * 10) / 10 });
        }
      });
    }
    if (!applyCors(req, res, limits.corsOrigins)) return;
    // Refused before reading: the declared length already says too much. (A chunked body is counted as it comes.)
    if (Number(req.headers['content-length']) > limits.maxBodyBytes) {
      refuseTooLarge(res, limits.maxBodyBytes);
      req.resume();
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limits.maxBodyBytes) {
        refused = true;
        refuseTooLarge(res, limits.maxBodyBytes);
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
        const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
        if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
          refuseRequest(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be UTF-8 (JSON); send charset=utf-8 or no charset.');
          return;
        }
        let text: string;
        try {
          text = utf8.decode(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
        } catch {
          reply(res, 400, 'The request body is not valid UTF-8.');
          return;
        }
        try {
          body = text === '' ? {} : JSON.parse(text);
        } catch (error) {
          reply(res, 400, `The request body is not valid JSON: ${(error as Error).message}`);
          return;
        }
        if (Array.isArray(body) && body.length > limits.maxBatch) {
          const message =
            limits.maxBatch === 1
              ? 'This gateway takes no batched requests (a JSON array body): send one operation per request.'
              : `A batched request may hold at most ${limits.maxBatch} operations; this one holds ${body.length}.`;
          refuseRequest(res, 400, 'BATCH_TOO_LARGE', message, {
            limit: limits.maxBatch,
            measured: body.length,
          });
          return;
        }
      }
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      authenticate(req.headers.authorization)
        .then((identity) => {
          handedOver = true;
          return server.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: query >= 0 ? url.slice(query) : '', body },
            context: async () => ({ identity, requestId }),
          });
        })
        .then(async (response) => {
          for (const [name, value] of response.headers) res.setHeader(name, value);
          res.statusCode = response.status ?? 200;
          if (response.body.kind === 'complete') {
            res.end(response.body.string);
            return;
          }
          for await (const chunk of response.body.asyncIterator) res.write(chunk);
          res.end();
        })
        .catch((error: unknown) => {
          if (error instanceof AuthenticationError) {
            refuseCredentials(res, error.message);
            return;
          }
          logger.error(`Request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          if (res.headersSent) res.destroy();
          else reply(res, 500, 'Internal Server Error');
        });
    });
  };
}

/**
 * CORS: sets the headers a browser needs for an allowed origin, and answers preflight requests (OPTIONS): 204 for
 * an allowed origin, 403 for another. False when the request has been answered. No credentials (cookies) are
 * allowed: callers authenticate with a bearer token.
 */
function applyCors(req: http.IncomingMessage, res: http.ServerResponse, origins: CorsOrigins): boolean {
  const origin = req.headers.origin;
  const allowed = origins === '*' || (origin !== undefined && origins.includes(origin));
  // Caches must not serve one origin's answer (with its allow-origin) to another.
  res.setHeader('vary', 'Origin');
  if (allowed && (origin !== undefined || origins === '*')) res.setHeader('access-control-allow-origin', origins === '*' ? '*' : origin!);
  if (req.method !== 'OPTIONS') return true;
  if (origin === undefined || req.headers['access-control-request-method'] === undefined) {
    // Not a preflight: say what the endpoint takes.
    res.statusCode = 204;
    res.setHeader('allow', 'GET, POST, OPTIONS');
    res.end();
    return false;
  }
  if (!allowed) {
    reply(res, 403, `Cross-origin requests from ${origin.slice(0, 200)} are not allowed (CORS_ORIGINS).`);
    return false;
  }
  res.statusCode = 204;
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  const requested = req.headers['access-control-request-headers'];
  if (requested) {
    res.setHeader('access-control-allow-headers', requested);
    res.appendHeader('vary', 'Access-Control-Request-Headers');
  }
  res.setHeader('access-control-max-age', '600');
  res.setHeader('content-length', '0');
  res.end();
  return false;
}

function refuseTooLarge(res: http.ServerResponse, maxBodyBytes: number): void {
  refuseRequest(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than the ${maxBodyBytes} bytes allowed.`, { limit: maxBodyBytes });
}

/** A refusal before GraphQL handling, in the shape of a GraphQL error answer so that clients show its reason. */
function refuseRequest(res: http.ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('connection', 'close');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
}

function reply(res: http.ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('connection', 'close');
  res.end(message);
}

/** 401 with a GraphQL-shaped body, so clients show the reason as they show any other error. */
function refuseCredentials(res: http.ServerResponse, message: string): void {
  res.statusCode = 401;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }));
}
