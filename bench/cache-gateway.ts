import { readGatewayConfig } from '@talent-hub/gateway/config';
import { listenGateway } from '@talent-hub/gateway/server';

// Our gateway (one process) as gateway/main.ts configures it from the environment (RESPONSE_CACHE, REDIS_URL...),
// counting the response cache's lookups through its onLookup hook. `npm run bench:cache` asks for the counts
// over the IPC channel it starts this process with.

process.env.APOLLO_TELEMETRY_DISABLED = '1';
const config = readGatewayConfig();
const counts = { lookups: 0, hits: 0 };
const running = await listenGateway({
  ...config,
  watch: false,
  cache: {
    ...config.cache,
    onLookup: (hit) => {
      counts.lookups++;
      if (hit) counts.hits++;
    },
  },
});
console.log(`cache bench gateway ready at ${running.url}`);
process.on('message', (message: unknown) => {
  if (message === 'counts') process.send?.({ counts });
});
const stop = () => void running.stop().finally(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('disconnect', stop);
