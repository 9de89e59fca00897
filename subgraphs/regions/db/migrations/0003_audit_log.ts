import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.
//
// The audit trail of writes (subgraphs/lib/audit.ts): one row per change, in the same transaction as the change.
// Rows are looked up by entity (what happened to this indicator?) and read in time order.

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
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table audit_log`.execute(db);
}
