import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { projectRoot } from '@talent-hub/platform/paths';
import { subgraphRegistry, envName } from '@talent-hub/platform/registry';
import { cpuMs, processTree, rssBytes } from './proc.js';

// `npm run bench:start`: what a new user waits for and what the embedded stack holds in memory. Runs `npm start` as
// a user would (the same command, through npm), on ports of its own and a data folder of its own:
// - fresh: as on a fresh clone: no compiled output of the start (scripts/launch.js builds it) and no data folder
//   (the web apps are left built: npm start builds them after the graph answers);
// - cold: built, and an empty data folder (new clusters, migrations and seeds run);
// - warm: the same folder again (the data is there).
// For each: seconds until the gateway answers a query with the seeded data, the peak of the summed resident memory
// of the whole process tree (npm, the start script, every service, the build) until then, and that sum once idle;
// per process (by command line): its peak resident memory (VmHWM: while seeding, on a first start) and once idle.
// And the CPU time all the processes spent until the first answer: on a machine shared with other work the wall
// time varies with their load, this much less.

const { values } = parseArgs({
  options: {
    warm: { type: 'string', default: '2' },
    'port-base': { type: 'string', default: '4600' },
    'idle-ms': { type: 'string', default: '5000' },
    'timeout-ms': { type: 'string', default: '180000' },
    fresh: { type: 'boolean', default: true },
  },
});
const warmRuns = Number(values.warm);
const portBase = Number(values['port-base']);
const idleMs = Number(values['idle-ms']);
const timeoutMs = Number(values['timeout-ms']);
const sampleMs = 100;

interface StartRun {
  kind: 'fresh' | 'cold' | 'warm';
  firstAnswerMs: number;
  /** CPU time (user and system) of every process of the tree until the first answer, in ms. */
  cpuMsToAnswer: number;
  /** The same by command line, in ms. */
  cpuMsByProcess: Record<string, number>;
  /** Load average (1 minute) of the machine when the run began and when it answered: other work sharing the cores. */
  loadAverage: [number, number];
  peakRssMb: number;
  idleRssMb: number;
  /** Peak resident memory of each process until idle (its VmHWM), by command line, in MB. */
  peakByProcess: Record<string, number>;
  /** The services' own resident memory once idle, by command line (the start script and npm apart). */
  idleByProcess: Record<string, number>;
}

function commandOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const entry = args.find((a) => /(?:main|start|launch)\.(?:ts|js)$/.test(a)) ?? args.slice(0, 2).join(' ');
    return path.relative(projectRoot, entry) || entry;
  } catch {
    return String(pid);
  }
}

const treeRss = (root: number) => processTree(root).reduce((sum, pid) => sum + rssBytes(pid), 0);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ region(code: "ITH5") { name } }' }),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { data?: { region?: { name?: string } } };
    return body.data?.region?.name === 'Emilia-Romagna';
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('close', () => resolve());
    // npm start's own Ctrl-C: the start script stops every service and exits.
    process.kill(-child.pid!, 'SIGINT');
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, 20_000).unref();
  });
}

async function run(kind: StartRun['kind'], dataDir: string): Promise<StartRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, GATEWAY_PORT: String(portBase), LOG_FORMAT: 'json', APOLLO_TELEMETRY_DISABLED: '1' };
  subgraphRegistry().forEach(({ name }, index) => (env[envName(name, 'PORT')] = String(portBase + 1 + index)));
  for (const key of Object.keys(env)) if (/_DATABASE_URL$|^DATABASE_URL$/.test(key)) delete env[key];
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  let peak = 0;
  // Each process's own peak (VmHWM), last read while it lived, by pid; summed by command line at the end.
  const peaks = new Map<number, { command: string; bytes: number }>();
  const cpu = new Map<number, number>();
  const commands = new Map<number, string>();
  const loadBefore = os.loadavg()[0]!;
  const sample = () => {
    const pids = processTree(child.pid!);
    for (const pid of pids) {
      cpu.set(pid, Math.max(cpu.get(pid) ?? 0, cpuMs(pid)));
      if (!commands.has(pid)) commands.set(pid, commandOf(pid));
    }
    peak = Math.max(peak, pids.reduce((sum, pid) => sum + rssBytes(pid), 0));
    for (const pid of pids) {
      const bytes = rssBytes(pid, 'VmHWM');
      if (bytes > 0) peaks.set(pid, { command: peaks.get(pid)?.command ?? commandOf(pid), bytes });
    }
  };
  const sampler = setInterval(sample, sampleMs);
  try {
    const url = `http://127.0.0.1:${portBase}/graphql`;
    while (!(await answers(url))) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}): ${stderr}`);
      if (performance.now() - started > timeoutMs) throw new Error(`no answer within ${timeoutMs} ms: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, sampleMs));
    }
    const firstAnswerMs = Math.round(performance.now() - started);
    sample();
    const cpuMsToAnswer = Math.round([...cpu.values()].reduce((sum, ms) => sum + ms, 0));
    const cpuMsByProcess: Record<string, number> = {};
    for (const [pid, ms] of cpu) cpuMsByProcess[commands.get(pid)!] = Math.round((cpuMsByProcess[commands.get(pid)!] ?? 0) + ms);
    const loadAverage: [number, number] = [loadBefore, os.loadavg()[0]!];
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    sample();
    const pids = processTree(child.pid!);
    const idleByProcess: Record<string, number> = {};
    for (const pid of pids) idleByProcess[commandOf(pid)] = (idleByProcess[commandOf(pid)] ?? 0) + mb(rssBytes(pid));
    const peakByProcess: Record<string, number> = {};
    for (const { command, bytes } of peaks.values()) peakByProcess[command] = (peakByProcess[command] ?? 0) + mb(bytes);
    return { kind, firstAnswerMs, cpuMsToAnswer, cpuMsByProcess, loadAverage, peakRssMb: mb(peak), idleRssMb: mb(treeRss(child.pid!)), peakByProcess, idleByProcess };
  } finally {
    clearInterval(sampler);
    await stop(child);
  }
}

/** Removes what npm start builds (scripts/launch.js: the workspaces' dist/ and its stamp), as on a fresh clone. */
async function removeStartBuild(): Promise<void> {
  // By path: the bench is compiled into dist/bench/, the launcher is not compiled (scripts/launch.d.ts: its types).
  const launch = (await import(pathToFileURL(path.join(projectRoot, 'scripts', 'launch.js')).href)) as typeof import('../scripts/launch.js');
  rmSync(launch.stampFile(projectRoot), { force: true });
  for (const folder of launch.startProjects(projectRoot)) rmSync(path.join(projectRoot, folder, 'dist'), { recursive: true, force: true });
}

const runs: StartRun[] = [];
const dataDirs: string[] = [];
const newDataDir = () => {
  dataDirs.push(mkdtempSync(path.join(os.tmpdir(), 'talent-hub-start-')));
  return dataDirs.at(-1)!;
};
try {
  if (values.fresh) {
    await removeStartBuild();
    runs.push(await run('fresh', newDataDir()));
  }
  const dataDir = newDataDir();
  runs.push(await run('cold', dataDir));
  for (let i = 0; i < warmRuns; i += 1) runs.push(await run('warm', dataDir));
} finally {
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
}

const rows = runs.map((r) =>
  `| ${r.kind} | ${(r.firstAnswerMs / 1000).toFixed(1)} s | ${(r.cpuMsToAnswer / 1000).toFixed(1)} s | ${r.loadAverage.map((l) => l.toFixed(1)).join(' → ')} | ${r.peakRssMb} MB | ${r.idleRssMb} MB |`);
process.stdout.write(
  ['| start | first answer | CPU time until then | load average | peak RSS (all processes) | idle RSS |', '| --- | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n') + '\n',
);
for (const r of runs) {
  process.stdout.write(`${r.kind} CPU until the first answer by process (ms): ${JSON.stringify(r.cpuMsByProcess)}\n`);
  process.stdout.write(`${r.kind} peak by process (MB): ${JSON.stringify(r.peakByProcess)}\n`);
  process.stdout.write(`${r.kind} idle by process (MB): ${JSON.stringify(r.idleByProcess)}\n`);
}
const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
const out = path.join(projectRoot, 'bench', 'results', `start-${stamp}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, runs }, null, 2) + '\n');
process.stdout.write(`written to ${path.relative(projectRoot, out)}\n`);
