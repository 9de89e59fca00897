import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, RedisStore, type CacheStore } from './keyvalue.js';
import { dropPrefix, testRedisUrl } from '../testing/redis.js';

const redisUrl = testRedisUrl;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The same contract, whichever store. */
function contract(name: string, open: () => Promise<CacheStore>, close: () => Promise<void>, skip = false) {
  describe.skipIf(skip)(name, () => {
    let store: CacheStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(close);

    it('gets what was set, misses what was not, deletes', async () => {
      await store.set('a', 'one');
      expect(await store.get('a')).toBe('one');
      expect(await store.get('missing')).toBeUndefined();
      expect(await store.getMany(['a', 'missing'])).toEqual(['one', undefined]);
      expect(await store.delete('a')).toBe(true);
      expect(await store.get('a')).toBeUndefined();
    });

    it('drops every entry of an invalidated tag, and only those', async () => {
      expect(await store.setTagged('q1', 'v1', 60, ['e:Programme:p1', 't:Programme'])).toBe(true);
      expect(await store.setTagged('q2', 'v2', 60, ['e:Programme:p2', 't:Programme'])).toBe(true);
      expect(await store.setTagged('q3', 'v3', 60, ['e:Region:ITH5'])).toBe(true);
      expect(await store.invalidateTags(['e:Programme:p1'], 1)).toBe(1);
      expect(await store.getMany(['q1', 'q2', 'q3'])).toEqual([undefined, 'v2', 'v3']);
      expect(await store.invalidateTags(['t:Programme'], 1)).toBe(1);
      expect(await store.getMany(['q1', 'q2', 'q3'])).toEqual([undefined, undefined, 'v3']);
    });

    it('does not store an entry tagged with a tag invalidated within the hold time', async () => {
      await store.invalidateTags(['e:Event:held'], 1);
      expect(await store.setTagged('h1', 'old', 60, ['e:Event:held'])).toBe(false);
      expect(await store.get('h1')).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await store.setTagged('h1', 'new', 60, ['e:Event:held'])).toBe(true);
      expect(await store.get('h1')).toBe('new');
    });

    it('expires entries after their TTL', async () => {
      await store.set('short', 'x', { ttl: 1 });
      await store.setTagged('short-tagged', 'y', 1, ['e:Skill:s']);
      expect(await store.get('short')).toBe('x');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await store.getMany(['short', 'short-tagged'])).toEqual([undefined, undefined]);
    });
  });
}

contract(
  'MemoryStore',
  async () => new MemoryStore(1024 * 1024),
  async () => {},
);

const prefix = `talent-hub-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
let redisStore: RedisStore | undefined;
contract(
  'RedisStore',
  async () => {
    redisStore = new RedisStore({ url: redisUrl!, keyPrefix: prefix, commandTimeoutMs: 500, logger: quiet });
    await waitFor(async () => (await redisStore!.set('ping', 'pong'), (await redisStore!.get('ping')) === 'pong'));
    return redisStore;
  },
  async () => {
    await redisStore?.close();
    await dropPrefix(prefix);
  },
  !redisUrl,
);

describe('MemoryStore bounds', () => {
  it('evicts the least recently used entries past its size, and their tags with them', async () => {
    const store = new MemoryStore(10_000);
    for (let i = 0; i < 100; i++) await store.setTagged(`k${i}`, 'x'.repeat(500), 60, [`e:T:${i}`]);
    expect(store.size.bytes).toBeLessThanOrEqual(10_000);
    expect(store.size.entries).toBeLessThan(100);
    expect(store.size.tags).toBe(store.size.entries);
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k99')).toBe('x'.repeat(500));
  });

  it('keeps a recently read entry over older unread ones', async () => {
    const store = new MemoryStore(2_000); // two entries of 400 characters fit, not three
    await store.set('first', 'x'.repeat(400));
    await store.set('second', 'x'.repeat(400));
    await store.get('first');
    await store.set('third', 'x'.repeat(400));
    expect(await store.get('first')).toBeDefined();
    expect(await store.get('second')).toBeUndefined();
  });
});

describe('RedisStore when Redis is unreachable', () => {
  it('misses at once, loses writes without throwing, and warns once per interval', async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: prefix,
      commandTimeoutMs: 200,
      logger: { ...quiet, warn: (message: string) => warnings.push(message) },
      logIntervalMs: 60_000,
    });
    try {
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        expect(await store.get('a')).toBeUndefined();
        expect(await store.getMany(['a', 'b'])).toEqual([undefined, undefined]);
        await store.set('a', 'b', { ttl: 10 });
        expect(await store.setTagged('a', 'b', 10, ['t'])).toBe(false);
      }
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/Redis cache unavailable/);
      expect(warnings[0]).not.toMatch(/\ba\b.*\bb\b/);
    } finally {
      await store.close();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('Redis did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
