import { sql, type Kysely } from 'kysely';
import type { TalentChanges } from '../input.js';
import type { TalentRow, TalentsDatabase } from './types.js';

// Writes of the talents mutations: `db` first (the mutation's transaction), one statement each.

type Db = Kysely<TalentsDatabase>;

/** The talent row, locked until the transaction ends, so that ownership checked on it holds for the write. */
export function lockTalent(db: Db, id: string): Promise<TalentRow | undefined> {
  return db.selectFrom('talents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function isErased(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('erased_talents').select('talent_id').where('talent_id', '=', id).executeTakeFirst()) !== undefined;
}

/** The skill URIs among `uris` that the graph does not know. */
export async function unknownSkills(db: Db, uris: readonly string[]): Promise<Set<string>> {
  if (uris.length === 0) return new Set();
  const known = new Set((await db.selectFrom('skills').select('uri').where('uri', 'in', [...uris]).execute()).map((r) => r.uri));
  return new Set(uris.filter((u) => !known.has(u)));
}

export function insertTalent(db: Db, row: TalentRow): Promise<TalentRow> {
  return db.insertInto('talents').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateTalentColumns(db: Db, id: string, columns: TalentChanges['columns']): Promise<TalentRow> {
  if (Object.keys(columns).length === 0) return db.selectFrom('talents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return db.updateTable('talents').set(columns).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function replaceSkills(db: Db, talentId: string, skills: NonNullable<TalentChanges['skills']>): Promise<void> {
  await db.deleteFrom('talent_skills').where('talent_id', '=', talentId).execute();
  if (skills.length > 0) await db.insertInto('talent_skills').values(skills.map((s) => ({ talent_id: talentId, ...s }))).execute();
}

export async function replaceLanguages(db: Db, talentId: string, languages: NonNullable<TalentChanges['languages']>): Promise<void> {
  await db.deleteFrom('talent_languages').where('talent_id', '=', talentId).execute();
  if (languages.length > 0) await db.insertInto('talent_languages').values(languages.map((l) => ({ talent_id: talentId, ...l }))).execute();
}

/**
 * Moves a talent's current residence as of `today`: the open period ends the day before (or goes, when it began
 * today), and a new one opens today unless `regionCode` is null. Retention figures read this history.
 */
export async function moveResidence(db: Db, talentId: string, regionCode: string | null, today: string): Promise<void> {
  await db.deleteFrom('residence_periods').where('talent_id', '=', talentId).where('ended_on', 'is', null).where('started_on', '>=', today).execute();
  await db
    .updateTable('residence_periods')
    .set({ ended_on: sql<string>`${today}::date - 1` })
    .where('talent_id', '=', talentId)
    .where('ended_on', 'is', null)
    .execute();
  if (regionCode !== null) {
    await db.insertInto('residence_periods').values({ talent_id: talentId, region_code: regionCode, started_on: today, ended_on: null }).execute();
  }
}

export function countConsents(db: Db, talentId: string): Promise<number> {
  return db
    .selectFrom('talent_consents')
    .select(db.fn.countAll<number>().as('count'))
    .where('talent_id', '=', talentId)
    .executeTakeFirstOrThrow()
    .then((r) => r.count);
}

export async function grantConsent(db: Db, talentId: string, organisationId: string): Promise<void> {
  await db
    .insertInto('talent_consents')
    .values({ talent_id: talentId, organisation_id: organisationId })
    .onConflict((oc) => oc.columns(['talent_id', 'organisation_id']).doNothing())
    .execute();
}

export async function withdrawConsent(db: Db, talentId: string, organisationId: string): Promise<void> {
  await db.deleteFrom('talent_consents').where('talent_id', '=', talentId).where('organisation_id', '=', organisationId).execute();
}

/**
 * Erases a talent here: the row goes (skills, languages, residence periods and consents cascade, and so do its
 * learning goals, its mentorships as mentor or as mentee with their goals, and its exchanges: migration 0004), its
 * id stays as a tombstone, and one outbox row per subgraph in `subgraphs` waits to tell that subgraph.
 */
export async function eraseTalent(db: Db, talentId: string, subgraphs: readonly string[]): Promise<Date> {
  await db.deleteFrom('talents').where('id', '=', talentId).execute();
  const { erased_at } = await db.insertInto('erased_talents').values({ talent_id: talentId }).returning('erased_at').executeTakeFirstOrThrow();
  if (subgraphs.length > 0) {
    await db.insertInto('erasure_outbox').values(subgraphs.map((subgraph) => ({ talent_id: talentId, subgraph }))).execute();
  }
  return erased_at;
}
