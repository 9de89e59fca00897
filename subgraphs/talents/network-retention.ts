import { MIN_CELL_SIZE, protectCount, protectShare } from '@talent-hub/subgraph-lib/disclosure';
import { parseSlug } from '@talent-hub/subgraph-lib/validate';
import { checkCalendarDay, quarterOf, readQuarterRange } from './arguments.js';
import * as repo from './db/network-retention.js';
import type { NetworkCohort, QueryResolvers, ResolversTypes, RetentionStatus } from './generated/resolvers.js';
import { networkMembers } from './networks.js';

// networkRetention: the network's members from the regions subgraph, raw counts from the affiliations
// (db/network-retention.ts), then the shared disclosure rules before anything leaves the subgraph.

type Share = { value: string | null; status: RetentionStatus };

function toCohort(row: repo.NetworkCohortRow): NetworkCohort {
  const joiners = protectCount(row.joiners);
  const share = (retained: number, observable: boolean): Share => {
    if (joiners.suppressed) return { value: null, status: 'SUPPRESSED' };
    if (!observable) return { value: null, status: 'NOT_YET_OBSERVABLE' };
    const shown = protectShare(retained, row.joiners);
    return { value: shown.value, status: shown.suppressed ? 'SUPPRESSED' : 'AVAILABLE' };
  };
  const [six, twelve, twentyFour] = [share(row.retained_6, row.observable_6), share(row.retained_12, row.observable_12), share(row.retained_24, row.observable_24)];
  return {
    quarter: quarterOf(row.starts_on),
    startsOn: row.starts_on,
    joiners: joiners.value,
    suppressed: joiners.suppressed,
    retained6Months: six.value,
    retained6MonthsStatus: six.status,
    retained12Months: twelve.value,
    retained12MonthsStatus: twelve.status,
    retained24Months: twentyFour.value,
    retained24MonthsStatus: twentyFour.status,
  };
}

/**
 * Flows, protected. Shown flows come largest first; suppressed ones follow in organisation order, so that their
 * order tells nothing of their sizes.
 */
function toFlows(rows: readonly repo.NetworkFlowRow[]): ResolversTypes['NetworkFlow'][] {
  const flows = rows.map((row) => {
    const count = protectCount(row.talents);
    return {
      flow: { from: { id: row.from_id }, to: row.to_id === null ? null : { id: row.to_id }, leftNetwork: row.to_id === null, talents: count.value, suppressed: count.suppressed },
      order: count.value ?? -1,
    };
  });
  // Array.prototype.sort is stable: equal sizes (and all suppressed flows) keep the repository's organisation order.
  return flows.sort((a, b) => b.order - a.order).map((f) => f.flow);
}

export const networkRetentionQuery: Pick<QueryResolvers, 'networkRetention'> = {
  networkRetention: async (_, args, ctx) => {
    const networkId = parseSlug(args.networkId, 'networkId');
    const asOf = args.asOf == null ? new Date().toISOString().slice(0, 10) : checkCalendarDay(args.asOf, 'asOf');
    const range = readQuarterRange(args.fromQuarter, args.toQuarter, asOf);
    const members = await networkMembers(ctx.peers, networkId);
    const query = { members, fromQuarter: range.from, toQuarter: range.to, asOf };
    const cohorts = await repo.networkCohorts(ctx.db, query);
    const flows = await repo.networkFlows(ctx.db, query);
    return {
      network: { id: networkId },
      members: members.map((id) => ({ id })),
      asOf,
      threshold: MIN_CELL_SIZE,
      cohorts: cohorts.map(toCohort),
      flows: toFlows(flows),
    };
  },
};
