import type { Kysely } from 'kysely';
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

export function listEvents(db: Db, filter: EventFilter, page: Page) {
  return db
    .selectFrom('events')
    .selectAll()
    .$if(filter.kind != null, (q) => q.where('kind', '=', filter.kind!))
    .$if(filter.startsFrom != null, (q) => q.where('starts_at', '>=', filter.startsFrom!))
    .$if(filter.startsBefore != null, (q) => q.where('starts_at', '<', filter.startsBefore!))
    .$if(page.after !== null, (q) => q.where(afterKey(EVENT_KEY, page.after!)))
    .orderBy('starts_at')
    .orderBy('id')
    .limit(page.size + 1)
    .execute();
}

type EventParent = 'region' | 'organiser' | 'programme';

/** A page of events per parent: held in a region (or its sub-regions), organised by, or part of a programme. */
export function listEventsOf(db: Db, parent: EventParent, keys: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('events')
          .selectAll('events')
          .$if(parent === 'region', (q) => q.where(startsWith('events.region_code', 'k.key')))
          .$if(parent === 'organiser', (q) => q.whereRef('events.organiser_id', '=', 'k.key'))
          .$if(parent === 'programme', (q) => q.whereRef('events.programme_id', '=', 'k.key'))
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

/** A page of registrations per event or per talent, oldest first. */
export function listRegistrationsOf(db: Db, parent: 'event' | 'talent', keys: readonly string[], page: Page) {
  return db
    .selectFrom(parentKeys(keys))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('registrations')
          .selectAll('registrations')
          .$if(parent === 'event', (q) => q.whereRef('registrations.event_id', '=', 'k.key'))
          // Talent ids are uuids; the key column is text.
          .$if(parent === 'talent', (q) => q.whereRef('registrations.talent_id', '=', eb.cast('k.key', 'uuid')))
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
