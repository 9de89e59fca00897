import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Readings of other processes from Linux's /proc: CPU time (utime + stime) and peak resident memory (VmHWM).

let clockTicks: number | undefined;

/** Kernel clock ticks per second (the unit of utime and stime), usually 100. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function statFields(pid: number): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone
  }
  // The command name (field 2) is in parentheses and may hold spaces; the fields after it start at field 3.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU time a process has used so far, user and system, in milliseconds; 0 when it is gone. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  // Fields 14 (utime) and 15 (stime), counted from 1 over the whole line; index 0 here is field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
}

/** The process and all its descendants (a gateway's cluster workers), by parent pid in /proc. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const parent = Number(fields[1]);
    const list = parents.get(parent) ?? [];
    list.push(Number(entry));
    parents.set(parent, list);
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of parents.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** CPU milliseconds used so far by each process of a tree, by pid. */
export function treeCpuMs(pids: readonly number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuMs(pid)]));
}

/** CPU milliseconds used between two readings of the same processes (a process that ended counts 0 after). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, end] of after) total += Math.max(0, end - (before.get(pid) ?? 0));
  return total;
}

/** Resident set size (VmRSS), or its peak so far (VmHWM), of a process in bytes; 0 when it is gone. */
export function rssBytes(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set size (VmHWM) of a process in bytes; 0 when it is gone. */
export const peakRssBytes = (pid: number) => rssBytes(pid, 'VmHWM');

/**
 * Waits until the processes are idle: less than 5% of a core between two readings 250 ms apart. A load generator
 * that stops leaves requests in flight, which gateways and subgraphs finish anyway; the next window must not
 * measure that backlog. Gives up after `maxMs`.
 */
export async function waitUntilIdle(pids: () => number[], maxMs = 60_000): Promise<number> {
  const started = Date.now();
  let before = treeCpuMs(pids());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = treeCpuMs([...before.keys()]);
    if (cpuDelta(before, after) < 12.5 || Date.now() - started > maxMs) return Date.now() - started;
    before = treeCpuMs(pids());
  }
}
