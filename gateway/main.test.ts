import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot, sourceNodeArgs } from '@talent-hub/platform/paths';

// gateway/main.ts as `npm start` runs it: its own process, here with two cluster workers on a free port.

/** Child pids of a process (Linux). */
const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

async function typename(url: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return response.json();
}

describe('gateway main with workers', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('serves on one port from two workers and stops them all on %s', async (signal) => {
    child = spawn(process.execPath, [...sourceNodeArgs, path.join('gateway', 'main.ts')], {
      cwd: projectRoot,
      env: { ...process.env, GATEWAY_PORT: '0', HOST: '127.0.0.1', GATEWAY_WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const lines = readline.createInterface({ input: child.stdout! });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        output.push(line);
        // JSON lines (pino; standard output is not a terminal here).
        const match = /^gateway ready at (\S+) \(2 workers/.exec(String((JSON.parse(line) as { msg?: unknown }).msg));
        if (match) resolve(match[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready:\n${output.join('\n')}`)));
    });
    const workers = childrenOf(child.pid!);
    expect(workers).toHaveLength(2);
    for (let i = 0; i < 4; i++) expect(await typename(url)).toEqual({ data: { __typename: 'Query' }, extensions: { cost: { estimated: 0, actual: 0 } } });

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill(signal);
    expect(await exited).toBe(0);
    for (const pid of workers) expect(existsSync(`/proc/${pid}`)).toBe(false);
    await expect(typename(url)).rejects.toThrow();
  });
});
