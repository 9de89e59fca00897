import { MIN_CELL_SIZE, protectTally } from '@talent-hub/subgraph-lib/disclosure';
import { readPage, ROOT_PAGE, toConnection } from '@talent-hub/subgraph-lib/pagination';
import { scalarResolvers } from '@talent-hub/subgraph-lib/scalars';
import { isUuid, parseEscoSkillUri, parseUuid } from '@talent-hub/subgraph-lib/validate';
import { affiliationMutations } from './affiliation-mutations.js';
import { readTalentFilter } from './arguments.js';
import { exchangeMutations, exchangeOrganisationFields, exchangeResolvers, exchangeTalentFields } from './exchanges.js';
import { matchingQueries, matchReasonsResolvers, mentorMatchResolvers } from './matching.js';
import { mentoringMutations, mentoringQueries, mentoringTalentFields, mentorshipResolvers } from './mentoring.js';
import * as repo from './db/repository.js';
import { viewerOf } from './loaders.js';
import type { Resolvers } from './generated/resolvers.js';
import { mutationResolvers } from './mutations.js';
import { policies, visibleProfile } from './policies.js';
import { networkRetentionQuery } from './network-retention.js';
import { registrationRightsQuery } from './registration-rights.js';
import { statisticsQueries } from './statistics.js';

// Thin resolvers: read arguments, call a loader or a repository, map rows to the schema's shape. Writes are in
// mutations.ts, aggregates in statistics.ts; `Resolvers` (generated from the schema) types every one of them.

/** A reference to an entity owned by the `regions` subgraph; the gateway fetches its fields there. */
const regionRef = (code: string | null) => (code === null ? null : { code });

export const resolvers: Resolvers = {
  Date: scalarResolvers.Date,
  DateTime: scalarResolvers.DateTime,
  Decimal: scalarResolvers.Decimal,

  Mutation: { ...mutationResolvers, ...affiliationMutations, ...mentoringMutations, ...exchangeMutations },

  Query: {
    talent: async (_, args, ctx) => visibleProfile(await ctx.loaders.talent.load(parseUuid(args.id)), ctx),

    talents: async (_, args, ctx) => {
      const filter = readTalentFilter(args.filter, args);
      const page = readPage('talents', args, ROOT_PAGE);
      const viewer = viewerOf(ctx.identity);
      return toConnection('talents', await repo.listTalents(ctx.db, filter, page, viewer), page, (t) => [t.id], () => repo.countTalents(ctx.db, filter, viewer));
    },

    skill: (_, args, ctx) => ctx.loaders.skill.load(parseEscoSkillUri(args.uri)),

    skills: async (_, args, ctx) => {
      const page = readPage('skills', args, ROOT_PAGE, 2);
      return toConnection('skills', await repo.listSkills(ctx.db, page), page, (s) => [s.label, s.uri], () => repo.countSkills(ctx.db));
    },

    ...statisticsQueries,
    ...networkRetentionQuery,
    ...mentoringQueries,
    ...matchingQueries,
    ...registrationRightsQuery,
  },

  Talent: {
    // The gateway may pass any id it was given; a malformed one matches no talent.
    // A private profile the caller may not see resolves to null, as if unknown (the referencing field is null).
    __resolveReference: async (ref, ctx) => (isUuid(ref.id) ? visibleProfile(await ctx.loaders.talent.load(ref.id), ctx) : null),
    publicProfile: (t) => t.public_profile,
    displayName: (t) => t.display_name,
    residenceRegion: (t) => regionRef(t.residence_region_code),
    originRegion: (t) => regionRef(t.origin_region_code),
    organisation: (t) => ({ id: t.organisation_id }),
    // The skill's fields come with the talent's skills, in the same statement.
    skills: async (t, _, ctx) =>
      (await ctx.loaders.talentSkills.load(t.id)).map((r) => ({
        level: r.level,
        skill: { uri: r.skill_uri, label: r.label, skill_type: r.skill_type, reuse_level: r.reuse_level },
      })),
    languages: (t, _, ctx) => ctx.loaders.talentLanguages.load(t.id),
    educationLevel: (t) => t.education_level,
    careerStage: (t) => t.career_stage,
    joinedOn: (t) => t.joined_on,
    residenceHistory: async (t, _, ctx) =>
      (await ctx.loaders.residencePeriods.load(t.id)).map((p) => ({ region: { code: p.region_code }, from: p.started_on, to: p.ended_on })),
    // Personal fields: the schema's @policy has let the caller through before these run.
    givenName: (t) => t.given_name,
    familyName: (t) => t.family_name,
    birthYear: (t) => t.birth_year,
    affiliations: async (t, _, ctx) =>
      (await ctx.loaders.affiliations.load(t.id)).map((a) => ({ organisation: { id: a.organisation_id }, role: a.role, from: a.started_on, to: a.ended_on })),
    personalDataReadable: (t, args, ctx) => policies.talent_personal_data!.allows(t, args, ctx),
    consents: async (t, _, ctx) =>
      (await ctx.loaders.talentConsents.load(t.id)).map((c) => ({ organisation: { id: c.organisation_id }, grantedAt: c.granted_at })),
    // Mentoring and exchanges (mentoring.ts, exchanges.ts).
    ...mentoringTalentFields,
    ...exchangeTalentFields,
  },

  Skill: {
    __resolveReference: (ref, ctx) => ctx.loaders.skill.load(ref.uri),
    skillType: (s) => s.skill_type,
    reuseLevel: (s) => s.reuse_level,
    talents: (s, args, ctx) => ctx.loaders.talentsWithSkill.load(s.uri, args),
  },

  Programme: {
    // A count of people: below the threshold it is withheld, like every other aggregate.
    participantsReached: async (p, _, ctx) => {
      const reached = await ctx.loaders.programmeParticipants.load(p.id);
      const count = protectTally({ count: reached?.talents ?? 0, keySum: reached?.key_sum ?? 0 });
      return { talents: count.value, suppressed: count.suppressed, threshold: MIN_CELL_SIZE };
    },
  },

  Region: {
    talents: (r, args, ctx) => ctx.loaders.talentsInRegion.load(r.code, args),
  },

  Organisation: {
    talents: (o, args, ctx) => ctx.loaders.talentsOfOrganisation.load(o.id, args),
    ...exchangeOrganisationFields,
  },

  // Mentoring and exchanges (mentoring.ts, exchanges.ts, matching.ts).
  Mentorship: mentorshipResolvers,
  Exchange: exchangeResolvers,
  MentorMatch: mentorMatchResolvers,
  MatchReasons: matchReasonsResolvers,
};
