import { checkCellLimit, discloseCounts, type ProtectedCount } from '@talent-hub/subgraph-lib/disclosure';
import { readEventFilter, readGrouping } from './arguments.js';
import { registrationStatistics, type RegistrationStatisticsRow } from './db/statistics.js';
import type { QueryResolvers, ResolversTypes } from './generated/resolvers.js';

// The registration aggregates: the repository's raw counts (db/statistics.ts), protected by the shared disclosure
// rules before anything leaves the subgraph. Registrations are talents' personal data: a talent registers once per
// event, so a count of registrations is, for one event, a count of talents. The counts of one cell are given only
// when each is at least MIN_CELL_SIZE and they differ from each other by as much (discloseCounts: registrations 40
// and attended 38 would say that 2 registered talents did not attend); rates are given only when the counts they
// divide are given, so no rate tells a withheld count.

const WITHHELD: ProtectedCount = { value: null, suppressed: true };

export function protectCell(row: RegistrationStatisticsRow): ResolversTypes['RegistrationStatisticsCell'] {
  // seats_taken is never shown, but capacityUtilisation times capacity (public) tells it: it counts as given.
  const [registrations, attended, completed, seatsTaken] = discloseCounts([row.registrations, row.attended, row.completed, row.seats_taken]);
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
    completionRate: suppressed || attended.suppressed || completed.suppressed ? null : row.completion_rate,
    capacityUtilisation: suppressed || seatsTaken.suppressed ? null : row.capacity_utilisation,
  };
}

export const statisticsQueries: Pick<QueryResolvers, 'registrationStatistics'> = {
  registrationStatistics: async (_, args, ctx) => {
    const grouping = readGrouping(args.groupBy, args.regionLevel);
    const filter = readEventFilter(args.filter ?? {}, 'filter.');
    return checkCellLimit(await registrationStatistics(ctx.db, grouping, filter)).map(protectCell);
  },
};
