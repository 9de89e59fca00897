// Statistical disclosure control for aggregates over talents: a count below the threshold could single out a
// person, so it is never returned as a number.

/** Cells counting fewer talents than this are suppressed. */
export const MIN_CELL_SIZE = 5;

/** A count as the graph returns it: the number, or null with `suppressed: true`. */
export interface ProtectedCount {
  value: number | null;
  suppressed: boolean;
}

export function protectCount(count: number, threshold = MIN_CELL_SIZE): ProtectedCount {
  return count < threshold ? { value: null, suppressed: true } : { value: count, suppressed: false };
}
