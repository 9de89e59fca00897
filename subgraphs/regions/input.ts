import type { FieldProblem } from '@talent-hub/platform/errors';
import type { IndicatorUpdateInput } from './generated/resolvers.js';

// Reading and validating the input of the regions mutations. Every problem is collected, so that a form can show
// them all at once (invalidInput); values are echoed only shortened, and never a whole 100k-character string.

/** Most indicators one call may change: a programme reports a handful, a dashboard form sends them together. */
export const MAX_INDICATOR_UPDATES = 50;

/** A checked update: `setTarget` false keeps the stored target. */
export interface IndicatorUpdate {
  code: string;
  value: string;
  asOf: string;
  setTarget: boolean;
  target: string | null;
}

/** A Decimal (already checked by its scalar) below zero; `-0` is zero. */
const isNegative = (decimal: string) => decimal.startsWith('-') && /[1-9]/.test(decimal);

const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * The latest day that is not in the future anywhere: the date in UTC+14, the first time zone to start a day. A
 * value measured today in any partner's time zone is accepted.
 */
export function latestAllowedDay(now = Date.now()): string {
  return new Date(now + 14 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Checks the updates against the codes the programme reports. Returns the updates and the problems found; when
 * there is any problem, nothing may be written.
 */
export function readIndicatorUpdates(
  inputs: readonly IndicatorUpdateInput[],
  knownCodes: ReadonlySet<string>,
  now = Date.now(),
): { updates: IndicatorUpdate[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (inputs.length === 0) problems.push({ field: 'indicators', message: 'give at least one indicator to update' });
  if (inputs.length > MAX_INDICATOR_UPDATES) {
    problems.push({ field: 'indicators', message: `at most ${MAX_INDICATOR_UPDATES} indicators per call; got ${inputs.length}` });
  }
  const latest = latestAllowedDay(now);
  const seen = new Set<string>();
  const updates: IndicatorUpdate[] = [];
  // Past the limit the list is refused anyway; its entries are not read one by one (a million of them would be).
  inputs.slice(0, MAX_INDICATOR_UPDATES).forEach((input, index) => {
    const at = `indicators.${index}`;
    if (seen.has(input.code)) problems.push({ field: `${at}.code`, message: `indicator ${shown(input.code)} is given more than once` });
    else if (!knownCodes.has(input.code)) {
      const known = [...knownCodes].sort().join(', ');
      problems.push({
        field: `${at}.code`,
        message: `the programme reports no indicator ${shown(input.code)}${known ? ` (it reports: ${known})` : ' (it reports none)'}`,
      });
    }
    seen.add(input.code);
    if (isNegative(input.value)) problems.push({ field: `${at}.value`, message: `must be zero or more; got ${input.value}` });
    if (typeof input.target === 'string' && isNegative(input.target)) {
      problems.push({ field: `${at}.target`, message: `must be zero or more; got ${input.target}` });
    }
    if (input.asOf > latest) problems.push({ field: `${at}.asOf`, message: `must not be in the future; got ${input.asOf}` });
    updates.push({
      code: input.code,
      value: input.value,
      asOf: input.asOf,
      setTarget: input.target !== undefined,
      target: input.target ?? null,
    });
  });
  return { updates, problems };
}
