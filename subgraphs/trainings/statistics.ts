import { MIN_CELL_SIZE, protectCount, type ProtectedCount } from '@talent-hub/subgraph-lib/suppression';
import type { RegistrationStatisticsRow } from './db/repository.js';

// Small-cell suppression of registration statistics. Registrations are talents' personal data: a talent
// registers once per event, so a count of registrations is, for one event, a count of talents.
//
// A count is given only when it is at least MIN_CELL_SIZE (protectCount) and differs from every other count
// given in the same cell by at least MIN_CELL_SIZE: otherwise the difference would tell a small group, e.g.
// registrations 40 and attended 38 say that 2 registered talents did not attend, and 40 and 40 that none did
// (a group of 0, which protectCount withholds too: whoever is known to have registered is then known to have
// attended). Rates are given only when the counts they divide are given, so no rate tells a withheld count.

/** A cell of registration statistics as the schema returns it. */
export interface RegistrationStatisticsCell {
  eventKind: string | null;
  region: { code: string } | null;
  month: string | null;
  events: number;
  capacity: number | null;
  suppressed: boolean;
  registrations: ProtectedCount;
  attended: ProtectedCount;
  completed: ProtectedCount;
  completionRate: string | null;
  capacityUtilisation: string | null;
}

const WITHHELD: ProtectedCount = { value: null, suppressed: true };

/**
 * Decides which counts of one cell may be given, in order of priority: each count in turn is given when
 * protectCount lets it through and it is far enough from every count already given.
 */
export function discloseCounts(counts: readonly number[], threshold = MIN_CELL_SIZE): ProtectedCount[] {
  const given: number[] = [];
  return counts.map((count) => {
    const protectedCount = protectCount(count, threshold);
    if (protectedCount.suppressed) return WITHHELD;
    if (given.some((other) => Math.abs(other - count) < threshold)) return WITHHELD;
    given.push(count);
    return protectedCount;
  });
}

export function protectCell(row: RegistrationStatisticsRow): RegistrationStatisticsCell {
  // seats_taken is never shown, but capacityUtilisation times capacity (public) tells it: it counts as given.
  const [registrations, attended, completed, seatsTaken] = discloseCounts([
    row.registrations,
    row.attended,
    row.completed,
    row.seats_taken,
  ]) as [ProtectedCount, ProtectedCount, ProtectedCount, ProtectedCount];
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
