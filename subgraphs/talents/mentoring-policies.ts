import type { Policy } from '@talent-hub/subgraph-lib/auth';
import { parseUuid } from '@talent-hub/subgraph-lib/validate';
import type { Context } from './context.js';
import type { OrganisationModel, TalentModel } from './models.js';

// The named `@policy` rules of mentoring and exchanges, added to policies.ts. Mentorships and exchanges are personal
// data of their talents: whoever may read a talent's personal data (`talent_personal_data`) reads its lists whole.
// The organisation that runs a mentorship, or hosts an exchange, holds that record too: its users read the lists,
// which then show them their own records only (the resolvers filter). Lookups go through the request's loaders:
// a page of talents costs one statement per policy, and none for readers who pass `talent_personal_data`.

/** The rules, given the subgraph's rule for a talent's personal data (so that it is written once). */
export function mentoringPolicies(personalData: Policy<Context>): Record<string, Policy<Context>> {
  const callerOrganisation = (ctx: Context) => ctx.identity?.organisationId || null;
  return {
    talent_mentorships: {
      description:
        "users of the talent's organisation, of an organisation the talent consented to share personal data with, or of an organisation that runs one of its mentorships",
      async allows(talent: TalentModel, args, ctx) {
        if (await personalData.allows(talent, args, ctx)) return true;
        const organisation = callerOrganisation(ctx);
        if (!organisation) return false;
        return (await ctx.loaders.mentoringOrganisations.load(talent.id)).some((r) => r.organisation_id === organisation);
      },
    },
    talent_exchanges: {
      description:
        "users of the talent's organisation, of an organisation the talent consented to share personal data with, or of an organisation that hosts one of its exchanges",
      async allows(talent: TalentModel, args, ctx) {
        if (await personalData.allows(talent, args, ctx)) return true;
        const organisation = callerOrganisation(ctx);
        if (!organisation) return false;
        return (await ctx.loaders.exchangeHosts.load(talent.id)).some((r) => r.host_organisation_id === organisation);
      },
    },
    organisation_member: {
      description: 'users of this organisation',
      allows: (organisation: OrganisationModel, _args, ctx) => callerOrganisation(ctx) === organisation.id,
    },
    mentee_personal_data: {
      description: "users of the mentee's organisation or of an organisation the mentee consented to share personal data with",
      // An unknown mentee passes: the field is then null without an error (talents' existence is public anyway).
      async allows(_source: unknown, args, ctx) {
        const mentee = await ctx.loaders.talent.load(parseUuid(String(args.menteeId), 'menteeId'));
        return mentee === null || personalData.allows(mentee, args, ctx);
      },
    },
  };
}
