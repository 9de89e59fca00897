import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// Affiliations: a talent's periods with partner organisations (issue 11), which retention across a network is
// measured on. Personal data: they go with the talent (cascade), so an erasure removes them in its statement.
// - One row per period; a period is named by talent, organisation and first day. Periods with one organisation
//   never overlap: the mutations check that under the talent's row lock (an exclusion constraint would need
//   btree_gist, which the embedded store does not ship).
// - `affiliations_talent_idx` (talent, first day, with organisation and last day included) answers every
//   "was the talent with a member on day D" probe of networkRetention from the index alone;
//   `affiliations_organisation_start_idx` finds the joiners of a range of quarters, and
//   `affiliations_organisation_end_idx` the departures.
// - `data_versions`: a counter per table whose aggregates are kept between requests. A statement trigger bumps
//   the affiliations' counter in the transaction of every write (cascaded erasures and the generator's COPY
//   included), so a kept networkRetention answer is used only while the counter is the one it was read at.
//   Writers of affiliations therefore queue on that one row; they are rare (a career change, an erasure).
const statements = `
    create table affiliations (
      talent_id uuid not null references talents (id) on delete cascade,
      organisation_id text not null check (organisation_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(organisation_id) <= 100),
      role text not null check (length(role) between 1 and 100),
      started_on date not null,
      ended_on date check (ended_on >= started_on),
      synthetic boolean not null default false,
      primary key (talent_id, organisation_id, started_on)
    );
    create index affiliations_talent_idx on affiliations (talent_id, started_on) include (organisation_id, ended_on);
    create index affiliations_organisation_start_idx on affiliations (organisation_id, started_on) include (talent_id, ended_on);
    create index affiliations_organisation_end_idx on affiliations (organisation_id, ended_on) include (talent_id) where ended_on is not null;
    create table data_versions (
      name text primary key,
      version bigint not null default 0
    );
    insert into data_versions (name) values ('affiliations');
`;

// Each one statement (a function body holds semicolons).
const versionTrigger = [
  `create function affiliations_bump_version() returns trigger language plpgsql as $$
    begin
      update data_versions set version = version + 1 where name = 'affiliations';
      return null;
    end
  $$`,
  `create trigger affiliations_version after insert or update or delete or truncate on affiliations
    for each statement execute function affiliations_bump_version()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
  for (const statement of versionTrigger) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table affiliations`.execute(db);
  await sql`drop function affiliations_bump_version`.execute(db);
  await sql`drop table data_versions`.execute(db);
}
