import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryBuckets, type BucketCheck } from './rate-limit-bucket.js';
import { RedisBuckets } from './rate-limit-redis.js';
import { dropPrefix, testRedisUrl } from './testing/redis.js';

const org: BucketCheck = { key: 'org:a', level: 'organisation', budget: { capacity: 1_000, refillPerSecond: 1 } };
const client: BucketCheck = { key: 'client:a:x', level: 'client', budget: { capacity: 300, refillPerSecond: 1 } };

const silent = () => ({ warnings: [] as string[], debug() {}, info() {}, error() {}, warn(message: string) { this.warnings.push(message); } });

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.runIf(testRedisUrl)('RedisBuckets (Lua script)', () => {
  const prefix = `talent-hub-test:rate-limit-redis:${process.pid}:${randomBytes(4).toString('hex')}:`;
  afterAll(() => dropPrefix(prefix));

  it('charges every bucket or none, names the refusing level and its wait, as the in-memory arithmetic does', async () => {
    const logger = silent();
    const fallbacks: number[] = [];
    const buckets = new RedisBuckets({ url: testRedisUrl!, keyPrefix: prefix, commandTimeoutMs: 1_000, logger, onFallback: () => fallbacks.push(1) });
    try {
      expect(await buckets.take([org, client], 250)).toEqual({ allowed: true, charged: 250 });
      // 50 left for the client: 100 more lacks 50 units at 1 a second (a few ms of refill at most).
      const refused = await buckets.take([org, client], 100);
      expect(refused).toMatchObject({ allowed: false, level: 'client' });
      expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(49_000);
      expect((refused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(50_000);
      // Nothing was taken from the organisation by the refusal: 750 left, a cost above that is refused by it.
      expect(await buckets.take([org], 800)).toMatchObject({ allowed: false, level: 'organisation' });
      expect(await buckets.take([org], 700)).toEqual({ allowed: true, charged: 700 });
      // A cost above a bucket's capacity takes the full bucket.
      expect(await buckets.take([{ ...client, key: 'client:a:y' }], 5_000)).toEqual({ allowed: true, charged: 300 });
      expect(fallbacks).toEqual([]);
      expect(logger.warnings).toEqual([]);
    } finally {
      await buckets.close();
    }
  });
});

describe('RedisBuckets without Redis', () => {
  it('limits with its own buckets, logs once per interval, and counts each fallback', async () => {
    const logger = silent();
    let fallbacks = 0;
    const buckets = new RedisBuckets({
      url: `redis://127.0.0.1:${await closedPort()}`,
      keyPrefix: 'unused:',
      commandTimeoutMs: 50,
      logger,
      onFallback: () => fallbacks++,
      fallback: new MemoryBuckets(10),
    });
    try {
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await buckets.take([client], 100));
      // Three fit in the client's 300, then the process's own bucket refuses: limited, not unlimited.
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
      expect(fallbacks).toBe(5);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(/^Redis rate limiting unavailable; limiting with this process's own buckets/);
    } finally {
      await buckets.close();
    }
  });
});
