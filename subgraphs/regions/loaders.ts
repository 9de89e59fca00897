import type { Kysely } from 'kysely';
import { connectionLoader, listLoader, rowLoader } from '@talent-hub/subgraph-lib/loaders';
import { NESTED_PAGE } from '@talent-hub/subgraph-lib/pagination';
import * as repo from './db/repository.js';
import * as stats from './db/statistics.js';
import type { OrganisationTable, ProgrammeTable, RegionsDatabase } from './db/types.js';

type ParentKeyed<T> = T & { parent_key: string };

/** This request's DataLoaders: one batched SQL statement per batch, nothing shared between requests. */
export function createLoaders(db: Kysely<RegionsDatabase>) {
  return {
    region: rowLoader((codes) => repo.findRegions(db, codes), (r) => r.code),
    childRegions: listLoader((codes) => repo.listChildRegions(db, codes), (r) => r.parent_code!),
    organisation: rowLoader((ids) => repo.findOrganisations(db, ids), (o) => o.id),
    leaders: listLoader((ids) => repo.listLeaders(db, ids), (l) => l.organisation_id),
    keyFigures: listLoader((ids) => repo.listKeyFigures(db, ids), (f) => f.organisation_id),
    networksOf: listLoader((ids) => repo.listNetworksOf(db, ids), (o) => o.parent_key),
    programme: rowLoader((ids) => repo.findProgrammes(db, ids), (p) => p.id),
    legalActs: listLoader((ids) => repo.listLegalActs(db, ids), (a) => a.programme_id),
    partners: listLoader((ids) => repo.listPartners(db, ids), (p) => p.programme_id),
    programmeRegions: listLoader((ids) => repo.listProgrammeRegions(db, ids), (r) => r.programme_id),
    projects: listLoader((ids) => repo.listProjects(db, ids), (p) => p.programme_id),
    services: listLoader((ids) => repo.listServices(db, ids), (s) => s.programme_id),
    indicators: listLoader((ids) => repo.listIndicators(db, ids), (i) => i.programme_id),
    kpis: rowLoader((ids) => stats.programmeKpis(db, ids), (k) => k.programme_id),
    organisationsInRegion: connectionLoader<ParentKeyed<OrganisationTable>>({
      list: 'Region.organisations',
      limits: NESTED_PAGE,
      keyLength: 1,
      keyOf: (o) => [o.id],
      fetch: (codes, page) => repo.listOrganisationsInRegions(db, codes, page),
      parentOf: (o) => o.parent_key,
      count: (codes) => repo.countOrganisationsInRegions(db, codes),
    }),
    programmesInRegion: connectionLoader<ParentKeyed<ProgrammeTable>>({
      list: 'Region.programmes',
      limits: NESTED_PAGE,
      keyLength: 1,
      keyOf: (p) => [p.id],
      fetch: (codes, page) => repo.listProgrammesOf(db, 'region', codes, page),
      parentOf: (p) => p.parent_key,
      count: (codes) => repo.countProgrammesOf(db, 'region', codes),
    }),
    membersOf: connectionLoader<ParentKeyed<OrganisationTable>>({
      list: 'Organisation.members',
      limits: NESTED_PAGE,
      keyLength: 1,
      keyOf: (o) => [o.id],
      fetch: (ids, page) => repo.listMembersOf(db, ids, page),
      parentOf: (o) => o.parent_key,
      count: (ids) => repo.countMembersOf(db, ids),
    }),
    programmesManagedBy: connectionLoader<ParentKeyed<ProgrammeTable>>({
      list: 'Organisation.managedProgrammes',
      limits: NESTED_PAGE,
      keyLength: 1,
      keyOf: (p) => [p.id],
      fetch: (ids, page) => repo.listProgrammesOf(db, 'manager', ids, page),
      parentOf: (p) => p.parent_key,
      count: (ids) => repo.countProgrammesOf(db, 'manager', ids),
    }),
  };
}

export type RegionsLoaders = ReturnType<typeof createLoaders>;
