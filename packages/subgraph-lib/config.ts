import path from 'node:path';
import type { StoreConfig } from './db.js';
import { isProduction, readBoolean, readInteger, readPort, readSecret, readString, readUrl, type Env } from '@talent-hub/platform/env';
import { readMetricsAccess, type MetricsAccess } from '@talent-hub/platform/http-front';
import { defaultSubgraphLimits, type SubgraphLimits } from './limits.js';
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
  /** What one request may carry and ask (limits.ts). */
  limits: SubgraphLimits;
  /** Refuse requests that carry no internal token signed by the gateway (or a peer). */
  requireIdentity: boolean;
  /** Internal errors reach callers as "Internal server error" with their code. */
  maskErrors: boolean;
  /** Who may read /metrics, and on which port. */
  metricsAccess: MetricsAccess;
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
 * - Limits of one request, refused before it executes with the registry's codes (limits.ts; defaults measured on
 *   what the gateway sends, with a margin): `SUBGRAPH_MAX_BODY_BYTES` (default 2,097,152 = 2 MiB, 1 KiB to 100 MiB;
 *   413 above), `SUBGRAPH_MAX_DEPTH` (default 20, 1 to 100), `SUBGRAPH_MAX_ALIASES` (default 60, 0 to 10,000; the
 *   aliases of root `_entities` fields are not counted), `SUBGRAPH_MAX_ROOT_FIELDS` (default 20, 1 to 1,000; root
 *   `_entities` fields are not counted), `SUBGRAPH_MAX_REPRESENTATIONS` (entity representations in one operation,
 *   default 10,000, 1 to 1,000,000). Keep them above the gateway's GATEWAY_MAX_* (a fetch is one level deeper than
 *   the client's selection under it).
 * - `SUBGRAPH_REQUIRE_IDENTITY`: refuse (401) requests without an internal token (default true in production,
 *   where it cannot be turned off, false elsewhere so that tests and local tools can call a subgraph directly).
 * - With `NODE_ENV=production`, internal errors reach callers as "Internal server error" with their code only; the
 *   real message is logged with the request id.
 * - `METRICS_TOKEN`, `METRICS_PORT`: protect /metrics with a bearer token, or serve it on a port of its own
 *   (readMetricsAccess in packages/platform/http-front.ts).
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
    limits: readSubgraphLimits(env),
    requireIdentity: readRequireIdentity(env),
    maskErrors: isProduction(env),
    metricsAccess: readMetricsAccess(env),
  };
}

function readSubgraphLimits(env: Env): SubgraphLimits {
  const d = defaultSubgraphLimits;
  return {
    maxBodyBytes: readInteger(env, 'SUBGRAPH_MAX_BODY_BYTES', d.maxBodyBytes, 1024, 100 * 1024 * 1024),
    maxDepth: readInteger(env, 'SUBGRAPH_MAX_DEPTH', d.maxDepth, 1, 100),
    maxAliases: readInteger(env, 'SUBGRAPH_MAX_ALIASES', d.maxAliases, 0, 10_000),
    maxRootFields: readInteger(env, 'SUBGRAPH_MAX_ROOT_FIELDS', d.maxRootFields, 1, 1_000),
    maxRepresentations: readInteger(env, 'SUBGRAPH_MAX_REPRESENTATIONS', d.maxRepresentations, 1, 1_000_000),
  };
}

function readRequireIdentity(env: Env): boolean {
  const required = readBoolean(env, 'SUBGRAPH_REQUIRE_IDENTITY', isProduction(env));
  if (!required && isProduction(env)) throw new Error('SUBGRAPH_REQUIRE_IDENTITY cannot be false in production: subgraphs serve only the gateway and each other');
  return required;
}
