import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterKey, type KeyColumn, type Page } from '@talent-hub/subgraph-lib/pagination';
import type { MentorshipRole, MentorshipStatus, SkillGapReason } from '../generated/enums.js';
import type { MentorshipTable, SkillTable, TalentRow, TalentsDatabase } from './types.js';

// Repository and writes of mentoring: learning goals, mentorships and their goals, skill gaps. `db` first (the
// request's database or a mutation's transaction), one SQL statement each, every list bounded.

type Db = Kysely<TalentsDatabase>;

/** Statuses that take a place of the mentor's capacity, and that only one mentorship of a pair may have. */
export const OPEN_MENTORSHIP_STATUSES = ['PROPOSED', 'ACTIVE'] as const satisfies readonly MentorshipStatus[];
/** Skill levels at which a talent holds a skill (for matching and skill gaps). */
export const HELD_SKILL_LEVELS = ['INTERMEDIATE', 'ADVANCED', 'EXPERT'] as const;
export const MAX_LEARNING_GOALS = 20;
export const MAX_MENTORSHIP_GOALS = 10;
/** Bound of a talent's skill gaps (learning goals, plus the goals of its open mentorships as mentee). */
export const MAX_SKILL_GAPS = 200;

const OPEN = sql.join(OPEN_MENTORSHIP_STATUSES.map((s) => sql.lit(s)));
const MENTORSHIP_KEY: KeyColumn[] = [
  { column: 'proposed_at', type: 'timestamptz' },
  { column: 'id', type: 'uuid' },
];
/** A mentorship's sort key in the lists (oldest proposal first), as its cursor carries it. */
export const mentorshipKey = (m: MentorshipTable) => [m.proposed_at.toISOString(), m.id];

// ---- Learning goals ----------------------------------------------------------------------------------------------

export type LearningGoalRow = SkillTable & { talent_id: string };

/** The learning goals of some talents with their skills' fields, in label order per talent. */
export function listLearningGoalsQuery(db: Db, talentIds: readonly string[]) {
  return db
    .selectFrom('talent_learning_goals as g')
    .innerJoin('skills as s', 's.uri', 'g.skill_uri')
    .select(['g.talent_id', 's.uri', 's.label', 's.skill_type', 's.reuse_level'])
    .where('g.talent_id', 'in', [...talentIds])
    .orderBy('g.talent_id')
    .orderBy('s.label')
    .limit(MAX_LEARNING_GOALS * talentIds.length);
}

export function listLearningGoals(db: Db, talentIds: readonly string[]): Promise<LearningGoalRow[]> {
  return listLearningGoalsQuery(db, talentIds).execute();
}

export async function replaceLearningGoals(db: Db, talentId: string, skillUris: readonly string[]): Promise<void> {
  await db.deleteFrom('talent_learning_goals').where('talent_id', '=', talentId).execute();
  if (skillUris.length > 0) {
    await db.insertInto('talent_learning_goals').values(skillUris.map((skill_uri) => ({ talent_id: talentId, skill_uri }))).execute();
  }
}

// ---- Skill gaps --------------------------------------------------------------------------------------------------

export interface SkillGapRow {
  talent_id: string;
  skill_uri: string;
  reason: SkillGapReason;
}

/**
 * What some talents want and do not hold at INTERMEDIATE or above, in skill URI order per talent: the goals of their
 * PROPOSED and ACTIVE mentorships as mentee (MENTORSHIP_GOAL, which wins when a skill is both) and their learning
 * goals (LEARNING_GOAL). One statement for a page of talents.
 */
export function listSkillGapsQuery(talentIds: readonly string[]) {
  const ids = [...talentIds];
  return sql<SkillGapRow>`
    select w.talent_id::text as talent_id, w.skill_uri,
           case when bool_or(w.mentorship) then 'MENTORSHIP_GOAL' else 'LEARNING_GOAL' end as reason
    from (
      select m.mentee_id as talent_id, g.skill_uri, true as mentorship
      from mentorships m join mentorship_goals g on g.mentorship_id = m.id
      where m.mentee_id = any(cast(${ids} as uuid[])) and m.status in (${OPEN})
      union all
      select l.talent_id, l.skill_uri, false from talent_learning_goals l where l.talent_id = any(cast(${ids} as uuid[]))
    ) w
    where not exists (
      select 1 from talent_skills s
      where s.talent_id = w.talent_id and s.skill_uri = w.skill_uri and s.level in (${sql.join(HELD_SKILL_LEVELS.map((l) => sql.lit(l)))}))
    group by w.talent_id, w.skill_uri
    order by w.talent_id, w.skill_uri
    limit ${MAX_SKILL_GAPS * ids.length}`;
}

export function listSkillGaps(db: Db, talentIds: readonly string[]): Promise<SkillGapRow[]> {
  return listSkillGapsQuery(talentIds).execute(db).then((r) => r.rows);
}

// ---- Mentorships: reads ------------------------------------------------------------------------------------------

export function findMentorships(db: Db, ids: readonly string[]): Promise<MentorshipTable[]> {
  return db.selectFrom('mentorships').selectAll().where('id', 'in', [...ids]).execute();
}

export type MentorshipGoalRow = SkillTable & { mentorship_id: string };

/** The goals of some mentorships with their skills' fields, in label order per mentorship. */
export function listMentorshipGoals(db: Db, mentorshipIds: readonly string[]): Promise<MentorshipGoalRow[]> {
  return db
    .selectFrom('mentorship_goals as g')
    .innerJoin('skills as s', 's.uri', 'g.skill_uri')
    .select(['g.mentorship_id', 's.uri', 's.label', 's.skill_type', 's.reuse_level'])
    .where('g.mentorship_id', 'in', [...mentorshipIds])
    .orderBy('g.mentorship_id')
    .orderBy('s.label')
    .limit(MAX_MENTORSHIP_GOALS * mentorshipIds.length)
    .execute();
}

/** Which of a talent's mentorships a list shows: a side, a status, and (for a reader entitled to some only) the running organisation. */
export interface MentorshipListFilter {
  role: MentorshipRole | null;
  status: MentorshipStatus | null;
  /** Only the mentorships this organisation runs; all when null. */
  organisationId: string | null;
}

export type MentorshipOf = MentorshipTable & { parent_key: string };

function mentorshipConditions(filter: MentorshipListFilter): RawBuilder<unknown> {
  const parts = [
    filter.status === null ? null : sql`m.status = ${filter.status}`,
    filter.organisationId === null ? null : sql`m.organisation_id = ${filter.organisationId}`,
  ].filter((p) => p !== null);
  return parts.length === 0 ? sql`` : sql`and ${sql.join(parts, sql` and `)}`;
}

/** The sides a filter asks for: each side is one range of its own index, in list order. */
const sidesOf = (role: MentorshipRole | null) => (role === 'MENTOR' ? ['mentor_id'] : role === 'MENTEE' ? ['mentee_id'] : ['mentor_id', 'mentee_id']);

/**
 * A page of mentorships per talent (as mentor, mentee or both), oldest proposal first, keyset after the cursor. Both
 * sides are read as two ranges of their indexes and merged (a talent is never on both sides of one mentorship).
 */
export function listMentorshipsOfQuery(db: Db, keys: readonly string[], filter: MentorshipListFilter, page: Page) {
  const conditions = mentorshipConditions(filter);
  const after = page.after === null ? sql`` : sql`and ${afterKey(MENTORSHIP_KEY.map((c) => ({ ...c, column: `m.${c.column}` })), page.after)}`;
  const side = (column: string) => sql`(select m.* from mentorships m
      where m.${sql.ref(column)} = cast(k.key as uuid) ${conditions} ${after}
      order by m.proposed_at, m.id limit ${page.size + 1})`;
  return sql<MentorshipOf>`
    select p.*, k.key as parent_key
    from (select unnest(cast(${[...keys]} as text[])) as key) k
    cross join lateral (
      select u.* from (${sql.join(sidesOf(filter.role).map(side), sql` union all `)}) u
      order by u.proposed_at, u.id limit ${page.size + 1}
    ) p`;
}

export function listMentorshipsOf(db: Db, keys: readonly string[], filter: MentorshipListFilter, page: Page): Promise<MentorshipOf[]> {
  return listMentorshipsOfQuery(db, keys, filter, page).execute(db).then((r) => r.rows);
}

/** How many mentorships each talent's list holds (its `totalCount`), in one statement. */
export function countMentorshipsOf(db: Db, keys: readonly string[], filter: MentorshipListFilter) {
  const conditions = mentorshipConditions(filter);
  const side = (column: string) => sql`(select count(*) from mentorships m where m.${sql.ref(column)} = cast(k.key as uuid) ${conditions})`;
  return sql<{ parent_key: string; count: number }>`
    select k.key as parent_key, cast(${sql.join(sidesOf(filter.role).map(side), sql` + `)} as integer) as count
    from (select unnest(cast(${[...keys]} as text[])) as key) k`
    .execute(db)
    .then((r) => r.rows);
}

/**
 * The organisations that run a mentorship of each talent (as mentor or mentee), distinct: what the list's policy
 * needs for a reader who may not read the talent's personal data. One statement for a page of talents.
 */
export function listMentoringOrganisationsQuery(talentIds: readonly string[]) {
  const ids = [...talentIds];
  // Per talent, its two index ranges (as mentor, as mentee): never a scan of the table, however many talents.
  return sql<{ talent_id: string; organisation_id: string }>`
    select distinct k.key as talent_id, x.organisation_id
    from (select unnest(cast(${ids} as text[])) as key) k
    cross join lateral (
      select m.organisation_id from mentorships m where m.mentor_id = cast(k.key as uuid)
      union all
      select m.organisation_id from mentorships m where m.mentee_id = cast(k.key as uuid)
    ) x
    order by 1, 2
    limit ${100 * ids.length}`;
}

export function listMentoringOrganisations(db: Db, talentIds: readonly string[]): Promise<{ talent_id: string; organisation_id: string }[]> {
  return listMentoringOrganisationsQuery(talentIds).execute(db).then((r) => r.rows);
}

// ---- Mentorships: writes (in the mutation's transaction) ---------------------------------------------------------

/**
 * Locks talents in id order (so that two transactions locking the same pair never wait for each other in a circle),
 * until the transaction ends. Missing (or erased) ids are simply absent.
 */
export function lockTalents(db: Db, ids: readonly string[]): Promise<TalentRow[]> {
  return db.selectFrom('talents').selectAll().where('id', 'in', [...ids]).orderBy('id').forUpdate().execute();
}

/** Consents of some talents to one organisation: the talents among `talentIds` that consented. */
export async function talentsConsentingTo(db: Db, talentIds: readonly string[], organisationId: string): Promise<Set<string>> {
  if (talentIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('talent_consents')
    .select('talent_id')
    .where('talent_id', 'in', [...talentIds])
    .where('organisation_id', '=', organisationId)
    .execute();
  return new Set(rows.map((r) => r.talent_id));
}

/** The mentor's places taken: its PROPOSED and ACTIVE mentorships as mentor. */
export function countOpenAsMentor(db: Db, mentorId: string): Promise<number> {
  return db
    .selectFrom('mentorships')
    .select(db.fn.countAll<number>().as('count'))
    .where('mentor_id', '=', mentorId)
    .where('status', 'in', [...OPEN_MENTORSHIP_STATUSES])
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.count));
}

/** Whether two talents have a PROPOSED or ACTIVE mentorship, either way round. */
export async function openPairExists(db: Db, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom('mentorships')
    .select('id')
    .where('status', 'in', [...OPEN_MENTORSHIP_STATUSES])
    .where((eb) =>
      eb.or([
        eb.and([eb('mentor_id', '=', a), eb('mentee_id', '=', b)]),
        eb.and([eb('mentor_id', '=', b), eb('mentee_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMentorship(db: Db, row: MentorshipTable, goalUris: readonly string[]): Promise<MentorshipTable> {
  const inserted = await db.insertInto('mentorships').values(row).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('mentorship_goals').values(goalUris.map((skill_uri) => ({ mentorship_id: row.id, skill_uri }))).execute();
  return inserted;
}

export function findMentorship(db: Db, id: string): Promise<MentorshipTable | undefined> {
  return db.selectFrom('mentorships').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockMentorship(db: Db, id: string): Promise<MentorshipTable | undefined> {
  return db.selectFrom('mentorships').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateMentorship(
  db: Db,
  id: string,
  changes: Partial<Pick<MentorshipTable, 'status' | 'starts_on' | 'ends_on' | 'meetings'>>,
): Promise<MentorshipTable> {
  return db.updateTable('mentorships').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
