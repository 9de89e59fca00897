import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { afterKey, type KeyColumn, type Page } from '../../lib/pagination.js';
import { parentKeys, startsWith } from '../../lib/sql.js';
import type { TrainingsDatabase } from './types.js';

// Repository functions of the `trainings` subgraph: `db` first, one SQL statement each, every list bounded.

type Db = Kysely<TrainingsDatabase>;

/** Upper bound of an event's short lists (agenda items, speakers, partners, skills). */
export const SHORT_LIST_MAX = 200;

/** Registrations that hold a seat. */
export const SEAT_HOLDING = ['REGISTERED', 'ATTENDED', 'COMPLETED'];

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

export interface EventFilter {
  kind?: string | null;
  startsFrom?: Date | null;
  startsBefore?: Date | null;
}

function filteredEvents(db: Db, filter: EventFilter) {
  return db
    .selectFrom('events')
    .$if(filter.kind != null, (q) => q.where('kind', '=', filter.kind!))
    .$if(filter.startsFrom != null, (q) => q.where('starts_at', '>=', filter.startsFrom!))
    .$if(filter.startsBefore != null, (q) => q.where('starts_at', '<', filter.startsBefore!));
}

export function countEvents(db: Db, filter: EventFilter) {
  return filteredEvents(db, filter)
    .select(db.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
    .then((r) => r.count);
}

export function listEvents(db: Db, filter: EventFilter, page: Page) {
  return filteredEvents(db, filter)
    .selectAll()
    .$if(page.after !== null, (q) => q.where(afterKey(EVENT_KEY, page.after!)))
    .orderBy('starts_at')
    .orderBy('id')
    .limit(page.size + 1)
    .execute();
}

export type EventParent = 'region' | 'organiser' | 'programme';
export type RegistrationParent = 'event' | 'talent';

/**
 * Which events belong to the parent `k.key`: held in a region (or any of its sub-regions), organised by an
 * organisation, or part of a programme. Shared by the page and the count, so they always agree.
 */
function eventBelongsTo(parent: EventParent): Expression<SqlBool> {
  switch (parent) {
    case 'region':
      return startsWith('events.region_code', 'k.key');
    case 'organiser':
      return sql<SqlBool>`events.organiser_id = k.key`;
    case 'programme':
      return sql<SqlBool>`events.programme_id = k.key`;
  }
}

// Talent ids are uuids; parent keys are text.
function registrationBelongsTo(parent: RegistrationParent): Expression<SqlBool> {
  return parent === 'event' ? sql<SqlBool>`registrations.event_id = k.key` : sql<SqlBool>`registrations.talent_id = k.key::uuid`;
}

/** A page of events per parent, in start order. */
export function listEventsOf(db: Db, parent: EventParent, keys: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('events')
          .selectAll('events')
          .where(eventBelongsTo(parent))
          .$if(page.after !== null, (q) => q.where(afterKey(EVENT_KEY, page.after!)))
          .orderBy('events.starts_at')
          .orderBy('events.id')
          .limit(page.size + 1)
          .as('e'),
      (join) => join.onTrue(),
    )
    .selectAll('e')
    .select('k.key as parent_key')
    .execute();
}

export function countEventsOf(db: Db, parent: EventParent, keys: readonly string[]) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) => eb.selectFrom('events').select(eb.fn.countAll<number>().as('count')).where(eventBelongsTo(parent)).as('c'),
      (join) => join.onTrue(),
    )
    .select(['k.key as parent_key', 'c.count'])
    .execute();
}

/** A page of registrations per event or per talent, oldest first. */
export function listRegistrationsOf(db: Db, parent: RegistrationParent, keys: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('registrations')
          .selectAll('registrations')
          .where(registrationBelongsTo(parent))
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

export function countRegistrationsOf(db: Db, parent: RegistrationParent, keys: readonly string[]) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb.selectFrom('registrations').select(eb.fn.countAll<number>().as('count')).where(registrationBelongsTo(parent)).as('c'),
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
