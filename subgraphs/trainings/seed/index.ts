import type { Kysely } from 'kysely';
import { applySeed, insertInChunks } from '@talent-hub/subgraph-lib/seed';
import type { TrainingsDatabase } from '../db/types.js';
import * as data from './data.js';
import { syntheticTrainings } from './synthetic.js';

/** Bump when the demo data changes, so existing embedded databases are topped up on next start. */
const SEED_VERSION = 1;

export function seed(db: Kysely<TrainingsDatabase>): Promise<boolean> {
  return applySeed(db, 'trainings', SEED_VERSION, async (trx) => {
    const demo = syntheticTrainings();
    await insertInChunks(trx, 'events', [...data.events, ...demo.events]);
    await insertInChunks(trx, 'agenda_items', data.agendaItems);
    await insertInChunks(trx, 'agenda_speakers', data.speakers);
    await insertInChunks(trx, 'event_skills', [...data.skills, ...demo.skills]);
    await insertInChunks(trx, 'registrations', demo.registrations);
  });
}
