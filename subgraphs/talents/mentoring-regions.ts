import { serviceUnavailable } from '@talent-hub/platform/errors';
import type { Context } from './context.js';

// Organisations and programmes belong to the regions subgraph: a mentorship or an exchange that names one asks
// regions whether it exists, before its transaction (as grantConsent does). When regions does not answer, nothing
// is written and the caller is told to try again (SERVICE_UNAVAILABLE).

async function ask(ctx: Context, field: 'organisation' | 'programme', id: string): Promise<boolean> {
  let result;
  try {
    result = await ctx.peers.call('regions', `query ($id: ID!) { ${field}(id: $id) { id } }`, { id });
  } catch {
    throw serviceUnavailable(`The ${field} could not be checked (the regions subgraph did not answer); nothing was changed. Try again.`);
  }
  return Boolean((result.data?.[field] as { id?: string } | null)?.id);
}

/** Whether an organisation of the graph has this slug id. */
export const organisationExists = (ctx: Context, id: string) => ask(ctx, 'organisation', id);

/** Whether a programme of the graph has this slug id. */
export const programmeExists = (ctx: Context, id: string) => ask(ctx, 'programme', id);
