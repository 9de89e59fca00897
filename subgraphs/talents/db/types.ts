import type { ColumnType } from 'kysely';
import type { AuditTable } from '@talent-hub/subgraph-lib/audit';
import type { CareerStage, CefrLevel, SkillLevel, TalentCategory, TalentStatus } from '../generated/enums.js';
import type { ExchangeKind, ExchangeStatus, MentorshipStatus } from '../generated/enums.js';

// Table types of the `talents` database. Dates are 'YYYY-MM-DD' strings (see packages/subgraph-lib/db.ts). Columns
// holding a schema enum's values (the migrations' check constraints keep them so) have that enum's type.

export interface SkillTable {
  uri: string;
  label: string;
  skill_type: string;
  reuse_level: string;
}

export interface TalentTable {
  id: string;
  display_name: string;
  category: TalentCategory;
  citizenship: string;
  residence_region_code: string | null;
  origin_region_code: string | null;
  organisation_id: string;
  education_level: number | null;
  career_stage: CareerStage | null;
  interests: string[];
  status: TalentStatus;
  joined_on: string;
  synthetic: boolean;
  /** The talent published the profile's public fields (migration 0006); private by default. */
  public_profile: boolean;
}

/**
 * Personal columns of `talents` (migration 0003), all nullable. Kept apart from TalentTable so that code writing
 * profiles without personal data (the data generator) need not name them; read them only behind the
 * `talent_personal_data` policy.
 */
export interface TalentPersonalColumns {
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  birth_year: number | null;
  phone: string | null;
}

/**
 * The mentoring column of `talents` (migration 0004): how many mentees the talent mentors at once, 0 to 10; null
 * or 0: not a mentor. Apart from TalentTable for the same reason as the personal columns.
 */
export interface TalentMentoringColumns {
  mentoring_capacity: number | null;
}

/** A row of `talents` as selected. */
export type TalentRow = TalentTable & TalentPersonalColumns & TalentMentoringColumns;

export interface TalentConsentTable {
  talent_id: string;
  /** The organisation (regions slug) the talent shares personal data with. */
  organisation_id: string;
  granted_at: ColumnType<Date, Date | undefined, never>;
}

/** A tombstone: the id of an erased talent, nothing else. */
export interface ErasedTalentTable {
  talent_id: string;
  erased_at: ColumnType<Date, Date | undefined, never>;
}

/** One other subgraph that must forget an erased talent; pending while `delivered_at` is null. */
export interface ErasureOutboxTable {
  talent_id: string;
  subgraph: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  delivered_at: Date | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
}

export interface TalentSkillTable {
  talent_id: string;
  skill_uri: string;
  level: SkillLevel;
}

export interface TalentLanguageTable {
  talent_id: string;
  language: string;
  level: CefrLevel;
}

export interface ResidencePeriodTable {
  talent_id: string;
  region_code: string;
  started_on: string;
  ended_on: string | null;
}

/** A talent's period with a partner organisation (migration 0005); `ended_on` null while it lasts. */
export interface AffiliationTable {
  talent_id: string;
  organisation_id: string;
  role: string;
  started_on: string;
  ended_on: string | null;
  synthetic: boolean;
}

/** An ESCO skill a talent wants to develop (migration 0004). Personal data. */
export interface TalentLearningGoalTable {
  talent_id: string;
  skill_uri: string;
}

/** A mentorship (migration 0004): personal data of both talents. Organisation and programme are regions slugs. */
export interface MentorshipTable {
  id: string;
  mentor_id: string;
  mentee_id: string;
  organisation_id: string;
  programme_id: string | null;
  status: MentorshipStatus;
  starts_on: string | null;
  ends_on: string | null;
  meetings: number;
  proposed_at: Date;
  synthetic: boolean;
}

/** One ESCO goal of a mentorship. */
export interface MentorshipGoalTable {
  mentorship_id: string;
  skill_uri: string;
}

/** An exchange (migration 0004): a talent hosted by another organisation for a period. Personal data. */
export interface ExchangeTable {
  id: string;
  talent_id: string;
  home_organisation_id: string;
  host_organisation_id: string;
  kind: ExchangeKind;
  region_code: string | null;
  programme_id: string | null;
  starts_on: string;
  ends_on: string;
  status: ExchangeStatus;
  proposed_at: Date;
  synthetic: boolean;
}

export interface DemoSeedTable {
  name: string;
  version: number;
  seeded_at: ColumnType<Date, Date, Date>;
}

/** A counter per table whose aggregates are kept between requests, bumped by each write (migration 0005). */
export interface DataVersionTable {
  name: string;
  version: ColumnType<string, never, never>;
}

/** A shape the statistics rollups keep (migration 0007): region level (null: none) and the other dimensions kept. */
export interface TalentStatisticsShapeTable {
  id: number;
  region_level: number | null;
  has_category: boolean;
  has_citizenship: boolean;
  has_career_stage: boolean;
  has_skill: boolean;
  estimate: number;
  /** False while a bulk load has left the rollups stale. */
  ready: boolean;
}

/** One cell of a statistics rollup (migration 0007); columns its shape does not keep are null. */
export interface TalentStatisticsRollupTable {
  shape: number;
  region_code: string | null;
  category: TalentCategory | null;
  citizenship: string | null;
  career_stage: CareerStage | null;
  skill_uri: string | null;
  talents: number;
  key_sum: number;
}

export interface TalentsDatabase extends AuditTable {
  skills: SkillTable;
  talents: TalentRow;
  talent_skills: TalentSkillTable;
  talent_languages: TalentLanguageTable;
  residence_periods: ResidencePeriodTable;
  demo_seed: DemoSeedTable;
  talent_consents: TalentConsentTable;
  erased_talents: ErasedTalentTable;
  erasure_outbox: ErasureOutboxTable;
  affiliations: AffiliationTable;
  data_versions: DataVersionTable;
  talent_learning_goals: TalentLearningGoalTable;
  mentorships: MentorshipTable;
  mentorship_goals: MentorshipGoalTable;
  exchanges: ExchangeTable;
  talent_statistics_shapes: TalentStatisticsShapeTable;
  talent_statistics_rollup: TalentStatisticsRollupTable;
}
