import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '@talent-hub/platform/paths';

// The processes the benchmark starts: subgraphs and gateways, each a compiled entry point under dist/, on a free
// loopback port, with its output in a log file. All of them are stopped (SIGTERM, then SIGKILL) at the end.

export interface Service {
  name: string;
  pid: number;
  url: string;
  child: ChildProcess;
}

/** A TCP port free on the loopback interface right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class Services {
  private readonly running: Service[] = [];
  constructor(private readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
  }

  /**
   * Starts `node <args>` from the project folder and waits until a GraphQL server answers `{ __typename }` at
   * `url` (a subgraph in production answers it 401 UNAUTHENTICATED without an internal token, a gateway enforcing
   * trusted documents 400 DOCUMENT_NOT_TRUSTED: up too). Fails if the process exits first or does not answer within `timeoutMs`.
   */
  async start(
    name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    url: string,
    timeoutMs = 120_000,
  ): Promise<Service> {
    const log = createWriteStream(path.join(this.logDir, `${name}.log`));
    const child = spawn(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    let exited: string | undefined;
    child.on('exit', (code, signal) => {
      exited = `exited (${signal ?? `code ${code}`})`;
    });
    const service: Service = { name, pid: child.pid!, url, child };
    this.running.push(service);
    const deadline = Date.now() + timeoutMs;
    while (!(await answers(url))) {
      if (exited) throw new Error(`${name} ${exited} before answering; see ${path.join(this.logDir, `${name}.log`)}`);
      if (Date.now() > deadline) throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return service;
  }

  /** Stops one service: SIGTERM, and SIGKILL after 10 s. */
  async stop(service: Service): Promise<void> {
    const index = this.running.indexOf(service);
    if (index >= 0) this.running.splice(index, 1);
    const { child } = service;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
  }

  /** Stops every service still running, gateways (started last) first. */
  async stopAll(): Promise<void> {
    for (const service of [...this.running].reverse()) await this.stop(service);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { data?: { __typename?: unknown }; errors?: { extensions?: { code?: unknown } }[] };
    // Up, and refusing it: a subgraph in production (no internal token), a gateway enforcing trusted documents.
    const refusedBy = body.errors?.[0]?.extensions?.code;
    return (response.ok && body.data?.__typename === 'Query') || (response.status === 401 && refusedBy === 'UNAUTHENTICATED') || (response.status === 400 && refusedBy === 'DOCUMENT_NOT_TRUSTED');
  } catch {
    return false;
  }
}
