import { readPage, ROOT_PAGE, toConnection } from '@talent-hub/subgraph-lib/pagination';
import { scalarResolvers } from '@talent-hub/subgraph-lib/scalars';
import { parseNutsCode, parseSlug } from '@talent-hub/subgraph-lib/validate';
import { readOrganisationFilter, readProgrammeFilter, readRegionFilter } from './arguments.js';
import * as repo from './db/repository.js';
import type { Resolvers } from './generated/resolvers.js';
import { money, period } from './money.js';
import { mutationResolvers } from './mutations.js';
import { programmeStatistics } from './statistics.js';

// Thin resolvers: read arguments, call a loader or a repository, map rows to the schema's shape. Writes are in
// mutations.ts, the programmes' KPIs in statistics.ts; `Resolvers` (generated from the schema) types every one.

export const resolvers: Resolvers = {
  ...scalarResolvers,

  Query: {
    region: (_, args, ctx) => ctx.loaders.region.load(parseNutsCode(args.code)),

    regions: async (_, args, ctx) => {
      const filter = readRegionFilter(args);
      const page = readPage('regions', args, ROOT_PAGE);
      return toConnection('regions', await repo.listRegions(ctx.db, filter, page), page, (r) => [r.code], () => repo.countRegions(ctx.db, filter));
    },

    organisation: (_, args, ctx) => ctx.loaders.organisation.load(parseSlug(args.id)),

    organisations: async (_, args, ctx) => {
      const filter = readOrganisationFilter(args);
      const page = readPage('organisations', args, ROOT_PAGE);
      return toConnection('organisations', await repo.listOrganisations(ctx.db, filter, page), page, (o) => [o.id], () =>
        repo.countOrganisations(ctx.db, filter),
      );
    },

    programme: (_, args, ctx) => ctx.loaders.programme.load(parseSlug(args.id)),

    programmes: async (_, args, ctx) => {
      const filter = readProgrammeFilter(args);
      const page = readPage('programmes', args, ROOT_PAGE);
      return toConnection('programmes', await repo.listProgrammes(ctx.db, filter, page), page, (p) => [p.id], () =>
        repo.countProgrammes(ctx.db, filter),
      );
    },
  },

  Mutation: mutationResolvers,

  Region: {
    __resolveReference: (ref, ctx) => ctx.loaders.region.load(ref.code),
    countryCode: (r) => r.country_code,
    parent: (r, _, ctx) => (r.parent_code ? ctx.loaders.region.load(r.parent_code) : null),
    children: (r, _, ctx) => ctx.loaders.childRegions.load(r.code),
    organisations: (r, args, ctx) => ctx.loaders.organisationsInRegion.load(r.code, args),
    programmes: (r, args, ctx) => ctx.loaders.programmesInRegion.load(r.code, args),
  },

  Organisation: {
    __resolveReference: (ref, ctx) => ctx.loaders.organisation.load(ref.id),
    foundedYear: (o) => o.founded_year,
    region: (o, _, ctx) => (o.region_code ? ctx.loaders.region.load(o.region_code) : null),
    parentOrganisation: (o, _, ctx) =>
      o.parent_id ? ctx.loaders.organisation.load(o.parent_id) : null,
    leaders: (o, _, ctx) => ctx.loaders.leaders.load(o.id),
    keyFigures: async (o, _, ctx) =>
      (await ctx.loaders.keyFigures.load(o.id)).map((f) => ({ ...f, asOf: f.as_of })),
    memberOf: (o, _, ctx) => ctx.loaders.networksOf.load(o.id),
    members: (o, args, ctx) => ctx.loaders.membersOf.load(o.id, args),
    managedProgrammes: (o, args, ctx) => ctx.loaders.programmesManagedBy.load(o.id, args),
  },

  Programme: {
    __resolveReference: (ref, ctx) => ctx.loaders.programme.load(ref.id),
    legalBasis: (p) => p.legal_basis,
    legalActs: async (p, _, ctx) =>
      (await ctx.loaders.legalActs.load(p.id)).map((a) => ({ ...a, adoptedOn: a.adopted_on })),
    period: (p) => period(p.period_start, p.period_end),
    budget: (p) => money(p.budget_amount, p.currency),
    maxContribution: (p) => money(p.max_contribution_amount, p.currency),
    cofinancingRate: (p) => p.cofinancing_rate,
    fundingSource: (p) => p.funding_source,
    alignedStrategies: (p) => p.aligned_strategies,
    managingOrganisation: (p, _, ctx) =>
      p.managing_organisation_id ? ctx.loaders.organisation.load(p.managing_organisation_id) : null,
    initiatedBy: (p, _, ctx) =>
      p.initiated_by_id ? ctx.loaders.organisation.load(p.initiated_by_id) : null,
    partners: async (p, _, ctx) => {
      const links = await ctx.loaders.partners.load(p.id);
      return (await ctx.loaders.organisation.loadMany(links.map((l) => l.organisation_id))).filter(isRow);
    },
    regions: async (p, _, ctx) => {
      const links = await ctx.loaders.programmeRegions.load(p.id);
      return (await ctx.loaders.region.loadMany(links.map((l) => l.region_code))).filter(isRow);
    },
    projects: async (p, _, ctx) =>
      (await ctx.loaders.projects.load(p.id)).map((project) => ({
        id: project.id,
        name: project.name,
        synthetic: project.synthetic,
        period: period(project.period_start, project.period_end),
        regionCode: project.region_code,
      })),
    services: (p, _, ctx) => ctx.loaders.services.load(p.id),
    indicators: async (p, _, ctx) =>
      (await ctx.loaders.indicators.load(p.id)).map((i) => ({ ...i, asOf: i.as_of })),
    ...programmeStatistics,
  },

  Project: {
    region: (p, _, ctx) =>
      p.regionCode ? ctx.loaders.region.load(p.regionCode) : null,
  },
};

/** Drops the misses of a loadMany (a link to a row that no longer exists) and rethrows its failures. */
function isRow<T>(value: T | null | Error): value is T {
  if (value instanceof Error) throw value;
  return value !== null;
}
