import type { Kysely } from 'kysely';
import { connectionLoader, listLoader, rowLoader } from '@talent-hub/subgraph-lib/loaders';
import { NESTED_PAGE } from '@talent-hub/subgraph-lib/pagination';
import * as repo from './db/repository.js';
import type { EventRow, EventTable, RegistrationRow, RegistrationTable, TrainingsDatabase } from './db/types.js';

type EventOf = EventRow & { parent_key: string };
type RegistrationOf = RegistrationRow & { parent_key: string };

export const eventKey = (e: EventTable) => [e.starts_at.toISOString(), e.id];
export const registrationKey = (r: RegistrationTable) => [r.registered_at.toISOString(), r.id];

function eventPages(db: Kysely<TrainingsDatabase>, list: string, parent: repo.EventParent) {
  return connectionLoader<EventOf>({
    list,
    limits: NESTED_PAGE,
    keyLength: 2,
    keyOf: eventKey,
    fetch: (keys, page) => repo.listEventsOf(db, parent, keys, page),
    parentOf: (e) => e.parent_key,
    count: (keys) => repo.countEventsOf(db, parent, keys),
  });
}

function registrationPages(db: Kysely<TrainingsDatabase>, list: string, parent: repo.RegistrationParent) {
  return connectionLoader<RegistrationOf>({
    list,
    limits: NESTED_PAGE,
    keyLength: 2,
    keyOf: registrationKey,
    fetch: (keys, page) => repo.listRegistrationsOf(db, parent, keys, page),
    parentOf: (r) => r.parent_key,
    count: (keys) => repo.countRegistrationsOf(db, parent, keys),
  });
}

/** This request's DataLoaders: one batched SQL statement per batch, nothing shared between requests. */
export function createLoaders(db: Kysely<TrainingsDatabase>) {
  return {
    event: rowLoader((ids) => repo.findEvents(db, ids), (e) => e.id),
    agendaItems: listLoader((ids) => repo.listAgendaItems(db, ids), (a) => a.event_id),
    speakers: listLoader((ids) => repo.listSpeakers(db, ids), (s) => s.event_id),
    partners: listLoader((ids) => repo.listPartners(db, ids), (p) => p.event_id),
    skills: listLoader((ids) => repo.listSkills(db, ids), (s) => s.event_id),
    seatsTaken: rowLoader((ids) => repo.countSeatsTaken(db, ids), (c) => c.event_id),
    waitlistPosition: rowLoader((ids) => repo.waitlistPositions(db, ids), (w) => w.id),
    eventsInRegion: eventPages(db, 'Region.events', 'region'),
    eventsOfOrganiser: eventPages(db, 'Organisation.events', 'organiser'),
    eventsOfProgramme: eventPages(db, 'Programme.events', 'programme'),
    registrationsOfEvent: registrationPages(db, 'Event.registrations', 'event'),
    registrationsOfTalent: registrationPages(db, 'Talent.registrations', 'talent'),
  };
}

export type TrainingsLoaders = ReturnType<typeof createLoaders>;
