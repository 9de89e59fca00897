import type { Policy } from '@talent-hub/subgraph-lib/auth';
import type { Context } from './context.js';
import type { TalentModel } from './models.js';

// The named rules of this subgraph's `@policy` directives.
//
// `talent_personal_data`, on what this subgraph holds about a talent that is personal data (completed trainings,
// recommendations): the talents subgraph decides whether the caller may read the talent's personal data (the
// owning organisation, or one the talent consented to share with) and hands its answer over through `@requires`
// (`Talent.personalDataReadable`), so the rule lives there, once. Here it must say true, and the caller must be
// signed in for an organisation: a representation sent by someone other than the gateway (which this subgraph
// cannot tell from the gateway's by its content) then still reads nothing without an identity the gateway signed.
// Without the field (not required, or not sent) nothing is readable.

export const policies: Record<string, Policy<Context>> = {
  talent_personal_data: {
    description: "users of the talent's organisation or of an organisation the talent consented to share personal data with",
    allows: (talent: TalentModel, _args, ctx) => talent.personalDataReadable === true && Boolean(ctx.identity?.organisationId),
  },
};
