import { badUserInput } from '../lib/errors.js';
import { readPage, ROOT_PAGE, toConnection, type PageArgs } from '../lib/pagination.js';
import { scalarResolvers } from '../lib/scalars.js';
import { isUuid, parseEscoSkillUri, parseNutsCode, parseSlug, parseUuid } from '../lib/validate.js';
import type { Context } from './context.js';
import * as repo from './db/repository.js';
import type { SkillTable, TalentTable } from './db/types.js';

// Thin resolvers: read arguments, call a loader or a repository, map rows to the schema's shape.

const CATEGORIES = new Set(['YOUNG_PROFESSIONAL', 'INTERNATIONAL_TALENT', 'RETURNEE', 'RESEARCHER', 'STUDENT']);

/** A reference to an entity owned by the `regions` subgraph; the gateway fetches its fields there. */
const regionRef = (code: string | null) => (code === null ? null : { code });

export const resolvers = {
  Date: scalarResolvers.Date,

  Query: {
    talent: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.talent.load(parseUuid(args.id)),

    talents: async (
      _: unknown,
      args: PageArgs & { category?: string | null; organisationId?: string | null; regionCode?: string | null },
      ctx: Context,
    ) => {
      if (args.category != null && !CATEGORIES.has(args.category)) throw badUserInput(`Unknown category ${args.category}.`, 'category');
      const filter = {
        category: args.category,
        organisationId: args.organisationId == null ? null : parseSlug(args.organisationId, 'organisationId'),
        regionCode: args.regionCode == null ? null : parseNutsCode(args.regionCode, 'regionCode'),
      };
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
