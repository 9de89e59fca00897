import { badUserInput } from '@talent-hub/platform/errors';

// Statistical disclosure control for every aggregate over people (talents, their registrations): one module, so
// every subgraph suppresses the same way, with the same threshold and the same size limit.
// - A count below the threshold could single out a person: it is never returned as a number (protectCount).
// - Several counts of one cell must also differ from each other by the threshold, or their difference tells a small
//   group (discloseCounts).
// - A share published beside its denominator gives its numerator away, and its complement too (protectShare).
// - An answer holds at most MAX_STATISTICS_CELLS cells (checkCellLimit).

/** Cells counting fewer people than this are suppressed. */
export const MIN_CELL_SIZE = 5;

/** Most cells one statistics answer may hold; a bigger one is refused (group by fewer dimensions, or filter). */
export const MAX_STATISTICS_CELLS = 10_000;

/** A count as the graph returns it: the number, or null with `suppressed: true`. */
export interface ProtectedCount {
  value: number | null;
  suppressed: boolean;
}

export function protectCount(count: number, threshold = MIN_CELL_SIZE): ProtectedCount {
  return count < threshold ? { value: null, suppressed: true } : { value: count, suppressed: false };
}

const WITHHELD: ProtectedCount = { value: null, suppressed: true };

/**
 * Decides which counts of one cell may be given, in order of priority: each count in turn is given when
 * protectCount lets it through and it is at least `threshold` away from every count already given. E.g.
 * registrations 40 and attended 38 would say that 2 registered people did not attend, and 40 and 40 that none did
 * (a group of 0, which protectCount withholds too).
 */
export function discloseCounts<const Counts extends readonly number[]>(
  counts: Counts,
  threshold = MIN_CELL_SIZE,
): { -readonly [K in keyof Counts]: ProtectedCount } {
  const given: number[] = [];
  // One result per count, in order: the tuple type says so to callers that destructure it.
  return counts.map((count) => {
    const protectedCount = protectCount(count, threshold);
    if (protectedCount.suppressed) return WITHHELD;
    if (given.some((other) => Math.abs(other - count) < threshold)) return WITHHELD;
    given.push(count);
    return protectedCount;
  }) as { -readonly [K in keyof Counts]: ProtectedCount };
}

/** A share as the graph returns it: an exact decimal string from 0 to 1, or null with `suppressed: true`. */
export interface ProtectedShare {
  value: string | null;
  suppressed: boolean;
}

/**
 * `part / whole` rounded half up to `places` decimals (as an exact decimal string, e.g. "0.6250"), unless
 * `whole`, `part` or `whole - part` is below the threshold: then suppressed.
 */
export function protectShare(part: number, whole: number, places = 4, threshold = MIN_CELL_SIZE): ProtectedShare {
  if (!Number.isInteger(part) || !Number.isInteger(whole) || part < 0 || part > whole) {
    throw new RangeError(`A share needs integers 0 <= part <= whole; got ${part} of ${whole}`);
  }
  if (whole < threshold || part < threshold || whole - part < threshold) return { value: null, suppressed: true };
  const scale = 10 ** places;
  // Integer arithmetic, so the rounding is exact: round(part * scale / whole), half up.
  const scaled = Math.floor((2 * part * scale + whole) / (2 * whole));
  const units = Math.floor(scaled / scale);
  const fraction = String(scaled % scale).padStart(places, '0');
  return { value: places > 0 ? `${units}.${fraction}` : String(units), suppressed: false };
}

/**
 * Refuses an answer of more than MAX_STATISTICS_CELLS cells. Repositories fetch one row more than the limit, so
 * that a cut result is told from a full one.
 */
export function checkCellLimit<T>(rows: readonly T[], argument = 'groupBy'): readonly T[] {
  if (rows.length > MAX_STATISTICS_CELLS) {
    throw badUserInput(
      `These statistics would hold more than ${MAX_STATISTICS_CELLS} cells; group by fewer dimensions, a coarser regionLevel, or filter.`,
      argument,
    );
  }
  return rows;
}
