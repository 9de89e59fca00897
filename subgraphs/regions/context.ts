import type { SubgraphContext } from '@talent-hub/subgraph-lib/subgraph';
import type { RegionsDatabase } from './db/types.js';
import type { RegionsLoaders } from './loaders.js';

/** What every resolver of this subgraph receives. */
export type Context = SubgraphContext<RegionsDatabase, RegionsLoaders>;
