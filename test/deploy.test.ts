import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { operationalPaths } from '@talent-hub/platform/endpoints';
import { projectRoot, sourceNodeArgs } from '@talent-hub/platform/paths';
import { envName, gatewayDefaultPort, parseRegistry, subgraphRegistry, type SubgraphEntry } from '@talent-hub/platform/registry';
import { generateDeployFiles, outdatedDeployFiles } from '../scripts/deploy/generate.js';

// Checks the deployment (deploy/, .dockerignore) against the code it deploys and against the subgraph registry it
// is generated from, without Docker or Kubernetes: YAML parsed, the Dockerfile read as text, its staging script and
// its shell commands run on this machine, the lockfile walked. Services and ports come from subgraphs/registry.json;
// the compose and Kubernetes checks run on the committed files and on a generation for a registry with two more
// subgraphs, so a new subgraph's deployment must pass everything the others pass. Each check collects what is
// wrong as "file: field: problem" lines, so a failure names the file and the field to fix.

type Registry = readonly SubgraphEntry[];
const registry: Registry = subgraphRegistry();
const servedEndpoints = operationalPaths;
const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');
const readJson = <T = any>(file: string): T => JSON.parse(read(file)) as T;
const temporaryDirs: string[] = [];
const temporaryDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `talent-hub-${prefix}-`));
  temporaryDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** Fails with one line per problem. */
function expectNone(problems: string[]): void {
  if (problems.length > 0) expect.fail(`${problems.length} problem(s):\n${problems.join('\n')}`);
}

const services = (reg: Registry) => ['gateway', ...reg.map((e) => e.name)];
/** The registry entry of a subgraph; undefined for the gateway. */
const entryOf = (service: string, reg: Registry) => reg.find((e) => e.name === service);
const portVariableOf = (service: string) => (service === 'gateway' ? 'GATEWAY_PORT' : envName(service, 'PORT'));
const defaultPortOf = (service: string, reg: Registry) => (service === 'gateway' ? gatewayDefaultPort : entryOf(service, reg)!.port);
const urlVariables = (reg: Registry) => reg.map((e) => envName(e.name, 'URL'));

// ---------------------------------------------------------------------------------------------------------------
// Workspaces: folders and package names, from the root package.json
// ---------------------------------------------------------------------------------------------------------------

const rootPackage = readJson<{ workspaces: string[] }>('package.json');
const workspaceDirs: string[] = rootPackage.workspaces
  .flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(projectRoot, parent), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${parent}/${d.name}`);
  })
  .filter((dir) => existsSync(path.join(projectRoot, dir, 'package.json')))
  .sort();
const workspaceOfPackage = new Map(workspaceDirs.map((dir) => [readJson<{ name: string }>(`${dir}/package.json`).name, dir]));
const serviceWorkspace = (service: string) => (service === 'gateway' ? 'gateway' : `subgraphs/${service}`);
/** The workspace a project file belongs to. */
const workspaceOfFile = (file: string) => workspaceDirs.filter((w) => file.startsWith(`${w}/`)).sort((a, b) => b.length - a.length)[0];

/** A workspace and the workspaces its package.json `dependencies` name, transitively. */
function dependencyWorkspaces(dir: string): string[] {
  const seen = [dir];
  for (let i = 0; i < seen.length; i++) {
    const manifest = readJson<{ dependencies?: Record<string, string> }>(`${seen[i]}/package.json`);
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const dependency = workspaceOfPackage.get(name);
      if (dependency && !seen.includes(dependency)) seen.push(dependency);
    }
  }
  return seen.sort();
}

// ---------------------------------------------------------------------------------------------------------------
// What the services read: a scan of their sources
// ---------------------------------------------------------------------------------------------------------------

/** Source without comments (enough for the patterns below: a `//` after a colon or quote is kept, as in URLs). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

const importPattern = /\b(?:import|export)\s+(?!type\b)(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * The project file an import names: a relative path (`./x.js` is `x.ts`), or a workspace package's path
 * (`@talent-hub/platform/registry` is packages/platform/registry.ts, as the packages' `exports` map `./*` to
 * `./*.ts` under the source condition). Undefined for packages from npm.
 */
function resolveImport(fromFile: string, spec: string): string | undefined {
  let target: string;
  if (spec.startsWith('.')) target = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  else {
    const match = /^(@talent-hub\/[^/]+)\/(.+)$/.exec(spec);
    const dir = match && workspaceOfPackage.get(match[1]!);
    if (!match || !dir) return undefined;
    target = `${dir}/${match[2]}`;
  }
  const candidates = [target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`];
  return candidates.find((c) => c.endsWith('.ts') && !c.startsWith('..') && existsSync(path.join(projectRoot, c)));
}

const reachableCache = new Map<string, string[]>();
/** The project's TypeScript files an entry point loads (static and dynamic imports; type-only imports skipped). */
function reachableFiles(entry: string): string[] {
  const cached = reachableCache.get(entry);
  if (cached) return cached;
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of stripComments(read(file)).matchAll(importPattern)) {
      const found = resolveImport(file, match[1] ?? match[2]!);
      if (found) queue.push(found);
    }
  }
  const result = [...seen].sort();
  reachableCache.set(entry, result);
  return result;
}

/**
 * The parts of a file: one per top-level statement, named when it declares a function (`function f`, `const f =
 * (...) =>`). The scan follows functions by name from what runs at load time, so that a file the service loads
 * for one function does not lend it the variables of the others.
 */
interface Chunk {
  file: string;
  name: string | undefined;
  text: string;
}

const functionDeclaration = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([\w$]+)/;
const arrowDeclaration = /^(?:export\s+)?(?:const|let|var)\s+([\w$]+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|\([^)]*$|[\w$]+\s*=>)/;

const chunkCache = new Map<string, Chunk[]>();
function chunksOf(file: string): Chunk[] {
  const cached = chunkCache.get(file);
  if (cached) return cached;
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (const line of stripComments(read(file)).split('\n')) {
    if (!current || /^[A-Za-z@]/.test(line)) {
      current = { file, name: functionDeclaration.exec(line)?.[1] ?? arrowDeclaration.exec(line)?.[1], text: '' };
      chunks.push(current);
    }
    current.text += `${line}\n`;
  }
  chunkCache.set(file, chunks);
  return chunks;
}

/** The code a scan starts from: a service's entry point; a subgraph without code yet runs the first subgraph's. */
const entryFileOf = (service: string) => {
  const own = `${serviceWorkspace(service)}/main.ts`;
  return existsSync(path.join(projectRoot, own)) ? own : `${serviceWorkspace(registry[0]!.name)}/main.ts`;
};

/**
 * The code a service runs: what its entry point loads runs its top-level statements, which call functions, which
 * call others (followed by name, over every file loaded). Every config.ts of the workspaces the service depends on
 * counts whole, loaded or not yet.
 */
function runCode(entry: string): Chunk[] {
  const loaded = reachableFiles(entry);
  const configs = dependencyWorkspaces(workspaceOfFile(entry)!)
    .map((w) => `${w}/config.ts`)
    .filter((f) => existsSync(path.join(projectRoot, f)) && !loaded.includes(f));
  const all = [...loaded, ...configs].flatMap(chunksOf);
  const functions = new Map<string, Chunk[]>();
  for (const chunk of all) if (chunk.name) functions.set(chunk.name, [...(functions.get(chunk.name) ?? []), chunk]);
  const queue = [...loaded.flatMap(chunksOf).filter((c) => !c.name), ...configs.flatMap(chunksOf)];
  const seen = new Set<Chunk>();
  while (queue.length > 0) {
    const chunk = queue.pop()!;
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const [identifier] of chunk.text.matchAll(/[A-Za-z_$][\w$]*/g)) {
      for (const f of functions.get(identifier) ?? []) if (f !== chunk && !seen.has(f)) queue.push(f);
    }
  }
  return all.filter((c) => seen.has(c));
}

interface EnvRead {
  name: string;
  file: string;
  /** The env.ts reader called (readPort, readString, ...), `env.X` for a direct access, `envName` for a name built alone. */
  reader: string;
  /** The reader's fallback argument as written, when it has one. */
  fallback: string | undefined;
}

const subgraphVariable = String.raw`envName\(\s*[^,()]+?\s*,\s*'([A-Z_]+)'\s*\)`;
// Any `read*(env, 'NAME'...)` or `read*(env, envName(x, 'SUFFIX')...)`, process.env included.
const readerCall = new RegExp(String.raw`\b(read[A-Z]\w*)\(\s*(?:process\.)?env\s*,\s*(?:'([^']*)'|"([^"]*)"|${subgraphVariable})\s*(?:,\s*([^,)]+))?`, 'g');
// Any `env.NAME` / `env['NAME']` (process.env included) that is not an assignment.
const envAccess = /\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])(?!\s*(?:=(?!=)|\?\?=|\|\|=))/g;
// A subgraph's variable named on its own (`const variable = envName(name, 'TIMEOUT_MS')`, then `env[variable]`).
const envNameCall = new RegExp(subgraphVariable, 'g');
// Code that goes over the registry: an envName inside it names every subgraph's variable, not the service's own.
const overRegistry = /\bof\s+registry\b|\bregistry\s*\.\s*(?:map|flatMap|forEach|filter|reduce)\s*\(/;
// envName in a message (`${envName(name, 'URL')}` in a template) reads nothing.
const withoutTemplates = (text: string) => text.replace(/`(?:[^`\\]|\\.)*`/g, '``');

const scanProblems: string[] = [];
const readsCache = new Map<string, EnvRead[]>();

/**
 * Every variable a service reads (once each, the first place found) when deployed with `reg`. A variable named
 * with envName is the service's own (`readPort(env, envName(name, 'PORT'), ...)` in readSubgraphConfig), or,
 * in code that goes over the registry, one per subgraph of `reg` (readSubgraphUrls' `<NAME>_URL`).
 */
function envReads(service: string, reg: Registry): EnvRead[] {
  const key = `${service} ${reg.map((e) => e.name).join(',')}`;
  const cached = readsCache.get(key);
  if (cached) return cached;
  const reads = new Map<string, EnvRead>();
  // The first place found, but a reader call (readPort, with its fallback) over a bare envName.
  const add = (r: EnvRead) => {
    const known = reads.get(r.name);
    if (!known || (known.reader === 'envName' && r.reader !== 'envName')) reads.set(r.name, r);
  };
  const namesFor = (chunk: Chunk, suffix: string): string[] => {
    if (overRegistry.test(chunk.text)) return reg.map((e) => envName(e.name, suffix as 'URL'));
    if (service === 'gateway') {
      scanProblems.push(`${chunk.file}: envName(..., '${suffix}') outside code that goes over the registry, in the gateway: whose variable is it?`);
      return [];
    }
    return [envName(service, suffix as 'URL')];
  };
  for (const chunk of runCode(entryFileOf(service))) {
    const text = withoutTemplates(chunk.text);
    for (const m of text.matchAll(readerCall)) {
      const names = m[2] ?? m[3] ? [(m[2] ?? m[3])!] : namesFor(chunk, m[4]!);
      for (const name of names) add({ name, file: chunk.file, reader: m[1]!, fallback: m[5]?.trim() });
    }
    for (const m of text.matchAll(envNameCall)) for (const name of namesFor(chunk, m[1]!)) add({ name, file: chunk.file, reader: 'envName', fallback: undefined });
    for (const m of chunk.text.matchAll(envAccess)) add({ name: m[1] ?? m[2]!, file: chunk.file, reader: `env.${m[1] ?? m[2]}`, fallback: undefined });
  }
  const result = [...reads.values()].sort((a, b) => a.name.localeCompare(b.name));
  readsCache.set(key, result);
  return result;
}

/** The variable a service takes its port from: its one readPort call. */
function portVariable(service: string, reg: Registry): string {
  const ports = envReads(service, reg).filter((r) => r.reader === 'readPort');
  if (ports.length !== 1) throw new Error(`${service} reads ${ports.length} port variables (${ports.map((p) => p.name).join(', ')}); expected one readPort call`);
  return ports[0]!.name;
}

/** Files a service reads beside its code: `sourceFile(import.meta.url, '...')` and `path.join(projectRoot, '...', 'x.ext')`. */
function runtimeAssets(entry: string): { asset: string; file: string }[] {
  const assets: { asset: string; file: string }[] = [];
  for (const file of reachableFiles(entry)) {
    const source = stripComments(read(file));
    for (const m of source.matchAll(/\bsourceFile\(\s*import\.meta\.url\s*,\s*['"]([^'"]+)['"]\s*\)/g)) {
      assets.push({ asset: path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)), file });
    }
    for (const m of source.matchAll(/\bjoin\(\s*projectRoot\s*,((?:\s*'[^']*'\s*,?)+)\)/g)) {
      const parts = [...m[1]!.matchAll(/'([^']*)'/g)].map((p) => p[1]!);
      // A file (name.ext), not a folder such as `.data`.
      if (/^[^.].*\.\w+$/.test(parts[parts.length - 1] ?? '')) assets.push({ asset: parts.join('/'), file });
    }
  }
  return assets;
}

/**
 * Variables a deployment may leave unset, because the service's default suits it, each with its reason. Database
 * URLs, subgraph URLs, HOST and the ports can never be listed here (see mustBeExplicit).
 */
function optionalWithDefault(reg: Registry): Record<string, string> {
  return {
    // Subgraphs
    DATA_DIR: 'only the embedded store (PGlite) uses it; deployments give every subgraph a PostgreSQL URL',
    LOG_SQL_ERRORS: 'a debugging switch (prints failed SQL statements), off unless set to 1',
    READINESS_TIMEOUT_MS: "2 s for /ready's database check, well within the readiness probe's timeout",
    SHUTDOWN_TIMEOUT_MS: '10 s for requests in flight after SIGTERM, within terminationGracePeriodSeconds (30)',
    // Both
    SHUTDOWN_DELAY_MS: 'compose has no load balancer to drain (the gateway defaults to 5 s in production); Kubernetes sets it',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json lines when standard output is not a terminal',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'tracing is off unless set; the ConfigMap shows where to set it',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'tracing is off unless set (or OTEL_EXPORTER_OTLP_ENDPOINT)',
    OTEL_TRACES_EXPORTER: 'otlp when an endpoint is set, otherwise tracing is off',
    OTEL_SERVICE_NAME: "defaults to the service's own name",
    // Gateway
    SUPERGRAPH_PATH: 'the gateway image holds the supergraph at the default path, schema/supergraph.graphql',
    GATEWAY_WORKERS: 'defaults to cores - 1 (1 to 4); compose and the manifests set it anyway',
    AUTH_CLOCK_SKEW_SECONDS: 'the default leeway of 30 s on token expiry suits every deployment',
    GATEWAY_INTROSPECTION: 'off in production by default',
    GATEWAY_WEB_APPS: 'on; serves the explorer and dashboard only where their dist/ folders are built (the web container serves them in deploy/)',
    SUBGRAPH_TIMEOUT_MS: 'the default deadline of 5 s per subgraph fetch',
    REQUEST_DEADLINE_MS: "all of a request's fetches end within twice the fetch deadline (10 s) by default",
    SUBGRAPH_RETRIES: 'one retry of a failed query fetch by default',
    SUBGRAPH_CONNECTIONS: 'at most 16 requests in flight to one subgraph per gateway process by default',
    SUBGRAPH_BREAKER_FAILURES: 'the circuit breaker opens after 5 consecutive failures by default',
    SUBGRAPH_BREAKER_COOLDOWN_MS: 'and probes again after 10 s',
    ...Object.fromEntries(reg.map((e) => [envName(e.name, 'TIMEOUT_MS'), 'per-subgraph override of SUBGRAPH_TIMEOUT_MS, unset when not needed'])),
    HEALTH_CHECK_TIMEOUT_MS: "1 s for the gateway's checks of the subgraphs (reported in /ready and /health)",
    READINESS_CACHE_MS: 'those checks reused for 1.5 s',
    REDIS_KEY_PREFIX: 'talent-hub: (one Redis per graph)',
    REDIS_COMMAND_TIMEOUT_MS: 'a Redis answer slower than 200 ms counts as a miss',
    CACHE_MEMORY_MIB: 'only used without REDIS_URL, which every deployment sets',
    PERSISTED_QUERY_TTL_SECONDS: 'persisted queries kept a day',
    RESPONSE_CACHE: 'on by default with Redis',
    RESPONSE_CACHE_MAX_TTL_SECONDS: 'cached answers live at most 5 minutes',
    GATEWAY_MAX_DEPTH: 'the reviewed default limits per operation (gateway/limits.ts)',
    GATEWAY_MAX_ALIASES: 'the reviewed default limits per operation',
    GATEWAY_MAX_ROOT_FIELDS: 'the reviewed default limits per operation',
    GATEWAY_MAX_COST: 'the reviewed default limits per operation',
    GATEWAY_COST_EXTENSIONS: 'answers carry extensions.cost (estimated and actual) by default',
    GATEWAY_MAX_TOKENS: 'the reviewed default limits per operation',
    GATEWAY_MAX_BODY_BYTES: 'the default limit per request (1 MiB)',
    GATEWAY_MAX_BATCH: 'the default limit per request (10 operations)',
    TRUSTED_DOCUMENTS: 'log in production by default; enforce is turned on once every client ships a manifest',
    TRUSTED_DOCUMENTS_PATH: 'the gateway image holds the committed manifests at the default path, gateway/trusted-documents/',
    RATE_LIMIT: 'on by default, in Redis with REDIS_URL',
    RATE_LIMIT_ORGANISATION: 'the reviewed default budget per organisation (gateway/rate-limit-config.ts)',
    RATE_LIMIT_CLIENT: 'the reviewed default budget per client',
    RATE_LIMIT_ANONYMOUS: 'the reviewed default budget per anonymous address',
    RATE_LIMIT_ORGANISATIONS: 'no organisation has a budget of its own unless set',
    RATE_LIMIT_TRUSTED_PROXIES: 'X-Forwarded-For ignored (0) unless the proxies in front are declared; see the README',
    // Subgraphs: limits at every hop (packages/subgraph-lib/limits.ts)
    SUBGRAPH_MAX_BODY_BYTES: "the reviewed default limits of a subgraph, above what the gateway sends (2 MiB)",
    SUBGRAPH_MAX_DEPTH: 'the reviewed default limits of a subgraph',
    SUBGRAPH_MAX_ALIASES: 'the reviewed default limits of a subgraph',
    SUBGRAPH_MAX_ROOT_FIELDS: 'the reviewed default limits of a subgraph',
    SUBGRAPH_MAX_REPRESENTATIONS: 'the reviewed default limits of a subgraph',
    SUBGRAPH_REQUIRE_IDENTITY: 'on in production, where it cannot be turned off',
    // Both
    METRICS_TOKEN: '/metrics open on the service port, for the scrape annotations; set it (from a Secret) to require a bearer token',
    METRICS_PORT: '/metrics on the service port, where the scrape annotations point; 0 or unset means no port of its own',
  };
}

/** Variables a deployment may set that the scanned sources do not read, each with who reads it. */
const setButReadElsewhere: Record<string, string> = {
  NODE_OPTIONS: 'read by node itself',
};

/** Variables every deployment must set itself, whatever their defaults (127.0.0.1, PGlite, localhost URLs). */
// (METRICS_PORT is optional: unset, /metrics stays on the service port that the manifests already name.)
const mustBeExplicit = (reg: Registry) => (name: string) =>
  name === 'HOST' || (name.endsWith('_PORT') && name !== 'METRICS_PORT') || name.endsWith('_DATABASE_URL') || urlVariables(reg).includes(name);
/** Variables whose values are secrets: from a Secret in Kubernetes, interpolated (never written) in compose. */
const secretLike = /(?:_SECRET|_PASSWORD|_TOKEN|_DATABASE_URL)$/;

// ---------------------------------------------------------------------------------------------------------------
// Deployment sets: the committed files, and a generation for a registry with two more subgraphs
// ---------------------------------------------------------------------------------------------------------------

// The parsed YAML is checked field by field below, so it is handled as plain data.
type Data = any;

interface YamlDoc {
  file: string;
  data: Data;
}

interface DeploySet {
  label: string;
  registry: Registry;
  /** The project root the files are under. */
  root: string;
  /** Every YAML file under deploy/, parsed, with its parse problems. */
  yaml: { file: string; docs: YamlDoc[]; problems: string[] }[];
  compose: Data;
  k8s: YamlDoc[];
  initSql: string;
}

function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(path.join(root, d))) return;
    for (const entry of readdirSync(path.join(root, d), { withFileTypes: true })) {
      const child = `${d}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

function loadDeploySet(label: string, reg: Registry, root: string): DeploySet {
  const yaml = filesUnder(root, 'deploy')
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => {
      const docs: YamlDoc[] = [];
      const problems: string[] = [];
      for (const doc of parseAllDocuments(readFileSync(path.join(root, file), 'utf8'))) {
        for (const e of [...doc.errors, ...doc.warnings]) problems.push(`${file}: ${e.message}`);
        const data = doc.toJS();
        if (data !== null && data !== undefined) docs.push({ file, data });
      }
      return { file, docs, problems };
    });
  const initFile = path.join(root, 'deploy/postgres/init.sql');
  return {
    label,
    registry: reg,
    root,
    yaml,
    compose: yaml.find((y) => y.file === 'deploy/compose.yaml')?.docs[0]?.data ?? {},
    k8s: yaml.filter((y) => y.file.startsWith('deploy/k8s/')).flatMap((y) => y.docs),
    initSql: existsSync(initFile) ? readFileSync(initFile, 'utf8') : '',
  };
}

// Two subgraphs that are not in the registry, after its last port: one plain name, one with a hyphen (its
// variables are SKILLS_PASSPORT_*, its database skills_passport). parseRegistry checks the result is a valid registry.
const lastPort = Math.max(...registry.map((e) => e.port));
const addedSubgraphs: SubgraphEntry[] = [
  { name: 'badges', port: lastPort + 1, owner: 'cemr', description: 'Open badges earned by talents (added by the deploy test).' },
  { name: 'skills-passport', port: lastPort + 2, owner: 'aer', description: 'Skills passports of talents (added by the deploy test).' },
].filter((added) => !registry.some((e) => e.name === added.name));
const extendedRegistry: Registry = parseRegistry(JSON.stringify({ subgraphs: [...registry, ...addedSubgraphs] }), 'extended registry');

const generatedRoot = temporaryDir('deploy-generated');
const generation = generateDeployFiles(extendedRegistry, generatedRoot);

const committed = loadDeploySet('committed deploy/ files', registry, projectRoot);
const extended = loadDeploySet(`generated for the registry plus ${addedSubgraphs.map((e) => e.name).join(' and ')}`, extendedRegistry, generatedRoot);
const deploySets = [committed, extended];

const k8sOf = (set: DeploySet, kind: string) => set.k8s.filter((d) => d.data.kind === kind);
const k8sNamed = (set: DeploySet, kind: string, name: string) => k8sOf(set, kind).find((d) => d.data.metadata?.name === name);
const where = (d: YamlDoc) => `${d.file} ${d.data.kind}/${d.data.metadata?.name}`;
const configMapsOf = (set: DeploySet) => new Map<string, Record<string, string>>(k8sOf(set, 'ConfigMap').map((d) => [d.data.metadata.name, d.data.data ?? {}]));
const secretsOf = (set: DeploySet) =>
  new Map<string, Record<string, string>>(
    k8sOf(set, 'Secret').map((d) => {
      const decoded = Object.fromEntries(Object.entries<string>(d.data.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      return [d.data.metadata.name, { ...decoded, ...(d.data.stringData ?? {}) }];
    }),
  );

interface K8sEnvValue {
  value: string | undefined;
  from: 'literal' | 'configMap' | 'secret' | 'other';
}

/** The container of a service's Deployment: the one named like the service, else the first. */
function mainContainer(deployment: Data): Data {
  const containers: Data[] = deployment?.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.name === deployment.metadata?.name) ?? containers[0];
}

/** The environment a container gets: env entries (resolved through ConfigMaps and Secrets) and envFrom objects. */
function k8sEnv(set: DeploySet, container: Data): Map<string, K8sEnvValue> {
  const configMaps = configMapsOf(set);
  const secrets = secretsOf(set);
  const env = new Map<string, K8sEnvValue>();
  for (const from of container?.envFrom ?? []) {
    const prefix: string = from.prefix ?? '';
    const source = from.configMapRef ? configMaps.get(from.configMapRef.name) : secrets.get(from.secretRef?.name);
    for (const [key, value] of Object.entries(source ?? {})) env.set(prefix + key, { value, from: from.configMapRef ? 'configMap' : 'secret' });
  }
  for (const e of container?.env ?? []) {
    if (e.value !== undefined) env.set(e.name, { value: String(e.value), from: 'literal' });
    else if (e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.configMapKeyRef;
      env.set(e.name, { value: configMaps.get(ref.name)?.[ref.key], from: 'configMap' });
    } else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      env.set(e.name, { value: secrets.get(ref.name)?.[ref.key], from: 'secret' });
    } else env.set(e.name, { value: undefined, from: 'other' });
  }
  return env;
}

/** A compose service's `environment`, as a map or a list of NAME=value. */
function composeEnv(service: Data): Map<string, string> {
  const environment = service?.environment;
  if (Array.isArray(environment)) return new Map(environment.map((line: string) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)]));
  return new Map(Object.entries(environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** The port a deployment runs a service on: its port variable's value where set, else the default. */
function effectivePort(service: string, reg: Registry, env: Map<string, string | undefined>): number {
  const value = env.get(portVariable(service, reg));
  return value === undefined ? defaultPortOf(service, reg) : Number(value);
}

/** The port and path of a `node -e "fetch('http://127.0.0.1:' + (process.env.X || N) + '/path')"` healthcheck. */
function parseHealthcheck(script: string): { portVariable?: string; port: number; path: string } | undefined {
  const withVariable = /127\.0\.0\.1:'\s*\+\s*\(\s*process\.env\.(\w+)\s*\|\|\s*(\d+)\s*\)\s*\+\s*'(\/[^'?#]*)/.exec(script);
  if (withVariable) return { portVariable: withVariable[1]!, port: Number(withVariable[2]), path: withVariable[3]! };
  const literal = /(?:127\.0\.0\.1|localhost):(\d+)(\/[^'"?#\s]*)/.exec(script);
  if (literal) return { port: Number(literal[1]), path: literal[2]! };
  return undefined;
}

/** The host of a URL value, its `${...}` interpolations aside; undefined for what is not a URL. */
function urlHost(value: string): string | undefined {
  if (!/^[a-z][\w+.-]*:\/\//i.test(value)) return undefined;
  try {
    return new URL(value.replace(/\$\{[^}]*\}/g, 'x')).hostname;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The Dockerfile, .dockerignore and the staging script
// ---------------------------------------------------------------------------------------------------------------

const dockerfilePath = 'deploy/docker/Dockerfile';
const stageScript = path.join(projectRoot, 'deploy/docker/stage.mjs');

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  name: string | undefined;
  image: string;
  workdir: string;
  instructions: (Instruction & { workdir: string })[];
}

function parseDockerfile(text: string): { stages: Stage[]; globalArgs: Map<string, string> } {
  const instructions: Instruction[] = [];
  let buffer = '';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && buffer === '')) continue;
    if (trimmed.endsWith('\\')) {
      buffer += `${trimmed.slice(0, -1)} `;
      continue;
    }
    const full = (buffer + trimmed).trim();
    buffer = '';
    if (full === '') continue;
    const [keyword, ...rest] = full.split(/\s+/);
    instructions.push({ keyword: keyword!.toUpperCase(), args: rest.join(' ') });
  }
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    const stage = stages[stages.length - 1];
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/);
      const resolved = image!.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => globalArgs.get(arg) ?? '');
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, image: resolved, workdir: '/', instructions: [] });
    } else if (!stage) {
      if (instruction.keyword === 'ARG') {
        const [key, value = ''] = instruction.args.split('=');
        globalArgs.set(key!.trim(), value.trim());
      }
    } else {
      if (instruction.keyword === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, instruction.args.trim());
      stage.instructions.push({ ...instruction, workdir: stage.workdir });
    }
  }
  return { stages, globalArgs };
}

interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

function parseCopy(instruction: Instruction & { workdir: string }): Copy {
  let args = instruction.args.trim();
  let from: string | undefined;
  for (;;) {
    const flag = /^--([\w-]+)(?:=(\S+))?\s+/.exec(args);
    if (!flag) break;
    if (flag[1] === 'from') from = flag[2];
    args = args.slice(flag[0].length);
  }
  const parts: string[] = args.startsWith('[') ? JSON.parse(args) : args.split(/\s+/);
  const rawDest = parts[parts.length - 1]!;
  const dest = path.posix.resolve(instruction.workdir, rawDest) + (rawDest.endsWith('/') || rawDest === '.' || rawDest === './' ? '/' : '');
  return { from, sources: parts.slice(0, -1), dest };
}

const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .split(/(\*\*\/|\*\*|\*|\?)/)
      .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );

/** .dockerignore as Docker reads it: patterns from the context root, `**` and `*`, later `!` lines re-include. */
function dockerIgnored(patterns: string[], file: string): boolean {
  let ignored = false;
  const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = path.posix.normalize((negate ? raw.slice(1) : raw).trim()).replace(/^\/|\/$/g, '');
    const re = globToRegExp(pattern);
    if (negate ? re.test(file) : prefixes.some((p) => re.test(p))) ignored = !negate;
  }
  return ignored;
}

const dockerignore = existsSync(path.join(projectRoot, '.dockerignore'))
  ? read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
  : [];

const dockerfile = existsSync(path.join(projectRoot, dockerfilePath)) ? parseDockerfile(read(dockerfilePath)) : { stages: [], globalArgs: new Map<string, string>() };
const finalStage = dockerfile.stages[dockerfile.stages.length - 1];
const runs = (stage: Stage | undefined, re: RegExp) => !!stage?.instructions.some((i) => i.keyword === 'RUN' && re.test(i.args));
const stageNamed = (name: string | undefined) => dockerfile.stages.find((st, i) => st.name === name || String(i) === name);
/** The exec-form (JSON array) arguments of the final stage's last CMD or HEALTHCHECK CMD. */
function execForm(keyword: 'CMD' | 'HEALTHCHECK'): string[] | undefined {
  const instruction = finalStage?.instructions.filter((i) => i.keyword === keyword).pop();
  if (!instruction) return undefined;
  const json = keyword === 'HEALTHCHECK' ? instruction.args.replace(/^(?:--[\w-]+=\S+\s+)*CMD\s+/, '') : instruction.args;
  try {
    const argv = JSON.parse(json) as unknown;
    return Array.isArray(argv) && argv.every((a) => typeof a === 'string') ? argv : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A copy of the repository in which each workspace's dist/ holds what `tsc -b` would write for it: a .js, .js.map
 * and .d.ts for every TypeScript file its tsconfig.build.json compiles (tests and testing/ are excluded there), and
 * the build info file. Sources and runtime files are the real ones; node_modules and real dist/ folders are left out.
 */
function fakeBuiltProject(): string {
  const root = temporaryDir('stage');
  for (const file of ['package.json', 'package-lock.json', 'subgraphs/registry.json', 'schema/supergraph.graphql']) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    cpSync(path.join(projectRoot, file), path.join(root, file));
  }
  for (const workspace of workspaceDirs) {
    cpSync(path.join(projectRoot, workspace), path.join(root, workspace), {
      recursive: true,
      filter: (source) => !/(?:^|[/\\])(?:node_modules|dist)$/.test(path.relative(projectRoot, source)),
    });
    const tsconfigFile = path.join(projectRoot, workspace, 'tsconfig.build.json');
    if (!existsSync(tsconfigFile)) continue;
    const excluded = ((JSON.parse(readFileSync(tsconfigFile, 'utf8')) as { exclude?: string[] }).exclude ?? []).map(globToRegExp);
    for (const file of filesUnder(projectRoot, workspace)) {
      const relative = file.slice(workspace.length + 1);
      const prefixes = relative.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
      if (!file.endsWith('.ts') || file.endsWith('.d.ts') || prefixes.some((p) => excluded.some((re) => re.test(p)))) continue;
      const compiled = path.join(root, workspace, 'dist', relative.replace(/\.ts$/, ''));
      mkdirSync(path.dirname(compiled), { recursive: true });
      writeFileSync(`${compiled}.js`, `// compiled ${file}\n`);
      writeFileSync(`${compiled}.js.map`, '{}');
      writeFileSync(`${compiled}.d.ts`, 'export {};\n');
    }
    writeFileSync(path.join(root, workspace, 'dist', 'tsconfig.build.tsbuildinfo'), '{}');
  }
  return root;
}

const runStage = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [stageScript, ...args], { cwd, encoding: 'utf8' });

// ---------------------------------------------------------------------------------------------------------------
// The lockfile: what `npm ci --omit=dev --workspace=<dir>` installs
// ---------------------------------------------------------------------------------------------------------------

interface LockEntry {
  name?: string;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const lockPackages = readJson<{ packages: Record<string, LockEntry> }>('package-lock.json').packages;

/** Where Node (and npm's layout) finds `name` from the package at `from`: its node_modules, then its parents'. */
function resolveInLock(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lockPackages[candidate]) return candidate;
    if (dir === '') return undefined;
    do {
      dir = path.posix.dirname(dir);
      if (dir === '.') dir = '';
    } while (dir !== '' && (path.posix.basename(dir) === 'node_modules' || path.posix.basename(dir).startsWith('@')));
  }
}

/**
 * The production dependency tree of a workspace, as the lockfile lays it out: its `dependencies`, optional and
 * required peer dependencies, followed through workspace links (`node_modules/@talent-hub/platform` ->
 * packages/platform) into their own; devDependencies never. Returns package names and the workspaces reached.
 */
function productionTree(workspace: string): { packages: Set<string>; workspaces: Set<string>; problems: string[] } {
  const packages = new Set<string>();
  const workspaces = new Set<string>([workspace]);
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = [workspace];
  while (queue.length > 0) {
    let location = queue.pop()!;
    if (seen.has(location)) continue;
    seen.add(location);
    let entry = lockPackages[location];
    if (entry?.link && entry.resolved) {
      location = entry.resolved;
      workspaces.add(location);
      entry = lockPackages[location];
    }
    if (!entry) {
      problems.push(`package-lock.json: no entry ${location}`);
      continue;
    }
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry!.peerDependenciesMeta?.[name]?.optional);
    const required = [...Object.keys(entry.dependencies ?? {}), ...peers];
    for (const name of [...required, ...Object.keys(entry.optionalDependencies ?? {})]) {
      const found = resolveInLock(location, name);
      if (!found) {
        if (required.includes(name)) problems.push(`package-lock.json: ${location} needs ${name}, which it does not hold`);
        continue;
      }
      packages.add(name);
      queue.push(found);
    }
  }
  return { packages, workspaces, problems };
}

// ---------------------------------------------------------------------------------------------------------------

it('has the deploy folder and its parts (so that no check passes by finding nothing)', () => {
  for (const p of ['deploy/docker/Dockerfile', 'deploy/docker/stage.mjs', 'deploy/compose.yaml', 'deploy/k8s/kustomization.yaml', 'deploy/postgres/init.sql']) {
    expect(existsSync(path.join(projectRoot, p)), `${p} missing`).toBe(true);
  }
  expect(addedSubgraphs.length, 'the test adds subgraphs to the registry').toBeGreaterThan(0);
  expect(committed.k8s.length).toBeGreaterThan(0);
});

describe('the generator (npm run deploy:generate)', () => {
  it('left the committed files as it generates them from subgraphs/registry.json', () => {
    const problems = outdatedDeployFiles(registry, projectRoot);
    if (problems.length > 0) expect.fail(`Run \`npm run deploy:generate\` and commit the result:\n${problems.join('\n')}`);
  });

  it('gives every subgraph added to the registry its manifests, compose service, database and variables everywhere', () => {
    const problems: string[] = [];
    const files = [...generation.written, ...generation.unchanged];
    for (const added of addedSubgraphs) {
      const { name, port } = added;
      const manifest = `deploy/k8s/${name}.yaml`;
      if (!files.includes(manifest)) problems.push(`${manifest}: not generated`);
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
        const doc = k8sNamed(extended, kind, name);
        if (!doc) problems.push(`no ${kind} named ${name}`);
        else if (doc.file !== manifest) problems.push(`${where(doc)}: not in ${manifest}`);
      }
      const container = mainContainer(k8sNamed(extended, 'Deployment', name)?.data);
      if (!container?.ports?.some((p: Data) => p.containerPort === port)) problems.push(`Deployment/${name}: no containerPort ${port}`);
      if (container?.image !== `talent-hub/${name}:0.1.0`) problems.push(`Deployment/${name}: image ${container?.image}`);
      const kustomization = k8sOf(extended, 'Kustomization')[0] ?? extended.yaml.find((y) => y.file === 'deploy/k8s/kustomization.yaml')?.docs[0];
      if (!kustomization?.data.resources?.includes(`${name}.yaml`)) problems.push(`kustomization.yaml: resources lack ${name}.yaml`);
      if (!kustomization?.data.images?.some((i: Data) => i.name === `talent-hub/${name}`)) problems.push(`kustomization.yaml: images lack talent-hub/${name}`);
      const service = extended.compose.services?.[name];
      if (!service) problems.push(`compose.yaml: no service ${name}`);
      else if (service.build?.args?.SERVICE !== name) problems.push(`compose.yaml: services.${name}.build.args.SERVICE is ${service.build?.args?.SERVICE}`);
      const configMap = configMapsOf(extended).get('talent-hub-config') ?? {};
      if (configMap[envName(name, 'URL')] !== `http://${name}:${port}/graphql`) problems.push(`configmap.yaml: ${envName(name, 'URL')} is ${configMap[envName(name, 'URL')]}`);
      if (configMap[envName(name, 'PORT')] !== String(port)) problems.push(`configmap.yaml: ${envName(name, 'PORT')} is ${configMap[envName(name, 'PORT')]}`);
      if (!(envName(name, 'DATABASE_URL') in (secretsOf(extended).get('talent-hub-secrets') ?? {}))) problems.push(`secret.yaml: no ${envName(name, 'DATABASE_URL')}`);
      const database = name.replaceAll('-', '_');
      if (!new RegExp(`^CREATE DATABASE ${database};$`, 'm').test(extended.initSql)) problems.push(`init.sql: no CREATE DATABASE ${database}`);
      // The gateway and every subgraph (the new ones included) get its URL, in compose and in Kubernetes.
      for (const s of services(extendedRegistry)) {
        if (!composeEnv(extended.compose.services?.[s]).has(envName(name, 'URL'))) problems.push(`compose.yaml: services.${s} lacks ${envName(name, 'URL')}`);
        const deployment = k8sNamed(extended, 'Deployment', s);
        if (!k8sEnv(extended, mainContainer(deployment?.data)).has(envName(name, 'URL'))) problems.push(`Deployment/${s}: env lacks ${envName(name, 'URL')}`);
      }
      if (!(name in (extended.compose.services?.gateway?.depends_on ?? {}))) problems.push(`compose.yaml: the gateway does not wait for ${name}`);
    }
    expectNone(problems);
  });

  it('says at the top of every file it writes that it is generated, and from what', () => {
    const files = [...generation.written, ...generation.unchanged];
    expect(files.length).toBeGreaterThan(0);
    const problems = files.filter((file) => {
      const comment = file.endsWith('.sql') ? '--' : '#';
      return !readFileSync(path.join(generatedRoot, file), 'utf8').startsWith(`${comment} Generated by \`npm run deploy:generate\` from subgraphs/registry.json`);
    });
    expectNone(problems.map((file) => `${file}: no generated-file header`));
  });

  it('removes the manifests of a subgraph taken out of the registry, and writes nothing when nothing changed', () => {
    const root = temporaryDir('deploy-removal');
    generateDeployFiles(extendedRegistry, root);
    const again = generateDeployFiles(extendedRegistry, root);
    expect(again.written, 'a second generation is identical (stable output)').toEqual([]);
    const back = generateDeployFiles(registry, root);
    expect(back.removed.sort()).toEqual(addedSubgraphs.map((e) => `deploy/k8s/${e.name}.yaml`).sort());
    expect(outdatedDeployFiles(registry, root)).toEqual([]);
  });
});

describe('the scan of the sources', () => {
  it('finds what the services read (the scan itself works)', () => {
    const problems: string[] = [];
    // DEPLOY_TEST_DEBUG=1 prints what the scan reaches and finds.
    for (const s of services(registry)) {
      const reads = envReads(s, registry);
      if (process.env.DEPLOY_TEST_DEBUG) console.log(s, reachableFiles(entryFileOf(s)).join(' '), '\n', reads.map((r) => `${r.name}<${r.file}:${r.reader}>`).join('\n '));
      const names = reads.map((r) => r.name);
      if (!names.includes('HOST')) problems.push(`${s}: the scan of ${reachableFiles(entryFileOf(s)).join(', ')} finds no HOST`);
      try {
        if (portVariable(s, registry) !== portVariableOf(s)) problems.push(`${s}: port variable ${portVariable(s, registry)}, expected ${portVariableOf(s)}`);
      } catch (error) {
        problems.push((error as Error).message);
      }
      // Every service knows where every subgraph answers (the gateway's subgraphs, a subgraph's peers).
      for (const url of urlVariables(registry)) if (!names.includes(url)) problems.push(`${s}: no ${url} found`);
      if (s === 'gateway') {
        const port = reads.find((r) => r.reader === 'readPort');
        if (port?.fallback && /^\d+$/.test(port.fallback) && Number(port.fallback) !== gatewayDefaultPort) {
          problems.push(`${port.file}: readPort(env, '${port.name}', ${port.fallback}) but the registry says the gateway's port is ${gatewayDefaultPort}`);
        }
        if (reachableFiles(entryFileOf(s)).some((f) => f.startsWith('packages/subgraph-lib/'))) problems.push('gateway: loads packages/subgraph-lib');
      } else {
        if (!names.includes(envName(s, 'DATABASE_URL'))) problems.push(`${s}: no ${envName(s, 'DATABASE_URL')} found`);
        // Its own variables only: another subgraph's port or database is not its business.
        for (const other of registry.filter((e) => e.name !== s)) {
          for (const suffix of ['PORT', 'DATABASE_URL'] as const) if (names.includes(envName(other.name, suffix))) problems.push(`${s}: reads ${envName(other.name, suffix)}`);
        }
      }
    }
    problems.push(...new Set(scanProblems));
    expectNone(problems);
  });

  it('keeps optionalWithDefault to variables that are read and may be left unset', () => {
    const readNames = new Set(services(registry).flatMap((s) => envReads(s, registry).map((r) => r.name)));
    const problems: string[] = [];
    for (const name of Object.keys(optionalWithDefault(registry))) {
      if (mustBeExplicit(registry)(name)) problems.push(`optionalWithDefault.${name}: must be set explicitly by every deployment`);
      if (!readNames.has(name)) problems.push(`optionalWithDefault.${name}: no service reads it any more; remove the entry`);
    }
    expectNone(problems);
  });
});

describe('images (deploy/docker/Dockerfile)', () => {
  it('has a .dockerignore that keeps local and generated files out of the build context, and what the build needs in', () => {
    const problems: string[] = [];
    if (dockerignore.length === 0) problems.push('.dockerignore: missing or empty');
    for (const f of ['node_modules', 'dist', '.data', '.git', 'bench', 'test', 'packages/platform/node_modules', 'gateway/dist', 'deploy/.env', 'deploy/compose.yaml', 'examples/queries.graphql']) {
      if (!dockerIgnored(dockerignore, f)) problems.push(`.dockerignore: does not exclude ${f}`);
    }
    // npm ci reads every workspace's package.json and the lockfile; the build compiles the workspaces; the stage
    // script runs in the build; the runtime files are copied from the context.
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'subgraphs/registry.json',
      'schema/supergraph.graphql',
      'deploy/docker/stage.mjs',
      ...workspaceDirs.map((w) => `${w}/package.json`),
      ...services(registry).flatMap((s) => {
        const entry = entryFileOf(s);
        const built = dependencyWorkspaces(serviceWorkspace(s));
        return [...reachableFiles(entry), ...runtimeAssets(entry).map((a) => a.asset), ...built.map((w) => `${w}/tsconfig.build.json`)];
      }),
    ];
    for (const f of new Set(needed)) if (dockerIgnored(dockerignore, f)) problems.push(`.dockerignore: excludes ${f}, which the build needs`);
    expectNone(problems);
  });

  it('builds in stages: manifests, build with every dependency, production dependencies, a non-root runtime', () => {
    const problems: string[] = [];
    const { stages, globalArgs } = dockerfile;
    if (stages.length < 3 || !finalStage) expect.fail(`${dockerfilePath}: ${stages.length} FROM; expected a multi-stage build`);
    if (!globalArgs.has('SERVICE')) problems.push(`${dockerfilePath}: no global ARG SERVICE (the service to build)`);
    for (const stage of stages) {
      const usesService = stage.instructions.some((i) => i.keyword !== 'ARG' && /\$\{?SERVICE\b/.test(i.args));
      if (usesService && !stage.instructions.some((i) => i.keyword === 'ARG' && /^SERVICE\b/.test(i.args))) problems.push(`${dockerfilePath}: stage ${stage.name} uses SERVICE without ARG SERVICE`);
    }
    if (!/^node:20(?:[.\d]*)?-bookworm-slim(?:@sha256:\w+)?$/.test(finalStage!.image)) problems.push(`${dockerfilePath}: final stage FROM ${finalStage!.image}; expected node:20-bookworm-slim`);

    // Manifests: one stage copies what npm ci reads; every npm ci starts from it (what it holds: tested below).
    const manifestsStage = stages.find((st) => runs(st, /\bstage\.mjs manifests\b/));
    const manifestsOut = manifestsStage?.instructions.find((i) => /\bstage\.mjs manifests\b/.test(i.args))?.args.split(/\s+/).pop();
    if (!manifestsStage || !manifestsOut) problems.push(`${dockerfilePath}: no stage runs stage.mjs manifests`);
    for (const stage of stages) {
      const index = stage.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
      if (index < 0) continue;
      const copies = stage.instructions.slice(0, index).filter((i) => i.keyword === 'COPY').map(parseCopy);
      if (!copies.some((c) => stageNamed(c.from) === manifestsStage && c.sources.some((s) => s.replace(/\/$/, '') === manifestsOut) && c.dest === `${stage.workdir}/`)) {
        problems.push(`${dockerfilePath}: stage ${stage.name} runs npm ci without the manifests (${manifestsOut}/) copied into ${stage.workdir}`);
      }
    }

    // Build: installs everything, compiles the service's workspace (and its references), stages the runtime files.
    const build = stages.find((st) => runs(st, /\btsc -b\b|\bnpm run build\b/));
    if (!build) problems.push(`${dockerfilePath}: no stage compiles (tsc -b or npm run build)`);
    else {
      if (build === finalStage) problems.push(`${dockerfilePath}: the final stage builds; build in an earlier stage`);
      if (!runs(build, /\bnpm ci\b(?!.*--omit=dev)/)) problems.push(`${dockerfilePath}: the build stage does not run \`npm ci\` with dev dependencies`);
      if (!runs(build, /\bstage\.mjs runtime "?\$\{?SERVICE\}?"? \/stage\b/)) problems.push(`${dockerfilePath}: the build stage does not run stage.mjs runtime "$SERVICE" /stage`);
      if (runs(build, /\btsc -b\b/) && !runs(build, /stage\.mjs workspace "?\$\{?SERVICE\}?"?[\s\S]*tsc -b "?\$\{?workspace\}?\/tsconfig\.build\.json/)) {
        problems.push(`${dockerfilePath}: tsc -b does not compile the tsconfig.build.json of the service's workspace`);
      }
    }

    // Production dependencies: npm ci --omit=dev for the service's workspace, then moved to /modules.
    const deps = stages.find((st) => runs(st, /\bnpm ci\b.*--omit=dev/));
    if (!deps) problems.push(`${dockerfilePath}: no stage runs \`npm ci --omit=dev\``);
    else {
      if (!runs(deps, /npm ci\b.*--omit=dev.*--workspace="?\$\{?workspace\}?"?/)) problems.push(`${dockerfilePath}: npm ci --omit=dev is not limited to the service's workspace (--workspace="$workspace")`);
      if (!runs(deps, /stage\.mjs modules "?\$\{?SERVICE\}?"? \/modules\b/)) problems.push(`${dockerfilePath}: the deps stage does not move node_modules with stage.mjs modules "$SERVICE" /modules`);
    }

    // Runtime: exactly the staged files and the production node_modules, under its WORKDIR.
    const finalCopies = finalStage!.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map(parseCopy);
    const app = `${finalStage!.workdir}/`;
    const expectedCopies = [
      { from: deps, source: '/modules' },
      { from: build, source: '/stage' },
    ];
    for (const { from, source } of expectedCopies) {
      if (!finalCopies.some((c) => from && stageNamed(c.from) === from && c.sources.length === 1 && c.sources[0]!.replace(/\/$/, '') === source && c.dest === app)) {
        problems.push(`${dockerfilePath}: the final stage does not COPY --from=${from?.name} ${source}/ into ${app}`);
      }
    }
    for (const c of finalCopies) if (!expectedCopies.some((e) => e.from && stageNamed(c.from) === e.from)) problems.push(`${dockerfilePath}: the final stage copies ${c.sources.join(' ')} from ${c.from ?? 'the build context'}; it holds the staged files only`);
    if (runs(finalStage, /\bnpm (?:ci|install|i)\b/)) problems.push(`${dockerfilePath}: the final stage installs packages`);

    // Context files copied exist and are not ignored.
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map(parseCopy)) {
        if (copy.from) {
          if (!stageNamed(copy.from)) problems.push(`${dockerfilePath}: COPY --from=${copy.from}: no such stage`);
          continue;
        }
        for (const source of copy.sources.map((s) => path.posix.normalize(s).replace(/^\.\/?/, '').replace(/\/$/, ''))) {
          if (source === '' || source === '.') continue;
          if (!existsSync(path.join(projectRoot, source))) problems.push(`${dockerfilePath}: COPY ${source}: not in the repository`);
          else if (dockerIgnored(dockerignore, source)) problems.push(`${dockerfilePath}: COPY ${source}: excluded by .dockerignore`);
        }
      }
    }

    // Runs as a user other than root, in production mode, listening on every interface, knowing its service.
    const user = finalStage!.instructions.filter((i) => i.keyword === 'USER').pop()?.args.trim();
    if (!user) problems.push(`${dockerfilePath}: no USER in the final stage (it would run as root)`);
    else if (/^(?:root|0)(?::|$)/.test(user)) problems.push(`${dockerfilePath}: USER ${user} is root`);
    const envs = new Map<string, string>();
    for (const i of finalStage!.instructions.filter((x) => x.keyword === 'ENV')) for (const p of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) envs.set(p[1]!, p[2]!.replace(/^"|"$/g, ''));
    if (envs.get('HOST') !== '0.0.0.0') problems.push(`${dockerfilePath}: ENV HOST=0.0.0.0 missing (the default, 127.0.0.1, is unreachable from outside the container)`);
    if (envs.get('NODE_ENV') !== 'production') problems.push(`${dockerfilePath}: ENV NODE_ENV=production missing`);
    if (!/^\$\{?SERVICE\}?$/.test(envs.get('TALENT_HUB_SERVICE') ?? '')) problems.push(`${dockerfilePath}: ENV TALENT_HUB_SERVICE=\${SERVICE} missing (the CMD and HEALTHCHECK read it)`);
    for (const [name] of envs) if (name.endsWith('_PORT')) problems.push(`${dockerfilePath}: ENV ${name}: the port comes from the registry; a fixed one would be wrong for every other service`);

    const healthcheck = finalStage!.instructions.filter((i) => i.keyword === 'HEALTHCHECK').pop();
    if (!healthcheck || /^NONE\b/i.test(healthcheck.args)) problems.push(`${dockerfilePath}: no HEALTHCHECK in the final stage`);
    else if (!execForm('HEALTHCHECK')) problems.push(`${dockerfilePath}: HEALTHCHECK CMD is not in exec form (a JSON array)`);
    if (!execForm('CMD')) problems.push(`${dockerfilePath}: CMD is not in exec form (a JSON array)`);
    expectNone(problems);
  });

  it('starts the compiled entry point of each service as PID 1 (the CMD, run with a stand-in for node)', () => {
    const argv = execForm('CMD');
    expect(argv, `${dockerfilePath}: CMD`).toBeDefined();
    const bin = temporaryDir('fake-node');
    writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "pid=$$"\nfor a in "$@"; do echo "arg=$a"; done\n');
    chmodSync(path.join(bin, 'node'), 0o755);
    const problems: string[] = [];
    for (const s of services(registry)) {
      const [command, ...args] = argv!;
      const result = spawnSync(command!, args, { env: { PATH: `${bin}:/usr/bin:/bin`, TALENT_HUB_SERVICE: s }, encoding: 'utf8' });
      const lines = result.stdout.trim().split('\n');
      const started = lines.filter((l) => l.startsWith('arg=')).map((l) => l.slice(4));
      const expected = `${serviceWorkspace(s)}/dist/main.js`;
      if (started.join(' ') !== expected) problems.push(`${s}: CMD runs node ${started.join(' ')} (${result.stderr.trim()}); expected node ${expected}`);
      if (!existsSync(path.join(projectRoot, serviceWorkspace(s), 'main.ts'))) problems.push(`${s}: ${serviceWorkspace(s)}/main.ts does not exist`);
      // `exec`: node replaces the shell, so signals reach it.
      if (lines[0] !== `pid=${result.pid}`) problems.push(`${s}: node does not run as the container's first process (${lines[0]} for shell pid ${result.pid}): use exec`);
    }
    expectNone(problems);
  });

  it('checks /health on the port the service listens on (the HEALTHCHECK, run with a stand-in for fetch)', () => {
    const argv = execForm('HEALTHCHECK');
    expect(argv?.[0], `${dockerfilePath}: HEALTHCHECK runs node`).toBe('node');
    // Prints the URL asked and answers ok as FAKE_OK says.
    const fakeFetch = `data:text/javascript,${encodeURIComponent("globalThis.fetch = async (url) => { console.log(String(url)); return { ok: process.env.FAKE_OK === '1' }; };")}`;
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [...sourceNodeArgs, '--import', fakeFetch, ...argv!.slice(1)], {
        cwd: projectRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: os.tmpdir(), FAKE_OK: '1', ...env },
        encoding: 'utf8',
      });
    const problems: string[] = [];
    const expectAsk = (label: string, env: Record<string, string>, port: number, status: number) => {
      const result = run(env);
      const asked = result.stdout.trim();
      if (asked !== `http://127.0.0.1:${port}/health`) problems.push(`${label}: asked ${asked || '(nothing)'} ${result.stderr.trim().split('\n')[0] ?? ''}; expected http://127.0.0.1:${port}/health`);
      if (result.status !== status) problems.push(`${label}: exit ${result.status}, expected ${status}`);
    };
    expectAsk('gateway', { TALENT_HUB_SERVICE: 'gateway' }, gatewayDefaultPort, 0);
    expectAsk('gateway with GATEWAY_PORT', { TALENT_HUB_SERVICE: 'gateway', GATEWAY_PORT: '4100' }, 4100, 0);
    for (const e of registry) expectAsk(e.name, { TALENT_HUB_SERVICE: e.name }, e.port, 0);
    const first = registry[0]!;
    expectAsk(`${first.name} with ${envName(first.name, 'PORT')}`, { TALENT_HUB_SERVICE: first.name, [envName(first.name, 'PORT')]: '4999' }, 4999, 0);
    expectAsk(`${first.name} answering 503`, { TALENT_HUB_SERVICE: first.name, FAKE_OK: '0' }, first.port, 1);
    expectNone(problems);
  });

  it('compiles, for each service, every workspace it depends on (tsconfig.build.json references follow package.json)', () => {
    const problems: string[] = [];
    const referenced = (workspace: string): string[] => {
      const seen = [workspace];
      for (let i = 0; i < seen.length; i++) {
        const config = JSON.parse(read(`${seen[i]}/tsconfig.build.json`)) as { references?: { path: string }[] };
        for (const ref of config.references ?? []) {
          const dir = path.posix.normalize(path.posix.join(seen[i]!, ref.path.replace(/\/tsconfig[\w.]*\.json$/, '')));
          if (!seen.includes(dir)) seen.push(dir);
        }
      }
      return seen;
    };
    for (const s of services(registry)) {
      const built = referenced(serviceWorkspace(s));
      for (const w of dependencyWorkspaces(serviceWorkspace(s))) if (!built.includes(w)) problems.push(`${serviceWorkspace(s)}/tsconfig.build.json: tsc -b does not reach ${w} (a dependency of ${s})`);
      // What the code imports is what npm installs: a workspace loaded but not a dependency would be missing.
      for (const file of reachableFiles(entryFileOf(s))) {
        const w = workspaceOfFile(file);
        if (w && !dependencyWorkspaces(serviceWorkspace(s)).includes(w)) problems.push(`${s} loads ${file}, but ${serviceWorkspace(s)}/package.json does not depend on ${w} (directly or not)`);
      }
    }
    expectNone(problems);
  });

  describe('what an image holds (stage.mjs on a copy of the repository, after a stand-in build)', () => {
    const project = fakeBuiltProject();
    const staged = new Map<string, string[]>();
    const stagedFiles = (service: string) => {
      if (!staged.has(service)) {
        const out = path.join(temporaryDir(`staged-${service}`), 'stage');
        const result = runStage(project, 'runtime', service, out);
        if (result.status !== 0) throw new Error(`stage.mjs runtime ${service} failed: ${result.stderr}`);
        staged.set(service, filesUnder(out, '.').map((f) => f.replace(/^\.\//, '')));
      }
      return staged.get(service)!;
    };
    // The gateway, and a subgraph (the first one with a seed CSV, if any: it shows the runtime files).
    const subgraph = registry.find((e) => existsSync(path.join(projectRoot, 'subgraphs', e.name, 'seed'))) ?? registry[0]!;

    for (const service of ['gateway', subgraph.name]) {
      it(`${service}: its workspaces' package.json and compiled code, the files it reads, the registry; nothing else`, () => {
        const files = stagedFiles(service);
        const problems: string[] = [];
        const workspaces = [...productionTree(serviceWorkspace(service)).workspaces].sort();
        const has = (f: string, why: string) => {
          if (!files.includes(f)) problems.push(`missing ${f} (${why})`);
        };
        has('package.json', '"type": "module"');
        has('subgraphs/registry.json', 'every service reads the registry');
        for (const w of workspaces) has(`${w}/package.json`, `${w} is linked from node_modules`);
        for (const source of reachableFiles(entryFileOf(service))) {
          const w = workspaceOfFile(source)!;
          has(`${w}/dist/${source.slice(w.length + 1).replace(/\.ts$/, '.js')}`, `${entryFileOf(service)} loads ${source}`);
        }
        for (const { asset, file } of runtimeAssets(entryFileOf(service))) {
          // A folder (the gateway's trusted documents manifests) is there when files under it are.
          if (!files.some((f) => f.startsWith(`${asset}/`))) has(asset, `${file} reads it`);
        }
        for (const f of files) {
          const w = workspaceOfFile(f);
          if (!w) {
            if (!['package.json', 'subgraphs/registry.json', ...(service === 'gateway' ? ['schema/supergraph.graphql'] : [])].includes(f)) problems.push(`holds ${f}, outside the service's workspaces`);
          } else if (!workspaces.includes(w)) problems.push(`holds ${f}: ${w} is not one of the service's workspaces (${workspaces.join(', ')})`);
          if (/\.ts$/.test(f) || /(?:^|\/)testing\//.test(f) || /\.test\./.test(f) || /(?:^|\/)tsconfig[^/]*\.json$/.test(f) || /\.tsbuildinfo$/.test(f) || /\.md$/.test(f) || f.includes('node_modules/')) {
            problems.push(`holds ${f} (sources, tests, build settings and docs stay out)`);
          }
        }
        if (service === 'gateway') {
          has('schema/supergraph.graphql', 'the gateway serves it');
          for (const f of files) if (f.startsWith('packages/subgraph-lib/') || (f.startsWith('subgraphs/') && f !== 'subgraphs/registry.json')) problems.push(`the gateway image holds ${f}`);
        } else {
          for (const w of workspaces) {
            // Its non-TypeScript files beside the sources: the SDL, the seed data.
            for (const f of filesUnder(projectRoot, w).filter((x) => /\.(?:graphql|csv|json)$/.test(x) && !/(?:^|\/)(?:dist|node_modules|testing)\//.test(x) && !/tsconfig|package\.json$/.test(x))) {
              has(f, `a file of ${w} beside its sources`);
            }
          }
        }
        expectNone(problems);
      });
    }

    it('refuses an unknown service, naming the services', () => {
      const result = runStage(project, 'runtime', 'no-such-service', path.join(temporaryDir('staged-unknown'), 'stage'));
      expect(result.status).not.toBe(0);
      for (const s of services(registry)) expect(result.stderr).toContain(s);
    });

    it('gives npm ci the lockfile, the registry and every workspace\'s package.json (manifests), and nothing else', () => {
      const out = path.join(temporaryDir('manifests'), 'manifests');
      expect(runStage(project, 'manifests', out).status).toBe(0);
      expect(filesUnder(out, '.').map((f) => f.replace(/^\.\//, '')).sort()).toEqual(
        ['package.json', 'package-lock.json', 'subgraphs/registry.json', ...workspaceDirs.map((w) => `${w}/package.json`)].sort(),
      );
      for (const s of services(registry)) {
        const result = runStage(out, 'workspace', s);
        expect(result.stdout.trim(), `stage.mjs workspace ${s}`).toBe(serviceWorkspace(s));
      }
    });

    it('moves node_modules, and the service\'s workspaces\' own, out of the production install (modules)', () => {
      const root = temporaryDir('modules');
      for (const f of ['package.json', 'subgraphs/registry.json', ...workspaceDirs.map((w) => `${w}/package.json`)]) {
        mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        cpSync(path.join(project, f), path.join(root, f));
      }
      const own = `${serviceWorkspace(subgraph.name)}/node_modules/some-dependency/index.js`;
      for (const f of ['node_modules/graphql/index.js', own, 'gateway/node_modules/not-moved/index.js']) {
        mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        writeFileSync(path.join(root, f), '');
      }
      const out = path.join(temporaryDir('modules-out'), 'modules');
      const result = runStage(root, 'modules', subgraph.name, out);
      expect(result.status, result.stderr).toBe(0);
      expect(filesUnder(out, '.').map((f) => f.replace(/^\.\//, ''))).toEqual(['node_modules/graphql/index.js', own].sort());
    });
  });

  it('installs no pglite, pg or kysely for the gateway (its production dependency tree in package-lock.json)', () => {
    const databaseLibraries = ['@electric-sql/pglite', 'pg', 'kysely'];
    const gatewayTree = productionTree('gateway');
    const subgraphTree = productionTree(serviceWorkspace(registry[0]!.name));
    const problems = [...gatewayTree.problems, ...subgraphTree.problems];
    for (const name of databaseLibraries) {
      if (gatewayTree.packages.has(name)) problems.push(`the gateway's production dependencies include ${name}`);
      // The same walk finds them where they are: it would see them in the gateway's tree too.
      if (!subgraphTree.packages.has(name)) problems.push(`the walk finds no ${name} for ${registry[0]!.name}: it does not work`);
    }
    if (!gatewayTree.packages.has('@apollo/gateway')) problems.push('the walk finds no @apollo/gateway for the gateway: it does not work');
    // npm ci --omit=dev --workspace=<dir> links the workspaces reached; the staging script copies the same ones.
    for (const s of services(registry)) {
      const linked = [...productionTree(serviceWorkspace(s)).workspaces].sort();
      const declared = dependencyWorkspaces(serviceWorkspace(s));
      if (linked.join() !== declared.join()) problems.push(`${s}: npm links ${linked.join(', ')}, package.json names ${declared.join(', ')}`);
    }
    expectNone(problems);
  });
});

describe.each(deploySets)('$label', (set) => {
  const reg = set.registry;
  const composeServices: Record<string, Data> = set.compose.services ?? {};
  const composeFile = 'deploy/compose.yaml';

  it('has every YAML file parse without errors', () => {
    expect(set.yaml.length).toBeGreaterThan(0);
    expectNone(set.yaml.flatMap((y) => y.problems));
  });

  describe('compose', () => {
    it('has PostgreSQL 15 with a database per subgraph, Redis 7 and every service, built from the one Dockerfile', () => {
      const problems: string[] = [];
      if (!/^postgres:15(?:[.-]|$)/.test(composeServices.postgres?.image ?? '')) problems.push(`${composeFile}: services.postgres.image is not postgres:15`);
      if (!/^redis:7(?:[.-]|$)/.test(composeServices.redis?.image ?? '')) problems.push(`${composeFile}: services.redis.image is not redis:7`);
      const volumes: string[] = (composeServices.postgres?.volumes ?? []).map((v: Data) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
      const init = volumes.find((v) => v.includes('/docker-entrypoint-initdb.d'));
      if (init?.split(':')[0] !== './postgres/init.sql') problems.push(`${composeFile}: services.postgres does not mount ./postgres/init.sql into /docker-entrypoint-initdb.d`);
      const databases = [...set.initSql.matchAll(/CREATE DATABASE\s+"?(\w+)"?/gi)].map((m) => m[1]!);
      for (const s of services(reg)) {
        const service = composeServices[s];
        if (!service) {
          problems.push(`${composeFile}: services.${s} missing`);
          continue;
        }
        const context = path.posix.normalize(path.posix.join('deploy', service.build?.context ?? '.'));
        if (context !== '.') problems.push(`${composeFile}: services.${s}.build.context is ${context}, not the repository root`);
        if (service.build?.dockerfile !== dockerfilePath) problems.push(`${composeFile}: services.${s}.build.dockerfile is ${service.build?.dockerfile}, not ${dockerfilePath}`);
        if (service.build?.args?.SERVICE !== s) problems.push(`${composeFile}: services.${s}.build.args.SERVICE is ${service.build?.args?.SERVICE}, not ${s}`);
        for (const [name, value] of composeEnv(service)) {
          if (!name.endsWith('_DATABASE_URL')) continue;
          let url: URL;
          try {
            url = new URL(value.replace(/\$\{[^}]*\}/g, 'x'));
          } catch {
            problems.push(`${composeFile}: services.${s}.environment.${name} is not a URL`);
            continue;
          }
          const database = url.pathname.replace(/^\//, '');
          if (!composeServices[url.hostname]) problems.push(`${composeFile}: services.${s}.environment.${name}: host ${url.hostname} is no compose service`);
          if (!databases.includes(database)) problems.push(`${composeFile}: services.${s}.environment.${name}: database ${database} is not created by init.sql`);
        }
      }
      if (databases.length !== reg.length) problems.push(`init.sql: creates ${databases.length} databases for ${reg.length} subgraphs`);
      expectNone(problems);
    });

    it('gives every service a healthcheck and starts each one after what it uses is healthy', () => {
      const problems: string[] = [];
      for (const [name, service] of Object.entries(composeServices)) {
        const test = service.healthcheck?.test;
        if (!test || service.healthcheck?.disable || (Array.isArray(test) && test[0] === 'NONE')) problems.push(`${composeFile}: services.${name}.healthcheck missing`);
        const dependsOn = service.depends_on ?? {};
        if (Array.isArray(dependsOn)) {
          problems.push(`${composeFile}: services.${name}.depends_on is a list; use condition: service_healthy`);
          continue;
        }
        for (const [dependency, spec] of Object.entries<Data>(dependsOn)) {
          if (spec?.condition !== 'service_healthy') problems.push(`${composeFile}: services.${name}.depends_on.${dependency}: condition is not service_healthy`);
          if (!composeServices[dependency]?.healthcheck) problems.push(`${composeFile}: services.${name}.depends_on.${dependency}: it has no healthcheck`);
        }
        // A URL to a data store (a compose service not built here: PostgreSQL, Redis) means a dependency. The
        // subgraphs call each other too, but only while serving: as dependencies they would form a cycle.
        for (const [variable, value] of composeEnv(service)) {
          const host = urlHost(value);
          if (host && host !== name && composeServices[host] && !composeServices[host].build && !(host in dependsOn)) {
            problems.push(`${composeFile}: services.${name}.environment.${variable} uses ${host}, which is not in depends_on`);
          }
        }
      }
      for (const g of reg) if (!(g.name in (composeServices.gateway?.depends_on ?? {}))) problems.push(`${composeFile}: services.gateway.depends_on lacks ${g.name}`);
      expectNone(problems);
    });

    it('sets every variable the services read, or leaves it to a listed default; secrets only interpolated', () => {
      const problems: string[] = [];
      const optional = optionalWithDefault(reg);
      for (const s of services(reg)) {
        const env = composeEnv(composeServices[s]);
        for (const r of envReads(s, reg)) {
          const explicit = mustBeExplicit(reg)(r.name);
          if (!env.has(r.name) && (explicit || !(r.name in optional))) {
            problems.push(`${composeFile}: services.${s}.environment: ${r.name} (read in ${r.file}) is not set${explicit ? '' : ' and not in optionalWithDefault'}`);
          }
        }
        const readNames = new Set(envReads(s, reg).map((r) => r.name));
        for (const [name, value] of env) {
          if (!readNames.has(name) && !(name in setButReadElsewhere)) problems.push(`${composeFile}: services.${s}.environment: ${name} is set but ${s} does not read it (a typo?)`);
          if (secretLike.test(name) && !/\$\{\w+:\?/.test(value)) problems.push(`${composeFile}: services.${s}.environment.${name}: a secret; take it from \${VAR:?...} rather than writing it`);
        }
        if (env.get('NODE_ENV') !== 'production') problems.push(`${composeFile}: services.${s}.environment.NODE_ENV is not production`);
      }
      expectNone(problems);
    });

    it('uses each service port everywhere: expose/ports, healthcheck, the URLs of the subgraphs', () => {
      const problems: string[] = [];
      for (const s of services(reg)) {
        const service = composeServices[s];
        const env = composeEnv(service);
        const port = effectivePort(s, reg, env);
        if (port !== defaultPortOf(s, reg)) problems.push(`${composeFile}: services.${s} listens on ${port}, not on its registry port ${defaultPortOf(s, reg)}`);
        const published = [...(service?.expose ?? []), ...(service?.ports ?? [])].map((p: Data) => Number(typeof p === 'object' ? p.target : String(p).split(':').pop()!.split('/')[0]));
        if (!published.includes(port)) problems.push(`${composeFile}: services.${s}: expose/ports ${published.join(', ') || '(none)'} lack container port ${port}`);
        const test: string = Array.isArray(service?.healthcheck?.test) ? service.healthcheck.test.join(' ') : String(service?.healthcheck?.test ?? '');
        const parsed = parseHealthcheck(test);
        if (!parsed) problems.push(`${composeFile}: services.${s}.healthcheck does not fetch http://127.0.0.1:<port>/<path>`);
        else {
          if (parsed.port !== port) problems.push(`${composeFile}: services.${s}.healthcheck port ${parsed.port}; ${s} listens on ${port}`);
          if (parsed.portVariable && parsed.portVariable !== portVariable(s, reg)) problems.push(`${composeFile}: services.${s}.healthcheck reads ${parsed.portVariable}; ${s} reads ${portVariable(s, reg)}`);
          if (!servedEndpoints.includes(parsed.path)) problems.push(`${composeFile}: services.${s}.healthcheck asks ${parsed.path}, not one of ${servedEndpoints.join(', ')}`);
        }
        // Every service's subgraph URLs point at the subgraph's compose service and port.
        for (const g of reg) {
          const name = envName(g.name, 'URL');
          const value = env.get(name);
          if (!value) continue; // reported with the environment
          const url = new URL(value);
          const gPort = effectivePort(g.name, reg, composeEnv(composeServices[g.name]));
          if (url.hostname !== g.name) problems.push(`${composeFile}: services.${s}.environment.${name}: host ${url.hostname}, not the ${g.name} service`);
          if (Number(url.port || 80) !== gPort) problems.push(`${composeFile}: services.${s}.environment.${name}: port ${url.port}; ${g.name} listens on ${gPort}`);
        }
      }
      expectNone(problems);
    });
  });

  describe('kubernetes', () => {
    it('lists every manifest in kustomization.yaml, and nothing else, with an image for every service', () => {
      const kustomization = set.yaml.find((y) => y.file === 'deploy/k8s/kustomization.yaml')?.docs[0];
      expect(kustomization, 'deploy/k8s/kustomization.yaml: missing').toBeDefined();
      const listed: string[] = kustomization?.data.resources ?? [];
      const files = filesUnder(set.root, 'deploy/k8s')
        .map((f) => path.posix.basename(f))
        .filter((f) => /\.ya?ml$/.test(f) && !/^kustomization\.ya?ml$/.test(f));
      const problems = [
        ...files.filter((f) => !listed.includes(f)).map((f) => `deploy/k8s/kustomization.yaml: resources lacks ${f}`),
        ...listed.filter((f) => !files.includes(f)).map((f) => `deploy/k8s/kustomization.yaml: resources lists ${f}, which does not exist`),
      ];
      const images: string[] = (kustomization?.data.images ?? []).map((i: Data) => i.name);
      for (const s of services(reg)) {
        const image: string | undefined = mainContainer(k8sNamed(set, 'Deployment', s)?.data)?.image;
        if (!image || !images.includes(image.split(':')[0]!)) problems.push(`deploy/k8s/kustomization.yaml: images lack ${image ?? `the image of ${s}`}`);
      }
      expectNone(problems);
    });

    it('gives every service a hardened Deployment with probes, resources, a Service, an HPA and a PDB', () => {
      const problems: string[] = [];
      for (const s of services(reg)) {
        const doc = k8sNamed(set, 'Deployment', s);
        if (!doc) {
          problems.push(`deploy/k8s: no Deployment named ${s}`);
          continue;
        }
        const d = doc.data;
        const at = where(doc);
        const podSpec = d.spec?.template?.spec ?? {};
        const podLabels: Record<string, string> = d.spec?.template?.metadata?.labels ?? {};
        const matches = (selector: Record<string, string> | undefined) => !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
        if (!matches(d.spec?.selector?.matchLabels)) problems.push(`${at}: spec.selector.matchLabels does not match the pod template's labels`);
        const container = mainContainer(d);
        if (!container) {
          problems.push(`${at}: no container`);
          continue;
        }
        const c = `${at} containers[${container.name}]`;
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) if (!container[probe]?.httpGet) problems.push(`${c}.${probe}: missing (an httpGet probe)`);
        if (container.readinessProbe?.httpGet && container.readinessProbe.httpGet.path !== '/ready') problems.push(`${c}.readinessProbe.httpGet.path is ${container.readinessProbe.httpGet.path}, not /ready`);
        if (container.livenessProbe?.httpGet && container.livenessProbe.httpGet.path !== '/health') problems.push(`${c}.livenessProbe.httpGet.path is ${container.livenessProbe.httpGet.path}, not /health`);
        for (const key of ['cpu', 'memory']) if (!container.resources?.requests?.[key]) problems.push(`${c}.resources.requests.${key}: missing`);
        if (!container.resources?.limits?.memory) problems.push(`${c}.resources.limits.memory: missing`);
        const runAsNonRoot = container.securityContext?.runAsNonRoot ?? podSpec.securityContext?.runAsNonRoot;
        const runAsUser = container.securityContext?.runAsUser ?? podSpec.securityContext?.runAsUser;
        if (runAsNonRoot !== true) problems.push(`${at}: securityContext.runAsNonRoot is not true`);
        if (runAsUser === 0) problems.push(`${at}: securityContext.runAsUser is 0 (root)`);
        if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${c}.securityContext.allowPrivilegeEscalation is not false`);
        if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${c}.securityContext.readOnlyRootFilesystem is not true`);
        if (!container.securityContext?.capabilities?.drop?.includes('ALL')) problems.push(`${c}.securityContext.capabilities.drop lacks ALL`);
        if (podSpec.automountServiceAccountToken !== false) problems.push(`${at}: automountServiceAccountToken is not false`);
        // Service links would put <SERVICE>_PORT=tcp://... into the pod: GATEWAY_PORT, TALENTS_PORT... are the
        // services' own port variables, and a tcp:// value stops them at start.
        if (podSpec.enableServiceLinks !== false) problems.push(`${at}: spec.template.spec.enableServiceLinks is not false (Kubernetes would set ${portVariable(s, reg)}=tcp://...)`);

        const hpa = k8sNamed(set, 'HorizontalPodAutoscaler', s);
        if (!hpa) problems.push(`deploy/k8s: no HorizontalPodAutoscaler named ${s}`);
        else {
          const h = hpa.data;
          if (h.apiVersion !== 'autoscaling/v2') problems.push(`${where(hpa)}: apiVersion ${h.apiVersion}, not autoscaling/v2`);
          if (h.spec?.scaleTargetRef?.kind !== 'Deployment' || h.spec?.scaleTargetRef?.name !== s) problems.push(`${where(hpa)}: scaleTargetRef is not Deployment/${s}`);
          const cpu = (h.spec?.metrics ?? []).some((m: Data) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization);
          if (!cpu) problems.push(`${where(hpa)}: no CPU utilisation target in spec.metrics`);
          if (!((h.spec?.minReplicas ?? 1) >= 2)) problems.push(`${where(hpa)}: minReplicas below 2 (one pod: no availability through a node drain)`);
          if (!(h.spec?.maxReplicas >= (h.spec?.minReplicas ?? 1))) problems.push(`${where(hpa)}: maxReplicas below minReplicas`);
          if (d.spec?.replicas !== undefined) problems.push(`${at}: spec.replicas is set, but the HPA owns the count (kubectl apply would reset it)`);
        }

        const pdb = k8sNamed(set, 'PodDisruptionBudget', s);
        if (!pdb) problems.push(`deploy/k8s: no PodDisruptionBudget named ${s}`);
        else {
          const p = pdb.data;
          if (p.apiVersion !== 'policy/v1') problems.push(`${where(pdb)}: apiVersion ${p.apiVersion}, not policy/v1`);
          if (!matches(p.spec?.selector?.matchLabels)) problems.push(`${where(pdb)}: spec.selector.matchLabels does not match Deployment/${s}'s pods`);
          const minReplicas = hpa?.data.spec?.minReplicas ?? 1;
          const { minAvailable, maxUnavailable } = p.spec ?? {};
          if (minAvailable === undefined && maxUnavailable === undefined) problems.push(`${where(pdb)}: neither minAvailable nor maxUnavailable`);
          if (typeof minAvailable === 'number' && minAvailable >= minReplicas) problems.push(`${where(pdb)}: minAvailable ${minAvailable} with ${minReplicas} replicas blocks every eviction`);
          if (maxUnavailable === 0 || maxUnavailable === '0%') problems.push(`${where(pdb)}: maxUnavailable 0 blocks every eviction`);
        }
        if (!k8sNamed(set, 'Service', s)) problems.push(`deploy/k8s: no Service named ${s}`);
      }
      for (const service of k8sOf(set, 'Service')) {
        const selector: Record<string, string> = service.data.spec?.selector ?? {};
        const target = k8sOf(set, 'Deployment').find((d) => {
          const labels: Record<string, string> = d.data.spec?.template?.metadata?.labels ?? {};
          return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
        });
        if (!target) problems.push(`${where(service)}: spec.selector matches no Deployment's pod labels`);
      }
      expectNone(problems);
    });

    it('points probes, Service targetPorts and scrape annotations at the service port and at served endpoints', () => {
      const problems: string[] = [];
      for (const s of services(reg)) {
        const doc = k8sNamed(set, 'Deployment', s);
        const container = doc && mainContainer(doc.data);
        if (!doc || !container) continue; // reported above
        const at = where(doc);
        const env = new Map([...k8sEnv(set, container)].map(([k, v]) => [k, v.value]));
        const port = effectivePort(s, reg, env);
        if (port !== defaultPortOf(s, reg)) problems.push(`${at}: ${s} listens on ${port}, not on its registry port ${defaultPortOf(s, reg)}`);
        const containerPorts: Data[] = container.ports ?? [];
        const resolve = (p: number | string | undefined) => (typeof p === 'string' && !/^\d+$/.test(p) ? containerPorts.find((cp) => cp.name === p)?.containerPort : p === undefined ? undefined : Number(p));
        if (!containerPorts.some((cp) => cp.containerPort === port)) problems.push(`${at}: no containerPort ${port} (${s} listens on ${port})`);
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const get = container[probe]?.httpGet;
          if (!get) continue;
          if (!servedEndpoints.includes(get.path)) problems.push(`${at} ${probe}.httpGet.path ${get.path} is not one of ${servedEndpoints.join(', ')}`);
          if (resolve(get.port) !== port) problems.push(`${at} ${probe}.httpGet.port ${get.port} is not ${port}`);
        }
        const annotations: Record<string, string> = doc.data.spec?.template?.metadata?.annotations ?? {};
        if (annotations['prometheus.io/path'] && !servedEndpoints.includes(annotations['prometheus.io/path'])) problems.push(`${at}: prometheus.io/path ${annotations['prometheus.io/path']} is not served`);
        if (annotations['prometheus.io/port'] && Number(annotations['prometheus.io/port']) !== port) problems.push(`${at}: prometheus.io/port ${annotations['prometheus.io/port']} is not ${port}`);
        const podLabels: Record<string, string> = doc.data.spec?.template?.metadata?.labels ?? {};
        for (const service of k8sOf(set, 'Service')) {
          const selector: Record<string, string> = service.data.spec?.selector ?? {};
          if (Object.keys(selector).length === 0 || !Object.entries(selector).every(([k, v]) => podLabels[k] === v)) continue;
          for (const sp of service.data.spec?.ports ?? []) if (resolve(sp.targetPort ?? sp.port) !== port) problems.push(`${where(service)}: port ${sp.port} targets ${sp.targetPort ?? sp.port}, not ${s}'s port ${port}`);
        }
        // Every service reaches each subgraph at its Service, on the Service's port.
        for (const g of reg) {
          const name = envName(g.name, 'URL');
          const value = env.get(name);
          if (!value) continue; // reported with the environment
          const url = new URL(value);
          const service = k8sNamed(set, 'Service', url.hostname.split('.')[0]!);
          const labels: Record<string, string> = k8sNamed(set, 'Deployment', g.name)?.data.spec?.template?.metadata?.labels ?? {};
          const selects = service && Object.entries<string>(service.data.spec?.selector ?? {}).every(([k, v]) => labels[k] === v);
          if (!service || !selects) problems.push(`${at} ${name}=${value}: host ${url.hostname} is not a Service selecting Deployment/${g.name}`);
          else if (!(service.data.spec?.ports ?? []).some((p: Data) => p.port === Number(url.port || 80))) problems.push(`${at} ${name}=${value}: Service ${service.data.metadata.name} has no port ${url.port || 80}`);
        }
      }
      expectNone(problems);
    });

    it('resolves every ConfigMap and Secret reference, with its key', () => {
      const problems: string[] = [];
      const configMaps = configMapsOf(set);
      const secrets = secretsOf(set);
      for (const doc of k8sOf(set, 'Deployment')) {
        for (const container of doc.data.spec?.template?.spec?.containers ?? []) {
          const c = `${where(doc)} containers[${container.name}]`;
          for (const e of container.env ?? []) {
            const cm = e.valueFrom?.configMapKeyRef;
            const sk = e.valueFrom?.secretKeyRef;
            if (cm && !cm.optional) {
              if (!configMaps.has(cm.name)) problems.push(`${c}.env.${e.name}: ConfigMap ${cm.name} is not defined in deploy/k8s`);
              else if (!(cm.key in configMaps.get(cm.name)!)) problems.push(`${c}.env.${e.name}: ConfigMap ${cm.name} has no key ${cm.key}`);
            }
            if (sk && !sk.optional) {
              if (!secrets.has(sk.name)) problems.push(`${c}.env.${e.name}: Secret ${sk.name} is not defined in deploy/k8s`);
              else if (!(sk.key in secrets.get(sk.name)!)) problems.push(`${c}.env.${e.name}: Secret ${sk.name} has no key ${sk.key}`);
            }
          }
          for (const from of container.envFrom ?? []) {
            if (from.configMapRef && !from.configMapRef.optional && !configMaps.has(from.configMapRef.name)) problems.push(`${c}.envFrom: ConfigMap ${from.configMapRef.name} is not defined in deploy/k8s`);
            if (from.secretRef && !from.secretRef.optional && !secrets.has(from.secretRef.name)) problems.push(`${c}.envFrom: Secret ${from.secretRef.name} is not defined in deploy/k8s`);
          }
        }
      }
      expectNone(problems);
    });

    it('sets every variable the services read, or leaves it to a listed default; secrets only from Secrets', () => {
      const problems: string[] = [];
      const optional = optionalWithDefault(reg);
      for (const s of services(reg)) {
        const doc = k8sNamed(set, 'Deployment', s);
        const container = doc && mainContainer(doc.data);
        if (!doc || !container) continue; // reported above
        const c = `${where(doc)} containers[${container.name}]`;
        const env = k8sEnv(set, container);
        for (const r of envReads(s, reg)) {
          const explicit = mustBeExplicit(reg)(r.name);
          if (!env.has(r.name) && (explicit || !(r.name in optional))) problems.push(`${c}.env: ${r.name} (read in ${r.file}) is not set${explicit ? '' : ' and not in optionalWithDefault'}`);
        }
        const readNames = new Set(envReads(s, reg).map((r) => r.name));
        for (const [name, { from }] of env) {
          if (!readNames.has(name) && !(name in setButReadElsewhere)) problems.push(`${c}.env: ${name} is set but ${s} does not read it (a typo?)`);
          if (secretLike.test(name) && from !== 'secret') problems.push(`${c}.env.${name}: a secret, but taken from ${from === 'configMap' ? 'a ConfigMap' : 'a literal value'}; use a secretKeyRef`);
        }
        if (env.get('NODE_ENV')?.value !== 'production') problems.push(`${c}.env.NODE_ENV is not production`);
      }
      for (const doc of k8sOf(set, 'Secret')) {
        for (const [key, value] of Object.entries<string>({ ...(doc.data.stringData ?? {}) })) {
          if (key.endsWith('_SECRET') && value.length >= 32) problems.push(`${where(doc)}: stringData.${key} looks like a real secret; keep placeholders here (shorter than the 32 characters production requires)`);
        }
      }
      expectNone(problems);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The web container (deploy/web/): nginx serving the web apps' builds, everything else passed to the gateway
// ---------------------------------------------------------------------------------------------------------------

describe('the web container (deploy/web/)', () => {
  const webDockerfilePath = 'deploy/web/Dockerfile';
  const nginxPath = 'deploy/web/nginx.conf';
  const web = parseDockerfile(read(webDockerfilePath));
  const nginx = read(nginxPath);
  const webIgnore = read(`${webDockerfilePath}.dockerignore`)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const webApps = ['explorer', 'dashboard'];

  it('is a compose service built from deploy/web/Dockerfile at the repository root, published, started after the gateway is healthy', () => {
    const service = committed.compose.services?.web;
    const problems: string[] = [];
    if (!service) problems.push('deploy/compose.yaml: services.web missing');
    else {
      if (path.posix.normalize(path.posix.join('deploy', service.build?.context ?? '.')) !== '.') problems.push('deploy/compose.yaml: services.web.build.context is not the repository root');
      if (service.build?.dockerfile !== webDockerfilePath) problems.push(`deploy/compose.yaml: services.web.build.dockerfile is not ${webDockerfilePath}`);
      const listen = /^\s*listen\s+(\d+);/m.exec(nginx)?.[1];
      if (!(service.ports ?? []).some((p: string) => String(p).endsWith(`:${listen}`))) problems.push(`deploy/compose.yaml: services.web publishes no port to nginx's ${listen}`);
      if (service.depends_on?.gateway?.condition !== 'service_healthy') problems.push('deploy/compose.yaml: services.web does not wait for a healthy gateway');
    }
    expectNone(problems);
  });

  it("builds both web apps and puts each dist/ where nginx serves it; its context holds what the builds read", () => {
    const problems: string[] = [];
    const build = web.stages[0];
    const final = web.stages[web.stages.length - 1];
    const root = /^\s*root\s+(\S+);/m.exec(nginx)?.[1];
    for (const app of webApps) {
      if (!build?.instructions.some((i) => i.keyword === 'RUN' && new RegExp(`npm run build --workspace ${app}\\b`).test(i.args))) problems.push(`${webDockerfilePath}: the build stage does not build ${app}`);
      const copied = final?.instructions.filter((i) => i.keyword === 'COPY').map(parseCopy).some((c) => c.from === build?.name && c.sources.includes(`/src/${app}/dist/`) && c.dest === `${root}/${app}/`);
      if (!copied) problems.push(`${webDockerfilePath}: the final stage does not copy ${app}/dist/ into ${root}/${app}/`);
    }
    if (!/^nginx:/.test(web.globalArgs.get('NGINX_IMAGE') ?? '')) problems.push(`${webDockerfilePath}: NGINX_IMAGE is not an nginx image`);
    // The explorer reads the example operations and their README values, the dashboard the typed client; both
    // configs load the build-inputs plugin.
    const read = ['package-lock.json', 'explorer/src/main.tsx', 'explorer/vite.config.ts', 'dashboard/src/main.ts', 'dashboard/public/nuts-2021.topo.json', 'examples/client.ts', 'examples/operations/region-name.graphql', 'examples/readme-variables.ts', 'scripts/web-app-inputs.ts'];
    for (const f of read) if (dockerIgnored(webIgnore, f)) problems.push(`${webDockerfilePath}.dockerignore: excludes ${f}, which the build reads`);
    for (const f of ['node_modules', 'dashboard/dist', 'explorer/node_modules', '.git', 'deploy/.env']) if (!dockerIgnored(webIgnore, f)) problems.push(`${webDockerfilePath}.dockerignore: does not exclude ${f}`);
    expectNone(problems);
  });

  it("passes everything but the apps to the gateway's compose service and port, with the gateway's Content-Security-Policy on the pages", async () => {
    const { contentSecurityPolicy } = await import('@talent-hub/gateway/web');
    const problems: string[] = [];
    const upstreams = [...nginx.matchAll(/^\s*proxy_pass\s+(\S+);/gm)].map((m) => m[1]!);
    if (upstreams.length === 0) problems.push(`${nginxPath}: no proxy_pass`);
    for (const upstream of upstreams) if (upstream !== `http://gateway:${gatewayDefaultPort}`) problems.push(`${nginxPath}: proxy_pass ${upstream}, not the gateway service on ${gatewayDefaultPort}`);
    if (/^\s*set \$csp "([^"]*)";/m.exec(nginx)?.[1] !== contentSecurityPolicy) problems.push(`${nginxPath}: $csp differs from gateway/web.ts contentSecurityPolicy`);
    expectNone(problems);
  });

  it('sends a browser opening / to the explorer and any other request at / to the gateway (the map, run as nginx would)', () => {
    const pattern = /"~(\^GET [^"]*)"\s+1;/.exec(nginx)?.[1];
    expect(pattern, `${nginxPath}: no $explorer_page pattern`).toBeDefined();
    const explorerPage = (method: string, accept: string, args: string) => new RegExp(pattern!).test(`${method} ${accept} ${args}`);
    const chrome = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
    expect(explorerPage('GET', chrome, '')).toBe(true);
    expect(explorerPage('GET', 'text/html, application/json', '')).toBe(true);
    expect(explorerPage('GET', chrome, 'query=%7B__typename%7D')).toBe(false);
    expect(explorerPage('POST', chrome, '')).toBe(false);
    expect(explorerPage('GET', 'application/json', '')).toBe(false);
    expect(explorerPage('GET', '*/*', '')).toBe(false);
  });
});
