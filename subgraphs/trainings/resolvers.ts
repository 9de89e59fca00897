import { badUserInput } from '@talent-hub/platform/errors';
import { emptyConnection, readPage, ROOT_PAGE, toConnection, type PageArgs } from '@talent-hub/subgraph-lib/pagination';
import { scalarResolvers } from '@talent-hub/subgraph-lib/scalars';
import { formatInstant } from '@talent-hub/subgraph-lib/time';
import { isUuid, parseSlug } from '@talent-hub/subgraph-lib/validate';
import { readEventFilter, readGrouping, type EventFilterArgs } from './arguments.js';
import type { Context } from './context.js';
import * as repo from './db/repository.js';
import type { AgendaSpeakerTable, EventRow, EventTable, RegistrationRow } from './db/types.js';
import type { EventInput } from './event-input.js';
import { eventKey } from './loaders.js';
import * as mutations from './mutations.js';
import { protectCell } from './statistics.js';

// Thin resolvers: read arguments, call a loader or a repository, map rows to the schema's shape.

const speaker = (s: AgendaSpeakerTable) => ({
  name: s.name,
  role: s.role,
  affiliation: s.affiliation,
  topic: s.topic,
  organisation: s.organisation_id === null ? null : { id: s.organisation_id },
});

export const resolvers = {
  DateTime: scalarResolvers.DateTime,
  Decimal: scalarResolvers.Decimal,

  Query: {
    event: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.event.load(parseSlug(args.id)),

    events: async (_: unknown, args: PageArgs & EventFilterArgs, ctx: Context) => {
      const filter = readEventFilter(args);
      const page = readPage('events', args, ROOT_PAGE, 2);
      return toConnection('events', await repo.listEvents(ctx.db, filter, page), page, eventKey, () => repo.countEvents(ctx.db, filter));
    },

    registrationStatistics: async (
      _: unknown,
      args: { groupBy: string[]; regionLevel?: number | null; filter?: EventFilterArgs | null },
      ctx: Context,
    ) => {
      const grouping = readGrouping(args.groupBy, args.regionLevel);
      const filter = readEventFilter(args.filter ?? {}, 'filter.');
      const rows = await repo.registrationStatistics(ctx.db, grouping, filter);
      if (rows.length > repo.STATISTICS_MAX_CELLS) {
        throw badUserInput(
          `More than ${repo.STATISTICS_MAX_CELLS} cells: narrow "filter" or group by fewer dimensions (or a coarser "regionLevel").`,
          'groupBy',
        );
      }
      return rows.map(protectCell);
    },
  },

  Mutation: {
    createEvent: (_: unknown, args: { input: EventInput }, ctx: Context) => mutations.createEvent(ctx, args.input),
    updateEvent: (_: unknown, args: { id: string; input: EventInput }, ctx: Context) =>
      mutations.updateEvent(ctx, args.id, args.input),
    cancelEvent: (_: unknown, args: { id: string }, ctx: Context) => mutations.cancelEvent(ctx, args.id),
    registerForEvent: (_: unknown, args: { eventId: string; talentId: string }, ctx: Context) =>
      mutations.registerForEvent(ctx, args.eventId, args.talentId),
    cancelRegistration: (_: unknown, args: { eventId: string; talentId: string }, ctx: Context) =>
      mutations.cancelRegistration(ctx, args.eventId, args.talentId),
    eraseTalentData: (_: unknown, args: { talentId: string }, ctx: Context) => mutations.eraseTalentData(ctx, args.talentId),
  },

  Event: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.event.load(ref.id),
    status: (e: EventRow) => (e.cancelled_at === null ? 'SCHEDULED' : 'CANCELLED'),
    cancelledAt: (e: EventRow) => (e.cancelled_at === null ? null : formatInstant(e.cancelled_at, e.time_zone)),
    attendanceMode: (e: EventTable) => e.attendance_mode,
    startsAt: (e: EventTable) => formatInstant(e.starts_at, e.time_zone),
    endsAt: (e: EventTable) => formatInstant(e.ends_at, e.time_zone),
    timeZone: (e: EventTable) => e.time_zone,
    venue: (e: EventTable) =>
      e.venue_name === null ? null : { name: e.venue_name, room: e.venue_room, address: e.venue_address, city: e.venue_city },
    region: (e: EventTable) => (e.region_code === null ? null : { code: e.region_code }),
    organiser: (e: EventTable) => ({ id: e.organiser_id }),
    partners: async (e: EventTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.partners.load(e.id)).map((p) => ({ id: p.organisation_id })),
    programme: (e: EventTable) => (e.programme_id === null ? null : { id: e.programme_id }),
    seatsLeft: async (e: EventTable, _: unknown, ctx: Context) => {
      if (e.capacity === null) return null;
      const taken = (await ctx.loaders.seatsTaken.load(e.id))?.taken ?? 0;
      return Math.max(0, e.capacity - taken);
    },
    registrationDeadline: (e: EventTable) =>
      e.registration_deadline === null ? null : formatInstant(e.registration_deadline, e.time_zone),
    agenda: async (e: EventTable, _: unknown, ctx: Context) => {
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
    speakers: async (e: EventTable, _: unknown, ctx: Context) => {
      const seen = new Set<string>();
      return (await ctx.loaders.speakers.load(e.id))
        .filter((s) => {
          const who = `${s.name}\u0000${s.affiliation ?? ''}`;
          return seen.has(who) ? false : (seen.add(who), true);
        })
        .map((s) => ({ ...speaker(s), topic: null }));
    },
    skills: async (e: EventTable, _: unknown, ctx: Context) =>
      (await ctx.loaders.skills.load(e.id)).map((s) => ({ uri: s.skill_uri })),
    registrations: (e: EventTable, args: PageArgs, ctx: Context) => ctx.loaders.registrationsOfEvent.load(e.id, args),
  },

  Registration: {
    registeredAt: (r: RegistrationRow) => r.registered_at,
    waitlistPosition: async (r: RegistrationRow, _: unknown, ctx: Context) =>
      r.status === 'WAITLISTED' ? ((await ctx.loaders.waitlistPosition.load(r.id))?.position ?? null) : null,
    // Registrations not made through registerForEvent (demo seed, data generator) belong to the organiser.
    registeredBy: async (r: RegistrationRow, _: unknown, ctx: Context) => ({
      id: r.registered_by_organisation_id ?? (await ctx.loaders.event.load(r.event_id))!.organiser_id,
    }),
    event: (r: RegistrationRow, _: unknown, ctx: Context) => ctx.loaders.event.load(r.event_id),
    talent: (r: RegistrationRow) => ({ id: r.talent_id }),
  },

  Region: {
    events: (r: { code: string }, args: PageArgs, ctx: Context) => ctx.loaders.eventsInRegion.load(r.code, args),
  },

  Organisation: {
    events: (o: { id: string }, args: PageArgs, ctx: Context) => ctx.loaders.eventsOfOrganiser.load(o.id, args),
  },

  Programme: {
    events: (p: { id: string }, args: PageArgs, ctx: Context) => ctx.loaders.eventsOfProgramme.load(p.id, args),
  },

  Talent: {
    // Talent ids are UUIDs; a malformed one passed by reference has no registrations (and must not reach SQL).
    registrations: (t: { id: string }, args: PageArgs, ctx: Context) =>
      isUuid(t.id) ? ctx.loaders.registrationsOfTalent.load(t.id, args) : emptyConnection(),
  },
};
