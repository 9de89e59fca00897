import type { FieldProblem } from '@talent-hub/platform/errors';
import { formatInstant, isTimeZone } from '@talent-hub/subgraph-lib/time';
import { isUuid, parseEscoSkillUri, parseNutsCode, parseSlug } from '@talent-hub/subgraph-lib/validate';
import type { EventRow, EventTable, RegistrationRow } from './db/types.js';
import type { CreateEventInput, UpdateEventInput } from './generated/resolvers.js';

// Checks of the inputs of createEvent and updateEvent. Every problem is collected (not just the first), each
// under the dotted path of its field, so that a form can show each next to its field. The rules are those of the
// schema's documentation of Mutation.createEvent; a change here must change the text there.

// A BCP 47 tag as the graph uses them: language, optional script, optional region (en, pt-BR, sr-Latn-RS).
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/;
// Control characters other than tab and line breaks have no place in announced text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const MAX_DAYS = 366;
export const MAX_CAPACITY = 100_000;
const MAX_ID_LENGTH = 100;
const MAX_LIST = 50;
const MAX_LANGUAGES = 20;

/**
 * The fields of CreateEventInput and UpdateEventInput, as GraphQL hands them over (absent, null or a value, enums
 * and instants checked by their types): the update input, every field optional, which a create input also is.
 */
export type EventInput = UpdateEventInput & Pick<CreateEventInput, 'id'>;

type EventColumns = Omit<EventTable, 'id' | 'organiser_id' | 'synthetic'>;

/** The event's columns after the input (all of them), and the lists to replace (undefined: keep). */
export interface CheckedEvent {
  columns: EventColumns;
  partnerIds: string[] | undefined;
  skillUris: string[] | undefined;
}

/**
 * The input checked: every problem, and the event to store, made only when there is none. `capacity` is the
 * capacity the event would have, for the rules that need the database (seats taken) to add their problems.
 */
export interface EventCheck {
  event: CheckedEvent | undefined;
  capacity: number | null;
  problems: FieldProblem[];
}

/** Fields that an update may leave out but not clear. */
const REQUIRED = ['title', 'kind', 'attendanceMode', 'startsAt', 'endsAt', 'timeZone'] as const;

/**
 * Checks an event input against the rules, merged with the current event for an update (`current`), and returns
 * the columns to store with every problem found. `organiserId` is the organiser's id (a partner cannot be it).
 */
export function checkEventInput(
  input: EventInput,
  current: EventRow | null,
  organiserId: string,
): EventCheck {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `input.${field}`, message });
  const given = (field: keyof EventInput) => input[field] !== undefined;

  for (const field of REQUIRED) if (input[field] === null) problem(field, 'cannot be null; leave it out to keep the current value');

  const text = (field: 'title' | 'description' | 'series', max: number, required: boolean): string | null | undefined => {
    const value = input[field];
    if (value === undefined || value === null) return value;
    const trimmed = value.trim();
    if (required && trimmed === '') problem(field, 'must not be empty');
    else if (trimmed.length > max) problem(field, `must be at most ${max} characters (got ${trimmed.length})`);
    else if (CONTROL.test(trimmed)) problem(field, 'must not contain control characters');
    return trimmed === '' ? null : trimmed;
  };
  const title = text('title', 300, true);
  const description = text('description', 5000, false);
  const series = text('series', 300, false);

  const instantOk = (field: 'startsAt' | 'endsAt' | 'registrationDeadline') => {
    const value = input[field];
    if (value == null) return true;
    if (Number.isNaN(value.getTime()) || value.getTime() < EARLIEST || value.getTime() >= LATEST) {
      problem(field, 'must be an instant between the years 2000 and 2099');
      return false;
    }
    return true;
  };
  const instantsOk = [instantOk('startsAt'), instantOk('endsAt'), instantOk('registrationDeadline')].every(Boolean);

  const timeZone = input.timeZone == null ? input.timeZone : input.timeZone.trim();
  if (timeZone != null && (timeZone.length > 64 || !isTimeZone(timeZone))) {
    problem('timeZone', `must be an IANA time zone such as "Europe/Brussels"; got "${timeZone.slice(0, 64)}"`);
  }

  let venue: Pick<EventTable, 'venue_name' | 'venue_room' | 'venue_address' | 'venue_city'> | undefined;
  if (input.venue === null) venue = { venue_name: null, venue_room: null, venue_address: null, venue_city: null };
  else if (input.venue !== undefined) {
    const part = (key: 'name' | 'room' | 'address' | 'city', required: boolean): string | null => {
      const value = input.venue![key]?.trim() ?? '';
      if (required && value === '') problem(`venue.${key}`, 'must not be empty');
      else if (value.length > 300) problem(`venue.${key}`, `must be at most 300 characters (got ${value.length})`);
      else if (CONTROL.test(value)) problem(`venue.${key}`, 'must not contain control characters');
      return value === '' ? null : value;
    };
    venue = { venue_name: part('name', true), venue_room: part('room', false), venue_address: part('address', false), venue_city: part('city', true) };
  }

  const shaped = <T>(field: string, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      problem(field, (error as Error).message.replace(/^Argument "[^"]*" /, ''));
      return undefined;
    }
  };
  if (input.regionCode != null) shaped('regionCode', () => parseNutsCode(input.regionCode!, 'input.regionCode'));
  if (input.programmeId != null) shaped('programmeId', () => parseSlug(input.programmeId!, 'input.programmeId'));

  const list = (field: 'partnerIds' | 'languages' | 'skillUris', max: number, check: (value: string, at: string) => boolean): string[] | undefined => {
    const values = input[field];
    if (values === undefined) return undefined;
    if (values === null) return [];
    if (values.length > max) problem(field, `must list at most ${max} values (got ${values.length})`);
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (!check(value, `${field}.${i}`)) return;
      if (seen.has(value)) problem(`${field}.${i}`, `lists "${value}" a second time`);
      seen.add(value);
    });
    return values;
  };
  const partnerIds = list('partnerIds', MAX_LIST, (value, at) => {
    if (shaped(at, () => parseSlug(value, `input.${at}`)) === undefined) return false;
    if (value === organiserId) {
      problem(at, 'is the organiser; partners are the other organisations');
      return false;
    }
    return true;
  });
  const languages = list('languages', MAX_LANGUAGES, (value, at) => {
    if (LANGUAGE_TAG.test(value)) return true;
    problem(at, `must be a BCP 47 language tag such as "en" or "pt-BR"; got "${value.slice(0, 20)}"`);
    return false;
  });
  const skillUris = list('skillUris', MAX_LIST, (value, at) => shaped(at, () => parseEscoSkillUri(value, `input.${at}`)) !== undefined);

  if (input.capacity != null && (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_CAPACITY)) {
    problem('capacity', `must be from 1 to ${MAX_CAPACITY} seats (leave it out, or null, for unlimited); got ${input.capacity}`);
  }

  // The event as it would be stored: the input's values where given, the current ones elsewhere. A required value
  // that is missing (null given) is among the problems already; the draft holds '' or null for it.
  const pick = <V>(field: keyof EventInput, value: V, currentValue: V | undefined): V | undefined => (given(field) ? value : currentValue);
  const draft: Omit<EventColumns, 'kind' | 'attendance_mode'> & Partial<Pick<EventColumns, 'kind' | 'attendance_mode'>> = {
    title: pick('title', title, current?.title) ?? '',
    kind: pick('kind', input.kind, current?.kind) ?? undefined,
    description: pick('description', description ?? null, current?.description ?? null) ?? null,
    series: pick('series', series ?? null, current?.series ?? null) ?? null,
    attendance_mode: pick('attendanceMode', input.attendanceMode, current?.attendance_mode) ?? undefined,
    starts_at: pick('startsAt', input.startsAt, current?.starts_at) ?? new Date(NaN),
    ends_at: pick('endsAt', input.endsAt, current?.ends_at) ?? new Date(NaN),
    time_zone: pick('timeZone', timeZone, current?.time_zone) ?? '',
    venue_name: venue ? venue.venue_name : (current?.venue_name ?? null),
    venue_room: venue ? venue.venue_room : (current?.venue_room ?? null),
    venue_address: venue ? venue.venue_address : (current?.venue_address ?? null),
    venue_city: venue ? venue.venue_city : (current?.venue_city ?? null),
    region_code: pick('regionCode', input.regionCode ?? null, current?.region_code ?? null) ?? null,
    programme_id: pick('programmeId', input.programmeId ?? null, current?.programme_id ?? null) ?? null,
    languages: languages ?? current?.languages ?? [],
    capacity: pick('capacity', input.capacity ?? null, current?.capacity ?? null) ?? null,
    registration_deadline: pick('registrationDeadline', input.registrationDeadline ?? null, current?.registration_deadline ?? null) ?? null,
  };

  // Rules across fields, blamed on a field the input gave (the one that makes the event wrong).
  const blame = (...fields: (keyof EventInput)[]) => fields.find(given) ?? fields[0]!;
  if (instantsOk && problems.every((p) => !/^input\.(startsAt|endsAt)$/.test(p.field))) {
    const start = draft.starts_at.getTime();
    const end = draft.ends_at.getTime();
    if (!(start < end)) problem(blame('endsAt', 'startsAt'), 'must be after startsAt');
    else if (end - start > MAX_DAYS * 86_400_000) problem(blame('endsAt', 'startsAt'), `must be at most ${MAX_DAYS} days after startsAt`);
    const deadline = draft.registration_deadline;
    if (deadline && deadline.getTime() > start) problem(blame('registrationDeadline', 'startsAt'), 'registrationDeadline must not be after startsAt');
  }
  const mode = draft.attendance_mode;
  if (mode !== undefined) {
    if (mode === 'ONLINE') {
      if (draft.venue_name !== null) problem(blame('venue', 'attendanceMode'), 'must be absent (null) for an ONLINE event');
      if (draft.region_code !== null) problem(blame('regionCode', 'attendanceMode'), 'must be absent (null) for an ONLINE event');
    } else {
      if (draft.venue_name === null && !problems.some((p) => p.field.startsWith('input.venue'))) {
        problem(blame('venue', 'attendanceMode'), `is required for an ${mode} event`);
      }
      if (draft.region_code === null) problem(blame('regionCode', 'attendanceMode'), `is required for an ${mode} event`);
    }
  }
  const { kind, attendance_mode } = draft;
  const complete = problems.length === 0 && kind !== undefined && attendance_mode !== undefined;
  return { event: complete ? { columns: { ...draft, kind, attendance_mode }, partnerIds, skillUris } : undefined, capacity: draft.capacity, problems };
}

/**
 * The id of a new event: the one given, or one derived from the title (ASCII letters and digits, lowercase,
 * joined by single hyphens). Returns a problem instead when neither gives a valid slug.
 */
export function eventIdOf(input: EventInput): { id: string } | { problem: FieldProblem } {
  if (input.id != null) {
    if (input.id.length > MAX_ID_LENGTH) return { problem: { field: 'input.id', message: `must be at most ${MAX_ID_LENGTH} characters` } };
    try {
      return { id: parseSlug(input.id, 'input.id') };
    } catch (error) {
      return { problem: { field: 'input.id', message: (error as Error).message.replace(/^Argument "[^"]*" /, '') } };
    }
  }
  const derived = (input.title ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80)
    .replace(/^-+|-+$/g, '');
  if (derived === '') return { problem: { field: 'input.id', message: 'cannot be derived from this title; give one' } };
  return { id: derived };
}

/** Problems with a talent id argument (a UUID), for mutations that take one. */
export function talentIdProblems(talentId: string, field = 'talentId'): FieldProblem[] {
  return isUuid(talentId) ? [] : [{ field, message: 'must be a talent id, a lowercase UUID' }];
}

/** Problems with an event id argument (a slug). */
export function eventIdProblems(eventId: string, field = 'eventId'): FieldProblem[] {
  return eventId.length <= MAX_ID_LENGTH && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(eventId)
    ? []
    : [{ field, message: 'must be an event id, a lowercase slug such as "ewrc-2024-eu-belong"' }];
}

/** Problems with a registration id argument (a UUID). */
export function registrationIdProblems(registrationId: string, field = 'registrationId'): FieldProblem[] {
  return isUuid(registrationId) ? [] : [{ field, message: 'must be a registration id, a lowercase UUID' }];
}

/** The days of an event in its time zone (`YYYY-MM-DD`), and today there, by the database's clock. */
export interface EventDays {
  first: string;
  last: string;
  today: string;
}

const dayIn = (instant: Date, timeZone: string) => formatInstant(instant, timeZone).slice(0, 10);

export function eventDays(event: Pick<EventRow, 'starts_at' | 'ends_at' | 'time_zone'>, now: Date): EventDays {
  return {
    first: dayIn(event.starts_at, event.time_zone),
    // An event ending at midnight ends on the day before.
    last: dayIn(new Date(event.ends_at.getTime() - 1), event.time_zone),
    today: dayIn(now, event.time_zone),
  };
}

/** What markAttended or markCompleted asks to record (days as the Date scalar gives them, `YYYY-MM-DD`). */
export type AttendanceMark =
  | { kind: 'attended'; attendedOn: string }
  | { kind: 'completed'; completedOn: string; attendedOn: string | null };

/**
 * A mark checked against the registration and its event: `unchanged` when the registration already says exactly
 * this (nothing to write); otherwise every problem, and the values to store when there is none.
 */
export interface AttendanceCheck {
  unchanged: boolean;
  problems: FieldProblem[];
  values: { status: 'ATTENDED' | 'COMPLETED'; attended_on: string; completed_on: string | null } | undefined;
}

/**
 * The rules of markAttended and markCompleted (see their documentation in the schema; a change here must change
 * the text there). Attendance happens during the event: the event has started, is not cancelled, and the day of
 * attendance is one of its days, not after today. Completion may come later, but not before attendance and not
 * after today. Days are the event's, in its time zone.
 */
export function checkAttendance(
  mark: AttendanceMark,
  registration: Pick<RegistrationRow, 'status' | 'attended_on' | 'completed_on'>,
  event: Pick<EventRow, 'starts_at' | 'ends_at' | 'time_zone' | 'cancelled_at'>,
  now: Date,
): AttendanceCheck {
  const days = eventDays(event, now);
  const { status } = registration;
  // The day of attendance to store: the one given; for a completion without one, the one recorded, else the day
  // of completion (the event's last day when completion came after the event).
  const attendedOn = mark.kind === 'attended'
    ? mark.attendedOn
    : (mark.attendedOn ?? registration.attended_on ?? (mark.completedOn > days.last ? days.last : mark.completedOn));
  const completedOn = mark.kind === 'completed' ? mark.completedOn : registration.completed_on;
  const target = mark.kind === 'completed' || status === 'COMPLETED' ? 'COMPLETED' : 'ATTENDED';

  if (status === target && registration.attended_on === attendedOn && registration.completed_on === completedOn) {
    return { unchanged: true, problems: [], values: undefined };
  }

  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  if (event.cancelled_at) problem('registrationId', 'the event was cancelled; attendance and completion are not recorded for a cancelled event');
  if (event.starts_at.getTime() > now.getTime()) problem('registrationId', 'the event has not started yet; attendance is recorded once it has');
  if (status === 'WAITLISTED' || status === 'CANCELLED') {
    problem('registrationId', `the registration is ${status}: only a registration holding a seat (REGISTERED, ATTENDED or COMPLETED) can be marked`);
  }

  const zone = `in the event's time zone, ${event.time_zone}`;
  if (mark.attendedOn != null) {
    if (mark.attendedOn < days.first) problem('attendedOn', `must not be before the event's first day (${days.first}, ${zone})`);
    if (mark.attendedOn > days.last) problem('attendedOn', `must not be after the event's last day (${days.last}, ${zone}): attendance is during the event`);
    if (mark.attendedOn > days.today) problem('attendedOn', `must not be in the future (today is ${days.today}, ${zone})`);
  }
  if (mark.kind === 'attended' && completedOn !== null && attendedOn > completedOn) {
    problem('attendedOn', `must not be after the day of completion (${completedOn}); change both with markCompleted`);
  }
  if (mark.kind === 'completed') {
    if (mark.completedOn > days.today) problem('completedOn', `must not be in the future (today is ${days.today}, ${zone})`);
    if (mark.completedOn < days.first) problem('completedOn', `must not be before the event's first day (${days.first}, ${zone})`);
    else if (mark.completedOn < attendedOn) {
      problem('completedOn', mark.attendedOn != null
        ? 'must not be before attendedOn: completion comes with or after attendance'
        : `must not be before the recorded day of attendance (${attendedOn}); give attendedOn to correct it`);
    }
  }
  if (problems.length > 0) return { unchanged: false, problems, values: undefined };
  return { unchanged: false, problems, values: { status: target, attended_on: attendedOn, completed_on: completedOn } };
}
