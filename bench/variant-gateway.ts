import { readGatewayConfig } from '@talent-hub/gateway/config';
import { listenGateway } from '@talent-hub/gateway/server';
import { readBoolean } from '@talent-hub/platform/env';

// Our gateway (one process) with steps of its tuning turned off, to measure what each step brings:
// BENCH_DEDUPLICATE=false sends every entity representation, BENCH_MERGE=false sends each fetch on its own,
// BENCH_WARM=false plans nothing before listening. Otherwise configured as gateway/main.ts is.

process.env.APOLLO_TELEMETRY_DISABLED = '1';
const config = readGatewayConfig();
const running = await listenGateway({
  ...config,
  watch: false,
  subgraphPool: {
    deduplicateRepresentations: readBoolean(process.env, 'BENCH_DEDUPLICATE', true),
    mergeFetches: readBoolean(process.env, 'BENCH_MERGE', true),
  },
  ...(readBoolean(process.env, 'BENCH_WARM', true) ? {} : { warmOperations: [] }),
});
console.log(`variant gateway ready at ${running.url}`);
const stop = () => void running.stop().finally(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
