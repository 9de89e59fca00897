import { InternalTokenSigner, type Identity } from '@talent-hub/platform/identity';
import { envName } from '@talent-hub/platform/registry';
import { subgraphNames } from './database.js';

// Who the benchmark asks as: a viewer of CEMR, listing CEMR's talents, whose registrations it may read, so every
// target does the whole work of the flagship (registrations, events, regions, organisers) and no answer carries
// FORBIDDEN. The gateways verify its bearer token (A) or take it as given (B, C: stock gateways that verify
// nothing), and every subgraph request is signed for it, one token per request, as our gateway signs its fetches:
// the subgraphs run in production and serve signed requests only.

export const benchPartner: Identity = { subject: 'bench-partner', organisationId: 'cemr', roles: ['viewer'] };

/** The headers that sign one subgraph request (`service`: its registry name) for the bench partner. */
export function partnerFetchSigner(internalTokenSecret: string): (service: string, body: string) => Record<string, string> {
  const signer = new InternalTokenSigner(internalTokenSecret);
  return (service, body) => signer.headers(benchPartner, { audience: service, body });
}

/**
 * For the reference gateways B and C: signs a fetch by the subgraph its URL belongs to (`<NAME>_URL` in `env`),
 * with INTERNAL_TOKEN_SECRET from `env`.
 */
export function signerByUrl(env: NodeJS.ProcessEnv): (url: string, body: string) => Record<string, string> {
  const sign = partnerFetchSigner(env.INTERNAL_TOKEN_SECRET!);
  const byOrigin = new Map(subgraphNames.map((name) => [new URL(env[envName(name, 'URL')]!).origin, name]));
  return (url, body) => {
    const service = byOrigin.get(new URL(url).origin);
    if (!service) throw new Error(`no subgraph answers at ${url}`);
    return sign(service, body);
  };
}
