import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { afterKey, type KeyColumn, type Page } from '../../lib/pagination.js';
import { likePrefix, parentKeys, startsWith } from '../../lib/sql.js';
import type { TalentsDatabase } from './types.js';

// Repository functions of the `talents` subgraph: `db` first, one SQL statement each, every list bounded.

type Db = Kysely<TalentsDatabase>;

/** Upper bound of a talent's short lists (skills, languages, residence periods). */
export const SHORT_LIST_MAX = 200;

const TALENT_KEY: KeyColumn[] = [{ column: 'talents.id', type: 'uuid' }];
const SKILL_KEY: KeyColumn[] = [
  { column: 'label', type: 'text' },
  { column: 'uri', type: 'text' },
];

export function findTalents(db: Db, ids: readonly string[]) {
  return db.selectFrom('talents').selectAll().where('id', 'in', [...ids]).execute();
}

export interface TalentFilter {
  category?: string | null;
  organisationId?: string | null;
  regionCode?: string | null;
}

function filteredTalents(db: Db, filter: TalentFilter) {
  return db
    .selectFrom('talents')
    .$if(filter.category != null, (q) => q.where('category', '=', filter.category!))
    .$if(filter.organisationId != null, (q) => q.where('organisation_id', '=', filter.organisationId!))
    .$if(filter.regionCode != null, (q) => q.where('residence_region_code', 'like', likePrefix(filter.regionCode!)));
}

export function countTalents(db: Db, filter: TalentFilter) {
  return filteredTalents(db, filter)
    .select(db.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
    .then((r) => r.count);
}

export function listTalents(db: Db, filter: TalentFilter, page: Page) {
  return filteredTalents(db, filter)
    .selectAll()
    .$if(page.after !== null, (q) => q.where(afterKey(TALENT_KEY, page.after!)))
    .orderBy('talents.id')
    .limit(page.size + 1)
    .execute();
}

export type TalentParent = 'region' | 'organisation' | 'skill';

/**
 * Which talents belong to the parent `k.key`: living in a region (or any of its sub-regions), with a profile
 * owned by an organisation, or having a skill. Shared by the page and the count, so they always agree.
 */
function belongsTo(parent: TalentParent): Expression<SqlBool> {
  switch (parent) {
    case 'region':
      return startsWith('talents.residence_region_code', 'k.key');
    case 'organisation':
      return sql<SqlBool>`talents.organisation_id = k.key`;
    case 'skill':
      return sql<SqlBool>`exists (select 1 from talent_skills s where s.talent_id = talents.id and s.skill_uri = k.key)`;
  }
}

/** A page of talents per parent, in id order. */
export function listTalentsOf(db: Db, parent: TalentParent, keys: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('talents')
          .selectAll('talents')
          .where(belongsTo(parent))
          .$if(page.after !== null, (q) => q.where(afterKey(TALENT_KEY, page.after!)))
          .orderBy('talents.id')
          .limit(page.size + 1)
          .as('t'),
      (join) => join.onTrue(),
    )
    .selectAll('t')
    .select('k.key as parent_key')
    .execute();
}

/** How many talents each parent has. */
export function countTalentsOf(db: Db, parent: TalentParent, keys: readonly string[]) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) => eb.selectFrom('talents').select(eb.fn.countAll<number>().as('count')).where(belongsTo(parent)).as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

export function findSkills(db: Db, uris: readonly string[]) {
  return db.selectFrom('skills').selectAll().where('uri', 'in', [...uris]).execute();
}

export function countSkills(db: Db) {
  return db
    .selectFrom('skills')
    .select(db.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
    .then((r) => r.count);
}

export function listSkills(db: Db, page: Page) {
  return db
    .selectFrom('skills')
    .selectAll()
    .$if(page.after !== null, (q) => q.where(afterKey(SKILL_KEY, page.after!)))
    .orderBy('label')
    .orderBy('uri')
    .limit(page.size + 1)
    .execute();
}

export function listTalentSkills(db: Db, talentIds: readonly string[]) {
  return db
    .selectFrom('talent_skills')
    .innerJoin('skills', 'skills.uri', 'talent_skills.skill_uri')
    .select(['talent_skills.talent_id', 'talent_skills.skill_uri', 'talent_skills.level', 'skills.label'])
    .where('talent_skills.talent_id', 'in', [...talentIds])
    .orderBy('talent_skills.talent_id')
    .orderBy('skills.label')
    .limit(SHORT_LIST_MAX * talentIds.length)
    .execute();
}

export function listTalentLanguages(db: Db, talentIds: readonly string[]) {
  return db
    .selectFrom('talent_languages')
    .selectAll()
    .where('talent_id', 'in', [...talentIds])
    .orderBy('talent_id')
    .orderBy('level', 'desc')
    .orderBy('language')
    .limit(SHORT_LIST_MAX * talentIds.length)
    .execute();
}

export function listResidencePeriods(db: Db, talentIds: readonly string[]) {
  return db
    .selectFrom('residence_periods')
    .selectAll()
    .where('talent_id', 'in', [...talentIds])
    .orderBy('talent_id')
    .orderBy('started_on')
    .limit(SHORT_LIST_MAX * talentIds.length)
    .execute();
}
