import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
const statements = `
    create table demo_seed (
      name text primary key,
      version integer not null,
      seeded_at timestamptz not null
    );

    create table events (
      id text primary key check (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      title text not null check (length(title) between 1 and 300),
      kind text not null check (kind in ('TRAINING', 'MENTORING', 'EXCHANGE', 'WORKSHOP', 'CONFERENCE_SESSION', 'WEBINAR', 'STUDY_VISIT')),
      description text,
      series text,
      attendance_mode text not null check (attendance_mode in ('ONSITE', 'ONLINE', 'HYBRID')),
      -- Millisecond precision: cursors carry instants as JavaScript dates, which hold no more.
      starts_at timestamptz(3) not null,
      ends_at timestamptz(3) not null,
      time_zone text not null,
      venue_name text,
      venue_room text,
      venue_address text,
      venue_city text,
      region_code text check (region_code ~ '^[A-Z]{2}[A-Z0-9]{0,3}$'),
      organiser_id text not null,
      programme_id text,
      languages text[] not null default '{}',
      capacity integer check (capacity > 0),
      registration_deadline timestamptz,
      synthetic boolean not null default false,
      check (starts_at < ends_at),
      check ((venue_name is null) = (venue_city is null))
    );
    create index events_starts_idx on events (starts_at, id);
    create index events_region_idx on events (region_code text_pattern_ops, starts_at, id);
    create index events_organiser_idx on events (organiser_id, starts_at, id);
    create index events_programme_idx on events (programme_id, starts_at, id);
    create index events_kind_idx on events (kind, starts_at, id);

    create table event_partners (
      event_id text not null references events (id) on delete cascade,
      organisation_id text not null,
      primary key (event_id, organisation_id)
    );

    create table agenda_items (
      event_id text not null references events (id) on delete cascade,
      position smallint not null check (position > 0),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      title text not null,
      description text,
      primary key (event_id, position),
      check (starts_at < ends_at)
    );

    create table agenda_speakers (
      event_id text not null,
      item_position smallint not null,
      position smallint not null check (position > 0),
      name text not null,
      role text,
      affiliation text,
      organisation_id text,
      topic text,
      primary key (event_id, item_position, position),
      foreign key (event_id, item_position) references agenda_items (event_id, position) on delete cascade
    );

    create table event_skills (
      event_id text not null references events (id) on delete cascade,
      skill_uri text not null,
      primary key (event_id, skill_uri)
    );

    create table registrations (
      id uuid primary key,
      event_id text not null references events (id) on delete cascade,
      talent_id uuid not null,
      status text not null check (status in ('REGISTERED', 'WAITLISTED', 'ATTENDED', 'COMPLETED', 'CANCELLED')),
      registered_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      synthetic boolean not null default false,
      unique (event_id, talent_id)
    );
    create index registrations_event_idx on registrations (event_id, registered_at, id);
    create index registrations_talent_idx on registrations (talent_id, registered_at, id);
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table registrations, event_skills, agenda_speakers, agenda_items, event_partners, events, demo_seed`.execute(db);
}
