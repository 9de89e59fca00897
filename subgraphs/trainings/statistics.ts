import { checkCellLimit, discloseTallies, protectShare, type ProtectedCount } from '@talent-hub/subgraph-lib/disclosure';
import { readEventFilter, readGrouping } from './arguments.js';
import { registrationStatistics, type RegistrationStatisticsRow } from './db/statistics.js';
import type { QueryResolvers, ResolversTypes } from './generated/resolvers.js';

// The registration aggregates: the repository's raw counts with their key sums (db/statistics.ts), protected by the
// shared cell key method before anything leaves the subgraph. Registrations are talents' personal data: a talent
// registers once per event, so a count of registrations is, for one event, a count of talents. Each count is
// perturbed and withheld when it rests on fewer than MIN_CELL_SIZE; the counts of one cell are given only when they
// differ from each other by as much (discloseTallies: registrations 40 and attended 38 would say that 2 registered
// talents did not attend); rates are of the published counts, given only when those are.

const WITHHELD: ProtectedCount = { value: null, suppressed: true };

/** A share as an exact decimal with 4 places, rounded half up (no threshold: the part and whole are shown). */
const ratio = (part: number, whole: number) => protectShare(Math.min(part, whole), whole, 4, 0).value;

export function protectCell(row: RegistrationStatisticsRow): ResolversTypes['RegistrationStatisticsCell'] {
  const tally = (count: number, keySum: number) => ({ count: Number(count), keySum: Number(keySum) });
  // seats_taken is never shown, but capacityUtilisation times capacity (public) tells it: it counts as given.
  const [registrations, attended, completed, seatsTaken] = discloseTallies([
    tally(row.registrations, row.registrations_key),
    tally(row.attended, row.attended_key),
    tally(row.completed, row.completed_key),
    tally(row.seats_taken, row.seats_taken_key),
  ]);
  const suppressed = registrations.suppressed;
  return {
    eventKind: row.event_kind,
    region: row.region_code === null ? null : { code: row.region_code },
    month: row.month,
    events: row.events,
    capacity: row.capacity,
    suppressed,
    registrations,
    attended: suppressed ? WITHHELD : attended,
    completed: suppressed ? WITHHELD : completed,
    // Rates of the published (perturbed) counts, so that no rate tells a true count the counts do not.
    completionRate: suppressed || attended.suppressed || completed.suppressed ? null : ratio(completed.value!, attended.value!),
    capacityUtilisation: suppressed || seatsTaken.suppressed || !row.capacity ? null : ratio(seatsTaken.value!, Number(row.capacity)),
  };
}

export const statisticsQueries: Pick<QueryResolvers, 'registrationStatistics'> = {
  registrationStatistics: async (_, args, ctx) => {
    const grouping = readGrouping(args.groupBy, args.regionLevel);
    const filter = readEventFilter(args.filter ?? {}, 'filter.');
    return checkCellLimit(await registrationStatistics(ctx.db, grouping, filter, ctx.cellKeySalt)).map(protectCell);
  },
};
