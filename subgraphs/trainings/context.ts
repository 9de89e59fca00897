import type { SubgraphContext } from '@talent-hub/subgraph-lib/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import type { TrainingsLoaders } from './loaders.js';

/** What every resolver of this subgraph receives. */
export type Context = SubgraphContext<TrainingsDatabase, TrainingsLoaders>;
