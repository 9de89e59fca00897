import { runSubgraph } from '../lib/subgraph.js';
import { config } from './config.js';
import { regionsSubgraph } from './server.js';

await runSubgraph(regionsSubgraph, config);
