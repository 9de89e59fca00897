import type { Kysely } from 'kysely';
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

export function listTalents(db: Db, filter: TalentFilter, page: Page) {
  return db
    .selectFrom('talents')
    .selectAll()
    .$if(filter.category != null, (q) => q.where('category', '=', filter.category!))
    .$if(filter.organisationId != null, (q) => q.where('organisation_id', '=', filter.organisationId!))
    .$if(filter.regionCode != null, (q) => q.where('residence_region_code', 'like', likePrefix(filter.regionCode!)))
    .$if(page.after !== null, (q) => q.where(afterKey(TALENT_KEY, page.after!)))
    .orderBy('talents.id')
    .limit(page.size + 1)
    .execute();
}

/**
 * A page of talents per parent: living in a region (or any of its sub-regions), with a profile owned by an
 * organisation, or having a skill.
 */
export function listTalentsOf(db: Db, parent: 'region' | 'organisation' | 'skill', keys: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('talents')
          .selectAll('talents')
          .$if(parent === 'region', (q) => q.where(startsWith('talents.residence_region_code', 'k.key')))
          .$if(parent === 'organisation', (q) => q.whereRef('talents.organisation_id', '=', 'k.key'))
          .$if(parent === 'skill', (q) =>
            q.where((w) =>
              w.exists(
                w
                  .selectFrom('talent_skills')
                  .whereRef('talent_skills.talent_id', '=', 'talents.id')
                  .whereRef('talent_skills.skill_uri', '=', 'k.key'),
              ),
            ),
          )
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

export function findSkills(db: Db, uris: readonly string[]) {
  return db.selectFrom('skills').selectAll().where('uri', 'in', [...uris]).execute();
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
