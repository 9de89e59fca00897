import { writeAudit } from '@talent-hub/subgraph-lib/audit';
import { requireOwner } from '@talent-hub/subgraph-lib/auth';
import { forbidden, invalidInput, notFound } from '@talent-hub/platform/errors';
import { readIndicatorUpdates } from './input.js';
import type { Context } from './context.js';
import * as writes from './db/writes.js';
import type { ProgrammeTable } from './db/types.js';
import type { IndicatorUpdateInput, MutationResolvers } from './generated/resolvers.js';
import { parseSlug } from '@talent-hub/subgraph-lib/validate';

// The writes of this subgraph: each validates, runs in one transaction, checks ownership on the row it locked,
// and leaves audit rows.

/**
 * One transaction: the programme row is locked first, so that two editors' calls apply one after the other, and
 * its managing organisation is read from the locked row, not from what the caller says.
 */
async function updateProgrammeIndicators(
  ctx: Context,
  programmeId: string,
  indicators: readonly IndicatorUpdateInput[],
): Promise<ProgrammeTable> {
  return ctx.db.transaction().execute(async (trx) => {
    const programme = await writes.lockProgramme(trx, programmeId);
    if (!programme) throw notFound('programme', 'programmeId');
    if (programme.managing_organisation_id === null) {
      throw forbidden('This programme has no managing organisation, so nobody may update its indicators.');
    }
    const identity = requireOwner(ctx.identity, programme.managing_organisation_id, "update this programme's indicators");
    const { updates, problems } = readIndicatorUpdates(indicators, await writes.indicatorCodes(trx, programmeId));
    if (problems.length > 0) throw invalidInput(problems);
    const changed = await writes.updateIndicators(trx, programmeId, updates);
    // One row per indicator, so the trail answers "who last changed this indicator"; at most
    // MAX_INDICATOR_UPDATES of them.
    for (const code of changed) {
      await writeAudit(trx, { identity, requestId: ctx.requestId }, {
        action: 'indicator.update',
        entityType: 'indicator',
        entityId: `${programmeId}/${code}`,
      });
    }
    return programme;
  });
}

export const mutationResolvers: MutationResolvers = {
  updateProgrammeIndicators: (_, args, ctx) => updateProgrammeIndicators(ctx, parseSlug(args.programmeId, 'programmeId'), args.indicators),
};
