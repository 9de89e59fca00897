import { readSubgraphConfig } from '../lib/config.js';

/** Configuration of the `talents` subgraph: TALENTS_PORT (4001), TALENTS_DATABASE_URL, DATA_DIR, HOST, SEED_DEMO_DATA. */
export const config = readSubgraphConfig('talents', 4001);
