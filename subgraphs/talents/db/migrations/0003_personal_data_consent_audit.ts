import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// Personal data of talents, the organisations they share it with, and the records that writes and erasures leave.
// - Personal columns on `talents` are nullable: profiles made before this migration have none, and a talent may
//   give only some. The checks are a last line of defence behind the mutations' own validation.
// - `talent_consents`: the organisations (regions slugs) a talent shares personal data with; cascades with the
//   talent, so an erasure removes them in the same statement.
// - `audit_log`: one row per write, as subgraphs/lib/audit.ts describes (no personal data).
// - `erased_talents`: a tombstone holding the erased id alone, so that the id is never served or reused again.
// - `erasure_outbox`: one row per other subgraph that must forget an erased talent, written in the erasure's
//   transaction and delivered after it; `next_attempt_at` is the lease and backoff of the delivery loop, so that
//   several replicas never call for the same row at once.
//
// The birth-year check reads the current date: a row valid when written stays valid as years pass.
const statements = `
    alter table talents
      add column given_name text check (length(given_name) between 1 and 100),
      add column family_name text check (length(family_name) between 1 and 100),
      add column email text check (length(email) between 3 and 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'),
      add column birth_year smallint check (birth_year between 1900 and extract(year from current_date)),
      add column phone text check (length(phone) between 6 and 32 and phone ~ '^\\+?[0-9][0-9 ()-]*[0-9]$');

    create table talent_consents (
      talent_id uuid not null references talents (id) on delete cascade,
      organisation_id text not null check (organisation_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(organisation_id) <= 100),
      granted_at timestamptz not null default now(),
      primary key (talent_id, organisation_id)
    );
    create index talent_consents_organisation_idx on talent_consents (organisation_id, talent_id);

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_subject text not null,
      actor_organisation_id text not null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      request_id text
    );

    create table erased_talents (
      talent_id uuid primary key,
      erased_at timestamptz not null default now()
    );

    create table erasure_outbox (
      talent_id uuid not null,
      subgraph text not null,
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      attempts integer not null default 0,
      last_error text check (length(last_error) <= 500),
      next_attempt_at timestamptz not null default now(),
      primary key (talent_id, subgraph)
    );
    create index erasure_outbox_pending_idx on erasure_outbox (next_attempt_at) where delivered_at is null;
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table erasure_outbox, erased_talents, audit_log, talent_consents`.execute(db);
  await sql`alter table talents drop column given_name, drop column family_name, drop column email, drop column birth_year, drop column phone`.execute(db);
}
