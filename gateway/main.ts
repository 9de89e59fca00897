import { readGatewayConfig } from './config.js';
import { listenGateway } from './server.js';

// ApolloGateway reads this when it is constructed (not when imported) and otherwise sends usage metrics to Apollo.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const config = readGatewayConfig();
const running = await listenGateway({ ...config, watch: true });
console.log(`gateway ready at ${running.url} (supergraph ${config.supergraphPath})`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`gateway stopping (${signal})`);
  await running.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
