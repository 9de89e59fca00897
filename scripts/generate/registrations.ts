import type { RegistrationTable } from '@talent-hub/trainings/db/types';
import type { RegistrationStatus } from '@talent-hub/trainings/generated/enums';
import { formatInstant } from '@talent-hub/subgraph-lib/time';
import { AS_OF_DAY, AS_OF_MS, dayNumber, dayStartMs, isoDay } from './dates.js';
import type { GeneratedEvent } from './events.js';
import { generatedRegistrationId, generatedTalentId } from './ids.js';
import { randomFor, sampleIndexes } from './random.js';

// Registrations of generated talents for generated events. An event takes at most its capacity plus a waitlist
// of 30%; seats go first come, first served, so seat-holding registrations (registered, attended, completed)
// never exceed the capacity: the rest are waitlisted, and some registrations are cancelled. At past events most
// seated talents attended (on the event's first day, in its time zone) and most of those completed: on the event's
// last day, or up to four weeks later (an assessment), never after the generated world's "today".

const WAITLIST_SHARE = 0.3;
const CANCELLED_SHARE = 0.07;
const MAX_LEAD_MS = 120 * 86_400_000;

/** What the registrations of one event depend on, kept for every event between planning and loading. */
export interface EventShape {
  capacity: number;
  startsAt: number;
  endsAt: number;
  deadline: number;
  popularity: number;
  /** The event's IANA time zone: days of attendance and completion are its days. */
  timeZone: string;
}

export const shapeOf = (generated: GeneratedEvent): EventShape => ({
  capacity: generated.event.capacity,
  startsAt: generated.event.starts_at.getTime(),
  endsAt: generated.event.ends_at.getTime(),
  deadline: generated.event.registration_deadline.getTime(),
  popularity: generated.popularity,
  timeZone: generated.event.time_zone,
});

/** A day in a time zone, `YYYY-MM-DD`. */
const dayIn = (ms: number, timeZone: string) => formatInstant(new Date(ms), timeZone).slice(0, 10);

/** Share of completions recorded on the event's last day; the others come 1 to 28 days later. */
const SAME_DAY_COMPLETION = 0.5;

/** The registrations asked for cannot fit the events (a usage error: the message says what to change). */
export class CapacityError extends Error {}

/** The most registrations an event can take: each talent once, and no more than its room plus the waitlist. */
export const maxRegistrations = (capacity: number, talents: number) =>
  Math.min(talents, capacity + Math.ceil(capacity * WAITLIST_SHARE));

/**
 * How many registrations each event gets: proportional to its room and popularity, never above its maximum,
 * summing to exactly `total`. Throws when the events cannot take that many.
 */
export function allocateRegistrations(shapes: readonly EventShape[], talents: number, total: number): Int32Array {
  const max = shapes.map((s) => maxRegistrations(s.capacity, talents));
  const room = max.reduce((sum, m) => sum + m, 0);
  if (total > room) {
    throw new CapacityError(
      `${total.toLocaleString('en')} registrations do not fit: ${shapes.length.toLocaleString('en')} events over ` +
        `${talents.toLocaleString('en')} talents take at most ${room.toLocaleString('en')} (each talent once per event, ` +
        `capacity plus a ${WAITLIST_SHARE * 100}% waitlist). Raise --events or --talents, or lower --registrations.`,
    );
  }
  const counts = new Int32Array(shapes.length);
  if (total === 0) return counts;
  const weights = shapes.map((s, i) => max[i]! * s.popularity);
  const fill = (scale: number) => {
    let sum = 0;
    for (let i = 0; i < shapes.length; i++) sum += Math.min(max[i]!, Math.floor(scale * weights[i]!));
    return sum;
  };
  // The smallest scale that reaches the total (binary search), then trim the few extra from the first events.
  let lo = 0;
  let hi = 1;
  while (fill(hi) < total) hi *= 2;
  for (let step = 0; step < 60; step++) {
    const mid = (lo + hi) / 2;
    if (fill(mid) >= total) hi = mid;
    else lo = mid;
  }
  let extra = -total;
  for (let i = 0; i < shapes.length; i++) {
    counts[i] = Math.min(max[i]!, Math.floor(hi * weights[i]!));
    extra += counts[i]!;
  }
  for (let i = 0; extra > 0 && i < shapes.length; i++) {
    if (counts[i]! > 0) {
      counts[i] = counts[i]! - 1;
      extra -= 1;
    }
  }
  return counts;
}

/**
 * The registrations of one event, in the order they were made. `firstIndex` numbers them globally, so that ids
 * follow each other across events.
 */
export function eventRegistrations(
  seed: number,
  eventIndex: number,
  eventId: string,
  shape: EventShape,
  count: number,
  talents: number,
  firstIndex: number,
  /**
   * The organisation that owns the generated talent of an index (the talents generator decides it), stored on each
   * registration as registerForEvent would; null leaves the rows for the trainings reconciliation to verify.
   */
  organisationOf: (talentIndex: number) => string | null = () => null,
): RegistrationTable[] {
  const random = randomFor(seed, 'registrations', eventIndex);
  const who = sampleIndexes(random, talents, count);
  const times = who.map(() => shape.deadline - random.int(60_000, MAX_LEAD_MS));
  const order = who.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  const past = shape.endsAt < AS_OF_MS;
  // Days of attendance and completion draw from a generator of their own, so that the statuses are those that
  // registrations had before these days were generated.
  const completions = randomFor(seed, 'completions', eventIndex);
  const firstDay = past ? dayIn(shape.startsAt, shape.timeZone) : null;
  const lastDay = past ? dayNumber(dayIn(shape.endsAt - 1, shape.timeZone)) : 0;
  let seated = 0;
  return order.map((i, n): RegistrationTable => {
    const registeredAt = times[i]!;
    let status: RegistrationStatus;
    let updatedAt = registeredAt;
    let attendedOn: string | null = null;
    let completedOn: string | null = null;
    if (random.chance(CANCELLED_SHARE)) {
      status = 'CANCELLED';
      updatedAt = registeredAt + Math.floor(random.next() * (shape.startsAt - registeredAt));
    } else if (seated < shape.capacity) {
      seated += 1;
      // Past events: most came (attended) and most of those completed; some never showed up (still registered).
      const r = random.next();
      status = !past ? 'REGISTERED' : r < 0.6 ? 'COMPLETED' : r < 0.87 ? 'ATTENDED' : 'REGISTERED';
      if (status !== 'REGISTERED') {
        updatedAt = shape.endsAt;
        attendedOn = firstDay;
      }
      if (status === 'COMPLETED') {
        const later = completions.chance(SAME_DAY_COMPLETION) ? 0 : completions.int(1, 28);
        const day = Math.min(lastDay + later, AS_OF_DAY);
        completedOn = isoDay(day);
        updatedAt = Math.max(shape.endsAt, dayStartMs(day));
      }
    } else {
      status = 'WAITLISTED';
    }
    return {
      id: generatedRegistrationId(firstIndex + n),
      event_id: eventId,
      talent_id: generatedTalentId(who[i]!),
      status,
      registered_at: new Date(registeredAt),
      updated_at: new Date(updatedAt),
      synthetic: true,
      attended_on: attendedOn,
      completed_on: completedOn,
      talent_organisation_id: organisationOf(who[i]!),
    };
  });
}
