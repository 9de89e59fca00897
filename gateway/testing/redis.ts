import net from 'node:net';
import { dropPrefix as dropKeys } from '../cache/drop-prefix.js';

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

/** Removes every key under a prefix from the tests' Redis (nothing to do without one). */
export async function dropPrefix(keyPrefix: string, url = testRedisUrl): Promise<void> {
  if (url) await dropKeys(url, keyPrefix);
}
