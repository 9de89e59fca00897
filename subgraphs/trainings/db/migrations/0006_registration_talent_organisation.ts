import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.
//
// The organisation that owns each registration's talent (`talent_organisation_id`, a regions slug id), as the
// talents subgraph said when the registration was made: it decides who may read the registration (the talent's
// organisation reads its talents' registrations of any event). registerForEvent writes it after asking talents,
// and it never changes afterwards (a talent's owning organisation cannot change).
//
// Rows written before this migration cannot be checked here (a migration cannot call another subgraph): they keep
// null, meaning "not verified yet". The trainings subgraph's reconciliation (db/reconcile.ts, run at start)
// asks talents about them in batches, fills the column for talents that exist and removes the registrations of
// talents that do not (made-up ids registered before the check existed), promoting the waitlists. The partial
// index finds the unverified rows without reading the others.

const statements = [
  `alter table registrations add column talent_organisation_id text`,
  `create index registrations_unverified_idx on registrations (talent_id) where talent_organisation_id is null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index registrations_unverified_idx`.execute(db);
  await sql`alter table registrations drop column talent_organisation_id`.execute(db);
}
