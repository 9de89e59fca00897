import path from 'node:path';
import type { StoreConfig } from './db.js';
import { readBoolean, readInteger, readPort, readSecret, readString, readUrl, type Env } from '@talent-hub/platform/env';
import { envName, readSubgraphUrls, registryEntry, subgraphRegistry } from '@talent-hub/platform/registry';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { projectRoot } from '@talent-hub/platform/paths';

/** Everything a subgraph process reads from its environment, read once by its main.ts. */
export interface SubgraphConfig {
  name: string;
  host: string;
  port: number;
  store: StoreConfig;
  seedDemoData: boolean;
  /** Verifies the identity tokens the gateway sends (shared with the gateway). */
  internalTokenSecret: string;
  /** Where the subgraphs of this graph answer, for calls between them (see peers.ts). */
  subgraphUrls: Record<string, string>;
  /** After SIGTERM: how long to keep serving while answering /ready with 503, so load balancers stop sending. */
  shutdownDelayMs: number;
  /** After SIGTERM and the delay: how long requests in flight may take before their connections are cut. */
  shutdownTimeoutMs: number;
  /** How long /ready waits for the database to answer before it says 503. */
  readinessTimeoutMs: number;
}

/**
 * Variables (NAME is the subgraph's name in capitals, hyphens as underscores, e.g. TALENTS):
 * - `NAME_PORT`: port to listen on (default: the subgraph's port in subgraphs/registry.json).
 * - `NAME_DATABASE_URL`: a postgres:// URL; when absent the subgraph uses embedded PGlite.
 * - `DATA_DIR`: folder for embedded databases (default `.data` in the project); each subgraph uses a sub-folder.
 * - `HOST`: interface to listen on (default 127.0.0.1; use 0.0.0.0 in a container).
 * - `SEED_DEMO_DATA`: load the demo data on start when the database lacks it (default true).
 * - `INTERNAL_TOKEN_SECRET`: the secret the gateway signs callers' identities with, at least 32 characters;
 *   required in production (NODE_ENV=production), a fixed development secret otherwise.
 * - `<NAME>_URL` of every subgraph of the registry: where it answers, for calls between subgraphs (readSubgraphUrls).
 * - `SHUTDOWN_DELAY_MS`: on SIGTERM, keep serving this long (0 to 120000, default 0) while /ready answers 503, so
 *   that a load balancer or Kubernetes endpoints controller stops sending before the listener closes. Set it a
 *   little above the readiness probe's period in Kubernetes (e.g. 5000).
 * - `SHUTDOWN_TIMEOUT_MS`: then, how long requests in flight may run (100 to 300000, default 10000) before their
 *   connections are closed; keep the delay plus this below the pod's terminationGracePeriodSeconds.
 * - `READINESS_TIMEOUT_MS`: how long /ready waits for the database's `select 1` (50 to 60000, default 2000).
 * - `LOG_LEVEL`, `LOG_FORMAT`: see logging.ts. Tracing (`OTEL_*`): see readTracingConfig.
 */
export function readSubgraphConfig(name: string, env: Env = process.env): SubgraphConfig {
  const registry = subgraphRegistry();
  const entry = registryEntry(name, registry);
  const url = readUrl(env, envName(name, 'DATABASE_URL'), ['postgres:', 'postgresql:']);
  const dataDir = path.resolve(readString(env, 'DATA_DIR', path.join(projectRoot, '.data')), name);
  return {
    name,
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, envName(name, 'PORT'), entry.port),
    store: url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir },
    seedDemoData: readBoolean(env, 'SEED_DEMO_DATA', true),
    internalTokenSecret: readSecret(env, 'INTERNAL_TOKEN_SECRET', developmentInternalSecret),
    subgraphUrls: readSubgraphUrls(env, registry),
    shutdownDelayMs: readInteger(env, 'SHUTDOWN_DELAY_MS', 0, 0, 120_000),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 300_000),
    readinessTimeoutMs: readInteger(env, 'READINESS_TIMEOUT_MS', 2_000, 50, 60_000),
  };
}
