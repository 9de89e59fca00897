import type { SubgraphContext } from '@talent-hub/subgraph-lib/subgraph';
import type { TalentsDatabase } from './db/types.js';
import type { TalentsLoaders } from './loaders.js';

/** What every resolver of this subgraph receives. */
export type Context = SubgraphContext<TalentsDatabase, TalentsLoaders>;
