import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { readGatewayConfig } from '@talent-hub/gateway/config';
import { readPort, readString } from '@talent-hub/platform/env';
import { entryPointArgs, projectRoot } from '@talent-hub/platform/paths';
import { envName, subgraphRegistry } from '@talent-hub/platform/registry';
import { buildWebApps } from './web-apps.js';

// `npm start`: every subgraph of subgraphs/registry.json, then the gateway, each in its own process, as they run in
// production. scripts/launch.js builds the workspaces when stale and runs this compiled, so the services run
// compiled too (entryPointArgs); run from its sources (node --import tsx scripts/start.ts), the services are too.

// Each output line starts with its service's name, padded to the longest.
const labelWidth = Math.max('gateway'.length, ...subgraphRegistry().map((entry) => entry.name.length)) + 1;
const subgraphStartMs = 120_000; // a first start migrates and seeds the embedded databases
const gatewayStartMs = 30_000;
const stopGraceMs = 10_000;
// Memory of a local stack (bench:start), for each service: V8's young generation grows to 16 MB semi-spaces while a
// service loads its modules and keeps them resident (capped at 1 MB: 20 to 40 MB less once idle, for more frequent,
// shorter collections); and Node's 4 V8 background threads compile PGlite's WebAssembly at once, each holding its
// own code and memory arena (1 thread: ~30 MB less per subgraph, no slower to start on 2 cores). Only npm start does
// this; containers run node with its defaults.
const serviceNodeFlags = ['--max-semi-space-size=1', '--v8-pool-size=1'];

// The services' output comes through a pipe here, so they would write JSON lines; a person at a terminal gets
// readable lines instead (LOG_FORMAT overrides).
const env = { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json') };
const host = readString(env, 'HOST', '127.0.0.1');
// Listening on every interface still answers on the loopback one; the gateway and this script call that.
const callHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
// Read first: it refuses <NAME>_URL and <NAME>_TIMEOUT_MS variables that name no subgraph of the registry.
const gatewayConfig = readGatewayConfig(env);
const gatewayPort = fixedPort('GATEWAY_PORT', gatewayConfig.port);

const children = new Map<string, ChildProcess>();
let stopping = false;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!stopping) return void shutdown(0, `${signal}: stopping every service`);
    // A second Ctrl-C does not wait any longer.
    process.exitCode = 1;
    for (const child of children.values()) child.kill('SIGKILL');
  });
}

// Every port and URL is read before anything starts, so that a bad variable leaves no process behind.
const gatewayEnv: NodeJS.ProcessEnv = { ...env };
const subgraphs: { name: string; entry: string[]; url: string }[] = [];
for (const { name, port } of subgraphRegistry()) {
  const entry = entryPointArgs(path.join('subgraphs', name), 'main');
  const url = `http://${callHost}:${fixedPort(envName(name, 'PORT'), readPort(env, envName(name, 'PORT'), port))}/graphql`;
  // The gateway calls each subgraph where this script started it, unless told otherwise.
  gatewayEnv[envName(name, 'URL')] ||= url;
  subgraphs.push({ name, entry, url });
}

for (const { name, entry } of subgraphs) start(name, entry, env);
await Promise.all(subgraphs.map(({ name, url }) => waitUntilAnswering(name, url, subgraphStartMs)));
start('gateway', entryPointArgs('gateway', 'main'), gatewayEnv);
await waitUntilAnswering('gateway', `http://${callHost}:${gatewayPort}/`, gatewayStartMs);
// Then the web apps the gateway serves, built when missing or older than their sources (a fresh dist/ costs a few
// file stats). After the graph answers, not beside it: a Vite build takes 10 to 30 s and ~300 MB on a fresh clone,
// which would hold the first answer back and add to the peak memory of the start; the gateway looks for the built
// files at each request, so it serves them once they are there (until then `/` answers 503, saying so).
if (gatewayConfig.webApps) await buildStaleWebApps();
const shownHost = callHost === '127.0.0.1' ? 'localhost' : callHost;
process.stdout.write(`\n    Talent Hub is ready: http://${shownHost}:${gatewayPort}/    (Ctrl-C stops every service)\n\n`);

async function buildStaleWebApps(): Promise<void> {
  try {
    await buildWebApps({ onlyStale: true, log });
  } catch (error) {
    // The graph is still worth starting; the gateway answers `/` with a 503 naming `npm run build:web`.
    logError(`${(error as Error).message}\nStarting without it; fix the build and run \`npm run build:web\`.`);
  }
}

function start(name: string, entry: string[], childEnv: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, [...serviceNodeFlags, ...entry], {
    cwd: projectRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  prefixLines(child.stdout, name, process.stdout);
  prefixLines(child.stderr, name, process.stderr);
  child.on('error', (error) => void shutdown(1, `${name} could not be started: ${error.message}`));
  // 'close' rather than 'exit': it comes after the child's last output lines.
  child.on('close', (code, signal) => {
    children.delete(name);
    if (!stopping) void shutdown(1, `${name} exited unexpectedly (${signal ?? `exit code ${code}`}); stopping the others`);
  });
}

async function waitUntilAnswering(name: string, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (Date.now() > deadline) return shutdown(1, `${name} did not answer at ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`${name} answers at ${url}`);
}

/** True when a GraphQL server answers `{ __typename }` at the URL. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { data?: { __typename?: unknown } };
    return response.ok && body.data?.__typename === 'Query';
  } catch {
    return false;
  }
}

/** Stops the gateway, then the subgraphs, each with SIGTERM and, after a grace period, SIGKILL; then exits. */
async function shutdown(code: number, message: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  (code === 0 ? log : logError)(message);
  // The gateway first, so that it does not report subgraphs going away under it.
  await stop('gateway');
  await Promise.all([...children.keys()].map(stop));
  process.exit(process.exitCode ?? code);
}

async function stop(name: string): Promise<void> {
  const child = children.get(name);
  if (!child) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    logError(`${name} did not stop within ${stopGraceMs / 1000} s; killing it`);
    child.kill('SIGKILL');
  }, stopGraceMs);
  await closed;
  clearTimeout(timer);
}

function fixedPort(variable: string, port: number): number {
  if (port === 0) throw new Error(`${variable} is 0; npm start needs fixed ports to connect the services`);
  return port;
}

function prefixLines(stream: Readable, name: string, out: NodeJS.WriteStream): void {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${label(name)}${line}\n`));
}

function label(name: string): string {
  return `${name.padEnd(labelWidth)}| `;
}

function log(message: string): void {
  process.stdout.write(`${label('start')}${message}\n`);
}

function logError(message: string): void {
  process.stderr.write(`${label('start')}${message}\n`);
}
