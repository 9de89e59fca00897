import type { Identity } from '@talent-hub/platform/identity';

/** What the gateway knows of a request while it plans and fetches: the verified caller and the request id. */
export interface GatewayContext {
  /** Null for an anonymous caller (no bearer token). */
  identity: Identity | null;
  /** Sent to the subgraphs as `x-request-id` and returned to the client, to follow a request through the logs. */
  requestId: string;
  /** When every subgraph fetch of this request must have ended (performance.now() time); none for warm-up requests. */
  deadline?: number;
  /**
   * The caller's address as the rate limit keys anonymous callers (see clientAddressOf in rate-limit.ts); absent
   * for requests the gateway makes itself.
   */
  clientAddress?: string;
}
