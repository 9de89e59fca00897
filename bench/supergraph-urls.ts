import { supergraphForGateway } from '@talent-hub/gateway/supergraph';
import { envName } from '@talent-hub/platform/registry';

/**
 * The supergraph text as the benchmark's reference gateways load it: each subgraph's `@join__graph(url:)` replaced
 * by `<NAME>_URL` from the environment (they have no setting of their own for it), and the subgraph-enforced
 * security features marked as our gateway marks them (ApolloGateway refuses them otherwise; see supergraph.ts).
 */
export function withSubgraphUrls(supergraphSdl: string, env: Record<string, string | undefined>): string {
  return supergraphForGateway(supergraphSdl).replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) => {
    const url = env[envName(name, 'URL')];
    return url ? `@join__graph(name: "${name}", url: "${url}")` : whole;
  });
}
