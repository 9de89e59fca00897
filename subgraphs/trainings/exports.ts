import { sql, type Expression, type SqlBool } from 'kysely';
import { unauthenticated } from '@talent-hub/platform/errors';
import type { ExportColumn } from '@talent-hub/subgraph-lib/export';
import { dateTimeParameter, enumParameter, type ExportDefinitions } from '@talent-hub/subgraph-lib/export-route';
import { parseSlug, parseUuid } from '@talent-hub/subgraph-lib/validate';
import { readEventFilter } from './arguments.js';
import type { Context } from './context.js';
import { filteredEvents } from './db/repository.js';
import type { AttendanceMode, EventKind, RegistrationStatus } from './generated/enums.js';

// The trainings subgraph's exports (GET /export/events|registrations.csv|.ndjson, through the gateway):
// - events: public, as `Query.events` lists them, with its filters, in id order. Instants are written in UTC.
//   No seats left: for anyone but the organiser the graph perturbs it per event (cell key method), which a bulk
//   copy would not; read it in the graph;
// - registrations: personal data (attendance), so only for a signed-in caller, and only the rows the graph shows it
//   (Event.registrations): all of the events its organisation organises, and those of the talents its
//   organisation owns at other events. Filtered by the same event filters, and by `status`.

const eventParameters = ['kind', 'attendanceMode', 'regionCode', 'organiserId', 'programmeId', 'startsFrom', 'startsBefore'];
// The enums' values, as records so that the type checker says when the schema gains one.
const KINDS = Object.keys({ CONFERENCE_SESSION: 1, EXCHANGE: 1, MENTORING: 1, STUDY_VISIT: 1, TRAINING: 1, WEBINAR: 1, WORKSHOP: 1 } satisfies Record<EventKind, 1>) as EventKind[];
const MODES = Object.keys({ HYBRID: 1, ONLINE: 1, ONSITE: 1 } satisfies Record<AttendanceMode, 1>) as AttendanceMode[];
const STATUSES = Object.keys({ REGISTERED: 1, WAITLISTED: 1, ATTENDED: 1, COMPLETED: 1, CANCELLED: 1 } satisfies Record<RegistrationStatus, 1>) as RegistrationStatus[];

/** The event filter of an export's parameters, checked as the graph checks `Query.events`' arguments. */
function eventFilterOf(parameters: ReadonlyMap<string, string>) {
  return readEventFilter({
    kind: enumParameter(parameters, 'kind', KINDS),
    attendanceMode: enumParameter(parameters, 'attendanceMode', MODES),
    regionCode: parameters.get('regionCode') ?? null,
    organiserId: parameters.get('organiserId') ?? null,
    programmeId: parameters.get('programmeId') ?? null,
    startsFrom: dateTimeParameter(parameters, 'startsFrom'),
    startsBefore: dateTimeParameter(parameters, 'startsBefore'),
  });
}

const column = (name: string, value: Expression<unknown>, csv?: Expression<unknown>): ExportColumn => ({ name, value, ...(csv ? { csv } : {}) });

/** An instant as ISO 8601 in UTC, the same text in CSV and NDJSON, whatever the session's time zone. */
const utc = (ref: string) => sql<string>`to_char(${sql.ref(ref)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const eventColumns: ExportColumn[] = [
  column('id', sql`events.id`),
  column('title', sql`events.title`),
  column('kind', sql`events.kind`),
  column('status', sql`case when events.cancelled_at is null then 'SCHEDULED' else 'CANCELLED' end`),
  column('attendanceMode', sql`events.attendance_mode`),
  column('startsAt', utc('events.starts_at')),
  column('endsAt', utc('events.ends_at')),
  column('timeZone', sql`events.time_zone`),
  column('regionCode', sql`events.region_code`),
  column('organiserId', sql`events.organiser_id`),
  column('programmeId', sql`events.programme_id`),
  column('languages', sql`events.languages`, sql`array_to_string(events.languages, ';')`),
  column('capacity', sql`events.capacity`),
  column('registrationDeadline', utc('events.registration_deadline')),
  column('synthetic', sql`events.synthetic`),
];

const registrationColumns: ExportColumn[] = [
  column('id', sql`registrations.id`),
  column('eventId', sql`registrations.event_id`),
  column('talentId', sql`registrations.talent_id`),
  column('status', sql`registrations.status`),
  column('registeredAt', utc('registrations.registered_at')),
  column('attendedOn', sql`registrations.attended_on`),
  column('completedOn', sql`registrations.completed_on`),
  // Registrations not made through registerForEvent belong to the organiser, as Registration.registeredBy says.
  column('registeredById', sql`coalesce(registrations.registered_by_organisation_id, events.organiser_id)`),
  column('synthetic', sql`registrations.synthetic`),
];

/** The registrations an organisation's users read (Event.registrations): its events', and its talents' elsewhere. */
function readableBy(organisationId: string): Expression<SqlBool> {
  return sql<SqlBool>`(events.organiser_id = ${organisationId} or registrations.talent_organisation_id = ${organisationId})`;
}

export const exports: ExportDefinitions<Context> = {
  events: {
    parameters: eventParameters,
    open(ctx, parameters, after) {
      const filter = eventFilterOf(parameters);
      if (after !== null) parseSlug(after, 'after');
      return {
        kind: 'keyset',
        columns: eventColumns,
        key: sql<string>`events.id`,
        rows: (from) => filteredEvents(ctx.db, filter).$if(from !== null, (q) => q.where('events.id', '>', from!)),
      };
    },
  },

  registrations: {
    parameters: [...eventParameters, 'status'],
    open(ctx, parameters, after) {
      const organisationId = ctx.identity?.organisationId;
      if (!organisationId) {
        throw unauthenticated('Registrations are personal data: sign in (send a bearer token) to export those your organisation may read.');
      }
      const filter = eventFilterOf(parameters);
      const status = enumParameter(parameters, 'status', STATUSES);
      if (after !== null) parseUuid(after, 'after');
      return {
        kind: 'keyset',
        columns: registrationColumns,
        key: sql<string>`registrations.id`,
        rows: (from) =>
          filteredEvents(ctx.db, filter)
            .innerJoin('registrations', 'registrations.event_id', 'events.id')
            .where(readableBy(organisationId))
            .$if(status !== null, (q) => q.where('registrations.status', '=', status!))
            .$if(from !== null, (q) => q.where('registrations.id', '>', from!)),
      };
    },
  },
};
