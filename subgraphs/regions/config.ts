import { readSubgraphConfig } from '../lib/config.js';

/** Configuration of the `regions` subgraph: REGIONS_PORT (4003), REGIONS_DATABASE_URL, DATA_DIR, HOST, SEED_DEMO_DATA. */
export const config = readSubgraphConfig('regions', 4003);
