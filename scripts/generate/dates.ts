import { utcOffsetMs } from '@talent-hub/subgraph-lib/time';

// Dates as whole days since 1970-01-01 (UTC): cheap to add and compare, formatted only when written.

const DAY_MS = 86_400_000;

export const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
// Generated dates fall on a few thousand distinct days, formatted hundreds of thousands of times: remember them.
const isoDays = new Map<number, string>();
export function isoDay(day: number): string {
  let text = isoDays.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoDays.set(day, text);
  }
  return text;
}
export const dayStartMs = (day: number) => day * DAY_MS;

/**
 * "Today" of the generated world. Fixed, so that the same flags give the same rows on any day: events before it
 * are past (attended, completed), residence periods open on it are current. The demo seed uses the same day.
 */
export const AS_OF_DAY = dayNumber('2025-06-30');
export const AS_OF_MS = dayStartMs(AS_OF_DAY);

/** Residence moves (arrivals) happen from this day on: the window the retention figures look at. */
export const MOVES_FROM_DAY = dayNumber('2019-01-01');
/** Talents joined the pool in this window. */
export const JOINED_FROM_DAY = dayNumber('2020-01-01');
/** Generated events take place in this window; those after AS_OF_DAY are upcoming. */
export const EVENTS_FROM_DAY = dayNumber('2021-01-04');
export const EVENTS_TO_DAY = dayNumber('2026-12-18');

/**
 * The instant at which clocks in `timeZone` show `minutes` past midnight of `day` (summer time included).
 * Offsets are remembered per zone and day and hour, as events share days and zones.
 */
const offsets = new Map<string, number>();
export function zonedInstant(day: number, minutes: number, timeZone: string): Date {
  const key = `${timeZone} ${day} ${Math.floor(minutes / 60)}`;
  const asUtc = dayStartMs(day) + minutes * 60_000;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const guess = asUtc - utcOffsetMs(timeZone, asUtc);
    offset = utcOffsetMs(timeZone, guess);
    offsets.set(key, offset);
  }
  return new Date(asUtc - offset);
}
