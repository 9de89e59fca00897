import net from 'node:net';
import { Redis } from 'ioredis';

/**
 * The Redis the tests use: TEST_REDIS_URL when set (CI sets it, and then an unreachable Redis fails the tests),
 * otherwise the local default when something answers there; undefined on a machine without Redis, where the
 * tests that need one are skipped (the README's test command needs no server).
 */
export const testRedisUrl: string | undefined = process.env.TEST_REDIS_URL || ((await reachable('127.0.0.1', 6379)) ? 'redis://127.0.0.1:6379' : undefined);

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 300 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Removes every key under a prefix: what a test run wrote to a shared Redis. */
export async function dropPrefix(keyPrefix: string, url = testRedisUrl): Promise<void> {
  if (!url) return;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
