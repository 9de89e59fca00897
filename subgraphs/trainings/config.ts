import { readSubgraphConfig } from '../lib/config.js';

/** Configuration of the `trainings` subgraph: TRAININGS_PORT (4002), TRAININGS_DATABASE_URL, DATA_DIR, HOST, SEED_DEMO_DATA. */
export const config = readSubgraphConfig('trainings', 4002);
