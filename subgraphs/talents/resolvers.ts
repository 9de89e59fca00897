import { badUserInput } from '@talent-hub/platform/errors';
import { readPage, ROOT_PAGE, toConnection, type PageArgs } from '@talent-hub/subgraph-lib/pagination';
import { scalarResolvers } from '@talent-hub/subgraph-lib/scalars';
import { protectShare } from '@talent-hub/subgraph-lib/share-suppression';
import { MIN_CELL_SIZE, protectCount } from '@talent-hub/subgraph-lib/suppression';
import { isUuid, parseEscoSkillUri, parseNutsCode, parseUuid } from '@talent-hub/subgraph-lib/validate';
import {
  checkCalendarDay,
  quarterOf,
  readGroupBy,
  readQuarterRange,
  readRegionLevel,
  readTalentFilter,
  type TalentFilterInput,
  type TalentFilterShorthands,
} from './arguments.js';
import type { Context } from './context.js';
import { mutationResolvers } from './mutations.js';
import * as repo from './db/repository.js';
import * as stats from './db/statistics.js';
import type { SkillTable, TalentRow, TalentTable } from './db/types.js';

// Thin resolvers: read arguments, call a loader or a repository, map rows to the schema's shape.

/** Most cells one statistics answer may hold; a bigger one is refused (group by fewer dimensions, or filter). */
export const MAX_STATISTICS_CELLS = 10_000;

/** A reference to an entity owned by the `regions` subgraph; the gateway fetches its fields there. */
const regionRef = (code: string | null) => (code === null ? null : { code });

/** A statistics row as a cell: dimension values, and the count only when it is not too small to show. */
function toCell(row: stats.TalentStatisticsRow) {
  const count = protectCount(row.talents);
  const skill: SkillTable | null =
    row.skill_uri === null
      ? null
      : { uri: row.skill_uri, label: row.skill_label!, skill_type: row.skill_type!, reuse_level: row.reuse_level! };
  return {
    region: regionRef(row.region_code),
    category: row.category,
    citizenship: row.citizenship,
    skill,
    careerStage: row.career_stage,
    talents: count.value,
    suppressed: count.suppressed,
  };
}

/** A retention row as a cohort: the arrivals protected, each share protected or not yet observable. */
function toCohort(row: stats.RetentionRow) {
  const arrivals = protectCount(row.arrivals);
  const share = (retained: number, observable: boolean) => {
    if (arrivals.suppressed) return { value: null, status: 'SUPPRESSED' };
    if (!observable) return { value: null, status: 'NOT_YET_OBSERVABLE' };
    const protectedShare = protectShare(retained, row.arrivals);
    return { value: protectedShare.value, status: protectedShare.suppressed ? 'SUPPRESSED' : 'AVAILABLE' };
  };
  const six = share(row.retained_6, row.observable_6);
  const twelve = share(row.retained_12, row.observable_12);
  return {
    quarter: quarterOf(row.starts_on),
    startsOn: row.starts_on,
    arrivals: arrivals.value,
    suppressed: arrivals.suppressed,
    retained6Months: six.value,
    retained6MonthsStatus: six.status,
    retained12Months: twelve.value,
    retained12MonthsStatus: twelve.status,
  };
}

export const resolvers = {
  Date: scalarResolvers.Date,
  DateTime: scalarResolvers.DateTime,
  Decimal: scalarResolvers.Decimal,

  Mutation: mutationResolvers,

  Query: {
    talent: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.talent.load(parseUuid(args.id)),

    talents: async (_: unknown, args: PageArgs & TalentFilterShorthands & { filter?: TalentFilterInput | null }, ctx: Context) => {
      const filter = readTalentFilter(args.filter, args);
      const page = readPage('talents', args, ROOT_PAGE);
      return toConnection('talents', await repo.listTalents(ctx.db, filter, page), page, (t) => [t.id], () =>
        repo.countTalents(ctx.db, filter),
      );
    },

    skill: (_: unknown, args: { uri: string }, ctx: Context) => ctx.loaders.skill.load(parseEscoSkillUri(args.uri)),

    skills: async (_: unknown, args: PageArgs, ctx: Context) => {
      const page = readPage('skills', args, ROOT_PAGE, 2);
      return toConnection('skills', await repo.listSkills(ctx.db, page), page, (s) => [s.label, s.uri], () =>
        repo.countSkills(ctx.db),
      );
    },

    talentStatistics: async (
      _: unknown,
      args: { groupBy: string[]; regionLevel?: number | null; filter?: TalentFilterInput | null },
      ctx: Context,
    ) => {
      const groupBy = readGroupBy(args.groupBy);
      const regionLevel = readRegionLevel(args.regionLevel, groupBy);
      const filter = readTalentFilter(args.filter);
      const rows = await stats.talentStatistics(ctx.db, filter, groupBy, regionLevel ?? 0, MAX_STATISTICS_CELLS + 1);
      if (rows.length > MAX_STATISTICS_CELLS) {
        throw badUserInput(
          `These statistics would hold more than ${MAX_STATISTICS_CELLS} cells; group by fewer dimensions, a coarser regionLevel, or filter.`,
          'groupBy',
        );
      }
      return { groupBy, regionLevel, threshold: MIN_CELL_SIZE, cells: rows.map(toCell) };
    },

    talentRetention: async (
      _: unknown,
      args: { regionCode: string; fromQuarter?: string | null; toQuarter?: string | null; asOf?: string | null },
      ctx: Context,
    ) => {
      const regionCode = parseNutsCode(args.regionCode, 'regionCode');
      const asOf = args.asOf == null ? new Date().toISOString().slice(0, 10) : checkCalendarDay(args.asOf, 'asOf');
      const range = readQuarterRange(args.fromQuarter, args.toQuarter, asOf);
      const rows = await stats.talentRetention(ctx.db, { regionCode, fromQuarter: range.from, toQuarter: range.to, asOf });
      return { region: { code: regionCode }, asOf, threshold: MIN_CELL_SIZE, cohorts: rows.map(toCohort) };
    },
  },

  Talent: {
    // The gateway may pass any id it was given; a malformed one matches no talent.
    __resolveReference: (ref: { id: string }, ctx: Context) => (isUuid(ref.id) ? ctx.loaders.talent.load(ref.id) : null),
    displayName: (t: TalentTable) => t.display_name,
    residenceRegion: (t: TalentTable) => regionRef(t.residence_region_code),
    originRegion: (t: TalentTable) => regionRef(t.origin_region_code),
    organisation: (t: TalentTable) => ({ id: t.organisation_id }),
    skills: async (t: TalentTable, _: unknown, ctx: Context) => {
      const rows = await ctx.loaders.talentSkills.load(t.id);
      const skills = await ctx.loaders.skill.loadMany(rows.map((r) => r.skill_uri));
      return rows.map((r, i) => ({ level: r.level, skill: skills[i] }));
    },
    languages: (t: TalentTable, _: unknown, ctx: Context) => ctx.loaders.talentLanguages.load(t.id),
    educationLevel: (t: TalentTable) => t.education_level,
    careerStage: (t: TalentTable) => t.career_stage,
    joinedOn: (t: TalentTable) => t.joined_on,
    residenceHistory: async (t: TalentTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.residencePeriods.load(t.id)).map((p) => ({ region: { code: p.region_code }, from: p.started_on, to: p.ended_on })),
    // Personal fields: the schema's @policy has let the caller through before these run.
    givenName: (t: TalentRow) => t.given_name,
    familyName: (t: TalentRow) => t.family_name,
    birthYear: (t: TalentRow) => t.birth_year,
    consents: async (t: TalentTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.talentConsents.load(t.id)).map((c) => ({ organisation: { id: c.organisation_id }, grantedAt: c.granted_at })),
  },

  Skill: {
    __resolveReference: (ref: { uri: string }, ctx: Context) => ctx.loaders.skill.load(ref.uri),
    skillType: (s: SkillTable) => s.skill_type,
    reuseLevel: (s: SkillTable) => s.reuse_level,
    talents: (s: SkillTable, args: PageArgs, ctx: Context) => ctx.loaders.talentsWithSkill.load(s.uri, args),
  },

  Region: {
    talents: (r: { code: string }, args: PageArgs, ctx: Context) => ctx.loaders.talentsInRegion.load(r.code, args),
  },

  Organisation: {
    talents: (o: { id: string }, args: PageArgs, ctx: Context) => ctx.loaders.talentsOfOrganisation.load(o.id, args),
  },
};
