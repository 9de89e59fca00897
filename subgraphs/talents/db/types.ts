import type { ColumnType } from 'kysely';

// Table types of the `talents` database. Dates are 'YYYY-MM-DD' strings (see subgraphs/lib/db.ts).

export interface SkillTable {
  uri: string;
  label: string;
  skill_type: string;
  reuse_level: string;
}

export interface TalentTable {
  id: string;
  display_name: string;
  category: string;
  citizenship: string;
  residence_region_code: string | null;
  origin_region_code: string | null;
  organisation_id: string;
  education_level: number | null;
  career_stage: string | null;
  interests: string[];
  status: string;
  joined_on: string;
  synthetic: boolean;
}

export interface TalentSkillTable {
  talent_id: string;
  skill_uri: string;
  level: string;
}

export interface TalentLanguageTable {
  talent_id: string;
  language: string;
  level: string;
}

export interface ResidencePeriodTable {
  talent_id: string;
  region_code: string;
  started_on: string;
  ended_on: string | null;
}

export interface DemoSeedTable {
  name: string;
  version: number;
  seeded_at: ColumnType<Date, Date, Date>;
}

export interface TalentsDatabase {
  skills: SkillTable;
  talents: TalentTable;
  talent_skills: TalentSkillTable;
  talent_languages: TalentLanguageTable;
  residence_periods: ResidencePeriodTable;
  demo_seed: DemoSeedTable;
}
