/**
 * The supergraph text with each subgraph's `@join__graph(url:)` replaced by `<NAME>_URL` from the environment,
 * for the benchmark's reference gateways, which have no setting of their own for it.
 */
export function withSubgraphUrls(supergraphSdl: string, env: Record<string, string | undefined>): string {
  return supergraphSdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) => {
    const url = env[`${name.toUpperCase()}_URL`];
    return url ? `@join__graph(name: "${name}", url: "${url}")` : whole;
  });
}
