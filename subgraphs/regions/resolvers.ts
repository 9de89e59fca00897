import { badUserInput } from '@talent-hub/platform/errors';
import { readPage, ROOT_PAGE, toConnection, type PageArgs } from '@talent-hub/subgraph-lib/pagination';
import { scalarResolvers } from '@talent-hub/subgraph-lib/scalars';
import { parseCountryCode, parseNutsCode, parseSlug } from '@talent-hub/subgraph-lib/validate';
import type { IndicatorUpdateInput } from './arguments.js';
import type { Context } from './context.js';
import * as repo from './db/repository.js';
import type { OrganisationTable, ProgrammeTable, RegionTable } from './db/types.js';
import { updateProgrammeIndicators } from './mutations.js';

// Thin resolvers: read arguments, call a loader or a repository, map rows to the schema's shape.

const ORGANISATION_KINDS = new Set(['NETWORK', 'REGIONAL_AUTHORITY', 'LOCAL_AUTHORITY', 'AGENCY', 'MINISTRY',
  'UNIVERSITY', 'RESEARCH_CENTRE', 'COMPANY', 'NGO']);

const money = (amount: string | null, currency: string | null) =>
  amount === null || currency === null ? null : { amount, currency };

const period = (start: string | null, end: string | null) => (start === null ? null : { start, end });

export const resolvers = {
  ...scalarResolvers,

  Query: {
    region: (_: unknown, args: { code: string }, ctx: Context) => ctx.loaders.region.load(parseNutsCode(args.code)),

    regions: async (
      _: unknown,
      args: PageArgs & { level?: number | null; countryCode?: string | null; parentCode?: string | null },
      ctx: Context,
    ) => {
      if (args.level != null && (args.level < 0 || args.level > 3)) {
        throw badUserInput(`Argument "level" must be a NUTS level from 0 to 3; got ${args.level}.`, 'level');
      }
      const filter = {
        level: args.level,
        countryCode: args.countryCode == null ? null : parseCountryCode(args.countryCode),
        parentCode: args.parentCode == null ? null : parseNutsCode(args.parentCode, 'parentCode'),
      };
      const page = readPage('regions', args, ROOT_PAGE);
      return toConnection('regions', await repo.listRegions(ctx.db, filter, page), page, (r) => [r.code], () =>
        repo.countRegions(ctx.db, filter),
      );
    },

    organisation: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.organisation.load(parseSlug(args.id)),

    organisations: async (_: unknown, args: PageArgs & { kind?: string | null }, ctx: Context) => {
      if (args.kind != null && !ORGANISATION_KINDS.has(args.kind)) throw badUserInput(`Unknown organisation kind ${args.kind}.`, 'kind');
      const page = readPage('organisations', args, ROOT_PAGE);
      const filter = { kind: args.kind };
      return toConnection('organisations', await repo.listOrganisations(ctx.db, filter, page), page, (o) => [o.id], () =>
        repo.countOrganisations(ctx.db, filter),
      );
    },

    programme: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.programme.load(parseSlug(args.id)),

    programmes: async (
      _: unknown,
      args: PageArgs & { regionCode?: string | null; managingOrganisationId?: string | null; activeOn?: string | null },
      ctx: Context,
    ) => {
      const filter = {
        regionCode: args.regionCode == null ? null : parseNutsCode(args.regionCode, 'regionCode'),
        managingOrganisationId:
          args.managingOrganisationId == null ? null : parseSlug(args.managingOrganisationId, 'managingOrganisationId'),
        activeOn: args.activeOn ?? null,
      };
      const page = readPage('programmes', args, ROOT_PAGE);
      return toConnection('programmes', await repo.listProgrammes(ctx.db, filter, page), page, (p) => [p.id], () =>
        repo.countProgrammes(ctx.db, filter),
      );
    },
  },

  Mutation: {
    updateProgrammeIndicators: (_: unknown, args: { programmeId: string; indicators: IndicatorUpdateInput[] }, ctx: Context) =>
      updateProgrammeIndicators(ctx, parseSlug(args.programmeId, 'programmeId'), args.indicators),
  },

  Region: {
    __resolveReference: (ref: { code: string }, ctx: Context) => ctx.loaders.region.load(ref.code),
    countryCode: (r: RegionTable) => r.country_code,
    parent: (r: RegionTable, _: unknown, ctx: Context) => (r.parent_code ? ctx.loaders.region.load(r.parent_code) : null),
    children: (r: RegionTable, _: unknown, ctx: Context) => ctx.loaders.childRegions.load(r.code),
    organisations: (r: RegionTable, args: PageArgs, ctx: Context) => ctx.loaders.organisationsInRegion.load(r.code, args),
    programmes: (r: RegionTable, args: PageArgs, ctx: Context) => ctx.loaders.programmesInRegion.load(r.code, args),
  },

  Organisation: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.organisation.load(ref.id),
    foundedYear: (o: OrganisationTable) => o.founded_year,
    region: (o: OrganisationTable, _: unknown, ctx: Context) => (o.region_code ? ctx.loaders.region.load(o.region_code) : null),
    parentOrganisation: (o: OrganisationTable, _: unknown, ctx: Context) =>
      o.parent_id ? ctx.loaders.organisation.load(o.parent_id) : null,
    leaders: (o: OrganisationTable, _: unknown, ctx: Context) => ctx.loaders.leaders.load(o.id),
    keyFigures: async (o: OrganisationTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.keyFigures.load(o.id)).map((f) => ({ ...f, asOf: f.as_of })),
    managedProgrammes: (o: OrganisationTable, args: PageArgs, ctx: Context) => ctx.loaders.programmesManagedBy.load(o.id, args),
  },

  Programme: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.programme.load(ref.id),
    legalBasis: (p: ProgrammeTable) => p.legal_basis,
    legalActs: async (p: ProgrammeTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.legalActs.load(p.id)).map((a) => ({ ...a, adoptedOn: a.adopted_on })),
    period: (p: ProgrammeTable) => period(p.period_start, p.period_end),
    budget: (p: ProgrammeTable) => money(p.budget_amount, p.currency),
    maxContribution: (p: ProgrammeTable) => money(p.max_contribution_amount, p.currency),
    cofinancingRate: (p: ProgrammeTable) => p.cofinancing_rate,
    fundingSource: (p: ProgrammeTable) => p.funding_source,
    alignedStrategies: (p: ProgrammeTable) => p.aligned_strategies,
    managingOrganisation: (p: ProgrammeTable, _: unknown, ctx: Context) =>
      p.managing_organisation_id ? ctx.loaders.organisation.load(p.managing_organisation_id) : null,
    initiatedBy: (p: ProgrammeTable, _: unknown, ctx: Context) =>
      p.initiated_by_id ? ctx.loaders.organisation.load(p.initiated_by_id) : null,
    partners: async (p: ProgrammeTable, _: unknown, ctx: Context) => {
      const links = await ctx.loaders.partners.load(p.id);
      return (await ctx.loaders.organisation.loadMany(links.map((l) => l.organisation_id))).filter(isRow);
    },
    regions: async (p: ProgrammeTable, _: unknown, ctx: Context) => {
      const links = await ctx.loaders.programmeRegions.load(p.id);
      return (await ctx.loaders.region.loadMany(links.map((l) => l.region_code))).filter(isRow);
    },
    projects: async (p: ProgrammeTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.projects.load(p.id)).map((project) => ({
        id: project.id,
        name: project.name,
        synthetic: project.synthetic,
        period: period(project.period_start, project.period_end),
        regionCode: project.region_code,
      })),
    services: (p: ProgrammeTable, _: unknown, ctx: Context) => ctx.loaders.services.load(p.id),
    indicators: async (p: ProgrammeTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.indicators.load(p.id)).map((i) => ({ ...i, asOf: i.as_of })),
    kpis: async (p: ProgrammeTable, _: unknown, ctx: Context) => {
      const k = await ctx.loaders.kpis.load(p.id);
      if (!k) return null;
      return {
        budget: money(k.budget_amount, k.currency),
        maxContribution: money(k.max_contribution_amount, k.currency),
        talentsReached: k.talents_reached,
        talentsReachedAsOf: k.talents_reached_as_of,
        costPerTalentReached: money(k.cost_per_talent_reached, k.currency),
        indicators: k.indicators.map((i) => ({ ...i, asOf: i.as_of })),
      };
    },
  },

  Project: {
    region: (p: { regionCode: string | null }, _: unknown, ctx: Context) =>
      p.regionCode ? ctx.loaders.region.load(p.regionCode) : null,
  },
};

/** Drops the misses of a loadMany (a link to a row that no longer exists) and rethrows its failures. */
function isRow<T>(value: T | null | Error): value is T {
  if (value instanceof Error) throw value;
  return value !== null;
}
