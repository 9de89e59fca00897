import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.
//
// What the write side of the subgraph (event and registration mutations, erasure) needs:
// 1. `audit_log`: one row per write, in the write's transaction (the table every subgraph has, see
//    subgraphs/lib/audit.ts). Indexed by entity, to answer "who changed this event, when".
// 2. `events.cancelled_at`: null while the event is scheduled, the instant it was cancelled otherwise. A
//    cancelled event is kept (its registrations are history), so a status column rather than a delete.
// 3. `registrations.registered_by_organisation_id`: the organisation whose editor made the registration, which
//    may cancel it (as may the event's organiser). Null for rows written before this migration and for rows
//    written by the demo seed and the data generator, which stand for registrations taken by the organiser:
//    null means "the event's organiser". No backfill: it would rewrite a million-row table for a value that
//    the null already says.
// 4. The waitlist of an event is its WAITLISTED registrations in (registered_at, id) order. A partial index in
//    that order serves promotion (the first ones in line) and positions (how many wait ahead) without reading
//    the registrations of other statuses.
// 5. `erased_talents`: tombstones of talents whose data was erased, so that no new registration brings an erased
//    talent id back. Only the id and when: nothing else about the person.
//
// Registration counts (migration 0002) need no change: its statement-level triggers count every insert, update
// and delete of registrations, which is all the mutations do.

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
const statements = [
  `create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_subject text not null,
      actor_organisation_id text not null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      request_id text
    )`,
  `create index audit_log_entity_idx on audit_log (entity_type, entity_id, at)`,

  `alter table events add column cancelled_at timestamptz(3)`,

  `alter table registrations add column registered_by_organisation_id text
      check (registered_by_organisation_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$')`,
  `create index registrations_waitlist_idx on registrations (event_id, registered_at, id) where status = 'WAITLISTED'`,

  `create table erased_talents (
      talent_id uuid primary key,
      erased_at timestamptz not null default now()
    )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table erased_talents`.execute(db);
  await sql`drop index registrations_waitlist_idx`.execute(db);
  await sql`alter table registrations drop column registered_by_organisation_id`.execute(db);
  await sql`alter table events drop column cancelled_at`.execute(db);
  await sql`drop table audit_log`.execute(db);
}
