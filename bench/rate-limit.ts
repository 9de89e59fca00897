import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { defaultAudience, defaultIssuer } from '@talent-hub/gateway/config';
import { talentsWithRegistrations } from '@talent-hub/gateway/known-operations';
import { dropPrefix } from '@talent-hub/gateway/cache/drop-prefix';
import { projectRoot } from '@talent-hub/platform/paths';
import { envName } from '@talent-hub/platform/registry';
import { subgraphNames, type SubgraphName } from './database.js';
import { loadGateway, summarise } from './load.js';
import { cpuDelta, processTree, treeCpuMs } from './proc.js';
import { freePort, Services, type Service } from './services.js';

// `npm run bench:rate-limit`: the gateway CPU that rate limiting costs per request, on the flagship operation
// (TalentsWithRegistrations, 100 talents) sent by a signed-in partner. Three gateways (one process each, response
// cache off) over the same three subgraphs: RATE_LIMIT=off, on with buckets in memory, and on in Redis (when
// REDIS_URL or 127.0.0.1:6379 answers); the budgets are so large that nothing is refused, so what differs is the
// check itself (the cost estimate, the buckets, the Redis round trip). Rounds alternate the gateways. About a minute.

const windowS = 8;
const warmupS = 2;
const rounds = 3;
const connections = 10;
const secret = randomBytes(24).toString('hex');
const huge = '999999999999/999999999999';

const log = (message: string) => console.log(`[bench:rate-limit] ${message}`);

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const services = new Services(path.join(projectRoot, 'bench', 'logs', `rate-limit-${stamp}`));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-bench-rate-limit-'));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `talent-hub-bench:${stamp}:`;
  try {
    const ports = Object.fromEntries(await Promise.all(subgraphNames.map(async (name) => [name, await freePort()]))) as Record<SubgraphName, number>;
    const urlEnv = Object.fromEntries(subgraphNames.map((name) => [envName(name, 'URL'), `http://127.0.0.1:${ports[name]}/graphql`]));
    const common = { NODE_ENV: 'production', HOST: '127.0.0.1', INTERNAL_TOKEN_SECRET: secret, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'warn', ...urlEnv };
    const subgraphs: Service[] = await Promise.all(
      subgraphNames.map((name) =>
        services.start(
          name,
          [path.join('subgraphs', name, 'dist', 'main.js')],
          { ...common, [envName(name, 'PORT')]: String(ports[name]), DATA_DIR: dataDir, SEED_DEMO_DATA: 'true' },
          `http://127.0.0.1:${ports[name]}/graphql`,
        ),
      ),
    );
    log(`subgraphs up: ${subgraphs.map((s) => s.name).join(', ')}`);

    const gatewayEnv = { ...common, GATEWAY_WORKERS: '1', RESPONSE_CACHE: 'off' };
    const limited = { RATE_LIMIT: 'on', RATE_LIMIT_ORGANISATION: huge, RATE_LIMIT_CLIENT: huge, RATE_LIMIT_ANONYMOUS: huge };
    const modes: { mode: string; env: NodeJS.ProcessEnv }[] = [
      { mode: 'off', env: { RATE_LIMIT: 'off' } },
      { mode: 'memory', env: limited },
    ];
    if (await redisAnswers(redisUrl)) modes.push({ mode: 'redis', env: { ...limited, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisPrefix } });
    else log(`no Redis at ${redisUrl}: the Redis mode is left out`);
    const gateways: Service[] = [];
    for (const { mode, env } of modes) {
      const port = await freePort();
      gateways.push(await services.start(`gateway-${mode}`, ['gateway/dist/main.js'], { ...gatewayEnv, ...env, GATEWAY_PORT: String(port) }, `http://127.0.0.1:${port}/`));
    }

    const token = await new SignJWT({ org: 'cemr', roles: ['viewer'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('bench-partner')
      .setIssuer(defaultIssuer)
      .setAudience(defaultAudience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    const body = JSON.stringify({ query: talentsWithRegistrations.query, operationName: talentsWithRegistrations.name, variables: { first: 100 } });

    const cpuPerRequest: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m.mode, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const [i, { mode }] of modes.entries()) {
        const gateway = gateways[i]!;
        let before = new Map<number, number>();
        let cpuMs = 0;
        const sample = await loadGateway({
          url: gateway.url,
          bodies: [body],
          connections,
          warmupS,
          durationS: windowS,
          headers: { authorization: `Bearer ${token}` },
          onWindow: () => (before = treeCpuMs(processTree(gateway.pid))),
          onWindowEnd: () => (cpuMs = cpuDelta(before, treeCpuMs(processTree(gateway.pid)))),
        });
        const window = summarise(sample);
        if (window.errors > 0) throw new Error(`${mode}: ${window.errors} requests failed (refused or errors): the measurement would not compare like with like`);
        const perRequest = cpuMs / Math.max(1, window.requests);
        cpuPerRequest[mode]!.push(perRequest);
        log(`${mode} round ${round}: ${window.rps.toFixed(0)} req/s, p50 ${window.p50Ms.toFixed(1)} ms, gateway ${perRequest.toFixed(3)} CPU ms/req`);
      }
    }

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const off = median(cpuPerRequest.off!);
    console.log('\n| rate limiting | gateway CPU ms per flagship request (median of rounds) | vs off |');
    console.log('| --- | ---: | ---: |');
    for (const { mode } of modes) {
      const value = median(cpuPerRequest[mode]!);
      console.log(`| ${mode} | ${value.toFixed(3)} | ${mode === 'off' ? '–' : `${(((value - off) / off) * 100).toFixed(1)}%`} |`);
    }
  } finally {
    await services.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
    await dropPrefix(redisUrl, redisPrefix).catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

await main();
