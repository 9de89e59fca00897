import http, { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { signerByUrl } from './partner.js';
import { importReference } from './reference-gateways.js';
import { withSubgraphUrls } from './supergraph-urls.js';

// Benchmark targets C, C' and C3: Hive Gateway's runtime (what its CLI serves) over the same supergraph file, in
// one process, with its defaults except subgraph request deduplication, which HIVE_DEDUPLICATE turns on or off
// (Hive's default is on). The runtime is a WHATWG fetch handler; Node's http server serves it, as the CLI does.
//
// HIVE_ROUTER_RUNTIME=true (C3) swaps the default stitching runtime for the Rust query planner and its executor,
// as Hive's documentation says ("Rust Query Planner": `unifiedGraphHandler` from @graphql-hive/router-runtime in
// the gateway's configuration, what the CLI's --hive-router-runtime flag does). Subgraph fetches still go through
// the runtime's transports, so the signing hook and the deduplication setting apply the same way.
//
// One addition: each subgraph fetch carries the bench partner's internal token (bench/partner.ts), added in an
// onFetch hook, as the subgraphs in production serve signed requests only.
//
// Environment: PORT, SUPERGRAPH_PATH, HIVE_DEDUPLICATE (true/false), HIVE_ROUTER_RUNTIME (true/false), TALENTS_URL, TRAININGS_URL, REGIONS_URL,
// INTERNAL_TOKEN_SECRET.

const port = Number(process.env.PORT ?? 0);
const deduplicate = process.env.HIVE_DEDUPLICATE === 'true';
const routerRuntime = process.env.HIVE_ROUTER_RUNTIME === 'true';
const supergraph = withSubgraphUrls(readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'), process.env);

// The little of the runtime's API used here, typed where it is used: its package lives outside the project's
// node_modules (bench/reference-gateways.ts), so the type checker does not see it.
interface FetchHook {
  url: string;
  options: { headers?: unknown; body?: unknown };
  setOptions(options: object): void;
}
type GatewayRuntime = http.RequestListener & { [Symbol.asyncDispose](): unknown };
const { createGatewayRuntime } = await importReference<{ createGatewayRuntime(config: object): GatewayRuntime }>('@graphql-hive/gateway-runtime');

const routerRuntimeConfig = routerRuntime
  ? { unifiedGraphHandler: (await importReference<{ unifiedGraphHandler: unknown }>('@graphql-hive/router-runtime')).unifiedGraphHandler }
  : {};

const sign = signerByUrl(process.env);
const gateway = createGatewayRuntime({
  supergraph,
  ...routerRuntimeConfig,
  logging: 'warn',
  plugins: () => [
    {
      onFetch({ url, options, setOptions }: FetchHook) {
        setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), ...sign(url, String(options.body)) } });
      },
    },
  ],
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: deduplicate } } },
});
const server = createServer(gateway);
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
const address = server.address();
const actualPort = typeof address === 'object' && address ? address.port : port;
console.log(`hive gateway ready at http://127.0.0.1:${actualPort}/graphql (${routerRuntime ? 'router runtime, Rust query planner' : 'stitching runtime'}, deduplication ${deduplicate ? 'on' : 'off'})`);

const stop = () => {
  server.close();
  void Promise.resolve(gateway[Symbol.asyncDispose]()).finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
