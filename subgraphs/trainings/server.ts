import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { sourceFile } from '@talent-hub/platform/paths';
import type { SubgraphModule } from '@talent-hub/subgraph-lib/subgraph';
import { migrations } from './db/migrations/index.js';
import type { TrainingsDatabase } from './db/types.js';
import { createLoaders, type TrainingsLoaders } from './loaders.js';
import { policies } from './policies.js';
import { exports } from './exports.js';
import { startReconciliation } from './reconcile.js';
import { resolvers } from './resolvers.js';
import { seed } from './seed/index.js';

/** The `trainings` subgraph: trainings, organisations and programmes. Building it has no side effects. */
export const trainingsSubgraph: SubgraphModule<TrainingsDatabase, TrainingsLoaders> = {
  name: 'trainings',
  typeDefs: parse(readFileSync(sourceFile(import.meta.url, 'schema.graphql'), 'utf8')),
  resolvers,
  migrations,
  seed,
  createLoaders,
  policies,
  // Verifies, with the talents subgraph, registrations made before it was asked (see reconcile.ts).
  background: (db, peers, logger) => startReconciliation(db, peers, { logger }),
  // GET /export/events and /export/registrations (exports.ts).
  exports,
};

/** What the registry-driven tools load (test harness, data generator): `@talent-hub/trainings/server`'s default export. */
export default trainingsSubgraph;
