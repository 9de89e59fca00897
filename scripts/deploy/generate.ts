import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeFile } from './compose.js';
import { configMapFile, kustomizationFile, secretFile } from './k8s-config.js';
import { workloadFile } from './k8s-workload.js';
import { initSqlFile } from './postgres.js';
import { generatedNotice, services, type Registry } from './services.js';

// Every deployment file that depends on the subgraph registry, as text, from a registry given as a parameter: the
// command writes them for subgraphs/registry.json, the scaffold of a new subgraph calls generateDeployFiles after
// adding its line, and the deploy test compares the committed files with a fresh generation and generates for a
// registry with one more subgraph.

/** The generated files by path from the project root, in a stable order. */
export function renderDeployFiles(registry: Registry): Map<string, string> {
  const files = new Map<string, string>();
  files.set('deploy/compose.yaml', composeFile(registry));
  files.set('deploy/postgres/init.sql', initSqlFile(registry));
  files.set('deploy/k8s/kustomization.yaml', kustomizationFile(registry));
  files.set('deploy/k8s/configmap.yaml', configMapFile(registry));
  files.set('deploy/k8s/secret.yaml', secretFile(registry));
  for (const service of services(registry)) files.set(`deploy/k8s/${service.name}.yaml`, workloadFile(service, registry));
  return files;
}

/** The folder whose generated files belong to the registry: a subgraph taken out of it leaves a stale manifest there. */
const generatedFolder = 'deploy/k8s';
const firstNoticeLine = generatedNotice.split('\n')[0]!;

/** Files in deploy/k8s that an earlier generation wrote (they carry the notice) and this one no longer does. */
function staleFiles(root: string, expected: Map<string, string>): string[] {
  const folder = path.join(root, generatedFolder);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => `${generatedFolder}/${name}`)
    .filter((file) => !expected.has(file) && readFileSync(path.join(root, file), 'utf8').includes(firstNoticeLine))
    .sort();
}

export interface Generation {
  /** Files whose text changed (or that did not exist). */
  written: string[];
  /** Generated files of subgraphs no longer in the registry. */
  removed: string[];
  unchanged: string[];
}

/** Writes the deployment files of `registry` under `root` (the project root), leaving unchanged files untouched. */
export function generateDeployFiles(registry: Registry, root: string): Generation {
  const files = renderDeployFiles(registry);
  const result: Generation = { written: [], removed: staleFiles(root, files), unchanged: [] };
  for (const [file, text] of files) {
    const target = path.join(root, file);
    if (existsSync(target) && readFileSync(target, 'utf8') === text) {
      result.unchanged.push(file);
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    result.written.push(file);
  }
  for (const file of result.removed) rmSync(path.join(root, file));
  return result;
}

/** What a generation would change under `root`, without writing: missing or different files, stale ones. */
export function outdatedDeployFiles(registry: Registry, root: string): string[] {
  const files = renderDeployFiles(registry);
  const problems: string[] = [];
  for (const [file, text] of files) {
    const target = path.join(root, file);
    if (!existsSync(target)) problems.push(`${file}: missing`);
    else if (readFileSync(target, 'utf8') !== text) problems.push(`${file}: differs from a fresh generation`);
  }
  for (const file of staleFiles(root, files)) problems.push(`${file}: generated for a subgraph no longer in the registry`);
  return problems;
}
