import { keyedRecordKey, perturb } from '@talent-hub/subgraph-lib/disclosure';
import { forbidden } from '@talent-hub/platform/errors';
import { loadExisting } from '@talent-hub/subgraph-lib/loaders';
import { emptyConnection, readPage, ROOT_PAGE, toConnection } from '@talent-hub/subgraph-lib/pagination';
import { scalarResolvers } from '@talent-hub/subgraph-lib/scalars';
import { formatInstant } from '@talent-hub/subgraph-lib/time';
import { isUuid, parseSlug } from '@talent-hub/subgraph-lib/validate';
import { readEventFilter, readRecommendationCount, readSkillGaps } from './arguments.js';
import * as repo from './db/repository.js';
import type { AgendaSpeakerTable, RegistrationRow } from './db/types.js';
import type { Resolvers, SkillGapReason } from './generated/resolvers.js';
import { eventKey } from './loaders.js';
import { mutationResolvers } from './mutations.js';
import { statisticsQueries } from './statistics.js';

// Thin resolvers: read arguments, call a loader or a repository, map rows to the schema's shape. Writes are in
// mutations.ts, aggregates in statistics.ts; `Resolvers` (generated from the schema) types every one of them.

const speaker = (s: AgendaSpeakerTable) => ({
  name: s.name,
  role: s.role,
  affiliation: s.affiliation,
  topic: s.topic,
  organisation: s.organisation_id === null ? null : { id: s.organisation_id },
});

/** Why a recommended event is recommended, in words (no personal data: the skill is referenced, not named). */
const EXPLANATIONS: Record<SkillGapReason, string> = {
  MENTORSHIP_GOAL: 'Teaches a goal skill of an active or proposed mentorship of the talent, which the talent does not yet hold at intermediate level or above.',
  LEARNING_GOAL: 'Teaches a skill the talent set as a learning goal and does not yet hold at intermediate level or above.',
};

export const resolvers: Resolvers = {
  Date: scalarResolvers.Date,
  DateTime: scalarResolvers.DateTime,
  Decimal: scalarResolvers.Decimal,

  Query: {
    event: (_, args, ctx) => ctx.loaders.event.load(parseSlug(args.id)),

    events: async (_, args, ctx) => {
      const filter = readEventFilter(args);
      const page = readPage('events', args, ROOT_PAGE, 2);
      return toConnection('events', await repo.listEvents(ctx.db, filter, page), page, eventKey, () => repo.countEvents(ctx.db, filter));
    },

    ...statisticsQueries,
  },

  Mutation: mutationResolvers,

  Event: {
    __resolveReference: (ref, ctx) => ctx.loaders.event.load(ref.id),
    status: (e) => (e.cancelled_at === null ? 'SCHEDULED' : 'CANCELLED'),
    cancelledAt: (e) => (e.cancelled_at === null ? null : formatInstant(e.cancelled_at, e.time_zone)),
    attendanceMode: (e) => e.attendance_mode,
    startsAt: (e) => formatInstant(e.starts_at, e.time_zone),
    endsAt: (e) => formatInstant(e.ends_at, e.time_zone),
    timeZone: (e) => e.time_zone,
    // A venue has both a name and a city, or neither (a check constraint of migration 0001).
    venue: (e) =>
      e.venue_name === null || e.venue_city === null ? null : { name: e.venue_name, room: e.venue_room, address: e.venue_address, city: e.venue_city },
    region: (e) => (e.region_code === null ? null : { code: e.region_code }),
    organiser: (e) => ({ id: e.organiser_id }),
    partners: async (e, _, ctx) =>
      (await ctx.loaders.partners.load(e.id)).map((p) => ({ id: p.organisation_id })),
    programme: (e) => (e.programme_id === null ? null : { id: e.programme_id }),
    seatsLeft: async (e, _, ctx) => {
      if (e.capacity === null) return null;
      const taken = Number((await ctx.loaders.seatsTaken.load(e.id))?.taken ?? 0);
      // Capacity is public, so seats left tell how many registered: exact for the organiser only; for anyone else
      // the seats taken are perturbed by the cell key method (keyed by event and count: the same count always
      // gives the same answer), so a small event does not tell its few registrations.
      if (ctx.identity?.organisationId === e.organiser_id) return Math.max(0, e.capacity - taken);
      const shown = perturb({ count: taken, keySum: keyedRecordKey(ctx.cellKeySalt, e.id, 'seats', taken) });
      return Math.min(e.capacity, Math.max(0, e.capacity - shown));
    },
    registrationDeadline: (e) =>
      e.registration_deadline === null ? null : formatInstant(e.registration_deadline, e.time_zone),
    agenda: async (e, _, ctx) => {
      const [items, speakers] = await Promise.all([ctx.loaders.agendaItems.load(e.id), ctx.loaders.speakers.load(e.id)]);
      return items.map((item) => ({
        position: item.position,
        startsAt: formatInstant(item.starts_at, e.time_zone),
        endsAt: formatInstant(item.ends_at, e.time_zone),
        title: item.title,
        description: item.description,
        speakers: speakers.filter((s) => s.item_position === item.position).map(speaker),
      }));
    },
    speakers: async (e, _, ctx) => {
      const seen = new Set<string>();
      return (await ctx.loaders.speakers.load(e.id))
        .filter((s) => {
          const who = `${s.name}\u0000${s.affiliation ?? ''}`;
          return seen.has(who) ? false : (seen.add(who), true);
        })
        .map((s) => ({ ...speaker(s), topic: null }));
    },
    skills: async (e, _, ctx) =>
      (await ctx.loaders.skills.load(e.id)).map((s) => ({ uri: s.skill_uri })),
    // Registrations are the talents' personal data (attendance): the organiser's users read all of its event's;
    // other organisations' users only those of the talents their organisation owns (as the talents subgraph said
    // when each was made); anonymous callers none. The list stays non-null, so a refusal never nulls the event;
    // its totalCount counts only what the caller reads.
    registrations: (e, args, ctx) => {
      const organisationId = ctx.identity?.organisationId;
      if (!organisationId) return emptyConnection<RegistrationRow>();
      if (organisationId === e.organiser_id) return ctx.loaders.registrationsOfEvent.load(e.id, args);
      return ctx.loaders.registrationsOfEventForTalentOwner(organisationId).load(e.id, args);
    },
  },

  Registration: {
    registeredAt: (r) => r.registered_at,
    waitlistPosition: async (r, _, ctx) =>
      r.status === 'WAITLISTED' ? ((await ctx.loaders.waitlistPosition.load(r.id))?.position ?? null) : null,
    // Registrations not made through registerForEvent (demo seed, data generator) belong to the organiser.
    registeredBy: async (r, _, ctx) => ({
      id: r.registered_by_organisation_id ?? (await loadExisting(ctx.loaders.event, r.event_id, 'event')).organiser_id,
    }),
    // Every registration's event exists (a foreign key with cascade).
    event: (r, _, ctx) => loadExisting(ctx.loaders.event, r.event_id, 'event'),
    talent: (r) => ({ id: r.talent_id }),
    attendedOn: (r) => r.attended_on,
    completedOn: (r) => r.completed_on,
  },

  CompletedTraining: {
    event: (r, _, ctx) => loadExisting(ctx.loaders.event, r.event_id, 'event'),
    // The list holds registrations that have a completion day only (see repository.listCompletedOf).
    completedOn: (r) => r.completed_on!,
    attendedOn: (r) => r.attended_on,
  },

  RecommendationReason: {
    skill: (r) => ({ uri: r.skillUri }),
    explanation: (r) => EXPLANATIONS[r.reason],
  },

  Skill: {
    // Any skill URI: a skill that no event teaches simply has none (the talents subgraph owns the skills).
    __resolveReference: (ref) => ({ uri: ref.uri }),
    events: (s, args, ctx) =>
      ctx.loaders.eventsTeaching({ upcoming: args.upcoming === true, withSeatsLeft: args.withSeatsLeft === true }).load(s.uri, args),
  },

  Region: {
    events: (r, args, ctx) => ctx.loaders.eventsInRegion.load(r.code, args),
  },

  Organisation: {
    events: (o, args, ctx) => ctx.loaders.eventsOfOrganiser.load(o.id, args),
  },

  Programme: {
    events: (p, args, ctx) => ctx.loaders.eventsOfProgramme.load(p.id, args),
  },

  Talent: {
    // Personal data: the talent's organisation and those it consented to read all (the talents subgraph decides,
    // `personalDataReadable` through @requires); another organisation reads the registrations for the events it
    // organises; anonymous callers (and services) get null with FORBIDDEN. Talent ids are UUIDs; a malformed one
    // passed by reference has no registrations (and must not reach SQL).
    registrations: (t, args, ctx) => {
      const organisationId = ctx.identity?.organisationId;
      if (!organisationId) {
        throw forbidden(
          "Not authorised to read Talent.registrations: only users of the talent's organisation, of an organisation the talent consented to share personal data with, or of an event's organiser (for its own events) may.",
        );
      }
      if (!isUuid(t.id)) return emptyConnection<RegistrationRow>();
      return ctx.loaders.registrationsOfTalentFor(organisationId).load(repo.talentAudienceKey(t.id, t.personalDataReadable === true), args);
    },
    // Personal data: the schema's @policy lets these resolve only when the talents subgraph said the caller may read
    // the talent's personal data (`personalDataReadable`, required from it) and the caller is signed in for an
    // organisation (policies.ts).
    completedTrainings: (t, args, ctx) =>
      isUuid(t.id) ? ctx.loaders.completedTrainings.load(t.id, args) : emptyConnection<RegistrationRow>(),
    recommendedTrainings: async (t, args, ctx) => {
      const first = readRecommendationCount(args.first);
      const gaps = readSkillGaps(t.skillGaps);
      if (!isUuid(t.id) || first === 0 || gaps.length === 0) return [];
      return ctx.loaders.recommendations.load({ talentId: t.id, gaps }, first);
    },
  },
};
