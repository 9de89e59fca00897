import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import { scaffoldSubgraph, ScaffoldRefusal } from '../scripts/new-subgraph/scaffold.js';

// `npm run subgraph:new`: a refused name changes nothing; an accepted one gives, in a copy of this repository, a
// subgraph that type-checks, passes its own tests and the repository's checks, and answers through the gateway of
// `npm start` with no hand edit.

const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The repository's files as they are in the working tree (tracked and untracked, not ignored), into a new folder. */
function copyRepository(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-scaffold-'));
  temporary.push(dir);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(projectRoot, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(projectRoot, file), path.join(dir, file));
  }
  return dir;
}

/**
 * The installed packages, hard-linked (seconds, no download). npm rewrites files it owns at node_modules' top
 * (.package-lock.json) and the workspace links: those are copied or made anew, so the original is never written.
 */
function linkNodeModules(dir: string): void {
  const from = path.join(projectRoot, 'node_modules');
  const to = path.join(dir, 'node_modules');
  execFileSync('cp', ['-al', from, to]);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isFile()) {
      rmSync(path.join(to, entry.name));
      copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
    }
  }
}

/** A hash of every file under a folder: to prove that a refusal wrote nothing. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else hash.update(child).update(readFileSync(path.join(dir, child)));
    }
  };
  walk('.');
  return hash.digest('hex');
}

describe('npm run subgraph:new refuses', () => {
  // Enough of the repository for the checks that come before anything is written.
  const root = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-scaffold-refusals-'));
  temporary.push(root);
  for (const file of ['subgraphs/registry.json', 'schema/api.graphql']) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    copyFileSync(path.join(projectRoot, file), path.join(root, file));
  }
  mkdirSync(path.join(root, 'subgraphs', 'leftover'));

  it.each([
    ['Badges', /lowercase letters and single hyphens/],
    ['badge_s', /lowercase letters and single hyphens/],
    ['-badges', /lowercase letters and single hyphens/],
    ['badges-', /lowercase letters and single hyphens/],
    ['gateway', /reserved/],
    ['skills-database', /reserved/],
    ['talents', /already in subgraphs\/registry.json/],
    ['leftover', /subgraphs\/leftover\/ exists already/],
    ['events', /type Event already/],
    ['region', /type Region already/],
  ])('%s, changing nothing', async (name, reason) => {
    const before = treeHash(root);
    await expect(scaffoldSubgraph({ root, name, install: false })).rejects.toThrow(reason);
    await expect(scaffoldSubgraph({ root, name, install: false })).rejects.toBeInstanceOf(ScaffoldRefusal);
    expect(treeHash(root)).toBe(before);
  });

  it('a description or owner that would break the files it is written into', async () => {
    const before = treeHash(root);
    await expect(scaffoldSubgraph({ root, name: 'badges', description: 'ends */ a comment', install: false })).rejects.toThrow(/--description/);
    await expect(scaffoldSubgraph({ root, name: 'badges', owner: 'Not An Id', install: false })).rejects.toThrow(/--owner/);
    expect(treeHash(root)).toBe(before);
  });

  it('from the command line with exit code 2 and the reason', () => {
    const result = spawnSync('npm', ['run', '-s', 'subgraph:new', '--', 'Bad_Name'], { cwd: projectRoot, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Refused, nothing was changed: "Bad_Name" is not a subgraph name/);
  });
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** This process's environment for a command in the copy: no vitest worker state, PGlite only, no colours. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST_DATABASE_URL'));
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}

function run(cwd: string, command: string, args: string[], timeout = 600_000) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: childEnv() });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.slice(-4000) };
}

/** Files that differ between the repository and the copy (or exist in only one), outside `except`. */
function changedFiles(dir: string, except: string): string[] {
  const listed = (root: string) =>
    execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file !== '' && existsSync(path.join(root, file)));
  const walk = (root: string, relative: string): string[] =>
    readdirSync(path.join(root, relative), { withFileTypes: true }).flatMap((entry) => {
      const child = path.join(relative, entry.name);
      if (['node_modules', 'dist', '.data', '.git'].includes(entry.name)) return [];
      return entry.isDirectory() ? walk(root, child) : [child];
    });
  const files = new Set([...listed(projectRoot), ...walk(dir, '.').map((f) => path.normalize(f))]);
  return [...files]
    .filter((file) => !file.startsWith(except))
    .filter((file) => {
      const a = path.join(projectRoot, file);
      const b = path.join(dir, file);
      return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
    })
    .sort();
}

describe('npm run subgraph:new badges, in a copy of the repository', () => {
  let start: ChildProcess | undefined;
  afterAll(() => {
    if (start?.pid && start.exitCode === null) process.kill(-start.pid, 'SIGKILL');
  });

  it('makes a subgraph that passes its tests and the checks, and answers through the gateway of npm start', { timeout: 1_200_000 }, async () => {
    const dir = copyRepository();
    linkNodeModules(dir);
    const made = run(dir, 'npm', ['run', '-s', 'subgraph:new', '--', 'badges']);
    expect(made.status, made.output).toBe(0);

    // One new folder and one registry line; the rest follows from the registry.
    const changed = changedFiles(dir, path.join('subgraphs', 'badges'));
    expect(changed.filter((file) => !file.startsWith(`deploy${path.sep}`))).toEqual(
      ['package-lock.json', 'schema/api.graphql', 'schema/supergraph.graphql', 'subgraphs/registry.json'].map(path.normalize),
    );
    const registry = (root: string) => readFileSync(path.join(root, 'subgraphs', 'registry.json'), 'utf8').split('\n');
    const added = registry(dir).filter((line) => !registry(projectRoot).includes(line) && !registry(projectRoot).includes(`${line.replace(/,$/, '')}`));
    expect(added).toEqual([expect.stringMatching(/^ {4}\{ "name": "badges", "port": \d+, "owner": "cemr", "description": ".+" \}$/)]);
    expect(readFileSync(path.join(dir, 'deploy', 'k8s', 'kustomization.yaml'), 'utf8')).toContain('badges.yaml');

    // No hand edit: it type-checks, its own tests pass (unit and through the gateway), and so do the checks that
    // follow from the registry (composition, generated types, deployment files, import rules).
    const typecheck = run(dir, 'npx', ['tsc', '--noEmit', '-p', '.']);
    expect(typecheck.status, typecheck.output).toBe(0);
    const tests = run(dir, 'npx', ['vitest', 'run', 'subgraphs/badges', 'test/composition.test.ts', 'test/codegen.test.ts', 'test/deploy.test.ts', 'test/architecture.test.ts']);
    expect(tests.status, tests.output).toBe(0);
    expect(tests.output).toMatch(/subgraphs\/badges\/test\/gateway\.test\.ts/);

    // npm start serves it through the gateway.
    const ports = { GATEWAY_PORT: await freePort(), TALENTS_PORT: await freePort(), TRAININGS_PORT: await freePort(), REGIONS_PORT: await freePort(), BADGES_PORT: await freePort() };
    start = spawn('npm', ['start'], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv({ ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATA_DIR: path.join(dir, '.data'), LOG_FORMAT: 'json' }),
    });
    let output = '';
    start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not ready within 240 s:\n${output.slice(-3000)}`)), 240_000);
      const check = setInterval(() => {
        if (output.includes('Talent Hub is ready')) {
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        }
      }, 250);
      start!.once('exit', (code) => {
        clearInterval(check);
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}):\n${output.slice(-3000)}`));
      });
    });
    const response = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ region(code: "ITH5") { badges { __typename } } }' }),
    });
    // The cost: the region, and its badges as many as their @listSize says (100); 3 returned.
    expect(await response.json()).toEqual({
      data: { region: { badges: [{ __typename: 'Badge' }, { __typename: 'Badge' }, { __typename: 'Badge' }] } },
      extensions: { cost: { estimated: 101, actual: 4 } },
    });
    const exited = new Promise((resolve) => start!.once('exit', resolve));
    process.kill(-start.pid!, 'SIGTERM');
    await exited;
  });
});
