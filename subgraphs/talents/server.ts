import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { sourceFile } from '@talent-hub/platform/paths';
import type { SubgraphModule } from '@talent-hub/subgraph-lib/subgraph';
import { migrations } from './db/migrations/index.js';
import type { TalentsDatabase } from './db/types.js';
import { startErasureDelivery } from './erasure.js';
import { createLoaders, type TalentsLoaders } from './loaders.js';
import { policies } from './policies.js';
import { exports } from './exports.js';
import { resolvers } from './resolvers.js';
import { seed } from './seed/index.js';

/** The `talents` subgraph: talent profiles, skills, languages and residence history. Building it has no side effects. */
export const talentsSubgraph: SubgraphModule<TalentsDatabase, TalentsLoaders> = {
  name: 'talents',
  typeDefs: parse(readFileSync(sourceFile(import.meta.url, 'schema.graphql'), 'utf8')),
  resolvers,
  migrations,
  seed,
  createLoaders,
  policies,
  // Retries erasures that the other subgraphs have not confirmed yet (see erasure.ts).
  background: (db, peers, logger) => startErasureDelivery(db, peers, { logger }),
  // GET /export/talents and /export/statistics (exports.ts).
  exports,
};

/** What the registry-driven tools load (test harness, data generator): `@talent-hub/talents/server`'s default export. */
export default talentsSubgraph;
