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
      // Read for the owner's talents too: every talent of a page then passes in the same tick, so the fields after
      // the policy batch into one statement each (the consents are one statement for the page either way).
      const consents = await ctx.loaders.talentConsents.load(talent.id);
      return talent.organisation_id === organisation || consents.some((c) => c.organisation_id === organisation);
    },
  },
  talent_owner: {
    description: "users of the talent's organisation",
    allows: (talent: TalentRow, _args, ctx) => Boolean(ctx.identity?.organisationId) && talent.organisation_id === ctx.identity!.organisationId,
  },
};

/**
 * The row when the caller may see the profile at all, else null: published profiles for everyone; private ones for
 * the owning organisation and the organisations the talent consented to (one batched statement per page).
 */
export async function visibleProfile(talent: TalentRow | null | undefined, ctx: Context): Promise<TalentRow | null> {
  if (!talent) return null;
  // The consents are read for every talent a signed-in caller asks for, its own and published ones too, so that a
  // whole batch resolves in the same tick and its fields batch together (one statement for the page either way).
  const organisation = ctx.identity?.organisationId;
  if (!organisation) return talent.public_profile ? talent : null;
  const consents = await ctx.loaders.talentConsents.load(talent.id);
  const allowed = talent.organisation_id === organisation || consents.some((c) => c.organisation_id === organisation);
  return talent.public_profile || allowed ? talent : null;
}

// Mentoring and exchanges (mentoring-policies.ts): built on the personal-data rule above.
Object.assign(policies, mentoringPolicies(policies.talent_personal_data!));
