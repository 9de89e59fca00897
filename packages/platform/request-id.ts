import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// A request id follows one client request through the gateway and the subgraphs it calls (`x-request-id`), so
// their log lines can be joined. A caller's own id is kept when it is short and plain (it is logged as is).

const requestIdShape = /^[A-Za-z0-9._:-]{1,100}$/;

/** The request id the caller sent, when well-formed; a new one otherwise. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && requestIdShape.test(given) ? given : randomUUID();
}
