import { createHmac } from 'node:crypto';
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
  // One result per count, in order: the tuple type says so to callers that destructure it.
  return discloseInTurn(counts, (count) => protectCount(count, threshold), threshold) as { -readonly [K in keyof Counts]: ProtectedCount };
}

/** Protects each value in turn, withholding one within `threshold` of a value already given (discloseCounts' rule). */
function discloseInTurn<T>(values: readonly T[], protect: (value: T) => ProtectedCount, threshold: number): ProtectedCount[] {
  const given: number[] = [];
  return values.map((value) => {
    const shown = protect(value);
    if (shown.suppressed) return WITHHELD;
    if (given.some((other) => Math.abs(other - shown.value!) < threshold)) return WITHHELD;
    given.push(shown.value!);
    return shown;
  });
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

// ---------------------------------------------------------------------------------------------------------------
// The cell key method (as used by the ABS and in Eurostat's census tables): every count shown to a caller without a
// right to the people behind it is perturbed by a small amount that is a function of the records in the cell.
// - Each record has a record key, a uniform random integer 0..255 kept secret (talents: a stored random column;
//   per-event registration counts and seats: a keyed hash, see keyedRecordKey).
// - The cell key is the sum of the record keys of the cell's records, modulo 256: the same set of people always
//   gives the same cell key, however the cell was asked for, so asking again or asking an equivalent question gives
//   the same answer and averages nothing away.
// - The perturbation table maps the cell key to a shift of -2..+2 (probabilities .1 .2 .4 .2 .1): a cell that
//   differs from another by one person gets an independent shift, so the difference of two answers is 1 +/- up to 4.
// - A zero stays zero. A count is withheld (suppressed) when the true count or the perturbed one is below
//   MIN_CELL_SIZE, so that a shown number never rests on fewer than 5 people and the edge between withheld and
//   shown is itself blurred by the perturbation.

/** Record keys are integers from 0 to CELL_KEY_MODULUS - 1. */
export const CELL_KEY_MODULUS = 256;

/**
 * The published perturbation table: a cell key below `below` (and at or above the previous row's) gets `shift`.
 * Shifts 0, +1, -1, +2, -2 with probabilities 102/256, 51/256, 51/256, 26/256, 26/256 (mean 0, variance about 1.2).
 */
export const PERTURBATION_TABLE: readonly { below: number; shift: number }[] = [
  { below: 102, shift: 0 },
  { below: 153, shift: 1 },
  { below: 204, shift: -1 },
  { below: 230, shift: 2 },
  { below: 256, shift: -2 },
];

/** A raw count with the sum of its records' keys: what repositories return for every count over people. */
export interface Tally {
  count: number;
  keySum: number;
}

/** The perturbation shift of a cell key. */
export function shiftOf(cellKey: number): number {
  const key = ((Math.trunc(cellKey) % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS;
  return PERTURBATION_TABLE.find((row) => key < row.below)!.shift;
}

/** The published value of a tally: 0 for 0, otherwise the count shifted by its cell key, never below 0. */
export function perturb(tally: Tally): number {
  if (!Number.isInteger(tally.count) || tally.count < 0 || !Number.isFinite(tally.keySum)) {
    throw new RangeError(`A tally needs a count >= 0 and a key sum; got ${tally.count}, ${tally.keySum}`);
  }
  if (tally.count === 0) return 0;
  return Math.max(0, tally.count + shiftOf(tally.keySum));
}

/** A tally as the graph returns it: the perturbed number, or withheld when it rests on too few people. */
export function protectTally(tally: Tally, threshold = MIN_CELL_SIZE): ProtectedCount {
  if (tally.count < threshold) return WITHHELD;
  return protectCount(perturb(tally), threshold);
}

/**
 * discloseCounts over tallies: each count perturbed, withheld when its true or perturbed value is below the
 * threshold, or when its perturbed value is within the threshold of a count already given.
 */
export function discloseTallies<const Tallies extends readonly Tally[]>(
  tallies: Tallies,
  threshold = MIN_CELL_SIZE,
): { -readonly [K in keyof Tallies]: ProtectedCount } {
  return discloseInTurn(tallies, (tally) => protectTally(tally, threshold), threshold) as { -readonly [K in keyof Tallies]: ProtectedCount };
}

/**
 * A share of two tallies: protectShare of the perturbed part and whole (the part never above the whole), withheld
 * when the true part, whole or rest is below the threshold as well.
 */
export function protectTallyShare(part: Tally, whole: Tally, places = 4, threshold = MIN_CELL_SIZE): ProtectedShare {
  if (part.count > whole.count) throw new RangeError(`A share needs part <= whole; got ${part.count} of ${whole.count}`);
  if (whole.count < threshold || part.count < threshold || whole.count - part.count < threshold) return { value: null, suppressed: true };
  const shownWhole = perturb(whole);
  return protectShare(Math.min(perturb(part), shownWhole), shownWhole, places, threshold);
}

/**
 * A record key from a secret and the record's identity, for records that have no stored key (e.g. the
 * registrations of one event, counted by status): uniform over 0..255 and unknowable without the secret.
 */
export function keyedRecordKey(salt: string, ...identity: readonly (string | number)[]): number {
  return createHmac('sha256', salt).update(identity.join('\u0000')).digest().readUInt8(0);
}

/** The salt of keyed record keys, derived from a deployment secret (the internal token secret). */
export function cellKeySalt(secret: string): string {
  return createHmac('sha256', secret).update('talent-hub cell keys v1').digest('hex');
}

/** The salt of development and single-subgraph tests, from the fixed development secret. */
export const developmentCellKeySalt = cellKeySalt('development cell keys (never used in production)');
