import cluster, { type Worker } from 'node:cluster';
import { readGatewayConfig, type GatewayConfig } from './config.js';
import { apolloLogger, createGatewayLogger } from './logging.js';
import { aggregateWorkerMetrics } from './metrics.js';

// ApolloGateway reads this when it is constructed (not when imported) and otherwise sends usage metrics to Apollo.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

// One process serves when GATEWAY_WORKERS is 1. Otherwise this process is the primary of a node:cluster: it forks
// the workers, which share the port (the primary hands out connections in turn) and each load and watch the
// supergraph themselves; it restarts a worker that crashes, and on SIGINT/SIGTERM stops them all, then itself.
// On SIGTERM a serving process first answers 503 on /ready for SHUTDOWN_DELAY_MS while still serving, then stops
// accepting connections, finishes the requests in flight, closes its subgraph connections and exits 0.

const config = readGatewayConfig();
const log = createGatewayLogger();
if (config.workers > 1 && cluster.isPrimary) runPrimary(config);
else await runServer(config);

async function runServer(config: GatewayConfig): Promise<void> {
  // First: @apollo/gateway makes its spans on whatever tracer provider is registered (none unless OTEL_* asks).
  const { startTracing, stopTracing } = await import('@talent-hub/platform/tracing');
  await startTracing('gateway');
  // Imported here, not above: the primary of a cluster serves nothing and need not hold the gateway in memory.
  const { listenGateway } = await import('./server.js');
  const { gatewayMetrics, serveMetricsToPrimary } = await import('./metrics.js');
  serveMetricsToPrimary(gatewayMetrics());
  // Its subgraphs' URLs are those of the registry (and the environment): a supergraph naming another is refused.
  const running = await listenGateway({ ...config, watch: true, onlyConfiguredSubgraphs: true, logger: apolloLogger(log) });
  if (cluster.isPrimary) log.info(`gateway ready at ${running.url} (supergraph ${config.supergraphPath})`);
  else process.send?.({ ready: running.url });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`gateway stopping (${signal})`);
    // SIGINT is someone at a terminal: no load balancer to wait for.
    await running.stop({ delayMs: signal === 'SIGTERM' ? config.shutdownDelayMs : 0 });
    log.info('gateway stopped');
    await stopTracing();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A worker whose primary is gone (killed without a chance to stop it) stops too.
  if (cluster.isWorker) process.on('disconnect', () => void stop('primary gone'));
}

function runPrimary(config: GatewayConfig): void {
  // Apollo's drain plugin lets requests in flight run for 10 s after the listener closes; then a margin.
  const stopGraceMs = config.shutdownDelayMs + 15_000;
  const restartDelayMs = 1_000;
  let stopping = false;
  let ready = 0;
  const started = new WeakSet<Worker>();

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: { ready?: string }) => {
      if (!message?.ready || started.has(worker)) return;
      started.add(worker);
      if (++ready === config.workers) {
        log.info(`gateway ready at ${message.ready} (${config.workers} workers, supergraph ${config.supergraphPath})`);
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return; // stop() waits for every worker, then exits
    if (!started.has(worker)) {
      // It never served: the next one would fail the same way (a bad supergraph, a port in use).
      log.error(`gateway worker ${worker.process.pid} failed to start (${signal ?? `exit code ${code}`}); stopping`);
      void stop(1);
      return;
    }
    if (code === 0 && !signal) {
      // Stopped on purpose (a signal sent to it alone): run with one worker fewer; stop when none is left.
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error(`gateway worker ${worker.process.pid} died (${signal ?? `exit code ${code}`}); starting another`);
    setTimeout(() => {
      if (!stopping) fork();
    }, restartDelayMs).unref();
  });

  const stop = async (exitCode: number, signal?: string) => {
    if (stopping) return;
    stopping = true;
    if (signal) log.info(`gateway stopping (${signal})`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(exitCode);
    // Each worker drains its requests and exits; one that takes too long is killed.
    const timer = setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, stopGraceMs);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            // The primary's own signal: on SIGTERM workers wait SHUTDOWN_DELAY_MS before closing, on SIGINT not.
            worker.process.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
          }),
      ),
    );
    clearTimeout(timer);
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop(0, 'SIGINT'));
  process.on('SIGTERM', () => void stop(0, 'SIGTERM'));

  aggregateWorkerMetrics();
  for (let i = 0; i < config.workers; i++) fork();
}
