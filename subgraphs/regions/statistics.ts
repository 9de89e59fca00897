import { loadExisting } from '@talent-hub/subgraph-lib/loaders';
import type { ProgrammeResolvers } from './generated/resolvers.js';
import { money } from './money.js';

// The programmes' key performance indicators (db/statistics.ts computes them, one statement per batch of
// programmes): money, talents reached, cost per talent reached, and each indicator's progress towards its target.
// Public figures about programmes, not counts of people.

export const programmeStatistics: Pick<ProgrammeResolvers, 'kpis'> = {
  kpis: async (p, _, ctx) => {
    // One row per programme of the batch: the programme is the parent, so it exists.
    const k = await loadExisting(ctx.loaders.kpis, p.id, 'programme');
    return {
      budget: money(k.budget_amount, k.currency),
      maxContribution: money(k.max_contribution_amount, k.currency),
      talentsReached: k.talents_reached,
      talentsReachedAsOf: k.talents_reached_as_of,
      costPerTalentReached: money(k.cost_per_talent_reached, k.currency),
      indicators: k.indicators.map((i) => ({ ...i, asOf: i.as_of })),
    };
  },
};
