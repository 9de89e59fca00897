import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
const statements = `
    create table demo_seed (
      name text primary key,
      version integer not null,
      seeded_at timestamptz not null
    );

    create table skills (
      uri text primary key check (uri ~ '^http://data\\.europa\\.eu/esco/skill/[0-9a-f-]{36}$'),
      label text not null,
      skill_type text not null,
      reuse_level text not null
    );
    create index skills_label_idx on skills (label, uri);

    create table talents (
      id uuid primary key,
      display_name text not null check (length(display_name) between 1 and 120),
      category text not null check (category in ('YOUNG_PROFESSIONAL', 'INTERNATIONAL_TALENT', 'RETURNEE', 'RESEARCHER', 'STUDENT')),
      citizenship char(2) not null check (citizenship ~ '^[A-Z]{2}$'),
      residence_region_code text check (residence_region_code ~ '^[A-Z]{2}[A-Z0-9]{0,3}$'),
      origin_region_code text check (origin_region_code ~ '^[A-Z]{2}[A-Z0-9]{0,3}$'),
      organisation_id text not null,
      education_level smallint check (education_level between 0 and 8),
      career_stage text check (career_stage in ('EARLY_CAREER', 'MID_CAREER', 'SENIOR')),
      interests text[] not null default '{}',
      status text not null check (status in ('ACTIVE', 'ALUMNI', 'INACTIVE')),
      joined_on date not null,
      synthetic boolean not null default false
    );
    create index talents_residence_idx on talents (residence_region_code text_pattern_ops, id);
    create index talents_organisation_idx on talents (organisation_id, id);
    create index talents_category_idx on talents (category, id);

    create table talent_skills (
      talent_id uuid not null references talents (id) on delete cascade,
      skill_uri text not null references skills (uri),
      level text not null check (level in ('BASIC', 'INTERMEDIATE', 'ADVANCED', 'EXPERT')),
      primary key (talent_id, skill_uri)
    );
    create index talent_skills_skill_idx on talent_skills (skill_uri, talent_id);

    create table talent_languages (
      talent_id uuid not null references talents (id) on delete cascade,
      language text not null check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
      level text not null check (level in ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')),
      primary key (talent_id, language)
    );

    create table residence_periods (
      talent_id uuid not null references talents (id) on delete cascade,
      region_code text not null check (region_code ~ '^[A-Z]{2}[A-Z0-9]{0,3}$'),
      started_on date not null,
      ended_on date,
      primary key (talent_id, started_on),
      check (ended_on is null or started_on <= ended_on)
    );
    create index residence_periods_region_idx on residence_periods (region_code text_pattern_ops, started_on);
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table residence_periods, talent_languages, talent_skills, talents, skills, demo_seed`.execute(db);
}
