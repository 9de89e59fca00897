import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// Privacy against a determined partner (issue 12).
// - `record_key`: each talent's secret record key for the cell key method (packages/subgraph-lib/disclosure.ts), a
//   uniform random integer 0..255 drawn once per row (a volatile default is evaluated per existing row too). It is
//   never selected into an answer, only summed per statistics cell.
// - `public_profile`: the talent chose to publish the profile's public fields. Profiles are private by default:
//   every existing profile starts private, and only the talent's organisation (and those the talent consented to)
//   see it until it is published. `talents_public_idx` serves anonymous pages of public profiles in id order;
//   `talents_organisation_public_idx` counts an organisation's visible talents from the index alone.
const statements = `
    alter table talents
      add column record_key smallint not null default floor(random() * 256)::smallint check (record_key between 0 and 255),
      add column public_profile boolean not null default false;
    create index talents_public_idx on talents (id) where public_profile;
    create index talents_organisation_public_idx on talents (organisation_id, id) include (public_profile)
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index talents_organisation_public_idx`.execute(db);
  await sql`drop index talents_public_idx`.execute(db);
  await sql`alter table talents drop column public_profile, drop column record_key`.execute(db);
}
