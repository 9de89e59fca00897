import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { gatewayDefaultPort, readRegistry, subgraphNameProblem, type SubgraphEntry } from '@talent-hub/platform/registry';
import { writeResolverTypes } from '../codegen.js';
import { writeComposedSchemas } from '../compose.js';
import { generateDeployFiles } from '../deploy/generate.js';
import { namesOf, subgraphFiles, type Names } from './templates.js';

// `npm run subgraph:new -- <name>`: a working subgraph in subgraphs/<name>/ and its one line in the registry, then
// everything that follows from the registry is brought up to date: its resolver types, the composed supergraph and
// API schema, the deployment files, and npm's workspace links (package-lock.json). All or nothing: a name that
// cannot be used is refused before anything is written, and a failure on the way puts every file back.

/** A name that cannot be used: nothing was changed. */
export class ScaffoldRefusal extends Error {}

export interface ScaffoldOptions {
  root: string;
  name: string;
  /** The owning organisation's id (a regions organisation); `cemr` when not given. */
  owner?: string;
  description?: string;
  /** Run `npm install` to link the new workspace (default true; tests of the refusals need none). */
  install?: boolean;
  log?: (line: string) => void;
}

export interface Scaffolded {
  names: Names;
  /** Every file written or changed, relative to the root. */
  files: string[];
}

const defaultDescription = 'an example subgraph made by npm run subgraph:new; say here what it serves.';
const ownerShape = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const registryPath = (root: string) => path.join(root, 'subgraphs', 'registry.json');

/** The registry's text: one line per subgraph, so that adding one is one line in a diff. */
export function formatRegistry(entries: readonly SubgraphEntry[]): string {
  const line = (entry: SubgraphEntry) =>
    `    { ${(['name', 'port', 'owner', 'description'] as const).map((key) => `${JSON.stringify(key)}: ${JSON.stringify(entry[key])}`).join(', ')} }`;
  return `{\n  "subgraphs": [\n${entries.map(line).join(',\n')}\n  ]\n}\n`;
}

/** Why the subgraph cannot be made as asked; undefined when it can. */
function refusal(root: string, names: Names, registry: readonly SubgraphEntry[], options: ScaffoldOptions): string | undefined {
  const problem = subgraphNameProblem(names.name);
  if (problem) return problem;
  if (registry.some((entry) => entry.name === names.name)) return `A subgraph named "${names.name}" is already in subgraphs/registry.json`;
  if (existsSync(path.join(root, 'subgraphs', names.name))) return `subgraphs/${names.name}/ exists already; remove it or choose another name`;
  if (options.owner !== undefined && !ownerShape.test(options.owner)) return `--owner must be an organisation id such as "cemr"; got "${options.owner.slice(0, 60)}"`;
  const description = options.description;
  if (description !== undefined && (description.trim() === '' || description.length > 200 || /[\r\n`]|\*\/|"""/.test(description))) {
    return '--description must be one line of at most 200 characters, without backticks, */ or """';
  }
  // The names the new schema adds must be free in the graph clients see.
  const api = buildSchema(readFileSync(path.join(root, 'schema', 'api.graphql'), 'utf8'));
  if (api.getType(names.entity)) return `The graph has a type ${names.entity} already; choose a name whose example entity does not clash`;
  if (api.getQueryType()?.getFields()[names.entityField]) return `The graph has a root field ${names.entityField} already; choose another name`;
  if ((api.getType('Region') as GraphQLObjectType | undefined)?.getFields()[names.camel]) return `Region has a field ${names.camel} already; choose another name`;
  return undefined;
}

/** The next port after every subgraph's, skipping the gateway's. */
function nextPort(registry: readonly SubgraphEntry[]): number {
  let port = Math.max(...registry.map((entry) => entry.port)) + 1;
  while (port === gatewayDefaultPort || registry.some((entry) => entry.port === port)) port += 1;
  return port;
}

/** Every file under a folder, relative to the root, with its content (for putting it back). */
function snapshot(root: string, relative: string, into: Map<string, string | undefined>): void {
  const full = path.join(root, relative);
  if (!existsSync(full)) return void into.set(relative, undefined);
  if (!statSync(full).isDirectory()) return void into.set(relative, readFileSync(full, 'utf8'));
  for (const entry of readdirSync(full)) snapshot(root, path.join(relative, entry), into);
}

export async function scaffoldSubgraph(options: ScaffoldOptions): Promise<Scaffolded> {
  const { root } = options;
  const log = options.log ?? (() => undefined);
  const registry = readRegistry(registryPath(root));
  const names = namesOf(options.name, registry.length > 0 ? nextPort(registry) : gatewayDefaultPort + 1, options.owner ?? 'cemr', options.description ?? defaultDescription);
  const refused = refusal(root, names, registry, options);
  if (refused) throw new ScaffoldRefusal(refused);

  const folder = path.join('subgraphs', names.name);
  const saved = new Map<string, string | undefined>();
  for (const file of ['subgraphs/registry.json', 'schema', 'deploy', 'package-lock.json']) snapshot(root, file, saved);
  try {
    const files = Object.entries(subgraphFiles(names)).map(([relative, text]) => {
      const file = path.join(root, folder, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return path.join(folder, relative);
    });
    const entry: SubgraphEntry = { name: names.name, port: names.port, owner: names.owner, description: names.description };
    writeFileSync(registryPath(root), formatRegistry([...registry, entry]));
    log(`added ${names.name} to subgraphs/registry.json (port ${names.port}, owner ${names.owner})`);
    files.push(...(await writeResolverTypes(names.name, root)).map((file) => path.relative(root, file)));
    writeComposedSchemas(root, log);
    const deploy = generateDeployFiles(readRegistry(registryPath(root)), root);
    log(`deployment files: ${deploy.written.length} written`);
    if (options.install ?? true) {
      log('npm install (links the new workspace, updates package-lock.json)');
      const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, encoding: 'utf8' });
      if (npm.status !== 0) throw new Error(`npm install failed (exit code ${npm.status}):\n${npm.stderr.slice(-2000)}`);
    }
    return { names, files: [...files, 'subgraphs/registry.json', 'schema/supergraph.graphql', 'schema/api.graphql', ...deploy.written] };
  } catch (error) {
    // Put everything back as it was: the new folder goes, every file that changed gets its old text again.
    rmSync(path.join(root, folder), { recursive: true, force: true });
    const now = new Map<string, string | undefined>();
    for (const file of ['schema', 'deploy']) snapshot(root, file, now);
    for (const file of now.keys()) if (!saved.has(file)) rmSync(path.join(root, file), { force: true });
    for (const [file, text] of saved) if (text !== undefined) writeFileSync(path.join(root, file), text);
    throw error;
  }
}
