import { readSubgraphConfig } from '@talent-hub/subgraph-lib/config';
import { runSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { trainingsSubgraph } from './server.js';

// Reads the configuration (port and peers from subgraphs/registry.json, overridden by the environment), migrates,
// seeds and listens until SIGTERM.
await runSubgraph(trainingsSubgraph, readSubgraphConfig(trainingsSubgraph.name));
