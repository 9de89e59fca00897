import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { afterKey, type KeyColumn, type Page } from '@talent-hub/subgraph-lib/pagination';
import { withinRegion } from '@talent-hub/subgraph-lib/filters';
import { likePrefix, parentKeys } from '@talent-hub/subgraph-lib/sql';
import type { CefrLevel, TalentCategory } from '../generated/enums.js';
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

/**
 * Who a list is read for: the caller's organisation, or null for an anonymous caller (and a service). A list
 * holds the published profiles, and the private ones of the viewer's organisation or consented to it.
 */
export interface Viewer {
  organisationId: string | null;
}

/** The profiles a viewer may see, as a condition on `talents`; served by `talents_public_idx` and the consents' index. */
export function visibleTo(viewer: Viewer): Expression<SqlBool> {
  const org = viewer.organisationId;
  if (!org) return sql<SqlBool>`talents.public_profile`;
  return sql<SqlBool>`(talents.public_profile or talents.organisation_id = ${org}
    or exists (select 1 from talent_consents vc where vc.talent_id = talents.id and vc.organisation_id = ${org}))`;
}

/** CEFR levels, weakest first. */
export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const satisfies readonly CefrLevel[];

/** Which talents a list, a count or a statistic covers; absent fields do not filter. Values are validated. */
export interface TalentFilter {
  category?: TalentCategory | null;
  organisationId?: string | null;
  /** A NUTS code: talents living in it or any of its sub-regions. */
  regionCode?: string | null;
  /** An ESCO skill URI the talent has. */
  skillUri?: string | null;
  /** A BCP 47 tag the talent speaks; a bare language (`pt`) also matches its regional variants (`pt-BR`). */
  language?: string | null;
  /** With `language`: at least this CEFR level. */
  minLanguageLevel?: CefrLevel | null;
  citizenship?: string | null;
  /** Joined on or after this date. */
  joinedFrom?: string | null;
  /** Joined on or before this date. */
  joinedTo?: string | null;
}

/** The levels at or above a minimum, as an `in` list: independent of the database's collation. */
const levelsFrom = (min: CefrLevel | null | undefined) => CEFR_LEVELS.slice(min ? CEFR_LEVELS.indexOf(min) : 0);

/**
 * Talents matching a filter. Every condition can be served by an index (see migrations 0001 and 0002): the
 * region by its `text_pattern_ops` prefix index, skill and language by their own tables' indexes through
 * EXISTS (a semi-join that never multiplies talents), the others by `(column, id)` indexes.
 */
export function filteredTalents(db: Db, filter: TalentFilter) {
  const { language } = filter;
  return db
    .selectFrom('talents')
    .$if(filter.category != null, (q) => q.where('talents.category', '=', filter.category!))
    .$if(filter.organisationId != null, (q) => q.where('talents.organisation_id', '=', filter.organisationId!))
    .$if(filter.regionCode != null, (q) => q.where('talents.residence_region_code', 'like', likePrefix(filter.regionCode!)))
    .$if(filter.citizenship != null, (q) => q.where('talents.citizenship', '=', filter.citizenship!))
    .$if(filter.joinedFrom != null, (q) => q.where('talents.joined_on', '>=', filter.joinedFrom!))
    .$if(filter.joinedTo != null, (q) => q.where('talents.joined_on', '<=', filter.joinedTo!))
    .$if(filter.skillUri != null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('talent_skills as fs')
            .select(sql.lit(1).as('one'))
            .whereRef('fs.talent_id', '=', 'talents.id')
            .where('fs.skill_uri', '=', filter.skillUri!),
        ),
      ),
    )
    .$if(language != null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('talent_languages as fl')
            .select(sql.lit(1).as('one'))
            .whereRef('fl.talent_id', '=', 'talents.id')
            .where((w) =>
              language!.includes('-')
                ? w('fl.language', '=', language!)
                : w.or([w('fl.language', '=', language!), w('fl.language', 'like', likePrefix(`${language}-`))]),
            )
            .$if(filter.minLanguageLevel != null, (s) => s.where('fl.level', 'in', levelsFrom(filter.minLanguageLevel))),
        ),
      ),
    );
}

/** Counts the talents matching a filter (a connection's `totalCount`). */
export function countTalentsQuery(db: Db, filter: TalentFilter, viewer: Viewer) {
  return filteredTalents(db, filter).where(visibleTo(viewer)).select(db.fn.countAll<number>().as('count'));
}

export function countTalents(db: Db, filter: TalentFilter, viewer: Viewer) {
  return countTalentsQuery(db, filter, viewer)
    .executeTakeFirstOrThrow()
    .then((r) => r.count);
}

/** A page of the talents matching a filter, in id order, strictly after the page's cursor (keyset, no OFFSET). */
export function listTalentsQuery(db: Db, filter: TalentFilter, page: Page, viewer: Viewer) {
  return filteredTalents(db, filter)
    .where(visibleTo(viewer))
    .selectAll('talents')
    .$if(page.after !== null, (q) => q.where(afterKey(TALENT_KEY, page.after!)))
    .orderBy('talents.id')
    .limit(page.size + 1);
}

export function listTalents(db: Db, filter: TalentFilter, page: Page, viewer: Viewer) {
  return listTalentsQuery(db, filter, page, viewer).execute();
}

export type TalentParent = 'region' | 'organisation' | 'skill';

/**
 * Which talents belong to the parent `k.key`: living in a region (or any of its sub-regions), with a profile
 * owned by an organisation, or having a skill. Shared by the page and the count, so they always agree.
 */
function belongsTo(parent: TalentParent): Expression<SqlBool> {
  switch (parent) {
    case 'region':
      return withinRegion('talents.residence_region_code', sql.ref('k.key'));
    case 'organisation':
      return sql<SqlBool>`talents.organisation_id = k.key`;
    case 'skill':
      return sql<SqlBool>`exists (select 1 from talent_skills s where s.talent_id = talents.id and s.skill_uri = k.key)`;
  }
}

/** A page of talents per parent, in id order. */
export function listTalentsOfQuery(db: Db, parent: TalentParent, keys: readonly string[], page: Page, viewer: Viewer) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('talents')
          .selectAll('talents')
          .where(belongsTo(parent))
          .where(visibleTo(viewer))
          .$if(page.after !== null, (q) => q.where(afterKey(TALENT_KEY, page.after!)))
          .orderBy('talents.id')
          .limit(page.size + 1)
          .as('t'),
      (join) => join.onTrue(),
    )
    .selectAll('t')
    .select('k.key as parent_key');
}

export function listTalentsOf(db: Db, parent: TalentParent, keys: readonly string[], page: Page, viewer: Viewer) {
  return listTalentsOfQuery(db, parent, keys, page, viewer).execute();
}

/** How many talents each parent has that the viewer may see: the same conditions as the page's. */
export function countTalentsOfQuery(db: Db, parent: TalentParent, keys: readonly string[], viewer: Viewer) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        // A skill's talents from `talent_skills` (its primary key makes each row one talent), then each talent
        // by its primary key for the visibility: probing `talent_skills` per talent would scan `talents`.
        parent === 'skill'
          ? eb
              .selectFrom('talent_skills as s')
              .innerJoin('talents', 'talents.id', 's.talent_id')
              .select(eb.fn.countAll<number>().as('count'))
              .where(sql<SqlBool>`s.skill_uri = k.key`)
              .where(visibleTo(viewer))
              .as('c')
          : eb.selectFrom('talents').select(eb.fn.countAll<number>().as('count')).where(belongsTo(parent)).where(visibleTo(viewer)).as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count']);
}

export function countTalentsOf(db: Db, parent: TalentParent, keys: readonly string[], viewer: Viewer) {
  return countTalentsOfQuery(db, parent, keys, viewer).execute();
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
    .select(['talent_skills.talent_id', 'talent_skills.skill_uri', 'talent_skills.level', 'skills.label', 'skills.skill_type', 'skills.reuse_level'])
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

/** Most organisations a talent may share personal data with (grantConsent refuses more). */
export const MAX_CONSENTS = 50;

/** The consents of some talents, in organisation order per talent: one statement for a page of talents. */
export function listConsents(db: Db, talentIds: readonly string[]) {
  return db
    .selectFrom('talent_consents')
    .selectAll()
    .where('talent_id', 'in', [...talentIds])
    .orderBy('talent_id')
    .orderBy('organisation_id')
    .limit(MAX_CONSENTS * talentIds.length)
    .execute();
}

/**
 * For each existing talent among `ids`: its owning organisation and those of `organisationIds` it consented to
 * share personal data with (in id order). One statement; unknown and erased ids have no row.
 */
export async function registrationRights(
  db: Db,
  ids: readonly string[],
  organisationIds: readonly string[],
): Promise<{ id: string; organisation_id: string; consented_to: string[] }[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string; organisation_id: string; consented_to: string[] }>`
    select t.id, t.organisation_id,
      coalesce(array_agg(c.organisation_id order by c.organisation_id) filter (where c.organisation_id is not null), '{}') as consented_to
    from talents t
    left join talent_consents c on c.talent_id = t.id and c.organisation_id = any(cast(${[...organisationIds]} as text[]))
    where t.id = any(cast(${[...ids]} as uuid[]))
    group by t.id, t.organisation_id`.execute(db);
  return rows;
}
