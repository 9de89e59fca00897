import { InternalTokenSigner } from '@talent-hub/platform/identity';
import { injectTraceHeaders } from '@talent-hub/platform/tracing';
import { currentRequest } from './request-scope.js';

// Calls from one subgraph to another, outside any client request: e.g. talents telling trainings that a talent
// was erased. Each call carries an internal token with the `service` role, signed with the secret the gateway
// uses for that call alone (the target subgraph as audience, the request id, the body), so the receiving subgraph
// checks it the same way and fields marked `@requiresScopes(scopes: [["service"]])` accept it (and nothing else). Such fields are `@inaccessible`: clients of the gateway cannot see or call them.

export interface PeerResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface Peers {
  /** Sends an operation to a named subgraph as this service; throws when it cannot be reached or answers an error. */
  call(subgraph: string, query: string, variables?: Record<string, unknown>): Promise<PeerResult>;
}

export interface PeersConfig {
  /** This subgraph's name: the subject of its service tokens. */
  self: string;
  internalTokenSecret: string;
  /** Where each other subgraph answers, by name. */
  subgraphUrls: Record<string, string>;
  timeoutMs?: number;
}

export function createPeers(config: PeersConfig): Peers {
  const signer = new InternalTokenSigner(config.internalTokenSecret);
  const self = { subject: `${config.self}-subgraph`, organisationId: '', roles: ['service'] as const };
  return {
    async call(subgraph, query, variables) {
      const url = config.subgraphUrls[subgraph];
      if (!url) throw new Error(`No URL is configured for the ${subgraph} subgraph`);
      const body = JSON.stringify({ query, variables });
      // The request id of the request being served, if any, so that the two log lines join.
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...signer.headers(self, { audience: subgraph, body, requestId: currentRequest()?.requestId }),
      };
      // A call made while serving a request (an erasure) joins that request's trace.
      injectTraceHeaders(headers);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(config.timeoutMs ?? 5_000),
        });
      } catch (error) {
        throw new Error(`The ${subgraph} subgraph could not be reached: ${(error as Error).message}`, { cause: error });
      }
      const result = (await response.json().catch(() => null)) as PeerResult | null;
      if (!response.ok || !result || result.errors?.length) {
        const reason = result?.errors?.[0]?.message ?? `HTTP ${response.status}`;
        throw new Error(`The ${subgraph} subgraph refused the call: ${reason}`);
      }
      return result;
    },
  };
}

/** Peers for a subgraph that knows no other (tests of one subgraph): every call fails, saying so. */
export const noPeers: Peers = {
  call: async (subgraph) => {
    throw new Error(`No URL is configured for the ${subgraph} subgraph`);
  },
};
