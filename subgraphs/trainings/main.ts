import { runSubgraph } from '../lib/subgraph.js';
import { config } from './config.js';
import { trainingsSubgraph } from './server.js';

await runSubgraph(trainingsSubgraph, config);
