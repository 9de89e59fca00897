import { SignJWT } from 'jose';
import { defaultAudience, defaultIssuer } from '@talent-hub/gateway/config';
import { documentHash } from '@talent-hub/gateway/trusted-documents';
import { dropPrefix } from '@talent-hub/gateway/cache/drop-prefix';
import type { KnownOperation } from '@talent-hub/gateway/known-operations';
import { loadGateway, summarise } from './load.js';
import { cpuDelta, processTree, treeCpuMs, waitUntilIdle } from './proc.js';
import { freePort, type Service, type Services } from './services.js';

// What the gateway's guards cost it: gateway CPU per flagship request with rate limiting and trusted documents
// on, against the same gateway with both off. Part of `npm run bench` (on its 100k data set) and runnable alone
// (`npm run bench:guards`, on the demo data). Each variant is its own gateway process (one worker, response cache
// off, production), started together over the same subgraphs and idle while another is measured; rounds alternate
// them. The flagship is sent by a signed-in partner (so that its answer is whole and the rate limit charges it),
// with budgets so large that nothing is refused: what differs is the check itself. Few connections, so that
// neither the gateway nor the subgraphs saturate and a window's CPU is that of the requests it counts.

export interface GuardVariant {
  name: string;
  label: string;
  /** The gateway's environment beyond the common one. */
  env: NodeJS.ProcessEnv;
  /** The request body, and headers beside the token. */
  body: string;
  headers: Record<string, string>;
}

export interface GuardResult {
  label: string;
  /** Gateway CPU ms per request, one per round. */
  cpuMsPerRequest: number[];
  medianCpuMsPerRequest: number;
  /** Median over rounds, against the baseline's median, in percent (0 for the baseline). */
  vsBaselinePercent: number;
  medianRps: number;
  medianP50Ms: number;
}

export interface GuardResults {
  connections: number;
  rounds: number;
  durationS: number;
  variants: Record<string, GuardResult>;
}

const huge = '999999999999/999999999999';
const client = 'talent-hub-partner-apps';

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The variants: the baseline, rate limiting in memory and in Redis (when given), trusted documents by text and by id. */
export function guardVariants(flagship: KnownOperation, variables: Record<string, unknown>, redis?: { url: string; prefix: string }): GuardVariant[] {
  const text = JSON.stringify({ query: flagship.query, operationName: flagship.name, variables });
  const byId = JSON.stringify({ documentId: `sha256:${documentHash(flagship.query)}`, operationName: flagship.name, variables });
  const off = { RATE_LIMIT: 'off', TRUSTED_DOCUMENTS: 'off' };
  const limited = { ...off, RATE_LIMIT: 'on', RATE_LIMIT_ORGANISATION: huge, RATE_LIMIT_CLIENT: huge, RATE_LIMIT_ANONYMOUS: huge };
  const enforced = { ...off, TRUSTED_DOCUMENTS: 'enforce' };
  const named = { 'apollographql-client-name': client };
  return [
    { name: 'baseline', label: 'rate limiting off, trusted documents off', env: off, body: text, headers: {} },
    { name: 'rate-limit-memory', label: 'rate limiting, buckets in memory', env: limited, body: text, headers: {} },
    ...(redis
      ? [{ name: 'rate-limit-redis', label: 'rate limiting, buckets in Redis', env: { ...limited, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix }, body: text, headers: {} }]
      : []),
    { name: 'trusted-text', label: 'trusted documents enforced, full text', env: enforced, body: text, headers: named },
    { name: 'trusted-id', label: 'trusted documents enforced, documentId', env: enforced, body: byId, headers: named },
  ];
}

/** A partner's bearer token (a viewer of CEMR) signed with the gateways' AUTH_JWT_SECRET. */
export function partnerToken(jwtSecret: string): Promise<string> {
  return new SignJWT({ org: 'cemr', roles: ['viewer'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('bench-partner')
    .setIssuer(defaultIssuer)
    .setAudience(defaultAudience)
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(jwtSecret));
}

export async function redisAnswers(url: string): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts a gateway per variant (with `gatewayEnv`: subgraph URLs, secrets, production), measures them in alternating
 * rounds, and stops them. Refuses to report when a variant's answers fail or differ from the baseline's.
 */
export async function measureGuards(options: {
  services: Services;
  gatewayEnv: NodeJS.ProcessEnv;
  jwtSecret: string;
  variants: GuardVariant[];
  /** Processes whose CPU must settle between windows (the subgraphs). */
  otherPids: () => number[];
  rounds: number;
  durationS: number;
  warmupS: number;
  connections: number;
  log: (message: string) => void;
  redis?: { url: string; prefix: string };
}): Promise<GuardResults> {
  const { services, variants, log } = options;
  const token = await partnerToken(options.jwtSecret);
  const gateways: Service[] = [];
  try {
    for (const variant of variants) {
      const port = await freePort();
      const env = { ...options.gatewayEnv, GATEWAY_WORKERS: '1', RESPONSE_CACHE: 'off', ...variant.env, GATEWAY_PORT: String(port) };
      gateways.push(await services.start(`guards-${variant.name}`, ['gateway/dist/main.js'], env, `http://127.0.0.1:${port}/`));
    }
    const headersOf = (variant: GuardVariant) => ({ ...variant.headers, authorization: `Bearer ${token}` });
    // The same answer from every variant, without errors.
    let reference: string | undefined;
    for (const [i, variant] of variants.entries()) {
      const response = await fetch(gateways[i]!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headersOf(variant) }, body: variant.body });
      const answer = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
      if (response.status !== 200 || answer.errors?.length) throw new Error(`guards ${variant.name}: HTTP ${response.status} ${answer.errors?.[0]?.message ?? ''}`);
      const data = JSON.stringify(answer.data);
      if (reference !== undefined && data !== reference) throw new Error(`guards ${variant.name}: the answer differs from the baseline's`);
      reference = data;
    }
    const allPids = () => [...gateways.flatMap((g) => processTree(g.pid)), ...options.otherPids()];
    const perRound: Record<string, { cpu: number; rps: number; p50: number }[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
    for (let round = 1; round <= options.rounds; round++) {
      for (const [i, variant] of variants.entries()) {
        const gateway = gateways[i]!;
        let before = new Map<number, number>();
        let cpu = 0;
        const sample = await loadGateway({
          url: gateway.url,
          bodies: [variant.body],
          connections: options.connections,
          warmupS: options.warmupS,
          durationS: options.durationS,
          headers: headersOf(variant),
          onWindow: () => (before = treeCpuMs(processTree(gateway.pid))),
          onWindowEnd: () => (cpu = cpuDelta(before, treeCpuMs(processTree(gateway.pid)))),
        });
        const window = summarise(sample);
        if (window.errors > 0) throw new Error(`guards ${variant.name}: ${window.errors} requests failed: the variants would not compare like with like`);
        const cpuPerRequest = cpu / Math.max(1, window.requests);
        perRound[variant.name]!.push({ cpu: cpuPerRequest, rps: window.rps, p50: window.p50Ms });
        log(`guards round ${round} ${variant.name}: ${window.rps.toFixed(1)} req/s, p50 ${window.p50Ms.toFixed(1)} ms, gateway ${cpuPerRequest.toFixed(3)} CPU ms/req`);
        await waitUntilIdle(allPids);
      }
    }
    const baseline = median(perRound.baseline!.map((r) => r.cpu));
    const results: Record<string, GuardResult> = {};
    for (const variant of variants) {
      const rounds = perRound[variant.name]!;
      const cpu = median(rounds.map((r) => r.cpu));
      results[variant.name] = {
        label: variant.label,
        cpuMsPerRequest: rounds.map((r) => r.cpu),
        medianCpuMsPerRequest: cpu,
        vsBaselinePercent: ((cpu - baseline) / baseline) * 100,
        medianRps: median(rounds.map((r) => r.rps)),
        medianP50Ms: median(rounds.map((r) => r.p50)),
      };
    }
    return { connections: options.connections, rounds: options.rounds, durationS: options.durationS, variants: results };
  } finally {
    for (const gateway of gateways) await services.stop(gateway);
    if (options.redis) await dropPrefix(options.redis.url, options.redis.prefix).catch(() => undefined);
  }
}

/** The results as a Markdown table. */
export function guardsTable(results: GuardResults): string {
  const rows = Object.values(results.variants).map((v) => {
    const spread = `${Math.min(...v.cpuMsPerRequest).toFixed(2)} to ${Math.max(...v.cpuMsPerRequest).toFixed(2)}`;
    const share = v.label === results.variants.baseline?.label ? '–' : `${v.vsBaselinePercent >= 0 ? '+' : ''}${v.vsBaselinePercent.toFixed(1)}%`;
    return `| ${v.label} | ${v.medianCpuMsPerRequest.toFixed(2)} | ${spread} | ${share} | ${v.medianRps.toFixed(1)} | ${v.medianP50Ms.toFixed(1)} |`;
  });
  return [
    `Guards: gateway CPU per flagship request (${results.rounds} rounds of ${results.durationS} s at ${results.connections} connections)`,
    '',
    '| gateway | CPU ms/req (median) | rounds | vs baseline | req/s | p50 ms |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
