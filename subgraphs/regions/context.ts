import type { SubgraphContext } from '../lib/subgraph.js';
import type { RegionsDatabase } from './db/types.js';
import type { RegionsLoaders } from './loaders.js';

/** What every resolver of this subgraph receives. */
export type Context = SubgraphContext<RegionsDatabase, RegionsLoaders>;
