import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { overlapsRegion, withinRegion } from '@talent-hub/subgraph-lib/filters';
import { afterKey, type Page } from '@talent-hub/subgraph-lib/pagination';
import { parentKeys } from '@talent-hub/subgraph-lib/sql';
import type { OrganisationTable, RegionsDatabase } from './types.js';

// Repository functions of the `regions` subgraph: `db` first, one SQL statement each. Lists are bounded:
// pages fetch `page.size + 1` rows (the extra one only says a next page exists), and short lists per parent
// stop at SHORT_LIST_MAX.

type Db = Kysely<RegionsDatabase>;

/** Upper bound of a short list (children of a region, partners of a programme...). */
export const SHORT_LIST_MAX = 500;

/** The number of rows a filtered query would return. */
function countOf(query: SelectQueryBuilder<RegionsDatabase, any, {}>) {
  return query
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
    .then((r) => r.count);
}

export function findRegions(db: Db, codes: readonly string[]) {
  return db.selectFrom('regions').selectAll().where('code', 'in', [...codes]).execute();
}

export interface RegionFilter {
  level?: number | null;
  countryCode?: string | null;
  parentCode?: string | null;
}

function filteredRegions(db: Db, filter: RegionFilter) {
  return db
    .selectFrom('regions')
    .$if(filter.level != null, (q) => q.where('level', '=', filter.level!))
    .$if(filter.countryCode != null, (q) => q.where('country_code', '=', filter.countryCode!))
    .$if(filter.parentCode != null, (q) => q.where('parent_code', '=', filter.parentCode!));
}

export const countRegions = (db: Db, filter: RegionFilter) => countOf(filteredRegions(db, filter));

export function listRegions(db: Db, filter: RegionFilter, page: Page) {
  return filteredRegions(db, filter)
    .selectAll()
    .$if(page.after !== null, (q) => q.where(afterKey([{ column: 'code', type: 'text' }], page.after!)))
    .orderBy('code')
    .limit(page.size + 1)
    .execute();
}

export function listChildRegions(db: Db, parentCodes: readonly string[]) {
  return db
    .selectFrom(parentKeys(parentCodes))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('regions')
          .selectAll('regions')
          .whereRef('regions.parent_code', '=', 'k.key')
          .orderBy('regions.code')
          .limit(SHORT_LIST_MAX)
          .as('r'),
      (join) => join.onTrue(),
    )
    .selectAll('r')
    .execute();
}

export function findOrganisations(db: Db, ids: readonly string[]) {
  return db.selectFrom('organisations').selectAll().where('id', 'in', [...ids]).execute();
}

/** Filters of the organisations list; they combine (AND). */
export interface OrganisationFilter {
  kind?: OrganisationTable['kind'] | null;
  /** A network's slug id: only its direct members. */
  memberOf?: string | null;
}

/** The organisations matching a filter; shared by the page and the count, so they always agree. */
function filteredOrganisations(db: Db, filter: OrganisationFilter) {
  return db
    .selectFrom('organisations')
    .$if(filter.kind != null, (q) => q.where('organisations.kind', '=', filter.kind!))
    .$if(filter.memberOf != null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('organisation_memberships as m')
            .whereRef('m.member_id', '=', 'organisations.id')
            .where('m.network_id', '=', filter.memberOf!),
        ),
      ),
    );
}

export const countOrganisations = (db: Db, filter: OrganisationFilter) => countOf(filteredOrganisations(db, filter));

export function listOrganisations(db: Db, filter: OrganisationFilter, page: Page) {
  return filteredOrganisations(db, filter)
    .selectAll()
    .$if(page.after !== null, (q) => q.where(afterKey([{ column: 'organisations.id', type: 'text' }], page.after!)))
    .orderBy('organisations.id')
    .limit(page.size + 1)
    .execute();
}

/** Upper bound of the networks listed per member (Organisation.memberOf). */
export const MEMBER_OF_MAX = 100;

/** The direct members of each network (`k.key`), counted in one statement. */
export function countMembersOf(db: Db, networkIds: readonly string[]) {
  return db
    .selectFrom(parentKeys(networkIds))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('organisation_memberships as m')
          .select(eb.fn.countAll<number>().as('count'))
          .whereRef('m.network_id', '=', 'k.key')
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

/** A page of the direct members of each network, in id order (the primary key's order), in one statement. */
export function listMembersOf(db: Db, networkIds: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(networkIds))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('organisation_memberships as m')
          .innerJoin('organisations', 'organisations.id', 'm.member_id')
          .selectAll('organisations')
          .whereRef('m.network_id', '=', 'k.key')
          .$if(page.after !== null, (q) => q.where(afterKey([{ column: 'm.member_id', type: 'text' }], page.after!)))
          .orderBy('m.member_id')
          .limit(page.size + 1)
          .as('o'),
      (join) => join.onTrue(),
    )
    .selectAll('o')
    .select('k.key as parent_key')
    .execute();
}

/** The networks each organisation is a direct member of, in id order, at most MEMBER_OF_MAX each, in one statement. */
export function listNetworksOf(db: Db, memberIds: readonly string[]) {
  return db
    .selectFrom(parentKeys(memberIds))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('organisation_memberships as m')
          .innerJoin('organisations', 'organisations.id', 'm.network_id')
          .selectAll('organisations')
          .whereRef('m.member_id', '=', 'k.key')
          .orderBy('m.network_id')
          .limit(MEMBER_OF_MAX)
          .as('o'),
      (join) => join.onTrue(),
    )
    .selectAll('o')
    .select('k.key as parent_key')
    .execute();
}

/** Organisations seated in each region or any of its sub-regions. */
export function countOrganisationsInRegions(db: Db, regionCodes: readonly string[]) {
  return db
    .selectFrom(parentKeys(regionCodes))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('organisations')
          .select(eb.fn.countAll<number>().as('count'))
          .where(withinRegion('organisations.region_code', sql.ref('k.key')))
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

export function listOrganisationsInRegions(db: Db, regionCodes: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(regionCodes))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('organisations')
          .selectAll('organisations')
          .where(withinRegion('organisations.region_code', sql.ref('k.key')))
          .$if(page.after !== null, (q) => q.where(afterKey([{ column: 'organisations.id', type: 'text' }], page.after!)))
          .orderBy('organisations.id')
          .limit(page.size + 1)
          .as('o'),
      (join) => join.onTrue(),
    )
    .selectAll('o')
    .select('k.key as parent_key')
    .execute();
}

export function listLeaders(db: Db, organisationIds: readonly string[]) {
  return db
    .selectFrom('organisation_leaders')
    .selectAll()
    .where('organisation_id', 'in', [...organisationIds])
    .orderBy('organisation_id')
    .orderBy('position')
    .limit(SHORT_LIST_MAX * organisationIds.length)
    .execute();
}

export function listKeyFigures(db: Db, organisationIds: readonly string[]) {
  return db
    .selectFrom('organisation_figures')
    .selectAll()
    .where('organisation_id', 'in', [...organisationIds])
    .orderBy('organisation_id')
    .orderBy('code')
    .limit(SHORT_LIST_MAX * organisationIds.length)
    .execute();
}

export function findProgrammes(db: Db, ids: readonly string[]) {
  return db.selectFrom('programmes').selectAll().where('id', 'in', [...ids]).execute();
}

/** Filters of the programmes list; they combine (AND). */
export interface ProgrammeFilter {
  /** A NUTS code: programmes covering that region, a region containing it, or one of its sub-regions. */
  regionCode?: string | null;
  managingOrganisationId?: string | null;
  /** A date (`YYYY-MM-DD`): programmes whose period contains it. */
  activeOn?: string | null;
}

/**
 * True when a programme's period contains the day `date`: it started on or before it and has not ended before
 * it (an open end never ends). Written as the expression of programmes_active_idx (migration 0002).
 */
function activeOn(date: string): Expression<SqlBool> {
  return sql<SqlBool>`(programmes.period_start is not null
    and daterange(programmes.period_start, programmes.period_end, '[]') @> cast(${date} as date))`;
}

/** The programmes matching a filter; shared by the page and the count, so they always agree. */
function filteredProgrammes(db: Db, filter: ProgrammeFilter) {
  return db
    .selectFrom('programmes')
    .$if(filter.regionCode != null, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('programme_regions as pr')
            .whereRef('pr.programme_id', '=', 'programmes.id')
            .where(overlapsRegion('pr.region_code', filter.regionCode!)),
        ),
      ),
    )
    .$if(filter.managingOrganisationId != null, (q) =>
      q.where('programmes.managing_organisation_id', '=', filter.managingOrganisationId!),
    )
    .$if(filter.activeOn != null, (q) => q.where(activeOn(filter.activeOn!)));
}

export const countProgrammes = (db: Db, filter: ProgrammeFilter) => countOf(filteredProgrammes(db, filter));

export function listProgrammes(db: Db, filter: ProgrammeFilter, page: Page) {
  return filteredProgrammes(db, filter)
    .selectAll()
    .$if(page.after !== null, (q) => q.where(afterKey([{ column: 'programmes.id', type: 'text' }], page.after!)))
    .orderBy('programmes.id')
    .limit(page.size + 1)
    .execute();
}

/**
 * A page of programmes per parent: programmes whose area overlaps a region (covering it, a region containing it,
 * or one of its sub-regions), or programmes an organisation manages.
 */
export type ProgrammeParent = 'region' | 'manager';

/** Which programmes belong to the parent `k.key`. Shared by the page and the count, so they always agree. */
function programmeBelongsTo(parent: ProgrammeParent): Expression<SqlBool> {
  return parent === 'region'
    ? sql<SqlBool>`exists (select 1 from programme_regions pr where pr.programme_id = programmes.id
        and ${overlapsRegion('pr.region_code', sql.ref('k.key'))})`
    : sql<SqlBool>`programmes.managing_organisation_id = k.key`;
}

export function countProgrammesOf(db: Db, parent: ProgrammeParent, keys: readonly string[]) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) => eb.selectFrom('programmes').select(eb.fn.countAll<number>().as('count')).where(programmeBelongsTo(parent)).as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

export function listProgrammesOf(db: Db, parent: ProgrammeParent, keys: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('programmes')
          .selectAll('programmes')
          .where(programmeBelongsTo(parent))
          .$if(page.after !== null, (q) => q.where(afterKey([{ column: 'programmes.id', type: 'text' }], page.after!)))
          .orderBy('programmes.id')
          .limit(page.size + 1)
          .as('p'),
      (join) => join.onTrue(),
    )
    .selectAll('p')
    .select('k.key as parent_key')
    .execute();
}

// Short per-programme lists. Each is small by nature (a programme's partners, acts, projects...) and capped.

export function listLegalActs(db: Db, programmeIds: readonly string[]) {
  return db
    .selectFrom('programme_legal_acts')
    .selectAll()
    .where('programme_id', 'in', [...programmeIds])
    .orderBy('programme_id')
    .orderBy('position')
    .limit(SHORT_LIST_MAX * programmeIds.length)
    .execute();
}

export function listPartners(db: Db, programmeIds: readonly string[]) {
  return db
    .selectFrom('programme_partners')
    .selectAll()
    .where('programme_id', 'in', [...programmeIds])
    .orderBy('programme_id')
    .orderBy('organisation_id')
    .limit(SHORT_LIST_MAX * programmeIds.length)
    .execute();
}

export function listProgrammeRegions(db: Db, programmeIds: readonly string[]) {
  return db
    .selectFrom('programme_regions')
    .selectAll()
    .where('programme_id', 'in', [...programmeIds])
    .orderBy('programme_id')
    .orderBy('region_code')
    .limit(SHORT_LIST_MAX * programmeIds.length)
    .execute();
}

export function listProjects(db: Db, programmeIds: readonly string[]) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('programme_id', 'in', [...programmeIds])
    .orderBy('programme_id')
    .orderBy('position')
    .limit(SHORT_LIST_MAX * programmeIds.length)
    .execute();
}

export function listServices(db: Db, programmeIds: readonly string[]) {
  return db
    .selectFrom('programme_services')
    .selectAll()
    .where('programme_id', 'in', [...programmeIds])
    .orderBy('programme_id')
    .orderBy('position')
    .limit(SHORT_LIST_MAX * programmeIds.length)
    .execute();
}

export function listIndicators(db: Db, programmeIds: readonly string[]) {
  return db
    .selectFrom('indicators')
    .selectAll()
    .where('programme_id', 'in', [...programmeIds])
    .orderBy('programme_id')
    .orderBy('code')
    .limit(SHORT_LIST_MAX * programmeIds.length)
    .execute();
}
