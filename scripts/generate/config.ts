import { readSubgraphConfig } from '../../subgraphs/lib/config.js';
import type { Env } from '../../subgraphs/lib/env.js';
import { defaultSubgraphPorts } from '../../gateway/config.js';
import type { Stores } from './run.js';

/**
 * Where each subgraph keeps its data, read exactly as the subgraphs read it (`<NAME>_DATABASE_URL`, `DATA_DIR`),
 * so the generator fills the databases the subgraphs will serve.
 */
export function readStores(env: Env = process.env): Stores {
  const store = (name: keyof Stores) => readSubgraphConfig(name, defaultSubgraphPorts[name], env).store;
  return { talents: store('talents'), trainings: store('trainings'), regions: store('regions') };
}
