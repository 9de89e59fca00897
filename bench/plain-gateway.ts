import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { signerByUrl } from './partner.js';
import { withSubgraphUrls } from './supergraph-urls.js';

// Benchmark target B: a plain ApolloGateway in Apollo Server with every default (stock RemoteGraphQLDataSource
// and its fetcher, default query plan cache, no agent, no warming, one process). The only change is where the
// subgraphs are, written into the supergraph text, as a deployment with its own supergraph would have it.
//
// One addition: the subgraphs run in production and serve signed requests only, so its fetcher adds the internal
// token of the bench partner to each fetch (bench/partner.ts), as our gateway signs its own (it verifies no bearer
// token: a little less work than ours does).
//
// Environment: PORT, SUPERGRAPH_PATH, TALENTS_URL, TRAININGS_URL, REGIONS_URL, INTERNAL_TOKEN_SECRET. APOLLO_TELEMETRY_DISABLED=1 is set
// by the runner (the gateway would otherwise send usage metrics out of this machine); it changes no request path.

const port = Number(process.env.PORT ?? 0);
const supergraphPath = process.env.SUPERGRAPH_PATH!;
const supergraphSdl = withSubgraphUrls(readFileSync(supergraphPath, 'utf8'), process.env);

const sign = signerByUrl(process.env);
const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      fetcher: (target, init) =>
        fetch(target, { ...(init as RequestInit), headers: { ...(init?.headers as Record<string, string>), ...sign(String(target), String(init?.body)) } }),
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port } });
console.log(`plain gateway ready at ${url}`);
