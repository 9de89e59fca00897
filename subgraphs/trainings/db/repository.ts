import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { withinRegion } from '@talent-hub/subgraph-lib/filters';
import { badUserInput } from '@talent-hub/platform/errors';
import { afterKey, type CursorValue, type KeyColumn, type Page } from '@talent-hub/subgraph-lib/pagination';
import { parentKeys } from '@talent-hub/subgraph-lib/sql';
import { isUuid } from '@talent-hub/subgraph-lib/validate';
import type { AttendanceMode, EventKind, RegistrationStatus } from '../generated/enums.js';
import type { EventRow, RegistrationRow, TrainingsDatabase } from './types.js';

// Repository functions of the `trainings` subgraph: `db` first, one SQL statement each, every list bounded.

type Db = Kysely<TrainingsDatabase>;

/** Upper bound of an event's short lists (agenda items, speakers, partners, skills). */
export const SHORT_LIST_MAX = 200;

/** Registrations that hold a seat. */
export const SEAT_HOLDING: RegistrationStatus[] = ['REGISTERED', 'ATTENDED', 'COMPLETED'];

export const EVENT_KEY: KeyColumn[] = [
  { column: 'events.starts_at', type: 'timestamptz' },
  { column: 'events.id', type: 'text' },
];
export const REGISTRATION_KEY: KeyColumn[] = [
  { column: 'registrations.registered_at', type: 'timestamptz' },
  { column: 'registrations.id', type: 'uuid' },
];

export function findEvents(db: Db, ids: readonly string[]) {
  return db.selectFrom('events').selectAll().where('id', 'in', [...ids]).execute();
}

/** Filters of the events list; they combine (AND). Each can use an index that keeps the list's keyset order. */
export interface EventFilter {
  kind?: EventKind | null;
  attendanceMode?: AttendanceMode | null;
  /** A NUTS code: events held in that region or any of its sub-regions. */
  regionCode?: string | null;
  organiserId?: string | null;
  programmeId?: string | null;
  /** Half-open range of start instants: from (included) ... before (excluded). */
  startsFrom?: Date | null;
  startsBefore?: Date | null;
}

/**
 * Events held in the region `code` (of `length` characters, 2 to 5) or one of its sub-regions, written so that a
 * page is an index seek in list order: the code's first `length` characters equal it. Each NUTS level has an
 * index on (that prefix, starts_at, id): `left(region_code, 2|3|4)` (migration 0002) and, for level 3 (5
 * characters), the code itself (events_region_idx). However many or few events a region has, a page reads only
 * the page's rows. (A prefix range on one index would give rows in code order, to be sorted, or make the planner
 * walk the start-order index and filter, which for a region with few events reads the whole index.)
 */
function inRegionInOrder(code: string | Expression<string>, length: number): Expression<SqlBool> {
  return length >= 5
    ? sql<SqlBool>`events.region_code = ${code}`
    : sql<SqlBool>`left(events.region_code, ${sql.lit(length)}) = ${code}`;
}

/**
 * The events matching a filter; shared by the page, the count and the statistics, so they always agree.
 * `regionIn` picks the form of the region condition: `order` for a page (see inRegionInOrder), `range` for
 * counts and statistics, which read every matching row in any order: a prefix range on events_region_idx, an
 * index-only scan.
 */
export function filteredEvents(db: Db, filter: EventFilter, regionIn: 'order' | 'range' = 'range') {
  const region = filter.regionCode;
  return db
    .selectFrom('events')
    .$if(filter.kind != null, (q) => q.where('events.kind', '=', filter.kind!))
    .$if(filter.attendanceMode != null, (q) => q.where('events.attendance_mode', '=', filter.attendanceMode!))
    .$if(region != null, (q) =>
      q.where(regionIn === 'order' ? inRegionInOrder(region!, region!.length) : withinRegion('events.region_code', region!)),
    )
    .$if(filter.organiserId != null, (q) => q.where('events.organiser_id', '=', filter.organiserId!))
    .$if(filter.programmeId != null, (q) => q.where('events.programme_id', '=', filter.programmeId!))
    .$if(filter.startsFrom != null, (q) => q.where('events.starts_at', '>=', filter.startsFrom!))
    .$if(filter.startsBefore != null, (q) => q.where('events.starts_at', '<', filter.startsBefore!));
}

export function countEvents(db: Db, filter: EventFilter) {
  return filteredEvents(db, filter)
    .select(db.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
    .then((r) => r.count);
}

export function listEvents(db: Db, filter: EventFilter, page: Page) {
  return filteredEvents(db, filter, 'order')
    .selectAll()
    .$if(page.after !== null, (q) => q.where(afterKey(EVENT_KEY, page.after!)))
    .orderBy('events.starts_at')
    .orderBy('events.id')
    .limit(page.size + 1)
    .execute();
}

export type EventParent = 'region' | 'organiser' | 'programme';
export type RegistrationParent = 'event' | 'talent';

/**
 * Which events belong to the parent `k.key`: held in a region (or any of its sub-regions), organised by an
 * organisation, or part of a programme. Shared by the page and the count, so they always agree. Region keys are
 * matched by the form that suits the query (see filteredEvents); `keyLength` is the length of every key of a
 * page query.
 */
function eventBelongsTo(parent: EventParent, regionIn: 'order' | 'range', keyLength = 0): Expression<SqlBool> {
  switch (parent) {
    case 'region':
      return regionIn === 'order' ? inRegionInOrder(sql.ref('k.key'), keyLength) : withinRegion('events.region_code', sql.ref('k.key'));
    case 'organiser':
      return sql<SqlBool>`events.organiser_id = k.key`;
    case 'programme':
      return sql<SqlBool>`events.programme_id = k.key`;
  }
}

/**
 * Which registrations of a list a caller reads: all of them; those of talents owned by an organisation (its users
 * reading another organiser's event); or, per talent, all of them or only those of the events an organisation
 * organises (its users reading talents of whom some share personal data with it and some do not): the key then
 * says which, `all:<talent id>` or `organiser:<talent id>`, so that one page of talents stays one statement.
 * Pages and counts apply the same rule, so a count never includes a row the caller cannot read.
 */
export type RegistrationAudience =
  | { kind: 'all' }
  | { kind: 'talentOrganisation'; organisationId: string }
  | { kind: 'perTalentKey'; organisationId: string };

/** The key of a talent's registrations for the `perTalentKey` audience. */
export const talentAudienceKey = (talentId: string, readsAll: boolean) => `${readsAll ? 'all' : 'organiser'}:${talentId}`;

// Talent ids are uuids; parent keys are text.
function registrationBelongsTo(parent: RegistrationParent, audience: RegistrationAudience = { kind: 'all' }): Expression<SqlBool> {
  if (audience.kind === 'perTalentKey') {
    return sql<SqlBool>`registrations.talent_id = split_part(k.key, ':', 2)::uuid and (split_part(k.key, ':', 1) = 'all'
      or registrations.event_id in (select o.id from events o where o.organiser_id = ${audience.organisationId}))`;
  }
  const belongs = parent === 'event' ? sql<SqlBool>`registrations.event_id = k.key` : sql<SqlBool>`registrations.talent_id = k.key::uuid`;
  return audience.kind === 'all' ? belongs : sql<SqlBool>`${belongs} and registrations.talent_organisation_id = ${audience.organisationId}`;
}

/** Most country keys of one batch given a branch each (there are 39 NUTS countries). */
const COUNTRY_BRANCHES_MAX = 50;

/**
 * A page of events per parent, in start order, in one statement.
 *
 * Region keys take the form that lets each region seek the index of its NUTS level (see inRegionInOrder), one
 * UNION ALL branch per kind of key. Keys of one length share a LATERAL branch, whose plan is made once for
 * any key: for regions below country level there are many distinct values and the planner rightly seeks the
 * region's index. A country, though, is a large share of the events as far as a plan for any key can tell, and
 * such a plan walks the start-order index and filters, which for a country with few or no events reads the
 * whole index. So each country key gets a branch of its own with the code as a value: the planner sees which
 * country it is, and walks for a country with many events or seeks for one with few. A key that is no NUTS code
 * (not 2 to 5 characters) has no events.
 */
export async function listEventsOf(
  db: Db,
  parent: EventParent,
  keys: readonly string[],
  page: Page,
): Promise<(EventRow & { parent_key: string })[]> {
  const pageOf = (condition: Expression<SqlBool>) =>
    db
      .selectFrom('events')
      .selectAll('events')
      .where(condition)
      .$if(page.after !== null, (q) => q.where(afterKey(EVENT_KEY, page.after!)))
      .orderBy('events.starts_at')
      .orderBy('events.id')
      .limit(page.size + 1);
  const lateral = (groupKeys: readonly string[], keyLength: number) =>
    db
      .selectFrom(parentKeys(groupKeys))
      .innerJoinLateral(pageOf(eventBelongsTo(parent, 'order', keyLength)).as('e'), (join) => join.onTrue())
      .selectAll('e')
      .select('k.key as parent_key');
  const country = (code: string) =>
    db
      .selectFrom(pageOf(inRegionInOrder(code, 2)).as('e'))
      .selectAll('e')
      .select(sql<string>`cast(${code} as text)`.as('parent_key'));

  const branches = [];
  if (parent !== 'region') branches.push(lateral(keys, 0));
  else {
    const ofLength = (length: number) => keys.filter((k) => k.length === length);
    const countries = ofLength(2);
    if (countries.length > COUNTRY_BRANCHES_MAX) branches.push(lateral(countries, 2));
    else branches.push(...countries.map(country));
    for (const length of [3, 4, 5]) if (ofLength(length).length > 0) branches.push(lateral(ofLength(length), length));
  }
  const [first, ...rest] = branches;
  if (!first) return [];
  return rest.reduce((union, branch) => union.unionAll(branch), first).execute();
}

export function countEventsOf(db: Db, parent: EventParent, keys: readonly string[]) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) => eb.selectFrom('events').select(eb.fn.countAll<number>().as('count')).where(eventBelongsTo(parent, 'range')).as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

/** A page of registrations per event or per talent, oldest first. */
export function listRegistrationsOf(db: Db, parent: RegistrationParent, keys: readonly string[], page: Page, audience?: RegistrationAudience) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('registrations')
          .selectAll('registrations')
          .where(registrationBelongsTo(parent, audience))
          .$if(page.after !== null, (q) => q.where(afterKey(REGISTRATION_KEY, page.after!)))
          .orderBy('registrations.registered_at')
          .orderBy('registrations.id')
          .limit(page.size + 1)
          .as('r'),
      (join) => join.onTrue(),
    )
    .selectAll('r')
    .select('k.key as parent_key')
    .execute();
}

export function countRegistrationsOf(db: Db, parent: RegistrationParent, keys: readonly string[], audience?: RegistrationAudience) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb.selectFrom('registrations').select(eb.fn.countAll<number>().as('count')).where(registrationBelongsTo(parent, audience)).as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

/** Seats taken per event. */
export function countSeatsTaken(db: Db, eventIds: readonly string[]) {
  return db
    .selectFrom('registrations')
    .select(['event_id', db.fn.countAll<number>().as('taken')])
    .where('event_id', 'in', [...eventIds])
    .where('status', 'in', SEAT_HOLDING)
    .groupBy('event_id')
    .execute();
}

export function listAgendaItems(db: Db, eventIds: readonly string[]) {
  return db
    .selectFrom('agenda_items')
    .selectAll()
    .where('event_id', 'in', [...eventIds])
    .orderBy('event_id')
    .orderBy('position')
    .limit(SHORT_LIST_MAX * eventIds.length)
    .execute();
}

export function listSpeakers(db: Db, eventIds: readonly string[]) {
  return db
    .selectFrom('agenda_speakers')
    .selectAll()
    .where('event_id', 'in', [...eventIds])
    .orderBy('event_id')
    .orderBy('item_position')
    .orderBy('position')
    .limit(SHORT_LIST_MAX * eventIds.length)
    .execute();
}

export function listPartners(db: Db, eventIds: readonly string[]) {
  return db
    .selectFrom('event_partners')
    .selectAll()
    .where('event_id', 'in', [...eventIds])
    .orderBy('event_id')
    .orderBy('organisation_id')
    .limit(SHORT_LIST_MAX * eventIds.length)
    .execute();
}

export function listSkills(db: Db, eventIds: readonly string[]) {
  return db
    .selectFrom('event_skills')
    .selectAll()
    .where('event_id', 'in', [...eventIds])
    .orderBy('event_id')
    .orderBy('skill_uri')
    .limit(SHORT_LIST_MAX * eventIds.length)
    .execute();
}

/**
 * Places in their event's waitlist of WAITLISTED registrations, 1 for the next in line (order: registered_at,
 * id); other registrations have no row. One statement for any number of registrations: each counts those ahead
 * of it on the waitlist's partial index (registrations_waitlist_idx), never the other statuses.
 */
export async function waitlistPositions(db: Db, registrationIds: readonly string[]): Promise<{ id: string; position: number }[]> {
  const { rows } = await sql<{ id: string; position: number }>`
    select r.id, 1 + (
      select count(*) from registrations w
      where w.event_id = r.event_id and w.status = 'WAITLISTED' and (w.registered_at, w.id) < (r.registered_at, r.id)
    ) as position
    from registrations r
    where r.id = any(cast(${[...registrationIds]} as uuid[])) and r.status = 'WAITLISTED'`.execute(db);
  return rows;
}

/** A cursor value that the list's own rows could not have given: the cursor was made up or altered. */
const foreignCursor = (list: string) =>
  badUserInput(`Argument "after" is not a cursor of this list (${list}); pass an endCursor it returned.`, 'after');

// Cursor values as this subgraph writes them: days `YYYY-MM-DD`, instants as Date.toISOString() gives them.
const isDay = (value: CursorValue | undefined): value is string => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
};
const isInstant = (value: CursorValue | undefined): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value));

/**
 * A page of completed trainings per talent: its registrations that have a completion day (COMPLETED ones, by the
 * checks of migration 0004), latest completion first, then the registration id, descending. One statement; each
 * talent's page is a seek of registrations_completed_idx.
 */
export function listCompletedOf(db: Db, talentIds: readonly string[], page: Page): Promise<(RegistrationRow & { parent_key: string })[]> {
  const after = page.after;
  if (after && (!isDay(after[0]) || typeof after[1] !== 'string' || !isUuid(after[1]))) {
    throw foreignCursor('Talent.completedTrainings');
  }
  return db
    .selectFrom(parentKeys(talentIds))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('registrations')
          .selectAll('registrations')
          .where(sql<SqlBool>`registrations.talent_id = k.key::uuid`)
          .where('registrations.completed_on', 'is not', null)
          .$if(after !== null, (q) =>
            q.where(sql<SqlBool>`(registrations.completed_on, registrations.id) < (cast(${after![0]} as date), cast(${after![1]} as uuid))`),
          )
          .orderBy('registrations.completed_on', 'desc')
          .orderBy('registrations.id', 'desc')
          .limit(page.size + 1)
          .as('r'),
      (join) => join.onTrue(),
    )
    .selectAll('r')
    .select('k.key as parent_key')
    .execute();
}

export function countCompletedOf(db: Db, talentIds: readonly string[]) {
  return db
    .selectFrom(parentKeys(talentIds))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('registrations')
          .select(eb.fn.countAll<number>().as('count'))
          .where(sql<SqlBool>`registrations.talent_id = k.key::uuid`)
          .where('registrations.completed_on', 'is not', null)
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

/** Filters of Skill.events. */
export interface SkillEventsFilter {
  /** Only events that have not started. */
  upcoming: boolean;
  /** Only events that are not cancelled and have a seat left. */
  withSeatsLeft: boolean;
}

/**
 * An event of Skill.events with its place in the list's two-part order: `part` 0 for the upcoming events (soonest
 * first), 1 for those that have started (latest first); `split` the instant that divides them, fixed by the first
 * page and carried by the cursors.
 */
export type SkillEventRow = EventRow & { parent_key: string; part: 0 | 1; split: Date };

/** The sort key of a Skill.events row, as its cursor holds it: [split, part, starts_at, id]. */
export const skillEventKey = (e: SkillEventRow): CursorValue[] => [e.split.toISOString(), e.part, e.starts_at.toISOString(), e.id];

/**
 * The event has a seat left: it is not cancelled, and its capacity is unlimited or above its seat-holding
 * registrations (the counts kept by triggers, one row per event).
 */
const hasSeatLeft = sql<SqlBool>`events.cancelled_at is null and (events.capacity is null or coalesce((
    select c.n_registered + c.n_attended + c.n_completed from event_registration_counts c where c.event_id = events.id
  ), 0) < events.capacity)`;

/**
 * A page of the events teaching each skill (parent keys: skill URIs), upcoming ones first, in one statement. Each
 * part of each skill is a seek of event_skills_skill_idx (skill, start, event) from the split onwards or backwards,
 * reading only the page (and the events skipped by `withSeatsLeft`). Rows come back per skill in list order.
 */
export async function listEventsTeaching(
  db: Db,
  skillUris: readonly string[],
  filter: SkillEventsFilter,
  page: Page,
): Promise<SkillEventRow[]> {
  const after = page.after;
  if (after && (!isInstant(after[0]) || (after[1] !== 0 && after[1] !== 1) || !isInstant(after[2]) || typeof after[3] !== 'string')) {
    throw foreignCursor('Skill.events');
  }
  // The split: now (to the millisecond, as starts are kept) on a first page, the first page's on the next ones.
  const split = after ? sql<Date>`cast(${after[0]} as timestamptz)` : sql<Date>`date_trunc('milliseconds', now())`;
  const part = (n: 0 | 1) =>
    db
      .selectFrom(parentKeys(skillUris))
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('event_skills')
            .innerJoin('events', 'events.id', 'event_skills.event_id')
            .selectAll('events')
            .select([sql<0 | 1>`${sql.lit(n)}`.as('part'), split.as('split')])
            .where(sql<SqlBool>`event_skills.skill_uri = k.key`)
            .where(n === 0 ? sql<SqlBool>`event_skills.starts_at > ${split}` : sql<SqlBool>`event_skills.starts_at <= ${split}`)
            .$if(after !== null && after[1] === n, (q) =>
              q.where(
                n === 0
                  ? sql<SqlBool>`(event_skills.starts_at, event_skills.event_id) > (cast(${after![2]} as timestamptz), cast(${after![3]} as text))`
                  : sql<SqlBool>`(event_skills.starts_at, event_skills.event_id) < (cast(${after![2]} as timestamptz), cast(${after![3]} as text))`,
              ),
            )
            .$if(filter.withSeatsLeft, (q) => q.where(hasSeatLeft))
            .orderBy('event_skills.starts_at', n === 0 ? 'asc' : 'desc')
            .orderBy('event_skills.event_id', n === 0 ? 'asc' : 'desc')
            .limit(page.size + 1)
            .as('e'),
        (join) => join.onTrue(),
      )
      .selectAll('e')
      .select('k.key as parent_key');
  // The upcoming part is read unless the cursor is already past it; the started part unless only upcoming
  // events are asked for.
  const upcomingPart = after === null || after[1] === 0;
  const parts = [...(upcomingPart ? [part(0)] : []), ...(filter.upcoming ? [] : [part(1)])];
  const [first, second] = parts;
  if (!first) return [];
  const rows = (await (second ? first.unionAll(second) : first).execute()) as SkillEventRow[];
  // In list order: upcoming (soonest first), then started (latest first); ties by id in the same direction.
  const byId = (a: SkillEventRow, b: SkillEventRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return rows.sort((a, b) => {
    if (a.part !== b.part) return a.part - b.part;
    const order = a.starts_at.getTime() - b.starts_at.getTime() || byId(a, b);
    return a.part === 0 ? order : -order;
  });
}

/** How many events teach each skill under the filters (upcoming: from now on). */
export function countEventsTeaching(db: Db, skillUris: readonly string[], filter: SkillEventsFilter) {
  return db
    .selectFrom(parentKeys(skillUris))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('event_skills')
          .innerJoin('events', 'events.id', 'event_skills.event_id')
          .select(eb.fn.countAll<number>().as('count'))
          .where(sql<SqlBool>`event_skills.skill_uri = k.key`)
          .$if(filter.upcoming, (q) => q.where(sql<SqlBool>`event_skills.starts_at > now()`))
          .$if(filter.withSeatsLeft, (q) => q.where(hasSeatLeft))
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}
