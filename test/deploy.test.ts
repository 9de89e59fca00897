import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { subgraphRegistry } from '@talent-hub/platform/registry';

const defaultSubgraphPorts: Record<string, number> = Object.fromEntries(subgraphRegistry().map((e) => [e.name, e.port]));
type SubgraphName = string;
import { projectRoot } from '@talent-hub/platform/paths';
import { operationalPaths } from '@talent-hub/platform/endpoints';

// Checks the deployment files under deploy/ against the code they deploy, without Docker or Kubernetes: every
// YAML file parsed, every Dockerfile read as text. Each check collects what is wrong as "file: field: problem"
// lines, so a failure names the file and the field to fix.

/** The paths the services serve besides GraphQL (their route tables use the same list). */
const servedEndpoints = operationalPaths;

/** The gateway's default port: `readPort(env, 'GATEWAY_PORT', 4000)` in gateway/config.ts, which does not export it (the scan below checks the source still says 4000). */
const gatewayDefaultPort = 4000;

/**
 * Variables a deployment may leave unset, because the service's default suits it. Each with its reason.
 * Database URLs, the gateway's subgraph URLs, HOST and the ports can never be listed here (see mustBeExplicit).
 */
const optionalWithDefault: Record<string, string> = {
  // Subgraphs
  DATA_DIR: 'only the embedded store (PGlite) uses it; deployments give every subgraph a PostgreSQL URL',
  LOG_SQL_ERRORS: 'a debugging switch (prints failed SQL statements), off unless set to 1',
  READINESS_TIMEOUT_MS: "2 s for /ready's database check, well within the readiness probe's timeout",
  SHUTDOWN_TIMEOUT_MS: '10 s for requests in flight after SIGTERM, within terminationGracePeriodSeconds (30)',
  // Both
  SHUTDOWN_DELAY_MS: 'compose has no load balancer to drain (the gateway defaults to 5 s in production); Kubernetes sets it',
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'json lines in production (pretty needs pino-pretty, a dev dependency the images leave out)',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'tracing is off unless set; the ConfigMap shows where to set it',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'tracing is off unless set (or OTEL_EXPORTER_OTLP_ENDPOINT)',
  OTEL_TRACES_EXPORTER: 'otlp when an endpoint is set, otherwise tracing is off',
  OTEL_SERVICE_NAME: "defaults to the service's own name",
  // Gateway
  SUPERGRAPH_PATH: 'the gateway image holds the supergraph at the default path, schema/supergraph.graphql',
  GATEWAY_WORKERS: 'defaults to cores - 1 (1 to 4); compose and the manifests set it anyway',
  AUTH_CLOCK_SKEW_SECONDS: 'the default leeway of 30 s on token expiry suits every deployment',
  GATEWAY_INTROSPECTION: 'off in production by default',
  SUBGRAPH_TIMEOUT_MS: 'the default deadline of 5 s per subgraph fetch',
  SUBGRAPH_RETRIES: 'one retry of a failed query fetch by default',
  SUBGRAPH_BREAKER_FAILURES: 'the circuit breaker opens after 5 consecutive failures by default',
  SUBGRAPH_BREAKER_COOLDOWN_MS: 'and probes again after 10 s',
  TALENTS_TIMEOUT_MS: 'per-subgraph override of SUBGRAPH_TIMEOUT_MS, unset when not needed',
  TRAININGS_TIMEOUT_MS: 'per-subgraph override of SUBGRAPH_TIMEOUT_MS, unset when not needed',
  REGIONS_TIMEOUT_MS: 'per-subgraph override of SUBGRAPH_TIMEOUT_MS, unset when not needed',
  HEALTH_CHECK_TIMEOUT_MS: "1 s for the gateway's /ready checks of the subgraphs",
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
  GATEWAY_MAX_TOKENS: 'the reviewed default limits per operation',
  GATEWAY_MAX_BODY_BYTES: 'the default limit per request (1 MiB)',
  GATEWAY_MAX_BATCH: 'the default limit per request (10 operations)',
};

/** Variables a deployment may set that the scanned sources do not read, each with who reads it. */
const setButReadElsewhere: Record<string, string> = {
  NODE_OPTIONS: 'read by node itself',
};

const subgraphs = Object.keys(defaultSubgraphPorts) as SubgraphName[];
type Service = 'gateway' | SubgraphName;
const services: Service[] = ['gateway', ...subgraphs];

/** Variables every deployment must set itself, whatever their defaults (127.0.0.1, PGlite, localhost URLs). */
const mustBeExplicit: RegExp[] = [
  /^HOST$/,
  /_PORT$/,
  /_DATABASE_URL$/,
  new RegExp(`^(?:${subgraphs.map((s) => s.toUpperCase()).join('|')})_URL$`),
];
/** Variables whose values are secrets: from a Secret in Kubernetes, interpolated (never written) in compose. */
const secretLike = /(?:_SECRET|_PASSWORD|_TOKEN|_DATABASE_URL)$/;

const deployDir = path.join(projectRoot, 'deploy');
const k8sDir = path.join(deployDir, 'k8s');
const composeFile = path.join(deployDir, 'compose.yaml');
const rel = (file: string) => path.relative(projectRoot, file).split(path.sep).join('/');
const read = (file: string) => readFileSync(file, 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// What the services read: a scan of their sources
// ---------------------------------------------------------------------------------------------------------------

const entryOf = (s: Service) => (s === 'gateway' ? 'gateway/main.ts' : `subgraphs/${s}/main.ts`);
const dirOf = (s: Service) => (s === 'gateway' ? 'gateway' : `subgraphs/${s}`);

/** Source without comments (enough for the patterns below: a `//` after a colon or quote is kept, as in URLs). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

const importPattern =
  /\b(?:import|export)\s+(?!type\b)(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The project's TypeScript files a service's entry point loads (relative imports, static and dynamic; type-only imports skipped). */
function reachableFiles(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = stripComments(read(path.join(projectRoot, file)));
    for (const match of source.matchAll(importPattern)) {
      const spec = match[1] ?? match[2]!;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const candidates = [target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`];
      const found = candidates.find((c) => c.endsWith('.ts') && existsSync(path.join(projectRoot, c)));
      if (found && !found.startsWith('..') && !found.includes('node_modules/')) queue.push(found);
    }
  }
  return [...seen].sort();
}

function filesNamed(dir: string, name: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(path.join(projectRoot, d), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const child = `${d}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name === name) out.push(child);
    }
  };
  walk(dir);
  return out;
}

/**
 * The parts of a file: one per top-level statement, named when it declares a function (`function f`, `const f =
 * (...) =>`). The scan follows functions by name from what runs at load time, so that a file the service loads
 * for one function does not lend it the variables of the others (the gateway loads subgraphs/lib/config.ts for
 * readSubgraphUrls, not for readSubgraphConfig).
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
  for (const line of stripComments(read(path.join(projectRoot, file))).split('\n')) {
    if (!current || /^[A-Za-z@]/.test(line)) {
      current = { file, name: functionDeclaration.exec(line)?.[1] ?? arrowDeclaration.exec(line)?.[1], text: '' };
      chunks.push(current);
    }
    current.text += `${line}\n`;
  }
  chunkCache.set(file, chunks);
  return chunks;
}

/**
 * The code a service runs: what its entry point loads runs its top-level statements, which call functions, which
 * call others (followed by name, over every file loaded). Every config.ts of the service's folder (and of
 * subgraphs/lib for a subgraph) counts whole, loaded or not yet.
 */
function runCode(s: Service): Chunk[] {
  const loaded = reachableFiles(entryOf(s));
  const extra = [...filesNamed(dirOf(s), 'config.ts'), ...(s === 'gateway' ? [] : filesNamed('subgraphs/lib', 'config.ts'))].filter(
    (f) => !loaded.includes(f),
  );
  const all = [...loaded, ...extra].flatMap(chunksOf);
  const functions = new Map<string, Chunk[]>();
  for (const chunk of all) if (chunk.name) functions.set(chunk.name, [...(functions.get(chunk.name) ?? []), chunk]);
  const queue = [...loaded.flatMap(chunksOf).filter((c) => !c.name), ...extra.flatMap(chunksOf)];
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

/** The files of the code a service runs (the scan's reach, for messages). */
function scannedFiles(s: Service): string[] {
  return [...new Set(runCode(s).map((c) => c.file))].sort();
}

interface EnvRead {
  name: string;
  file: string;
  /** The env.ts reader called (readPort, readString, ...), `env.X` for a direct access, `template` for a name built from a subgraph's. */
  reader: string;
  /** The reader's fallback argument as written, when it has one. */
  fallback: string | undefined;
}

// Any `read*(env, 'NAME'...)` or `read*(process.env, ...)`, names as literals or templates.
const readerCall = /\b(read[A-Z]\w*)\(\s*(?:process\.)?env\s*,\s*(?:'([^']*)'|"([^"]*)"|`([^`]*)`)\s*(?:,\s*([^,)]+))?/g;
// Any `env.NAME` / `env['NAME']` (process.env included) that is not an assignment.
const envAccess = /\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])(?!\s*(?:=(?!=)|\?\?=|\|\|=))/g;
// A name built as `${...}_SUFFIX` (e.g. `${name.toUpperCase()}_TIMEOUT_MS`), read through a variable.
const templateName = /`\$\{([^}`]+)\}(_[A-Z][A-Z0-9_]*)`/g;

/**
 * Names in templates: `${prefix}` is the reading service's own name (readSubgraphConfig's `${prefix}_PORT`);
 * any other expression stands for every subgraph (`${name.toUpperCase()}_URL` over the subgraphs).
 */
function expandName(name: string, s: Service): string[] {
  if (!name.includes('${')) return [name];
  if (/^\$\{prefix\}/.test(name)) return [name.replace(/\$\{prefix\}/g, s.toUpperCase())];
  return subgraphs.map((g) => name.replace(/\$\{[^}]*\}/g, g.toUpperCase()));
}

const readsCache = new Map<Service, EnvRead[]>();
/** Every variable a service reads, once each (the first place found). */
function envReads(s: Service): EnvRead[] {
  const cached = readsCache.get(s);
  if (cached) return cached;
  const reads = new Map<string, EnvRead>();
  const add = (read: EnvRead) => {
    if (!reads.has(read.name)) reads.set(read.name, read);
  };
  for (const { file, text } of runCode(s)) {
    for (const m of text.matchAll(readerCall)) {
      for (const name of expandName(m[2] ?? m[3] ?? m[4]!, s)) add({ name, file, reader: m[1]!, fallback: m[5]?.trim() });
    }
    for (const m of text.matchAll(envAccess)) add({ name: m[1] ?? m[2]!, file, reader: `env.${m[1] ?? m[2]}`, fallback: undefined });
    for (const m of text.matchAll(templateName)) {
      for (const name of expandName(`\${${m[1]}}${m[2]}`, s)) add({ name, file, reader: 'template', fallback: undefined });
    }
  }
  const result = [...reads.values()].sort((a, b) => a.name.localeCompare(b.name));
  readsCache.set(s, result);
  return result;
}

/** The variable a service takes its port from: its one readPort call. */
function portVariable(s: Service): string {
  const ports = envReads(s).filter((r) => r.reader === 'readPort');
  if (ports.length !== 1) throw new Error(`${s} reads ${ports.length} port variables (${ports.map((p) => p.name).join(', ')}); expected one readPort call`);
  return ports[0]!.name;
}

const defaultPort = (s: Service): number => (s === "gateway" ? gatewayDefaultPort : defaultSubgraphPorts[s]!);

/** Runtime files a service reads beside its code: `sourceFile(import.meta.url, '...')` and `path.join(projectRoot, '...', 'x.ext')`. */
function runtimeAssets(s: Service): { asset: string; file: string }[] {
  const assets: { asset: string; file: string }[] = [];
  for (const file of reachableFiles(entryOf(s))) {
    const source = stripComments(read(path.join(projectRoot, file)));
    for (const m of source.matchAll(/\bsourceFile\(\s*import\.meta\.url\s*,\s*['"]([^'"]+)['"]\s*\)/g)) {
      assets.push({ asset: path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)), file });
    }
    for (const m of source.matchAll(/\bjoin\(\s*projectRoot\s*,((?:\s*'[^']*'\s*,?)+)\)/g)) {
      const parts = [...m[1]!.matchAll(/'([^']*)'/g)].map((p) => p[1]!);
      const last = parts[parts.length - 1] ?? '';
      // A file (name.ext), not a folder such as `.data`.
      if (/^[^.].*\.\w+$/.test(last)) assets.push({ asset: parts.join('/'), file });
    }
  }
  return assets;
}

// ---------------------------------------------------------------------------------------------------------------
// The deployment files
// ---------------------------------------------------------------------------------------------------------------

// The parsed YAML is checked field by field below, so it is handled as plain data.
type Data = any;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

interface YamlDoc {
  file: string;
  data: Data;
}

function parseYaml(file: string): { docs: YamlDoc[]; problems: string[] } {
  const docs: YamlDoc[] = [];
  const problems: string[] = [];
  for (const doc of parseAllDocuments(read(file))) {
    for (const e of [...doc.errors, ...doc.warnings]) problems.push(`${rel(file)}: ${e.message}`);
    const data = doc.toJS();
    if (data !== null && data !== undefined) docs.push({ file: rel(file), data });
  }
  return { docs, problems };
}

const allYaml = yamlFiles(deployDir).map((file) => ({ file, ...parseYaml(file) }));
const compose: Data = parseYaml(composeFile).docs[0]?.data ?? {};
const k8sDocs: YamlDoc[] = allYaml.filter((y) => y.file.startsWith(k8sDir)).flatMap((y) => y.docs);
const k8sObjects = k8sDocs.filter((d) => d.data.kind !== 'Kustomization');
const k8sOf = (kind: string) => k8sObjects.filter((d) => d.data.kind === kind);
const k8sNamed = (kind: string, name: string) => k8sOf(kind).find((d) => d.data.metadata?.name === name);
const where = (d: YamlDoc) => `${d.file} ${d.data.kind}/${d.data.metadata?.name}`;

const configMaps = new Map<string, Record<string, string>>(k8sOf('ConfigMap').map((d) => [d.data.metadata.name, d.data.data ?? {}]));
const secrets = new Map<string, Record<string, string>>(
  k8sOf('Secret').map((d) => {
    const decoded = Object.fromEntries(
      Object.entries<string>(d.data.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    return [d.data.metadata.name, { ...decoded, ...(d.data.stringData ?? {}) }];
  }),
);

interface K8sEnvValue {
  value: string | undefined;
  from: 'literal' | 'configMap' | 'secret' | 'other';
}

/** The container of a service's Deployment: the one named like the service, else the first. */
function mainContainer(deployment: Data): Data {
  const containers: Data[] = deployment.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.name === deployment.metadata?.name) ?? containers[0];
}

/** The environment a container gets: env entries (resolved through ConfigMaps and Secrets) and envFrom objects. */
function k8sEnv(container: Data): Map<string, K8sEnvValue> {
  const env = new Map<string, K8sEnvValue>();
  for (const from of container?.envFrom ?? []) {
    const prefix: string = from.prefix ?? '';
    const source = from.configMapRef ? configMaps.get(from.configMapRef.name) : secrets.get(from.secretRef?.name);
    for (const [key, value] of Object.entries(source ?? {})) {
      env.set(prefix + key, { value, from: from.configMapRef ? 'configMap' : 'secret' });
    }
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
  if (Array.isArray(environment)) {
    return new Map(environment.map((line: string) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)]));
  }
  return new Map(Object.entries(environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** The port a deployment runs a service on: its port variable's value where set, else the default. */
function effectivePort(s: Service, env: Map<string, string | undefined>): number {
  const value = env.get(portVariable(s));
  return value === undefined ? defaultPort(s) : Number(value);
}

/** The port and path of a `node -e "fetch('http://127.0.0.1:' + (process.env.X || N) + '/path')"` healthcheck. */
function parseHealthcheck(script: string): { portVariable?: string; port: number; path: string } | undefined {
  const withVariable = /127\.0\.0\.1:'\s*\+\s*\(\s*process\.env\.(\w+)\s*\|\|\s*(\d+)\s*\)\s*\+\s*'(\/[^'?#]*)/.exec(script);
  if (withVariable) return { portVariable: withVariable[1]!, port: Number(withVariable[2]), path: withVariable[3]! };
  const literal = /(?:127\.0\.0\.1|localhost):(\d+)(\/[^'"?#\s]*)/.exec(script);
  if (literal) return { port: Number(literal[1]), path: literal[2]! };
  return undefined;
}

// Dockerfiles -----------------------------------------------------------------------------------------------------

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
  const sources = parts.slice(0, -1).map((p) => (from ? p : path.posix.normalize(p).replace(/^\.\/?/, '').replace(/\/$/, '')));
  return { from, sources, dest };
}

const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .split(/(\*\*\/|\*\*|\*|\?)/)
      .map((part) =>
        part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  );

/** Where a COPY puts `wanted` (a source path), following Docker: a folder's contents go into dest, a file into dest/ or as dest. */
function copiedTo(copy: Copy, wanted: string): string | undefined {
  for (const source of copy.sources) {
    const src = source === '' || source === '.' ? '' : source.replace(/\/$/, '');
    if (src === '' && !copy.from) return copy.dest.replace(/\/$/, '') + '/' + wanted;
    if (wanted.startsWith(`${src}/`)) return copy.dest.replace(/\/$/, '') + wanted.slice(src.length);
    if (wanted === src || (src.includes('*') && globToRegExp(src).test(wanted))) {
      // A folder's contents go into dest; a file goes into dest/ or becomes dest. (A stage's path counts as a
      // folder when its name has no extension, as node_modules and dist/...; a context path is looked at.)
      const folder = copy.from
        ? !/\.\w+$/.test(path.posix.basename(src))
        : existsSync(path.join(projectRoot, src)) && statSync(path.join(projectRoot, src)).isDirectory();
      if (folder) return copy.dest.replace(/\/$/, '');
      return copy.dest.endsWith('/') ? copy.dest + path.posix.basename(wanted) : copy.dest;
    }
  }
  return undefined;
}

/** .dockerignore as Docker reads it: patterns from the context root, `**` and `*`, later `!` lines re-include. */
function dockerIgnored(patterns: string[], file: string): boolean {
  let ignored = false;
  const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = path.posix.normalize((negate ? raw.slice(1) : raw).trim()).replace(/^\/|\/$/g, '');
    const re = globToRegExp(pattern);
    if (prefixes.some((p) => re.test(p))) ignored = !negate;
  }
  return ignored;
}

const dockerignorePath = path.join(projectRoot, '.dockerignore');
const dockerignore = existsSync(dockerignorePath)
  ? read(dockerignorePath)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
  : [];

const dockerfileOf = (s: Service) => path.join(deployDir, 'docker', `Dockerfile.${s}`);
const rootPackage = JSON.parse(read(path.join(projectRoot, 'package.json'))) as { workspaces: string[] };

/** The workspace (folder with its own package.json among the root's workspaces) a source file belongs to. */
function workspaceOf(file: string): string | undefined {
  return rootPackage.workspaces.filter((w) => file.startsWith(`${w}/`)).sort((a, b) => b.length - a.length)[0];
}

const globExists = (source: string): boolean => {
  if (!source.includes('*')) return existsSync(path.join(projectRoot, source));
  const dir = path.posix.dirname(source);
  if (!existsSync(path.join(projectRoot, dir))) return false;
  const re = globToRegExp(source);
  return readdirSync(path.join(projectRoot, dir)).some((f) => re.test(`${dir}/${f}`));
};

/** The host of a URL value, its `${...}` interpolations aside; undefined for what is not a URL. */
function urlHost(value: string): string | undefined {
  if (!/^[a-z][\w+.-]*:\/\//i.test(value)) return undefined;
  try {
    return new URL(value.replace(/\$\{[^}]*\}/g, 'x')).hostname;
  } catch {
    return undefined;
  }
}

/** Fails with one line per problem ("file: field: what is wrong"). */
function expectNone(problems: string[]): void {
  if (problems.length > 0) expect.fail(`${problems.length} problem(s):\n${problems.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------------------------

describe('deploy/', () => {
  it('has every YAML file parse without errors', () => {
    expect(allYaml.length).toBeGreaterThan(0);
    expectNone(allYaml.flatMap((y) => y.problems));
  });

  it('finds what the services read (the scan itself works)', () => {
    const problems: string[] = [];
    // DEPLOY_TEST_DEBUG=1 prints what the scan reaches and finds.
    if (process.env.DEPLOY_TEST_DEBUG) for (const s of services) console.log(s, scannedFiles(s).join(' '), '\n', envReads(s).map((r) => `${r.name}<${r.file}:${r.reader}>`).join('\n '));
    for (const s of services) {
      const names = envReads(s).map((r) => r.name);
      if (!names.includes('HOST')) problems.push(`${s}: the scan of ${scannedFiles(s).join(', ')} finds no HOST`);
      try {
        const port = portVariable(s);
        const expected = s === 'gateway' ? 'GATEWAY_PORT' : `${s.toUpperCase()}_PORT`;
        if (port !== expected) problems.push(`${s}: port variable ${port}, expected ${expected}`);
      } catch (error) {
        problems.push((error as Error).message);
      }
      if (s === 'gateway') {
        for (const g of subgraphs) if (!names.includes(`${g.toUpperCase()}_URL`)) problems.push(`gateway: no ${g.toUpperCase()}_URL found`);
        const port = envReads(s).find((r) => r.reader === 'readPort');
        if (port?.fallback && /^\d+$/.test(port.fallback) && Number(port.fallback) !== gatewayDefaultPort) {
          problems.push(`${port.file}: readPort(env, '${port.name}', ${port.fallback}) but this test assumes ${gatewayDefaultPort}: update gatewayDefaultPort`);
        }
      } else if (!names.includes(`${s.toUpperCase()}_DATABASE_URL`)) problems.push(`${s}: no ${s.toUpperCase()}_DATABASE_URL found`);
    }
    // Each subgraph's config.ts passes its default port; defaultSubgraphPorts (imported above) must agree.
    for (const s of subgraphs) {
      const file = `subgraphs/${s}/config.ts`;
      const m = /readSubgraphConfig\(\s*['"](\w+)['"]\s*,\s*(\d+)/.exec(read(path.join(projectRoot, file)));
      if (m && Number(m[2]) !== defaultSubgraphPorts[s]) {
        problems.push(`${file}: default port ${m[2]}, but defaultSubgraphPorts.${s} in gateway/config.ts is ${defaultSubgraphPorts[s]}`);
      }
    }
    expectNone(problems);
  });

  it('keeps optionalWithDefault to variables that are read and may be left unset', () => {
    const read = new Set(services.flatMap((s) => envReads(s).map((r) => r.name)));
    const problems: string[] = [];
    for (const name of Object.keys(optionalWithDefault)) {
      if (mustBeExplicit.some((re) => re.test(name))) problems.push(`optionalWithDefault.${name}: must be set explicitly by every deployment`);
      if (!read.has(name)) problems.push(`optionalWithDefault.${name}: no service reads it any more; remove the entry`);
    }
    expectNone(problems);
  });

  describe('docker', () => {
    it('has a .dockerignore that keeps local and generated files out of the build context', () => {
      const problems: string[] = [];
      if (!existsSync(dockerignorePath)) problems.push('.dockerignore: missing');
      for (const f of ['node_modules', 'dist', '.data', '.git', 'bench', 'subgraphs/lib/node_modules', 'deploy/.env']) {
        if (!dockerIgnored(dockerignore, f)) problems.push(`.dockerignore: does not exclude ${f}`);
      }
      expectNone(problems);
    });

    for (const s of services) {
      it(`builds ${s}: multi-stage, production dependencies, non-root, healthcheck, compiled entry point and its files`, () => {
        const file = dockerfileOf(s);
        const where = rel(file);
        expect(existsSync(file), `${where}: missing (one Dockerfile per service)`).toBe(true);
        const { stages } = parseDockerfile(read(file));
        const problems: string[] = [];
        const final = stages[stages.length - 1];
        if (stages.length < 2 || !final) {
          expect.fail(`${where}: ${stages.length} FROM; a multi-stage build needs at least 2`);
          return;
        }
        const stageNamed = (name: string | undefined) => stages.find((st, i) => st.name === name || String(i) === name);
        const runs = (stage: Stage, re: RegExp) => stage.instructions.some((i) => i.keyword === 'RUN' && re.test(i.args));

        // Base image of the running stage.
        if (!/^node:20(?:[.\d]*)?-bookworm-slim(?:@sha256:\w+)?$/.test(final.image)) {
          problems.push(`${where}: final stage FROM ${final.image}; expected node:20-bookworm-slim`);
        }

        // Build stage: installs everything, compiles.
        const build = stages.find((st) => runs(st, /\bnpm run build\b/));
        if (!build) problems.push(`${where}: no stage runs \`npm run build\``);
        else if (build === final) problems.push(`${where}: the final stage builds; build in an earlier stage and copy dist/`);
        else if (!runs(build, /\bnpm ci\b(?!.*--omit=dev)/)) problems.push(`${where}: the build stage does not run \`npm ci\` (with dev dependencies)`);

        // Every `npm ci` needs the lockfile and every workspace's package.json, copied before it runs.
        for (const stage of stages) {
          const index = stage.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
          if (index < 0) continue;
          const copies = stage.instructions.slice(0, index).filter((i) => i.keyword === 'COPY').map(parseCopy).filter((c) => !c.from);
          for (const needed of ['package.json', 'package-lock.json', ...rootPackage.workspaces.map((w) => `${w}/package.json`)]) {
            const target = path.posix.join(stage.workdir, needed);
            if (!copies.some((c) => copiedTo(c, needed) === target)) {
              problems.push(`${where}: stage ${stage.name ?? '?'} runs npm ci without ${needed} at ${target}`);
            }
          }
        }

        // Files from the build context exist and are not excluded by .dockerignore.
        for (const stage of stages) {
          for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map(parseCopy)) {
            if (copy.from) {
              if (!stageNamed(copy.from)) problems.push(`${where}: COPY --from=${copy.from}: no such stage`);
              continue;
            }
            for (const source of copy.sources) {
              if (!globExists(source)) problems.push(`${where}: COPY ${source}: not in the repository`);
              else if (dockerIgnored(dockerignore, source)) problems.push(`${where}: COPY ${source}: excluded by .dockerignore`);
            }
          }
        }

        // Final stage: runs as a user other than root.
        const users = final.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args.trim());
        const user = users[users.length - 1];
        if (!user) problems.push(`${where}: no USER in the final stage (it would run as root)`);
        else if (/^(?:root|0)(?::|$)/.test(user)) problems.push(`${where}: USER ${user} is root`);

        // Final stage: listens on the service's port.
        const port = defaultPort(s);
        const portVar = portVariable(s);
        const exposed = final.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));
        if (!exposed.includes(port)) problems.push(`${where}: EXPOSE ${exposed.join(' ') || '(none)'}; ${s} listens on ${port}`);
        const envs = new Map<string, string>();
        for (const i of final.instructions.filter((x) => x.keyword === 'ENV')) {
          const pairs = [...i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)];
          if (pairs.length > 0) for (const p of pairs) envs.set(p[1]!, p[2]!.replace(/^"|"$/g, ''));
          else envs.set(i.args.split(/\s+/)[0]!, i.args.split(/\s+/).slice(1).join(' '));
        }
        if (envs.has(portVar) && Number(envs.get(portVar)) !== port) problems.push(`${where}: ENV ${portVar}=${envs.get(portVar)}; ${s} listens on ${port}`);
        if (envs.get('HOST') !== '0.0.0.0') problems.push(`${where}: ENV HOST=0.0.0.0 missing (the default, 127.0.0.1, is unreachable from outside the container)`);
        if (envs.get('NODE_ENV') !== 'production') problems.push(`${where}: ENV NODE_ENV=production missing`);

        // Final stage: a healthcheck on the service's port, at an endpoint it serves.
        const healthchecks = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
        const healthcheck = healthchecks[healthchecks.length - 1];
        if (!healthcheck || /^NONE\b/i.test(healthcheck.args)) problems.push(`${where}: no HEALTHCHECK in the final stage`);
        else {
          const parsed = parseHealthcheck(healthcheck.args);
          if (!parsed) problems.push(`${where}: HEALTHCHECK does not fetch http://127.0.0.1:<port>/<path>: ${healthcheck.args}`);
          else {
            if (!servedEndpoints.includes(parsed.path)) problems.push(`${where}: HEALTHCHECK asks ${parsed.path}, not one of ${servedEndpoints.join(', ')}`);
            if (parsed.port !== port) problems.push(`${where}: HEALTHCHECK port ${parsed.port}; ${s} listens on ${port}`);
            if (parsed.portVariable && parsed.portVariable !== portVar) problems.push(`${where}: HEALTHCHECK reads ${parsed.portVariable}; ${s} reads ${portVar}`);
          }
        }

        // Final stage: CMD runs the compiled entry point.
        const cmds = final.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
        const cmd = cmds[cmds.length - 1];
        let argv: string[] = [];
        try {
          argv = cmd ? (JSON.parse(cmd.args) as string[]) : [];
        } catch {
          problems.push(`${where}: ${cmd?.keyword} is not in exec form (JSON array): signals would go to a shell, not node`);
        }
        const script = argv.find((a) => a.endsWith('.js'));
        if (argv[0] !== 'node' || !script) problems.push(`${where}: CMD ${cmd?.args ?? '(none)'}; expected ["node", "dist/....js"]`);
        else {
          const source = script.replace(/^(?:\.\/)?dist\//, '').replace(/\.js$/, '.ts');
          if (!script.replace(/^\.\//, '').startsWith('dist/')) problems.push(`${where}: CMD runs ${script}, not compiled code under dist/`);
          else if (!existsSync(path.join(projectRoot, source))) problems.push(`${where}: CMD runs ${script}, but ${source} does not exist`);
          else if (source !== entryOf(s)) problems.push(`${where}: CMD runs ${script}; ${s}'s entry point is ${entryOf(s)}`);
        }

        // Final stage: holds every compiled module the entry point loads, the files they read, package.json
        // ("type": "module" for dist/), and production node_modules covering their workspaces.
        const finalCopies = final.instructions.filter((i) => i.keyword === 'COPY').map(parseCopy);
        const appDir = final.workdir;
        const inImage = (stage: Stage | undefined, sourcePath: string, imagePath: string) =>
          finalCopies.some((c) => (stage ? c.from !== undefined && stageNamed(c.from) === stage : !c.from) && copiedTo(c, sourcePath) === imagePath);
        if (build) {
          for (const source of reachableFiles(entryOf(s))) {
            const compiled = `dist/${source.replace(/\.ts$/, '.js')}`;
            if (!inImage(build, path.posix.join(build.workdir, compiled), path.posix.join(appDir, compiled))) {
              problems.push(`${where}: ${entryOf(s)} loads ${source}, but the final stage does not copy ${compiled} from the build stage to ${appDir}/${compiled}`);
            }
            const inBuild = build.instructions.filter((i) => i.keyword === 'COPY').map(parseCopy).some((c) => !c.from && copiedTo(c, source) === path.posix.join(build.workdir, source));
            if (!inBuild) problems.push(`${where}: the build stage does not copy ${source}`);
          }
        }
        for (const { asset, file: reader } of runtimeAssets(s)) {
          if (!inImage(undefined, asset, path.posix.join(appDir, asset))) {
            problems.push(`${where}: ${reader} reads ${asset} at run time, but the final stage does not copy it to ${appDir}/${asset}`);
          }
        }
        if (!inImage(undefined, 'package.json', path.posix.join(appDir, 'package.json'))) {
          problems.push(`${where}: the final stage lacks ${appDir}/package.json, whose "type": "module" makes dist/*.js ES modules`);
        }
        const depsStage = stages.find((st) => runs(st, /\bnpm ci\b.*--omit=dev/));
        if (!depsStage) problems.push(`${where}: no stage runs \`npm ci --omit=dev\` (production dependencies only)`);
        else {
          if (depsStage !== final && !inImage(depsStage, path.posix.join(depsStage.workdir, 'node_modules'), path.posix.join(appDir, 'node_modules'))) {
            problems.push(`${where}: the final stage does not copy node_modules from stage ${depsStage.name}`);
          }
          const install = depsStage.instructions.find((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args))!.args;
          const listed = [...install.matchAll(/(?:--workspace|-w)[= ](\S+)/g)].map((m) => m[1]!.replace(/\/$/, ''));
          if (listed.length > 0) {
            for (const ws of new Set(reachableFiles(entryOf(s)).map(workspaceOf))) {
              if (ws && !listed.includes(ws)) problems.push(`${where}: npm ci --omit=dev leaves out workspace ${ws}, whose code ${s} loads`);
            }
          }
        }
        if (runs(final, /\bnpm (?:ci|install|i)\b(?!.*--omit=dev)/)) problems.push(`${where}: the final stage installs dev dependencies`);
        expectNone(problems);
      });
    }
  });

  describe('compose', () => {
    const composeServices: Record<string, Data> = compose.services ?? {};
    const file = rel(composeFile);

    it('has PostgreSQL 15 with a database per subgraph, Redis 7 and every service, built from deploy/docker', () => {
      const problems: string[] = [];
      if (!/^postgres:15(?:[.-]|$)/.test(composeServices.postgres?.image ?? '')) problems.push(`${file}: services.postgres.image is not postgres:15`);
      if (!/^redis:7(?:[.-]|$)/.test(composeServices.redis?.image ?? '')) problems.push(`${file}: services.redis.image is not redis:7`);
      const volumes: string[] = (composeServices.postgres?.volumes ?? []).map((v: Data) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
      const init = volumes.find((v) => v.includes('/docker-entrypoint-initdb.d'));
      const initFile = init ? path.resolve(deployDir, init.split(':')[0]!) : undefined;
      const databases = initFile && existsSync(initFile) ? [...read(initFile).matchAll(/CREATE DATABASE\s+"?(\w+)"?/gi)].map((m) => m[1]!) : [];
      if (!initFile || !existsSync(initFile)) problems.push(`${file}: services.postgres mounts no existing init script into /docker-entrypoint-initdb.d`);
      for (const s of services) {
        const service = composeServices[s];
        if (!service) {
          problems.push(`${file}: services.${s} missing`);
          continue;
        }
        const context = path.resolve(deployDir, service.build?.context ?? '.');
        const dockerfile = path.resolve(context, service.build?.dockerfile ?? 'Dockerfile');
        if (context !== projectRoot) problems.push(`${file}: services.${s}.build.context is ${rel(context) || '.'}, not the repository root`);
        if (dockerfile !== dockerfileOf(s)) problems.push(`${file}: services.${s}.build.dockerfile is ${rel(dockerfile)}, not ${rel(dockerfileOf(s))}`);
        for (const [name, value] of composeEnv(service)) {
          if (!name.endsWith('_DATABASE_URL')) continue;
          let url: URL;
          try {
            url = new URL(value.replace(/\$\{[^}]*\}/g, 'x'));
          } catch {
            problems.push(`${file}: services.${s}.environment.${name} is not a URL`);
            continue;
          }
          const database = url.pathname.replace(/^\//, '');
          if (!composeServices[url.hostname]) problems.push(`${file}: services.${s}.environment.${name}: host ${url.hostname} is no compose service`);
          if (!databases.includes(database)) problems.push(`${file}: services.${s}.environment.${name}: database ${database} is not created by ${initFile ? rel(initFile) : 'the init script'}`);
        }
      }
      expectNone(problems);
    });

    it('gives every service a healthcheck and starts each one after what it uses is healthy', () => {
      const problems: string[] = [];
      for (const [name, service] of Object.entries(composeServices)) {
        const test = service.healthcheck?.test;
        if (!test || service.healthcheck?.disable || (Array.isArray(test) && test[0] === 'NONE')) problems.push(`${file}: services.${name}.healthcheck missing`);
        const dependsOn = service.depends_on ?? {};
        if (Array.isArray(dependsOn)) {
          problems.push(`${file}: services.${name}.depends_on is a list; use condition: service_healthy`);
          continue;
        }
        for (const [dependency, spec] of Object.entries<Data>(dependsOn)) {
          if (spec?.condition !== 'service_healthy') problems.push(`${file}: services.${name}.depends_on.${dependency}: condition is not service_healthy`);
          if (!composeServices[dependency]?.healthcheck) problems.push(`${file}: services.${name}.depends_on.${dependency}: it has no healthcheck`);
        }
        // A URL to a data store (a compose service not built here: PostgreSQL, Redis) means a dependency. The
        // subgraphs call each other too, but only while serving: as dependencies they would form a cycle.
        for (const [variable, value] of composeEnv(service)) {
          const host = urlHost(value);
          if (host && host !== name && composeServices[host] && !composeServices[host].build && !(host in dependsOn)) {
            problems.push(`${file}: services.${name}.environment.${variable} uses ${host}, which is not in depends_on`);
          }
        }
      }
      // The gateway is ready only with its subgraphs.
      for (const g of subgraphs) {
        if (!(g in (composeServices.gateway?.depends_on ?? {}))) problems.push(`${file}: services.gateway.depends_on lacks ${g}`);
      }
      expectNone(problems);
    });

    it('sets every variable the services read, or leaves it to a listed default', () => {
      const problems: string[] = [];
      for (const s of services) {
        const env = composeEnv(composeServices[s]);
        for (const r of envReads(s)) {
          const explicit = mustBeExplicit.some((re) => re.test(r.name));
          if (!env.has(r.name) && (explicit || !(r.name in optionalWithDefault))) {
            problems.push(`${file}: services.${s}.environment: ${r.name} (read in ${r.file}) is not set${explicit ? '' : ' and not in optionalWithDefault'}`);
          }
        }
        const readNames = new Set(envReads(s).map((r) => r.name));
        for (const [name, value] of env) {
          if (!readNames.has(name) && !(name in setButReadElsewhere)) problems.push(`${file}: services.${s}.environment: ${name} is set but ${s} does not read it (a typo?)`);
          if (secretLike.test(name) && !/\$\{\w+:\?/.test(value)) problems.push(`${file}: services.${s}.environment.${name}: a secret; take it from \${VAR:?...} rather than writing it`);
        }
        if (env.get('NODE_ENV') !== 'production') problems.push(`${file}: services.${s}.environment.NODE_ENV is not production`);
      }
      expectNone(problems);
    });

    it('uses each service port everywhere: expose/ports, healthcheck, the gateway URLs', () => {
      const problems: string[] = [];
      for (const s of services) {
        const service = composeServices[s];
        const env = composeEnv(service);
        const port = effectivePort(s, env);
        if (!Number.isInteger(port)) problems.push(`${file}: services.${s}.environment.${portVariable(s)} is not a port number`);
        const published = [...(service?.expose ?? []), ...(service?.ports ?? [])].map((p: Data) =>
          Number(typeof p === 'object' ? p.target : String(p).split(':').pop()!.split('/')[0]),
        );
        if (!published.includes(port)) problems.push(`${file}: services.${s}: expose/ports ${published.join(', ') || '(none)'} lack container port ${port}`);
        const test: string = Array.isArray(service?.healthcheck?.test) ? service.healthcheck.test.join(' ') : String(service?.healthcheck?.test ?? '');
        const parsed = parseHealthcheck(test);
        if (!parsed) problems.push(`${file}: services.${s}.healthcheck does not fetch http://127.0.0.1:<port>/<path>`);
        else {
          if (parsed.port !== port) problems.push(`${file}: services.${s}.healthcheck port ${parsed.port}; ${s} listens on ${port}`);
          if (parsed.portVariable && parsed.portVariable !== portVariable(s)) problems.push(`${file}: services.${s}.healthcheck reads ${parsed.portVariable}; ${s} reads ${portVariable(s)}`);
          if (!servedEndpoints.includes(parsed.path)) problems.push(`${file}: services.${s}.healthcheck asks ${parsed.path}, not one of ${servedEndpoints.join(', ')}`);
        }
      }
      const gatewayEnv = composeEnv(composeServices.gateway);
      for (const g of subgraphs) {
        const name = `${g.toUpperCase()}_URL`;
        const value = gatewayEnv.get(name);
        if (!value) continue; // reported above
        const url = new URL(value);
        const port = effectivePort(g, composeEnv(composeServices[g]));
        if (url.hostname !== g) problems.push(`${file}: services.gateway.environment.${name}: host ${url.hostname}, not the ${g} service`);
        if (Number(url.port || 80) !== port) problems.push(`${file}: services.gateway.environment.${name}: port ${url.port}; ${g} listens on ${port}`);
      }
      expectNone(problems);
    });
  });

  describe('kubernetes', () => {
    it('lists every manifest in kustomization.yaml, and nothing else', () => {
      const kustomization = k8sDocs.find((d) => d.data.kind === 'Kustomization');
      expect(kustomization, 'deploy/k8s/kustomization.yaml: missing').toBeDefined();
      const listed: string[] = kustomization?.data.resources ?? [];
      const files = readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml' && f !== 'kustomization.yml');
      const problems = [
        ...files.filter((f) => !listed.includes(f)).map((f) => `deploy/k8s/kustomization.yaml: resources lacks ${f}`),
        ...listed.filter((f) => !existsSync(path.join(k8sDir, f))).map((f) => `deploy/k8s/kustomization.yaml: resources lists ${f}, which does not exist`),
      ];
      expectNone(problems);
    });

    it('gives every service a hardened Deployment with probes, resources, a Service, an HPA and a PDB', () => {
      const problems: string[] = [];
      for (const s of services) {
        const doc = k8sNamed('Deployment', s);
        if (!doc) {
          problems.push(`deploy/k8s: no Deployment named ${s}`);
          continue;
        }
        const d = doc.data;
        const at = where(doc);
        const podSpec = d.spec?.template?.spec ?? {};
        const podLabels: Record<string, string> = d.spec?.template?.metadata?.labels ?? {};
        const matches = (selector: Record<string, string> | undefined) =>
          !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
        if (!matches(d.spec?.selector?.matchLabels)) problems.push(`${at}: spec.selector.matchLabels does not match the pod template's labels`);
        const container = mainContainer(d);
        if (!container) {
          problems.push(`${at}: no container`);
          continue;
        }
        const c = `${at} containers[${container.name}]`;
        for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
          if (!container[probe]?.httpGet) problems.push(`${c}.${probe}: missing (an httpGet probe)`);
        }
        if (container.readinessProbe?.httpGet && container.readinessProbe.httpGet.path !== '/ready') problems.push(`${c}.readinessProbe.httpGet.path is ${container.readinessProbe.httpGet.path}, not /ready`);
        if (container.livenessProbe?.httpGet && container.livenessProbe.httpGet.path !== '/health') problems.push(`${c}.livenessProbe.httpGet.path is ${container.livenessProbe.httpGet.path}, not /health`);
        for (const key of ['cpu', 'memory']) if (!container.resources?.requests?.[key]) problems.push(`${c}.resources.requests.${key}: missing`);
        if (!container.resources?.limits?.memory) problems.push(`${c}.resources.limits.memory: missing`);
        const runAsNonRoot = container.securityContext?.runAsNonRoot ?? podSpec.securityContext?.runAsNonRoot;
        const runAsUser = container.securityContext?.runAsUser ?? podSpec.securityContext?.runAsUser;
        if (runAsNonRoot !== true) problems.push(`${at}: securityContext.runAsNonRoot is not true`);
        if (runAsUser === 0) problems.push(`${at}: securityContext.runAsUser is 0 (root)`);
        if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${c}.securityContext.allowPrivilegeEscalation is not false`);
        // Service links would put <SERVICE>_PORT=tcp://... into the pod: GATEWAY_PORT, TALENTS_PORT... are the
        // services' own port variables, and a tcp:// value stops them at start.
        if (podSpec.enableServiceLinks !== false) problems.push(`${at}: spec.template.spec.enableServiceLinks is not false (Kubernetes would set ${portVariable(s)}=tcp://...)`);

        const hpa = k8sNamed('HorizontalPodAutoscaler', s);
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

        const pdb = k8sNamed('PodDisruptionBudget', s);
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

        const service = k8sNamed('Service', s);
        if (!service) problems.push(`deploy/k8s: no Service named ${s}`);
      }
      for (const service of k8sOf('Service')) {
        const selector: Record<string, string> = service.data.spec?.selector ?? {};
        const target = k8sOf('Deployment').find((d) => {
          const labels: Record<string, string> = d.data.spec?.template?.metadata?.labels ?? {};
          return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
        });
        if (!target) problems.push(`${where(service)}: spec.selector matches no Deployment's pod labels`);
      }
      expectNone(problems);
    });

    it('points probes, Service targetPorts and scrape annotations at the service port and at served endpoints', () => {
      const problems: string[] = [];
      for (const s of services) {
        const doc = k8sNamed('Deployment', s);
        const container = doc && mainContainer(doc.data);
        if (!doc || !container) continue; // reported above
        const at = where(doc);
        const env = new Map([...k8sEnv(container)].map(([k, v]) => [k, v.value]));
        const port = effectivePort(s, env);
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
        for (const service of k8sOf('Service')) {
          const selector: Record<string, string> = service.data.spec?.selector ?? {};
          if (Object.keys(selector).length === 0 || !Object.entries(selector).every(([k, v]) => podLabels[k] === v)) continue;
          for (const sp of service.data.spec?.ports ?? []) {
            if (resolve(sp.targetPort ?? sp.port) !== port) problems.push(`${where(service)}: port ${sp.port} targets ${sp.targetPort ?? sp.port}, not ${s}'s port ${port}`);
          }
        }
      }
      // The gateway reaches each subgraph at its Service, on the Service's port.
      const gateway = k8sNamed('Deployment', 'gateway');
      const gatewayEnv = gateway ? k8sEnv(mainContainer(gateway.data)) : new Map<string, K8sEnvValue>();
      for (const g of subgraphs) {
        const name = `${g.toUpperCase()}_URL`;
        const value = gatewayEnv.get(name)?.value;
        if (!value) continue; // reported with the environment
        const url = new URL(value);
        const service = k8sNamed('Service', url.hostname.split('.')[0]!);
        const deployment = k8sNamed('Deployment', g);
        const podLabels: Record<string, string> = deployment?.data.spec?.template?.metadata?.labels ?? {};
        const selects = service && Object.entries<string>(service.data.spec?.selector ?? {}).every(([k, v]) => podLabels[k] === v);
        if (!service || !selects) problems.push(`Deployment/gateway ${name}=${value}: host ${url.hostname} is not a Service selecting Deployment/${g}`);
        else if (!(service.data.spec?.ports ?? []).some((p: Data) => p.port === Number(url.port || 80))) problems.push(`Deployment/gateway ${name}=${value}: Service ${service.data.metadata.name} has no port ${url.port || 80}`);
      }
      expectNone(problems);
    });

    it('resolves every ConfigMap and Secret reference, with its key', () => {
      const problems: string[] = [];
      for (const doc of k8sOf('Deployment')) {
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
      for (const s of services) {
        const doc = k8sNamed('Deployment', s);
        const container = doc && mainContainer(doc.data);
        if (!doc || !container) continue; // reported above
        const c = `${where(doc)} containers[${container.name}]`;
        const env = k8sEnv(container);
        for (const r of envReads(s)) {
          const explicit = mustBeExplicit.some((re) => re.test(r.name));
          if (!env.has(r.name) && (explicit || !(r.name in optionalWithDefault))) {
            problems.push(`${c}.env: ${r.name} (read in ${r.file}) is not set${explicit ? '' : ' and not in optionalWithDefault'}`);
          }
        }
        const readNames = new Set(envReads(s).map((r) => r.name));
        for (const [name, { from }] of env) {
          if (!readNames.has(name) && !(name in setButReadElsewhere)) problems.push(`${c}.env: ${name} is set but ${s} does not read it (a typo?)`);
          if (secretLike.test(name) && from !== 'secret') problems.push(`${c}.env.${name}: a secret, but taken from ${from === 'configMap' ? 'a ConfigMap' : 'a literal value'}; use a secretKeyRef`);
        }
        if (env.get('NODE_ENV')?.value !== 'production') problems.push(`${c}.env.NODE_ENV is not production`);
      }
      for (const doc of k8sOf('Secret')) {
        for (const [key, value] of Object.entries<string>({ ...(doc.data.stringData ?? {}) })) {
          if (key.endsWith('_SECRET') && value.length >= 32) problems.push(`${where(doc)}: stringData.${key} looks like a real secret; keep placeholders here (shorter than the 32 characters production requires)`);
        }
      }
      expectNone(problems);
    });
  });
});

// Keeps a check from passing by finding nothing: the deploy folder and its parts exist.
it('deploy/ has docker, k8s and compose files', () => {
  for (const p of [path.join(deployDir, 'docker'), k8sDir, composeFile]) expect(existsSync(p) && (statSync(p).isDirectory() || statSync(p).isFile()), `${rel(p)} missing`).toBe(true);
});
