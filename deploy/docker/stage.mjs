// What the image of one service holds, worked out from the workspaces' package.json files and
// subgraphs/registry.json, so that one Dockerfile builds the gateway and every subgraph (a new subgraph needs no
// edit here). Plain Node, no dependencies: it runs in the Docker build before and after `npm ci`, and the deploy
// test runs it on a copy of the repository to see what an image would contain. Run it from the project root.
//
//   node deploy/docker/stage.mjs workspace <service>       prints the service's workspace folder (gateway, subgraphs/<name>)
//   node deploy/docker/stage.mjs manifests <out>           copies what `npm ci` reads: package.json, package-lock.json,
//                                                          every workspace's package.json, and subgraphs/registry.json
//   node deploy/docker/stage.mjs modules <service> <out>   after `npm ci --omit=dev --workspace=<folder>`: moves
//                                                          node_modules (and a workspace's own, if npm made one) to <out>
//   node deploy/docker/stage.mjs runtime <service> <out>   after the build: copies what the service runs (below) to <out>
//
// A service's runtime files: the root package.json; subgraphs/registry.json (every service reads it); for the
// gateway, schema/supergraph.graphql; and for its workspace and each workspace it depends on (package.json
// `dependencies`, transitively): package.json, the compiled dist/ (no declarations, no tests) and the files the
// code reads beside its sources (a subgraph's schema.graphql, seed CSVs): every file that is not TypeScript, a
// test, under testing/, a tsconfig or documentation.

import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();

/** Files outside the workspaces that a service reads at run time (test/deploy.test.ts checks them against the code). */
const projectFiles = {
  all: ['package.json', 'subgraphs/registry.json'],
  gateway: ['schema/supergraph.graphql'],
};

const readJson = (file) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

function fail(message) {
  console.error(`stage.mjs: ${message}`);
  process.exit(1);
}

/** The workspace folders of the root package.json (`dir` or `dir/*` patterns), each with its package.json. */
function workspaceFolders() {
  const folders = [];
  for (const pattern of readJson('package.json').workspaces ?? []) {
    if (pattern.endsWith('/*') && !pattern.slice(0, -2).includes('*')) {
      const parent = pattern.slice(0, -2);
      if (!existsSync(path.join(root, parent))) continue;
      for (const entry of readdirSync(path.join(root, parent), { withFileTypes: true })) {
        const folder = `${parent}/${entry.name}`;
        if (entry.isDirectory() && existsSync(path.join(root, folder, 'package.json'))) folders.push(folder);
      }
    } else if (!pattern.includes('*')) {
      if (existsSync(path.join(root, pattern, 'package.json'))) folders.push(pattern);
    } else fail(`workspace pattern "${pattern}" is not supported (use "dir" or "dir/*")`);
  }
  return folders.sort();
}

/** The services: the gateway and every subgraph of the registry. */
function serviceNames() {
  return ['gateway', ...readJson('subgraphs/registry.json').subgraphs.map((entry) => entry.name)];
}

/** The workspace folder of a service: `gateway`, or `subgraphs/<name>` for a subgraph of the registry. */
function serviceFolder(service) {
  const names = serviceNames();
  if (!names.includes(service)) fail(`unknown service "${service}"; the services are ${names.join(', ')} (SERVICE build argument)`);
  const folder = service === 'gateway' ? 'gateway' : `subgraphs/${service}`;
  if (!workspaceFolders().includes(folder)) fail(`${folder} is not a workspace (no ${folder}/package.json)`);
  return folder;
}

/** The service's workspace and every workspace it depends on in production, transitively (the service first). */
function workspaceClosure(folder) {
  const byName = new Map(workspaceFolders().map((f) => [readJson(`${f}/package.json`).name, f]));
  const seen = [folder];
  for (let i = 0; i < seen.length; i++) {
    const manifest = readJson(`${seen[i]}/package.json`);
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const dependency = byName.get(name);
      if (dependency && !seen.includes(dependency)) seen.push(dependency);
    }
  }
  return seen;
}

/** Files under a folder (paths from the project root), skipping folders for which `skipFolder` says so. */
function filesUnder(folder, skipFolder) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const child = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skipFolder(entry.name)) walk(child);
      } else if (entry.isFile()) out.push(child);
    }
  };
  walk(folder);
  return out.sort();
}

const isTest = (name) => /\.test\.[cm]?[jt]sx?(?:\.map)?$/.test(name) || /\.spec\.[cm]?[jt]sx?(?:\.map)?$/.test(name);

/** Compiled JavaScript of a workspace (and its source maps); declarations, build info and compiled tests left out. */
function compiledFiles(folder) {
  return filesUnder(`${folder}/dist`, (name) => name === 'testing' || name === 'node_modules').filter((file) => {
    const name = path.posix.basename(file);
    return !/\.d\.[cm]?ts(?:\.map)?$/.test(name) && !name.endsWith('.tsbuildinfo') && !isTest(name);
  });
}

/** The files a workspace's code reads beside its sources: everything but TypeScript, tests, testing/, tsconfig, docs. */
function sourceSideFiles(folder) {
  const skipFolder = (name) => ['dist', 'node_modules', 'testing'].includes(name) || name.startsWith('.');
  return filesUnder(folder, skipFolder).filter((file) => {
    const name = path.posix.basename(file);
    if (name.startsWith('.') || name === 'package.json' || isTest(name)) return false;
    if (/\.[cm]?tsx?$/.test(name) || /^tsconfig.*\.json$/.test(name) || name.endsWith('.tsbuildinfo')) return false;
    return !/\.(?:md|markdown)$/i.test(name);
  });
}

function copyInto(out, files) {
  for (const file of files) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    copyFileSync(path.join(root, file), path.join(out, file));
  }
}

/** Moves a folder; copies (keeping symbolic links as they are) when a rename cannot cross file systems. */
function move(from, to) {
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (error) {
    if (error.code !== 'EXDEV') throw error;
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    rmSync(from, { recursive: true, force: true });
  }
}

function runtime(service, out) {
  const folder = serviceFolder(service);
  const closure = workspaceClosure(folder);
  const files = [...projectFiles.all, ...(projectFiles[service] ?? [])];
  for (const workspace of closure) {
    const compiled = compiledFiles(workspace);
    if (compiled.length === 0) fail(`${workspace}/dist holds no JavaScript: build first (tsc -b ${workspace}/tsconfig.build.json)`);
    files.push(`${workspace}/package.json`, ...compiled, ...sourceSideFiles(workspace));
  }
  if (!files.includes(`${folder}/dist/main.js`)) fail(`${folder}/dist/main.js is missing: the service's entry point is ${folder}/main.ts`);
  for (const file of files) if (!existsSync(path.join(root, file))) fail(`${file} is missing`);
  copyInto(out, files);
  console.log(`${service}: ${files.length} files of ${closure.join(', ')} and the project into ${out}`);
}

function manifests(out) {
  const files = ['package.json', 'package-lock.json', 'subgraphs/registry.json', ...workspaceFolders().map((f) => `${f}/package.json`)];
  if (existsSync(path.join(root, '.npmrc'))) files.push('.npmrc');
  copyInto(out, files);
}

function modules(service, out) {
  const folder = serviceFolder(service);
  if (!existsSync(path.join(root, 'node_modules'))) fail('no node_modules: run npm ci first');
  move(path.join(root, 'node_modules'), path.join(out, 'node_modules'));
  for (const workspace of workspaceClosure(folder)) {
    const own = path.join(root, workspace, 'node_modules');
    if (existsSync(own)) move(own, path.join(out, workspace, 'node_modules'));
  }
}

const [command, ...args] = process.argv.slice(2);
const usage = 'usage: stage.mjs workspace <service> | manifests <out> | modules <service> <out> | runtime <service> <out>';
if (command === 'workspace' && args.length === 1) console.log(serviceFolder(args[0]));
else if (command === 'manifests' && args.length === 1) manifests(path.resolve(args[0]));
else if (command === 'modules' && args.length === 2) modules(args[0], path.resolve(args[1]));
else if (command === 'runtime' && args.length === 2) runtime(args[0], path.resolve(args[1]));
else fail(usage);
