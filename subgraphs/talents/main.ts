import { runSubgraph } from '../lib/subgraph.js';
import { config } from './config.js';
import { talentsSubgraph } from './server.js';

await runSubgraph(talentsSubgraph, config);
