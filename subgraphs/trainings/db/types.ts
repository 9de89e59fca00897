import type { ColumnType } from 'kysely';
import type { AuditTable } from '@talent-hub/subgraph-lib/audit';
import type { AttendanceMode, EventKind, RegistrationStatus } from '../generated/enums.js';

// Table types of the `trainings` database. Instants are Date objects (timestamptz). Columns holding a schema enum's
// values (the migrations' check constraints keep them so) have that enum's type.

export interface EventTable {
  id: string;
  title: string;
  kind: EventKind;
  description: string | null;
  series: string | null;
  attendance_mode: AttendanceMode;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  venue_name: string | null;
  venue_room: string | null;
  venue_address: string | null;
  venue_city: string | null;
  region_code: string | null;
  organiser_id: string;
  programme_id: string | null;
  languages: string[];
  capacity: number | null;
  registration_deadline: Date | null;
  synthetic: boolean;
}

export interface EventPartnerTable {
  event_id: string;
  organisation_id: string;
}

export interface AgendaItemTable {
  event_id: string;
  position: number;
  starts_at: Date;
  ends_at: Date;
  title: string;
  description: string | null;
}

export interface AgendaSpeakerTable {
  event_id: string;
  item_position: number;
  position: number;
  name: string;
  role: string | null;
  affiliation: string | null;
  organisation_id: string | null;
  topic: string | null;
}

export interface EventSkillTable {
  event_id: string;
  skill_uri: string;
}

/**
 * Columns added to `event_skills` by migration 0004, apart from EventSkillTable: the event's start, kept by
 * triggers (whatever a writer gives is replaced), so that the events teaching a skill are an index seek in start
 * order. Writers leave it out.
 */
export interface EventSkillDerivedColumns {
  starts_at: ColumnType<Date, never, never>;
}

export interface RegistrationTable {
  id: string;
  event_id: string;
  talent_id: string;
  status: RegistrationStatus;
  registered_at: Date;
  updated_at: Date;
  synthetic: boolean;
  /**
   * The day the talent attended (migration 0004), `YYYY-MM-DD` in the event's time zone: set on ATTENDED and
   * COMPLETED registrations, null on the others (and where attendance was recorded without a day).
   */
  attended_on: string | null;
  /** The day the talent completed the event, `YYYY-MM-DD`: set on COMPLETED registrations only, never before attended_on. */
  completed_on: string | null;
  /**
   * The organisation that owns the talent (migration 0006), as the talents subgraph said when the registration was
   * made; it never changes. Null only on rows not verified yet (written before the check existed): the
   * reconciliation (reconcile.ts) fills it or removes the row. Every writer that knows the talent gives it.
   */
  talent_organisation_id: string | null;
}

/**
 * Registrations of an event by status, kept by triggers on `registrations` (migration 0002). An event without a
 * row has no registrations. Each column counts one status exactly.
 */
export interface EventRegistrationCountsTable {
  event_id: string;
  n_registered: number;
  n_waitlisted: number;
  n_attended: number;
  n_completed: number;
  n_cancelled: number;
}

/**
 * Columns added to `events` by migration 0003, apart from EventTable: the demo seed and the data generator write
 * EventTable rows and leave these to their defaults.
 */
export interface EventWriteColumns {
  /** When the organiser cancelled the event; null while it is scheduled. */
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** An event as read from the database. */
export type EventRow = EventTable & { cancelled_at: Date | null };

/** Columns added to `registrations` by migration 0003 (left to their defaults by the seed and the generator). */
export interface RegistrationWriteColumns {
  /**
   * The organisation whose editor made the registration (it may cancel it); null for registrations written by the
   * demo seed or the data generator, which stand for registrations taken by the event's organiser.
   */
  registered_by_organisation_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A registration as read from the database. */
export type RegistrationRow = RegistrationTable & { registered_by_organisation_id: string | null };

/** Talents whose data was erased (migration 0003): no registration may name them again. */
export interface ErasedTalentTable {
  talent_id: string;
  erased_at: ColumnType<Date, Date | undefined, never>;
}

export interface DemoSeedTable {
  name: string;
  version: number;
  seeded_at: ColumnType<Date, Date, Date>;
}

export interface TrainingsDatabase {
  events: EventTable & EventWriteColumns;
  event_partners: EventPartnerTable;
  agenda_items: AgendaItemTable;
  agenda_speakers: AgendaSpeakerTable;
  event_skills: EventSkillTable & EventSkillDerivedColumns;
  registrations: RegistrationTable & RegistrationWriteColumns;
  event_registration_counts: EventRegistrationCountsTable;
  erased_talents: ErasedTalentTable;
  audit_log: AuditTable['audit_log'];
  demo_seed: DemoSeedTable;
}
