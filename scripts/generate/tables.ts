import type { AffiliationTable, ResidencePeriodTable, TalentLanguageTable, TalentSkillTable, TalentTable } from '@talent-hub/talents/db/types';
import type {
  AgendaItemTable,
  AgendaSpeakerTable,
  EventPartnerTable,
  EventSkillTable,
  EventTable,
  RegistrationTable,
} from '@talent-hub/trainings/db/types';
import type { ExchangeTable, MentorshipGoalTable, MentorshipTable, TalentLearningGoalTable, TalentMentoringColumns } from '@talent-hub/talents/db/types';
import { encodeRow, type CopyValue } from './copy-text.js';
import { mentoringProfile } from './mentoring.js';
import { registrationsByEvent, type Plan } from './plan.js';

/** A piece of a table's rows in COPY text, with how far it takes the table's progress. */
export interface Piece {
  text: string;
  units: number;
  rows: number;
}

/** One table to load: its columns and its rows, produced lazily (never the whole table in memory). */
export interface TableLoad {
  table: string;
  columns: readonly string[];
  /** What the progress counts (talents, events, registrations) and how many there are. */
  unit: string;
  units: number;
  pieces(): Iterable<Piece>;
}

/** A table loaded one parent entity at a time: `rowsOf(i)` gives the rows of the i-th talent or event. */
function perEntity<Row extends Record<keyof Row, CopyValue>>(
  table: string,
  columns: readonly (keyof Row & string)[],
  unit: string,
  units: number,
  rowsOf: (index: number) => readonly Row[],
): TableLoad {
  return {
    table,
    columns,
    unit,
    units,
    *pieces() {
      for (let i = 0; i < units; i++) {
        const rows = rowsOf(i);
        let text = '';
        for (const row of rows) text += encodeRow(row, columns);
        yield { text, units: 1, rows: rows.length };
      }
    },
  };
}

// Columns as the tables define them (db/types.ts); columns added later with defaults are left to their default.
const TALENT_COLUMNS: (keyof (TalentTable & TalentMentoringColumns))[] = ['id', 'display_name', 'category', 'citizenship', 'residence_region_code',
  'origin_region_code', 'organisation_id', 'education_level', 'career_stage', 'interests', 'status', 'joined_on', 'synthetic',
  'public_profile', 'mentoring_capacity'];
const TALENT_SKILL_COLUMNS: (keyof TalentSkillTable)[] = ['talent_id', 'skill_uri', 'level'];
const TALENT_LANGUAGE_COLUMNS: (keyof TalentLanguageTable)[] = ['talent_id', 'language', 'level'];
const RESIDENCE_COLUMNS: (keyof ResidencePeriodTable)[] = ['talent_id', 'region_code', 'started_on', 'ended_on'];
const AFFILIATION_COLUMNS: (keyof AffiliationTable)[] = ['talent_id', 'organisation_id', 'role', 'started_on', 'ended_on', 'synthetic'];
const LEARNING_GOAL_COLUMNS: (keyof TalentLearningGoalTable)[] = ['talent_id', 'skill_uri'];
const MENTORSHIP_COLUMNS: (keyof MentorshipTable)[] = ['id', 'mentor_id', 'mentee_id', 'organisation_id', 'programme_id', 'status',
  'starts_on', 'ends_on', 'meetings', 'proposed_at', 'synthetic'];
const MENTORSHIP_GOAL_COLUMNS: (keyof MentorshipGoalTable)[] = ['mentorship_id', 'skill_uri'];
const EXCHANGE_COLUMNS: (keyof ExchangeTable)[] = ['id', 'talent_id', 'home_organisation_id', 'host_organisation_id', 'kind',
  'region_code', 'programme_id', 'starts_on', 'ends_on', 'status', 'proposed_at', 'synthetic'];
const EVENT_COLUMNS: (keyof EventTable)[] = ['id', 'title', 'kind', 'description', 'series', 'attendance_mode', 'starts_at',
  'ends_at', 'time_zone', 'venue_name', 'venue_room', 'venue_address', 'venue_city', 'region_code', 'organiser_id',
  'programme_id', 'languages', 'capacity', 'registration_deadline', 'synthetic'];
const EVENT_PARTNER_COLUMNS: (keyof EventPartnerTable)[] = ['event_id', 'organisation_id'];
const EVENT_SKILL_COLUMNS: (keyof EventSkillTable)[] = ['event_id', 'skill_uri'];
const AGENDA_COLUMNS: (keyof AgendaItemTable)[] = ['event_id', 'position', 'starts_at', 'ends_at', 'title', 'description'];
const SPEAKER_COLUMNS: (keyof AgendaSpeakerTable)[] = ['event_id', 'item_position', 'position', 'name', 'role',
  'affiliation', 'organisation_id', 'topic'];
const REGISTRATION_COLUMNS: (keyof RegistrationTable)[] = ['id', 'event_id', 'talent_id', 'status', 'registered_at',
  'updated_at', 'synthetic', 'attended_on', 'completed_on', 'talent_organisation_id'];

/** The talents database's tables, parents first. */
// Each table regenerates the entities it needs (cheap, and deterministic per entity) rather than holding them.
export function talentTables(plan: Plan): TableLoad[] {
  const talent = plan.talent;
  const n = plan.options.talents;
  return [
    perEntity('talents', TALENT_COLUMNS, 'talents', n, (i) => [{ ...talent(i).talent, mentoring_capacity: mentoringProfile(plan.reference, plan.options.seed, i).capacity }]),
    perEntity('talent_skills', TALENT_SKILL_COLUMNS, 'talents', n, (i) => talent(i).skills),
    perEntity('talent_languages', TALENT_LANGUAGE_COLUMNS, 'talents', n, (i) => talent(i).languages),
    perEntity('residence_periods', RESIDENCE_COLUMNS, 'talents', n, (i) => talent(i).residences),
    perEntity('affiliations', AFFILIATION_COLUMNS, 'talents', n, (i) => talent(i).affiliations),
    // Mentoring (mentoring.ts): profiles per talent; mentorships and exchanges listed once per plan.
    perEntity('talent_learning_goals', LEARNING_GOAL_COLUMNS, 'talents', n, (i) => mentoringProfile(plan.reference, plan.options.seed, i).learningGoals),
    perEntity('mentorships', MENTORSHIP_COLUMNS, 'mentorships', mentoringCount(plan, 'mentorships'), (i) => [plan.mentoring().mentorships[i]!.mentorship]),
    perEntity('mentorship_goals', MENTORSHIP_GOAL_COLUMNS, 'mentorships', mentoringCount(plan, 'mentorships'), (i) => plan.mentoring().mentorships[i]!.goals),
    perEntity('exchanges', EXCHANGE_COLUMNS, 'exchanges', mentoringCount(plan, 'exchanges'), (i) => [plan.mentoring().exchanges[i]!]),
  ];
}

/** How many mentorships or exchanges the plan makes (none without talents, without generating anything). */
const mentoringCount = (plan: Plan, what: 'mentorships' | 'exchanges') => (plan.options.talents === 0 ? 0 : plan.mentoring()[what].length);

/** The trainings database's tables, parents first; registrations stream event by event. */
export function trainingTables(plan: Plan): TableLoad[] {
  const event = plan.event;
  const n = plan.options.events;
  return [
    perEntity('events', EVENT_COLUMNS, 'events', n, (i) => [event(i).event]),
    perEntity('event_partners', EVENT_PARTNER_COLUMNS, 'events', n, (i) => event(i).partners),
    perEntity('event_skills', EVENT_SKILL_COLUMNS, 'events', n, (i) => event(i).skills),
    perEntity('agenda_items', AGENDA_COLUMNS, 'events', n, (i) => event(i).agenda),
    perEntity('agenda_speakers', SPEAKER_COLUMNS, 'events', n, (i) => event(i).speakers),
    registrationTable(plan),
  ];
}

function registrationTable(plan: Plan): TableLoad {
  return {
    table: 'registrations',
    columns: REGISTRATION_COLUMNS,
    unit: 'registrations',
    units: plan.options.registrations,
    *pieces() {
      for (const rows of registrationsByEvent(plan)) {
        let text = '';
        for (const row of rows) text += encodeRow(row, REGISTRATION_COLUMNS);
        yield { text, units: rows.length, rows: rows.length };
      }
    },
  };
}
