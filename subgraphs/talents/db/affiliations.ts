import type { Kysely } from 'kysely';
import type { TalentsDatabase } from './types.js';

// Affiliations: a talent's periods with partner organisations. `db` first; one statement each.

type Db = Kysely<TalentsDatabase>;

/** Most affiliations one talent may have; the writes keep to it and reads are bounded by it. */
export const MAX_AFFILIATIONS = 50;

/** The affiliations of several talents, each talent's oldest first. */
export function listAffiliations(db: Db, talentIds: readonly string[]) {
  return db
    .selectFrom('affiliations')
    .select(['talent_id', 'organisation_id', 'role', 'started_on', 'ended_on'])
    .where('talent_id', 'in', [...talentIds])
    .orderBy('talent_id')
    .orderBy('started_on')
    .orderBy('organisation_id')
    .limit(MAX_AFFILIATIONS * talentIds.length)
    .execute();
}

/** The talent's affiliations with one organisation, for the overlap check of a write (under the talent's lock). */
export function affiliationsWith(db: Db, talentId: string, organisationId: string) {
  return db
    .selectFrom('affiliations')
    .select(['started_on', 'ended_on'])
    .where('talent_id', '=', talentId)
    .where('organisation_id', '=', organisationId)
    .orderBy('started_on')
    .limit(MAX_AFFILIATIONS)
    .execute();
}

export async function countAffiliations(db: Db, talentId: string): Promise<number> {
  const row = await db.selectFrom('affiliations').select((eb) => eb.fn.countAll<number>().as('n')).where('talent_id', '=', talentId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertAffiliation(db: Db, row: { talent_id: string; organisation_id: string; role: string; started_on: string; ended_on: string | null }): Promise<void> {
  await db.insertInto('affiliations').values({ ...row, synthetic: false }).execute();
}

/** Ends an open affiliation; false when there is no such open one. */
export async function endAffiliation(db: Db, talentId: string, organisationId: string, startedOn: string, endedOn: string): Promise<boolean> {
  const result = await db
    .updateTable('affiliations')
    .set({ ended_on: endedOn })
    .where('talent_id', '=', talentId)
    .where('organisation_id', '=', organisationId)
    .where('started_on', '=', startedOn)
    .where('ended_on', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
