import http from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { requestIdOf } from '../subgraphs/lib/request-id.js';
import { AuthenticationError, type Authenticate } from './auth.js';
import type { GatewayContext } from './context.js';
import type { Logger } from './supergraph.js';

// The gateway's HTTP front: hands each request to Apollo Server, as startStandaloneServer does, with less done
// per request (no middleware chain: CORS headers are constants, the body is read once and parsed once), and with
// the listener in our hands, so that the gateway can warm its caches after Apollo Server has started and before
// it accepts a connection.

/** Request bodies larger than this are refused (413), as startStandaloneServer's body parser did. */
export const maxBodyBytes = 50 * 1024 * 1024;

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function graphqlRequestListener(
  server: ApolloServer<GatewayContext>,
  logger: Logger,
  authenticate: Authenticate,
  /** GET /health, /ready and /metrics (health.ts): answered here, before any GraphQL handling; false otherwise. */
  endpoints?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): http.RequestListener {
  return (req, res) => {
    const requestId = requestIdOf(req.headers);
    res.setHeader('x-request-id', requestId);
    if (endpoints?.(req, res)) return;
    // CORS as the `cors` package's defaults (startStandaloneServer's): any origin; preflights answered here.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('access-control-allow-methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
      const requested = req.headers['access-control-request-headers'];
      if (requested) {
        res.setHeader('access-control-allow-headers', requested);
        res.setHeader('vary', 'Access-Control-Request-Headers');
      }
      res.setHeader('content-length', '0');
      res.end();
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        refused = true;
        reply(res, 413, 'Request body too large.');
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
          reply(res, 400, `The request body is not valid JSON: ${(error as Error).message}`);
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
        .then((identity) =>
          server.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: query >= 0 ? url.slice(query) : '', body },
            context: async () => ({ identity, requestId }),
          }),
        )
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
