/**
 * The operational endpoints every service (gateway and subgraphs) serves on its own port, for probes and scrapers.
 * Deployment manifests point at these (test/deploy.test.ts checks them against this list).
 */
export const endpoints = {
  /** Liveness: 200 while the process runs. */
  health: '/health',
  /** Readiness: 200 when the service can serve, else 503 with the reasons. */
  ready: '/ready',
  /** Prometheus text exposition. */
  metrics: '/metrics',
} as const;

export const operationalPaths: readonly string[] = Object.values(endpoints);
