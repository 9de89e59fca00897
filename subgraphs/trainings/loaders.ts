import type { Kysely } from 'kysely';
import { connectionLoader, listLoader, rowLoader, type ConnectionLoader } from '@talent-hub/subgraph-lib/loaders';
import { NESTED_PAGE } from '@talent-hub/subgraph-lib/pagination';
import { recommendTrainings, type RecommendationRequest } from './db/recommendations.js';
import * as repo from './db/repository.js';
import type { EventRow, EventTable, RegistrationRow, RegistrationTable, TrainingsDatabase } from './db/types.js';
import type { TrainingRecommendationModel } from './models.js';

type EventOf = EventRow & { parent_key: string };
type RegistrationOf = RegistrationRow & { parent_key: string };

export const eventKey = (e: EventTable) => [e.starts_at.toISOString(), e.id];
export const registrationKey = (r: RegistrationTable) => [r.registered_at.toISOString(), r.id];
/** Completed trainings: latest completion first (then registration id, descending). */
export const completionKey = (r: RegistrationTable) => [r.completed_on!, r.id];

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

function registrationPages(db: Kysely<TrainingsDatabase>, list: string, parent: repo.RegistrationParent, audience?: repo.RegistrationAudience) {
  return connectionLoader<RegistrationOf>({
    list,
    limits: NESTED_PAGE,
    keyLength: 2,
    keyOf: registrationKey,
    fetch: (keys, page) => repo.listRegistrationsOf(db, parent, keys, page, audience),
    parentOf: (r) => r.parent_key,
    count: (keys) => repo.countRegistrationsOf(db, parent, keys, audience),
  });
}

/**
 * Registration pages restricted to what one organisation reads (see repository.RegistrationAudience), one loader
 * per organisation: a request has one caller, so in practice one loader, and a batch stays one statement.
 */
function restrictedRegistrationPages(db: Kysely<TrainingsDatabase>, list: string, parent: repo.RegistrationParent, kind: 'talentOrganisation' | 'perTalentKey') {
  const byOrganisation = new Map<string, ConnectionLoader<RegistrationOf>>();
  return (organisationId: string): ConnectionLoader<RegistrationOf> => {
    let loader = byOrganisation.get(organisationId);
    if (!loader) {
      loader = registrationPages(db, list, parent, { kind, organisationId });
      byOrganisation.set(organisationId, loader);
    }
    return loader;
  };
}

/**
 * Skill.events, one connection loader per combination of filters (a batch shares its filters, as it shares its
 * page size and cursor).
 */
function skillEventPages(db: Kysely<TrainingsDatabase>) {
  const byFilter = new Map<string, ConnectionLoader<repo.SkillEventRow>>();
  return (filter: repo.SkillEventsFilter): ConnectionLoader<repo.SkillEventRow> => {
    const key = `${filter.upcoming}:${filter.withSeatsLeft}`;
    let loader = byFilter.get(key);
    if (!loader) {
      loader = connectionLoader<repo.SkillEventRow>({
        list: 'Skill.events',
        limits: NESTED_PAGE,
        keyLength: 4,
        keyOf: repo.skillEventKey,
        fetch: (keys, page) => repo.listEventsTeaching(db, keys, filter, page),
        parentOf: (e) => e.parent_key,
        count: (keys) => repo.countEventsTeaching(db, keys, filter),
      });
      byFilter.set(key, loader);
    }
    return loader;
  };
}

/**
 * Training recommendations for talents, batched: the talents of one batch (asking for the same number) cost one
 * statement. A request is a talent with the skills it wants, keyed by both; the recommended events go into the
 * request's event loader, so that resolving them costs nothing more.
 */
function recommendationLoader(db: Kysely<TrainingsDatabase>, events: { prime(id: string, row: EventRow): unknown }) {
  const byFirst = new Map<number, ReturnType<typeof listLoader<string, { key: string; recommendation: TrainingRecommendationModel }>>>();
  return {
    load(request: RecommendationRequest, first: number): Promise<TrainingRecommendationModel[]> {
      let loader = byFirst.get(first);
      if (!loader) {
        loader = listLoader(
          async (keys: readonly string[]) => {
            const requests = keys.map((key): RecommendationRequest => {
              const [talentId, gaps] = JSON.parse(key) as [string, RecommendationRequest['gaps']];
              return { talentId, gaps };
            });
            return (await recommendTrainings(db, requests, first)).map(({ k, skill_uris, reasons, ...event }) => {
              events.prime(event.id, event);
              const recommendation = { event, reasons: skill_uris.map((skillUri, i) => ({ skillUri, reason: reasons[i]! })) };
              return { key: keys[k]!, recommendation };
            });
          },
          (row) => row.key,
        );
        byFirst.set(first, loader);
      }
      return loader.load(JSON.stringify([request.talentId, request.gaps])).then((rows) => rows.map((r) => r.recommendation));
    },
  };
}

/** This request's DataLoaders: one batched SQL statement per batch, nothing shared between requests. */
export function createLoaders(db: Kysely<TrainingsDatabase>) {
  const event = rowLoader((ids: readonly string[]) => repo.findEvents(db, ids), (e) => e.id);
  return {
    event,
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
    registrationsOfEventForTalentOwner: restrictedRegistrationPages(db, 'Event.registrations', 'event', 'talentOrganisation'),
    // Keyed by repository.talentAudienceKey: talents read in full and talents read at the caller's events share a batch.
    registrationsOfTalentFor: restrictedRegistrationPages(db, 'Talent.registrations', 'talent', 'perTalentKey'),
    completedTrainings: connectionLoader<RegistrationOf>({
      list: 'Talent.completedTrainings',
      limits: NESTED_PAGE,
      keyLength: 2,
      keyOf: completionKey,
      fetch: (keys, page) => repo.listCompletedOf(db, keys, page),
      parentOf: (r) => r.parent_key,
      count: (keys) => repo.countCompletedOf(db, keys),
    }),
    eventsTeaching: skillEventPages(db),
    recommendations: recommendationLoader(db, event),
  };
}

export type TrainingsLoaders = ReturnType<typeof createLoaders>;
