import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Summaries of V8 CPU profiles (`node --cpu-prof`): where a gateway's CPU time went, by function (self time)
// and by package. All the .cpuprofile files of a folder (a gateway's primary and workers) are added up.
//
//   node dist/bench/profile.js bench/profiles/<run>/A

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Who a frame belongs to: a package, Node itself, our code, or one of V8's pseudo-frames. */
export function frameOwner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const all = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  if (all.length) return all[all.length - 1]![1]!;
  const dist = /\/dist\/(.*)$/.exec(url);
  return dist ? `ours: ${dist[1]}` : url;
}

export function summariseProfiles(folder: string, top = 20): string {
  const files = readdirSync(folder).filter((f) => f.endsWith('.cpuprofile'));
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  let totalMs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    // Each sample stands for the time until the next one.
    for (let i = 0; i < samples.length; i++) {
      const dt = deltas[i + 1] ?? 0;
      selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, dt));
    }
    for (const [id, us] of selfUs) {
      const node = byId.get(id);
      if (!node) continue;
      const ms = us / 1000;
      const { functionName, url, lineNumber } = node.callFrame;
      const owner = frameOwner(url, functionName);
      if (owner === '(idle)') continue;
      totalMs += ms;
      const shortUrl = url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, 'dist/');
      const key = `${functionName || '(anonymous)'}${url ? ` ${shortUrl}:${lineNumber + 1}` : ''}`;
      selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
      selfByOwner.set(owner, (selfByOwner.get(owner) ?? 0) + ms);
    }
  }
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)}%`;
  const lines = [`${files.length} profile(s), ${(totalMs / 1000).toFixed(1)} s of CPU (idle excluded)`, '', '| self time by package | share |', '| --- | ---: |'];
  for (const [owner, ms] of [...selfByOwner].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`| ${owner} | ${pct(ms)} |`);
  lines.push('', '| self time by function | share |', '| --- | ---: |');
  for (const [key, ms] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`| \`${key}\` | ${pct(ms)} |`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const folder of process.argv.slice(2)) console.log(`## ${folder}\n\n${summariseProfiles(folder)}\n`);
}
