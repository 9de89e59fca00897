import path from 'node:path';
import type { StoreConfig } from './db.js';
import { readBoolean, readInteger, readPort, readSecret, readString, readUrl, type Env } from './env.js';
import { developmentInternalSecret } from './identity.js';
import { projectRoot } from './paths.js';

/** Everything a subgraph process reads from its environment. Each subgraph's config.ts calls this once. */
export interface SubgraphConfig {
  name: string;
  host: string;
  port: number;
  store: StoreConfig;
  seedDemoData: boolean;
  /** Verifies the identity tokens the gateway sends (shared with the gateway). */
  internalTokenSecret: string;
  /** Where the subgraphs of this graph answer, for calls between them (see peers.ts). */
  subgraphUrls: Record<SubgraphName, string>;
  /** After SIGTERM: how long to keep serving while answering /ready with 503, so load balancers stop sending. */
  shutdownDelayMs: number;
  /** After SIGTERM and the delay: how long requests in flight may take before their connections are cut. */
  shutdownTimeoutMs: number;
  /** How long /ready waits for the database to answer before it says 503. */
  readinessTimeoutMs: number;
}

export type SubgraphName = 'talents' | 'trainings' | 'regions';

/** Where each subgraph listens unless its `<NAME>_PORT` says otherwise. */
export const defaultSubgraphPorts: Record<SubgraphName, number> = { talents: 4001, trainings: 4002, regions: 4003 };

/**
 * `TALENTS_URL`, `TRAININGS_URL`, `REGIONS_URL`: where each subgraph answers (default
 * `http://127.0.0.1:4001/graphql`, 4002, 4003). Read by the gateway and by subgraphs that call each other.
 */
export function readSubgraphUrls(env: Env): Record<SubgraphName, string> {
  const url = (name: SubgraphName) =>
    readUrl(env, `${name.toUpperCase()}_URL`, ['http:', 'https:']) ?? `http://127.0.0.1:${defaultSubgraphPorts[name]}/graphql`;
  return { talents: url('talents'), trainings: url('trainings'), regions: url('regions') };
}

/**
 * Variables (NAME is the subgraph's name in capitals, e.g. TALENTS):
 * - `NAME_PORT`: port to listen on.
 * - `NAME_DATABASE_URL`: a postgres:// URL; when absent the subgraph uses embedded PGlite.
 * - `DATA_DIR`: folder for embedded databases (default `.data` in the project); each subgraph uses a sub-folder.
 * - `HOST`: interface to listen on (default 127.0.0.1; use 0.0.0.0 in a container).
 * - `SEED_DEMO_DATA`: load the demo data on start when the database lacks it (default true).
 * - `INTERNAL_TOKEN_SECRET`: the secret the gateway signs callers' identities with, at least 32 characters;
 *   required in production (NODE_ENV=production), a fixed development secret otherwise.
 * - `TALENTS_URL`, `TRAININGS_URL`, `REGIONS_URL`: see readSubgraphUrls.
 * - `SHUTDOWN_DELAY_MS`: on SIGTERM, keep serving this long (0 to 120000, default 0) while /ready answers 503, so
 *   that a load balancer or Kubernetes endpoints controller stops sending before the listener closes. Set it a
 *   little above the readiness probe's period in Kubernetes (e.g. 5000).
 * - `SHUTDOWN_TIMEOUT_MS`: then, how long requests in flight may run (100 to 300000, default 10000) before their
 *   connections are closed; keep the delay plus this below the pod's terminationGracePeriodSeconds.
 * - `READINESS_TIMEOUT_MS`: how long /ready waits for the database's `select 1` (50 to 60000, default 2000).
 * - `LOG_LEVEL`, `LOG_FORMAT`: see logging.ts. Tracing (`OTEL_*`): see readTracingConfig.
 */
export function readSubgraphConfig(name: string, defaultPort: number, env: Env = process.env): SubgraphConfig {
  const prefix = name.toUpperCase();
  const url = readUrl(env, `${prefix}_DATABASE_URL`, ['postgres:', 'postgresql:']);
  const dataDir = path.resolve(readString(env, 'DATA_DIR', path.join(projectRoot, '.data')), name);
  return {
    name,
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, `${prefix}_PORT`, defaultPort),
    store: url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir },
    seedDemoData: readBoolean(env, 'SEED_DEMO_DATA', true),
    internalTokenSecret: readSecret(env, 'INTERNAL_TOKEN_SECRET', developmentInternalSecret),
    subgraphUrls: readSubgraphUrls(env),
    shutdownDelayMs: readInteger(env, 'SHUTDOWN_DELAY_MS', 0, 0, 120_000),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 300_000),
    readinessTimeoutMs: readInteger(env, 'READINESS_TIMEOUT_MS', 2_000, 50, 60_000),
  };
}

/** Whether and how a process (a subgraph or the gateway) exports OpenTelemetry traces. */
export interface TracingConfig {
  enabled: boolean;
  /** `service.name` of its spans. */
  serviceName: string;
}

const traceExporters = ['otlp', 'console', 'zipkin', 'none'];

/**
 * Tracing is off unless one of the standard OpenTelemetry variables asks for it:
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): the collector's OTLP/HTTP address,
 *   e.g. `http://otel-collector:4318`; setting it switches tracing on with the OTLP exporter.
 * - `OTEL_TRACES_EXPORTER`: `otlp`, `console` or `zipkin` (comma-separated) switches tracing on with those
 *   exporters; `none` keeps it off even when an endpoint is set.
 * - `OTEL_SERVICE_NAME`: the service name on its spans (default: the service's own name, e.g. `talents`).
 * The OpenTelemetry SDK reads the rest of its standard variables itself (`OTEL_EXPORTER_OTLP_HEADERS`,
 * `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_RESOURCE_ATTRIBUTES`, ...).
 * Traces propagate as W3C trace context (`traceparent`), gateway to subgraphs.
 */
export function readTracingConfig(serviceName: string, env: Env = process.env): TracingConfig {
  const endpoint =
    readUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']) ?? readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  const exporters = readString(env, 'OTEL_TRACES_EXPORTER', '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = exporters.find((name) => !traceExporters.includes(name));
  if (unknown) throw new Error(`OTEL_TRACES_EXPORTER must list ${traceExporters.join(', ')}; got "${unknown}"`);
  const enabled = exporters.includes('none') ? false : exporters.length > 0 || endpoint !== undefined;
  return { enabled, serviceName: readString(env, 'OTEL_SERVICE_NAME', serviceName) };
}
