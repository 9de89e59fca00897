import { subgraphRegistry } from '@talent-hub/platform/registry';
import type { AnySubgraph } from '@talent-hub/subgraph-lib/subgraph';

// The subgraphs of the registry as modules, for the tools that run them in one process (the test harness, the data
// generator): each subgraph's package exports its module as the default export of `server`.

export async function loadSubgraph(name: string): Promise<AnySubgraph> {
  const module = (await import(`@talent-hub/${name}/server`)) as { default?: AnySubgraph };
  if (module.default?.name !== name) {
    throw new Error(`subgraphs/${name}/server.ts must \`export default\` the module of the "${name}" subgraph`);
  }
  return module.default;
}

/** Every subgraph of the registry, in registry order. */
export const loadSubgraphs = (): Promise<AnySubgraph[]> => Promise.all(subgraphRegistry().map((entry) => loadSubgraph(entry.name)));
