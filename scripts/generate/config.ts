import { readSubgraphConfig } from '@talent-hub/subgraph-lib/config';
import type { Env } from '@talent-hub/platform/env';
import { subgraphRegistry } from '@talent-hub/platform/registry';
import type { Stores } from './run.js';

/**
 * Where each subgraph of the registry keeps its data, read exactly as the subgraphs read it
 * (`<NAME>_DATABASE_URL`, `DATA_DIR`), so the generator fills the databases the subgraphs will serve.
 */
export function readStores(env: Env = process.env): Stores {
  const stores = Object.fromEntries(subgraphRegistry().map(({ name }) => [name, readSubgraphConfig(name, env).store]));
  for (const needed of ['talents', 'trainings', 'regions']) {
    if (!stores[needed]) throw new Error(`The data generator fills the ${needed} subgraph, which subgraphs/registry.json does not list`);
  }
  return stores as Stores;
}
