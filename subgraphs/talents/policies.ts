import type { Policy } from '@talent-hub/subgraph-lib/auth';
import type { Context } from './context.js';
import type { TalentRow } from './db/types.js';
import { mentoringPolicies } from './mentoring-policies.js';

// The named rules of this subgraph's `@policy` directives. A talent's personal data is readable by users of the
// organisation that owns the profile and of the organisations the talent consented to share it with; the consent
// lookup goes through the request's DataLoader, so a page of talents costs one statement, whatever the fields.

export const policies: Record<string, Policy<Context>> = {
  talent_personal_data: {
    description: "users of the talent's organisation or of an organisation the talent consented to share personal data with",
    async allows(talent: TalentRow, _args, ctx) {
      const organisation = ctx.identity?.organisationId;
      // Anonymous callers and services (no organisation) never read personal data; neither costs a statement.
      if (!organisation) return false;
      if (talent.organisation_id === organisation) return true;
      return (await ctx.loaders.talentConsents.load(talent.id)).some((c) => c.organisation_id === organisation);
    },
  },
  talent_owner: {
    description: "users of the talent's organisation",
    allows: (talent: TalentRow, _args, ctx) => Boolean(ctx.identity?.organisationId) && talent.organisation_id === ctx.identity!.organisationId,
  },
};

// Mentoring and exchanges (mentoring-policies.ts): built on the personal-data rule above.
Object.assign(policies, mentoringPolicies(policies.talent_personal_data!));
