import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '@talent-hub/platform/logging';
import { apolloLogger } from './logging.js';
import { watchSupergraph } from './supergraph.js';

/** A pino logger writing JSON lines into an array. */
function collected() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: apolloLogger(createLogger({ service: 'gateway', env: { LOG_LEVEL: 'debug' }, destination })) };
}

describe('apolloLogger', () => {
  it('writes messages, errors and field objects as JSON lines, dropping variables and tokens', () => {
    const { lines, logger } = collected();
    logger.info('gateway ready');
    logger.error(new Error('boom'));
    logger.info({ msg: 'graphql request', requestId: 'r-1', outcome: 'success', variables: { email: 'jane@example.org' }, token: 'secret' });
    expect(lines.map((l) => [l.level, l.service, l.msg])).toEqual([
      [30, 'gateway', 'gateway ready'],
      [50, 'gateway', 'boom'],
      [30, 'gateway', 'graphql request'],
    ]);
    expect(lines[2]).toMatchObject({ requestId: 'r-1', outcome: 'success' });
    expect(JSON.stringify(lines)).not.toMatch(/jane@example\.org|secret/);
  });

  it('carries the refusal of a supergraph that does not load, with why, and the previous one stays', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'gateway-logging-'));
    const file = path.join(folder, 'supergraph.graphql');
    writeFileSync(file, 'the first version');
    const { lines, logger } = collected();
    const loaded: string[] = [];
    const watched = await watchSupergraph(file, {
      watch: true,
      logger,
      update: (sdl) => {
        if (sdl.includes('broken')) throw new Error('Syntax Error: Unexpected Name "broken"');
        loaded.push(sdl);
      },
    });
    try {
      expect(watched.supergraphSdl).toBe('the first version');
      writeFileSync(file, 'broken');
      await vi.waitFor(() => expect(lines.some((l) => l.level === 50)).toBe(true), { timeout: 5_000, interval: 50 });
      expect(lines.find((l) => l.level === 50)?.msg).toBe(
        `Supergraph ${file} was not loaded (Syntax Error: Unexpected Name "broken"); still serving the previous one.`,
      );
      expect(loaded).toEqual([]);
    } finally {
      watched.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
