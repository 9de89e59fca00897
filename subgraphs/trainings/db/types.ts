import type { ColumnType } from 'kysely';

// Table types of the `trainings` database. Instants are Date objects (timestamptz).

export interface EventTable {
  id: string;
  title: string;
  kind: string;
  description: string | null;
  series: string | null;
  attendance_mode: string;
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

export interface RegistrationTable {
  id: string;
  event_id: string;
  talent_id: string;
  status: string;
  registered_at: Date;
  updated_at: Date;
  synthetic: boolean;
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

export interface DemoSeedTable {
  name: string;
  version: number;
  seeded_at: ColumnType<Date, Date, Date>;
}

export interface TrainingsDatabase {
  events: EventTable;
  event_partners: EventPartnerTable;
  agenda_items: AgendaItemTable;
  agenda_speakers: AgendaSpeakerTable;
  event_skills: EventSkillTable;
  registrations: RegistrationTable;
  event_registration_counts: EventRegistrationCountsTable;
  demo_seed: DemoSeedTable;
}
