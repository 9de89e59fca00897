import { badUserInput } from '@talent-hub/platform/errors';
import { isUuid } from '@talent-hub/subgraph-lib/validate';
import * as repo from './db/repository.js';
import type { QueryResolvers } from './generated/resolvers.js';

// The service-only lookup through which the trainings subgraph learns, before it registers a talent or while it
// reconciles registrations made before it checked, whether the talent exists, who owns it and whom it consented
// to (`Query.talentRegistrationRights`, @inaccessible and for the `service` role only). Answered from this
// subgraph's own tables, so ownership and consent are never copied into another subgraph's store to go stale.

/** Bounds of one lookup: the trainings reconciliation asks in batches of this many ids. */
export const MAX_RIGHTS_IDS = 500;
const MAX_RIGHTS_ORGANISATIONS = 50;

export const registrationRightsQuery: Pick<QueryResolvers, 'talentRegistrationRights'> = {
  talentRegistrationRights: async (_, args, ctx) => {
    const ids = [...new Set(args.ids)];
    const organisationIds = [...new Set(args.organisationIds)];
    if (ids.length > MAX_RIGHTS_IDS) throw badUserInput(`At most ${MAX_RIGHTS_IDS} ids at once (got ${ids.length}).`, 'ids');
    if (organisationIds.length > MAX_RIGHTS_ORGANISATIONS) {
      throw badUserInput(`At most ${MAX_RIGHTS_ORGANISATIONS} organisations at once (got ${organisationIds.length}).`, 'organisationIds');
    }
    const rows = await repo.registrationRights(ctx.db, ids.filter(isUuid), organisationIds);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = byId.get(id);
      return { id, exists: row !== undefined, organisationId: row?.organisation_id ?? null, consentedTo: row?.consented_to ?? [] };
    });
  },
};
