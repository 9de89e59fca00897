import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// Mentoring and exchanges (the Talent Hub's "tailored mentoring" and "exchanges"). All of it is personal data of
// the talents involved: every table goes with its talent (on delete cascade), so an erasure removes a talent's
// learning goals, its mentorships as mentor or mentee (with their goals) and its exchanges in its own statement.
// - `talents.mentoring_capacity`: how many mentees a talent mentors at once (0 to 10; null or 0: not a mentor).
// - `talent_learning_goals`: ESCO skills a talent wants to develop (at most 20, checked by the mutations).
// - `mentorships`: mentor, mentee, running organisation, optional programme (regions slugs), status and dates;
//   `mentorship_goals` its 1 to 10 ESCO goals. `proposed_at` is timestamptz(3): the list's keyset cursor carries it
//   as a JavaScript Date, which has milliseconds only.
// - `exchanges`: a talent hosted by another organisation for at most two years.
//
// Indexes:
// - `talents_mentors_idx`: the mentor candidates of `mentorMatches` (ACTIVE talents with a capacity), by owning
//   organisation, with what the matching reads from the row, so it reads them from the index alone.
// - `talent_skills_talent_idx`, `talent_languages_talent_idx`: a talent's skills and languages with their levels,
//   so that the matching probes each candidate from the index alone (the primary keys hold no level).
// - `mentorships_open_mentor_idx`: the places each mentor has taken (PROPOSED and ACTIVE), for capacities.
// - `mentorships_open_pair_idx`: at most one PROPOSED or ACTIVE mentorship per pair of talents, either way round
//   (the mutation checks it first under the talents' row locks; this is the last line of defence).
// - mentor, mentee and talent indexes end with the list order (keyset paging); host exchanges by start day;
//   programme indexes for the programme's reach (`Programme.participantsReached`).
const statements = `
    alter table talents add column mentoring_capacity smallint check (mentoring_capacity between 0 and 10);
    create index talents_mentors_idx on talents (organisation_id, id) include (residence_region_code, mentoring_capacity)
      where mentoring_capacity > 0 and status = 'ACTIVE';
    create index talent_skills_talent_idx on talent_skills (talent_id) include (skill_uri, level);
    create index talent_languages_talent_idx on talent_languages (talent_id) include (language, level);

    create table talent_learning_goals (
      talent_id uuid not null references talents (id) on delete cascade,
      skill_uri text not null references skills (uri),
      primary key (talent_id, skill_uri)
    );

    create table mentorships (
      id uuid primary key,
      mentor_id uuid not null references talents (id) on delete cascade,
      mentee_id uuid not null references talents (id) on delete cascade,
      organisation_id text not null check (organisation_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(organisation_id) <= 100),
      programme_id text check (programme_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(programme_id) <= 100),
      status text not null check (status in ('PROPOSED', 'ACTIVE', 'COMPLETED', 'ENDED_EARLY')),
      starts_on date,
      ends_on date,
      meetings integer not null default 0 check (meetings between 0 and 1000),
      proposed_at timestamptz(3) not null default now(),
      synthetic boolean not null default false,
      check (mentor_id <> mentee_id),
      check (starts_on is null or ends_on is null or starts_on <= ends_on),
      check (status = 'PROPOSED' or status = 'ENDED_EARLY' or starts_on is not null),
      check (status in ('PROPOSED', 'ACTIVE') or ends_on is not null)
    );
    create index mentorships_mentor_idx on mentorships (mentor_id, proposed_at, id);
    create index mentorships_mentee_idx on mentorships (mentee_id, proposed_at, id);
    create index mentorships_open_mentor_idx on mentorships (mentor_id) where status in ('PROPOSED', 'ACTIVE');
    create unique index mentorships_open_pair_idx on mentorships (least(mentor_id, mentee_id), greatest(mentor_id, mentee_id))
      where status in ('PROPOSED', 'ACTIVE');
    create index mentorships_programme_idx on mentorships (programme_id) include (mentor_id, mentee_id) where programme_id is not null;

    create table mentorship_goals (
      mentorship_id uuid not null references mentorships (id) on delete cascade,
      skill_uri text not null references skills (uri),
      primary key (mentorship_id, skill_uri)
    );

    create table exchanges (
      id uuid primary key,
      talent_id uuid not null references talents (id) on delete cascade,
      home_organisation_id text not null check (home_organisation_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(home_organisation_id) <= 100),
      host_organisation_id text not null check (host_organisation_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(host_organisation_id) <= 100),
      kind text not null check (kind in ('SECONDMENT', 'STUDY_VISIT', 'JOB_SHADOWING', 'TRAINEESHIP')),
      region_code text check (region_code ~ '^[A-Z]{2}[A-Z0-9]{0,3}$'),
      programme_id text check (programme_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(programme_id) <= 100),
      starts_on date not null,
      ends_on date not null,
      status text not null check (status in ('PROPOSED', 'ACCEPTED', 'DECLINED', 'COMPLETED', 'CANCELLED')),
      proposed_at timestamptz(3) not null default now(),
      synthetic boolean not null default false,
      check (home_organisation_id <> host_organisation_id),
      check (starts_on <= ends_on and ends_on <= cast(starts_on + interval '2 years' as date))
    );
    create index exchanges_talent_idx on exchanges (talent_id, starts_on, id);
    create index exchanges_host_idx on exchanges (host_organisation_id, starts_on, id) include (ends_on, status);
    create index exchanges_programme_idx on exchanges (programme_id) include (talent_id) where programme_id is not null;
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table exchanges, mentorship_goals, mentorships, talent_learning_goals`.execute(db);
  await sql`drop index if exists talent_skills_talent_idx, talent_languages_talent_idx, talents_mentors_idx`.execute(db);
  await sql`alter table talents drop column mentoring_capacity`.execute(db);
}
