import { MIN_CELL_SIZE } from './suppression.js';

// Statistical disclosure control for shares (rates) over talents. A share published beside a known denominator
// gives its numerator away (numerator = share × denominator), and its complement too; so a share is only
// returned when the denominator, the numerator and the complement all count at least the threshold.

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
