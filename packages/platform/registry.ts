import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readUrl, type Env } from './env.js';
import { projectRoot } from './paths.js';

// The subgraph registry: one data file (subgraphs/registry.json) lists every subgraph of the graph with its name,
// default port, owning organisation and description. Everything that must know the subgraphs (composition, npm
// start, the gateway's URL and timeout settings, the test harness, the data generator, the bench, the deployment
// files) reads them from here, so adding a subgraph is its folder plus one line in that file.

export interface SubgraphEntry {
  /** Lowercase letters and hyphens, e.g. `talents`; the folder `subgraphs/<name>/` and the package `@talent-hub/<name>`. */
  name: string;
  /** Where it listens unless `<NAME>_PORT` says otherwise. */
  port: number;
  /** The organisation whose team owns the subgraph (an organisation id of the regions subgraph, e.g. `cemr`). */
  owner: string;
  description: string;
}

export const registryFile = path.join(projectRoot, 'subgraphs', 'registry.json');

/** The gateway's own default port, which no subgraph may take. */
export const gatewayDefaultPort = 4000;

export const subgraphNameShape = /^[a-z]+(?:-[a-z]+)*$/;
const ownerShape = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Names whose variables would be read as someone else's: `gateway` (GATEWAY_PORT), `subgraph`
 * (SUBGRAPH_TIMEOUT_MS), `redis` (REDIS_URL), `auth-jwks` (AUTH_JWKS_URL), the test and bench URLs; and names
 * ending in `-database`, whose `<NAME>_URL` is another subgraph's `<NAME>_DATABASE_URL`.
 */
const reservedNames = new Set(['gateway', 'subgraph', 'redis', 'auth-jwks', 'test', 'test-database', 'test-redis', 'bench-postgres', 'lib', 'platform', 'registry']);

/** Why a name cannot be a subgraph's, or undefined when it can. */
export function subgraphNameProblem(name: string): string | undefined {
  if (!subgraphNameShape.test(name) || name.length > 40) {
    return `"${name.slice(0, 60)}" is not a subgraph name: use lowercase letters and single hyphens, at most 40 characters (e.g. "badges" or "skills-passport")`;
  }
  if (reservedNames.has(name) || name.endsWith('-database')) {
    return `"${name}" is reserved: its variables (${envName(name, 'URL')}, ${envName(name, 'PORT')}) would clash with the gateway's or another subgraph's`;
  }
  return undefined;
}

/** A subgraph's variable, e.g. `envName('skills-passport', 'URL')` is `SKILLS_PASSPORT_URL`. */
export function envName(subgraph: string, suffix: 'URL' | 'PORT' | 'TIMEOUT_MS' | 'DATABASE_URL'): string {
  return `${subgraph.toUpperCase().replaceAll('-', '_')}_${suffix}`;
}

/** Where a subgraph answers on this machine when nothing else is configured. */
export const defaultSubgraphUrl = (entry: SubgraphEntry) => `http://127.0.0.1:${entry.port}/graphql`;

/** Parses and checks a registry's text; throws one error listing every problem, naming the file. */
export function parseRegistry(text: string, file = registryFile): SubgraphEntry[] {
  const relative = path.relative(projectRoot, file);
  const where = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const list = (data as { subgraphs?: unknown } | null)?.subgraphs;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${where} must be {"subgraphs": [...]} with at least one subgraph`);
  const problems: string[] = [];
  const names = new Set<string>();
  const ports = new Map<number, string>();
  const entries = list.map((item: unknown, index): SubgraphEntry => {
    const entry = (item ?? {}) as Partial<Record<keyof SubgraphEntry, unknown>>;
    const at = `subgraphs[${index}]`;
    const name = typeof entry.name === 'string' ? entry.name : '';
    const nameProblem = subgraphNameProblem(name);
    if (nameProblem) problems.push(`${at}.name: ${nameProblem}`);
    else if (names.has(name)) problems.push(`${at}.name: "${name}" is listed twice`);
    names.add(name);
    const port = entry.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535 || port === gatewayDefaultPort) {
      problems.push(`${at}.port: must be a whole number from 1024 to 65535 other than the gateway's ${gatewayDefaultPort}`);
    } else if (ports.has(port)) problems.push(`${at}.port: ${port} is already the port of ${ports.get(port)}`);
    else ports.set(port, name);
    if (typeof entry.owner !== 'string' || !ownerShape.test(entry.owner)) {
      problems.push(`${at}.owner: must be an organisation id such as "cemr" (lowercase letters, digits, hyphens)`);
    }
    if (typeof entry.description !== 'string' || entry.description.trim() === '' || entry.description.length > 300) {
      problems.push(`${at}.description: must be a sentence of at most 300 characters`);
    }
    const extra = Object.keys(entry).filter((key) => !['name', 'port', 'owner', 'description'].includes(key));
    if (extra.length > 0) problems.push(`${at}: unknown field(s) ${extra.join(', ')}`);
    return { name, port: port as number, owner: entry.owner as string, description: entry.description as string };
  });
  if (problems.length > 0) throw new Error(`${where} has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  return entries;
}

export function readRegistry(file = registryFile): SubgraphEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the subgraph registry ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseRegistry(text, file);
}

let cached: SubgraphEntry[] | undefined;

/** The registry of this checkout (or image), read once per process. */
export function subgraphRegistry(): readonly SubgraphEntry[] {
  return (cached ??= readRegistry());
}

/** One subgraph's entry; throws naming the registry when it is not listed. */
export function registryEntry(name: string, registry: readonly SubgraphEntry[] = subgraphRegistry()): SubgraphEntry {
  const entry = registry.find((e) => e.name === name);
  if (!entry) {
    throw new Error(`Subgraph "${name}" is not in ${path.relative(projectRoot, registryFile)} (it lists ${registry.map((e) => e.name).join(', ')})`);
  }
  return entry;
}

/** The project's own variables that end like a subgraph's, and are therefore not checked against the registry. */
const ownVariables = new Set([
  'REDIS_URL', 'AUTH_JWKS_URL', 'TEST_REDIS_URL', 'BENCH_POSTGRES_URL',
  'SUBGRAPH_TIMEOUT_MS', 'HEALTH_CHECK_TIMEOUT_MS', 'READINESS_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS', 'REDIS_COMMAND_TIMEOUT_MS',
]);
// Other software's: Vite's BASE_URL (set in test processes), the DATABASE_URL many shells and platforms hold.
const foreignVariables = new Set(['BASE_URL', 'DATABASE_URL']);
const foreignPrefixes = ['OTEL_', 'GITHUB_', 'ACTIONS_', 'RUNNER_', 'CI_', 'GITLAB_', 'BUILDKITE_', 'CIRCLE_', 'JENKINS_'];
const subgraphVariable = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*?)_(URL|TIMEOUT_MS)$/;

/**
 * `<NAME>_URL` and `<NAME>_TIMEOUT_MS` variables whose NAME is no subgraph of the registry: each would be silently
 * ignored (a typo such as TALENT_URL leaves the default URL in use), so the gateway refuses to start with them.
 * `<NAME>_DATABASE_URL`, the project's other URLs and the variables of CI systems are left alone.
 */
export function unknownSubgraphVariables(env: Env, registry: readonly SubgraphEntry[] = subgraphRegistry()): string[] {
  const known = new Set(registry.flatMap((e) => [envName(e.name, 'URL'), envName(e.name, 'TIMEOUT_MS')]));
  const problems: string[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || value === '' || known.has(variable) || ownVariables.has(variable) || foreignVariables.has(variable)) continue;
    if (variable.endsWith('_DATABASE_URL') || foreignPrefixes.some((prefix) => variable.startsWith(prefix))) continue;
    if (!subgraphVariable.test(variable)) continue;
    const closest = nearest(variable, [...known]);
    problems.push(
      `${variable} names no subgraph of ${path.relative(projectRoot, registryFile)} (${registry.map((e) => e.name).join(', ')})` +
        (closest ? `; did you mean ${closest}?` : '; add the subgraph to the registry or unset the variable'),
    );
  }
  return problems.sort();
}

/** The known variable a few edits away from a misspelt one, if any. */
function nearest(variable: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(variable, name);
    if (distance <= 3 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Where each subgraph of the registry answers: `<NAME>_URL` when set (http or https), otherwise on this machine at
 * its registry port. Read by the gateway, and by subgraphs that call each other.
 */
export function readSubgraphUrls(env: Env, registry: readonly SubgraphEntry[] = subgraphRegistry()): Record<string, string> {
  return Object.fromEntries(registry.map((entry) => [entry.name, readUrl(env, envName(entry.name, 'URL'), ['http:', 'https:']) ?? defaultSubgraphUrl(entry)]));
}
