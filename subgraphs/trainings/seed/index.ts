import { sql, type Kysely } from 'kysely';
import { applySeed } from '@talent-hub/subgraph-lib/seed';
import type { TrainingsDatabase } from '../db/types.js';
import * as data from './data.js';
import { syntheticTrainings } from './synthetic.js';
import { upcomingTrainings } from './upcoming.js';

/**
 * Bump when the demo data changes, so existing embedded databases are topped up on next start. The write below
 * therefore works on a database at any earlier version: it adds what is missing and never duplicates, and leaves
 * alone what was changed since (a cancelled registration, an edited event).
 * Version 2: days of attendance and completion of the past demo registrations, and upcoming trainings (see
 * upcoming.ts) that teach every demo skill.
 */
export const SEED_VERSION = 2;

/** Inserts rows in chunks, skipping those already there (by any unique key). */
async function insertMissing<T extends object>(db: Kysely<any>, table: string, rows: readonly T[], chunkSize = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await db.insertInto(table).values(rows.slice(i, i + chunkSize) as T[]).onConflict((oc) => oc.doNothing()).execute();
  }
}

export function seed(db: Kysely<TrainingsDatabase>, now: Date = new Date()): Promise<boolean> {
  return applySeed(db, 'trainings', SEED_VERSION, async (trx: Kysely<TrainingsDatabase>) => {
    const demo = syntheticTrainings();
    const upcoming = upcomingTrainings(now);
    const registrations = [...demo.registrations, ...upcoming.registrations];
    // An erased demo talent stays erased: a later seed version must not bring its registrations back.
    const talentIds = [...new Set(registrations.map((r) => r.talent_id))];
    const erased = new Set(
      (await trx.selectFrom('erased_talents').select('talent_id').where('talent_id', 'in', talentIds).execute()).map((r) => r.talent_id),
    );

    await insertMissing(trx, 'events', [...data.events, ...demo.events, ...upcoming.events]);
    await insertMissing(trx, 'agenda_items', data.agendaItems);
    await insertMissing(trx, 'agenda_speakers', data.speakers);
    // Skills of events seeded before stay as they are (an organiser may have changed them since).
    const skills = [...data.skills, ...demo.skills, ...upcoming.skills];
    const seeded = new Set(
      (await trx.selectFrom('event_skills').select('event_id').distinct().where('event_id', 'in', [...new Set(skills.map((s) => s.event_id))]).execute())
        .map((r) => r.event_id),
    );
    await insertMissing(trx, 'event_skills', skills.filter((s) => !seeded.has(s.event_id)));
    await insertMissing(trx, 'registrations', registrations.filter((r) => !erased.has(r.talent_id)));

    // Attended and completed demo registrations seeded before version 2 hold the days migration 0004 gave them (the
    // event's first and last day); those untouched since the seed wrote them (same status, same updated_at) take
    // the seed's days.
    const dated = demo.registrations.filter((r) => r.attended_on !== null);
    for (let i = 0; i < dated.length; i += 200) {
      const rows = dated.slice(i, i + 200).map((r) =>
        sql`(${r.id}::uuid, ${r.status}, ${r.updated_at}::timestamptz, ${r.attended_on}::date, ${r.completed_on}::date)`);
      await sql`update registrations as r set attended_on = v.attended_on, completed_on = v.completed_on
        from (values ${sql.join(rows)}) as v (id, status, updated_at, attended_on, completed_on)
        where r.id = v.id and r.status = v.status and r.updated_at = v.updated_at
          and (r.attended_on, r.completed_on) is distinct from (v.attended_on, v.completed_on)`.execute(trx);
    }
  });
}
