import { MIN_CELL_SIZE, protectTally, protectTallyShare } from '@talent-hub/subgraph-lib/disclosure';
import { parseSlug } from '@talent-hub/subgraph-lib/validate';
import { checkCalendarDay, quarterOf, readQuarterRange } from './arguments.js';
import * as repo from './db/network-retention.js';
import type { NetworkCohort, QueryResolvers, ResolversTypes, RetentionStatus } from './generated/resolvers.js';
import { networkMembers } from './networks.js';

// networkRetention: the network's members from the regions subgraph, raw counts with their record-key sums from the
// affiliations (db/network-retention.ts), then the shared cell key method before anything leaves the subgraph.

type Share = { value: string | null; status: RetentionStatus };

function toCohort(row: repo.NetworkCohortRow): NetworkCohort {
  const whole = { count: row.joiners, keySum: row.joiners_key };
  const joiners = protectTally(whole);
  const share = (retained: number, keySum: number, observable: boolean): Share => {
    if (joiners.suppressed) return { value: null, status: 'SUPPRESSED' };
    if (!observable) return { value: null, status: 'NOT_YET_OBSERVABLE' };
    const shown = protectTallyShare({ count: retained, keySum }, whole);
    return { value: shown.value, status: shown.suppressed ? 'SUPPRESSED' : 'AVAILABLE' };
  };
  const [six, twelve, twentyFour] = [
    share(row.retained_6, row.retained_6_key, row.observable_6),
    share(row.retained_12, row.retained_12_key, row.observable_12),
    share(row.retained_24, row.retained_24_key, row.observable_24),
  ];
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
    const count = protectTally({ count: row.talents, keySum: row.key_sum });
    return {
      flow: { from: { id: row.from_id }, to: row.to_id === null ? null : { id: row.to_id }, leftNetwork: row.to_id === null, talents: count.value, suppressed: count.suppressed },
      order: count.value ?? -1,
    };
  });
  // Array.prototype.sort is stable: equal sizes (and all suppressed flows) keep the repository's organisation order.
  return flows.sort((a, b) => b.order - a.order).map((f) => f.flow);
}

// Counting cohorts and flows probes every joiner and leaver of the range (tens of thousands at 100k talents, some
// 400 ms), while the answer changes only when an affiliation does. So raw counts are kept per database, per
// question, with the affiliations' write counter they were read at, and used while the counter has not moved: one
// small statement instead. The counter is read before counting, so a write during counting only makes the next
// request count again. Each replica keeps its own; nothing personal is kept (raw counts, protected on the way out).
const MAX_KEPT = 200;
interface Kept {
  version: string;
  counts: Promise<{ cohorts: repo.NetworkCohortRow[]; flows: repo.NetworkFlowRow[] }>;
}
const kept = new WeakMap<object, Map<string, Kept>>();

async function keptCounts(db: Parameters<typeof repo.networkCohorts>[0], query: repo.NetworkRetentionQuery) {
  let answers = kept.get(db);
  if (!answers) kept.set(db, (answers = new Map()));
  const key = JSON.stringify([query.members, query.fromQuarter, query.toQuarter, query.asOf]);
  const version = await repo.affiliationsVersion(db);
  const hit = answers.get(key);
  if (hit?.version === version) return hit.counts;
  const counts = Promise.all([repo.networkCohorts(db, query), repo.networkFlows(db, query)]).then(([cohorts, flows]) => ({ cohorts, flows }));
  answers.delete(key);
  if (answers.size >= MAX_KEPT) answers.delete(answers.keys().next().value!);
  answers.set(key, { version, counts });
  counts.catch(() => {
    if (answers.get(key)?.counts === counts) answers.delete(key);
  });
  return counts;
}

export const networkRetentionQuery: Pick<QueryResolvers, 'networkRetention'> = {
  networkRetention: async (_, args, ctx) => {
    const networkId = parseSlug(args.networkId, 'networkId');
    const asOf = args.asOf == null ? new Date().toISOString().slice(0, 10) : checkCalendarDay(args.asOf, 'asOf');
    const range = readQuarterRange(args.fromQuarter, args.toQuarter, asOf);
    const members = await networkMembers(ctx.peers, networkId);
    const query = { members, fromQuarter: range.from, toQuarter: range.to, asOf };
    const { cohorts, flows } = await keptCounts(ctx.db, query);
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
