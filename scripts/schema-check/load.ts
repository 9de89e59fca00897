import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRegistry, readRegistry } from '@talent-hub/platform/registry';
import { apiFile, subgraphFile, type CheckInput } from './check.js';
import { openBase, readAtBase } from './git.js';

// The check's input from a project: the working tree's registry and subgraph SDLs, and the committed
// subgraph SDLs, API schema and registry at the base ref.

const registryFile = 'subgraphs/registry.json';

export function loadCheckInput(root: string, ref: string): CheckInput {
  const registry = readRegistry(path.join(root, registryFile));
  const base = openBase(root, ref, ['subgraphs', 'schema']);
  const subgraphs = registry.map(({ name }) => {
    const file = path.join(root, subgraphFile(name));
    if (!existsSync(file)) throw new Error(`Subgraph ${name} has no schema: ${subgraphFile(name)} is missing`);
    return { name, current: readFileSync(file, 'utf8'), base: readAtBase(root, base, subgraphFile(name)) };
  });

  // Subgraphs the base registry lists and the working tree's does not (an unreadable base registry lists none).
  const baseRegistryText = readAtBase(root, base, registryFile);
  let baseNames: string[] = [];
  try {
    baseNames = baseRegistryText ? parseRegistry(baseRegistryText).map((entry) => entry.name) : [];
  } catch {
    baseNames = [];
  }
  const removedSubgraphs = baseNames.filter((name) => !registry.some((entry) => entry.name === name));

  // The allow-file is read by runSchemaCheck from the root, as it is in the working tree.
  return {
    root,
    baseLabel: `${ref}@${base.commit.slice(0, 7)}`,
    subgraphs,
    baseApi: readAtBase(root, base, apiFile),
    removedSubgraphs,
  };
}
