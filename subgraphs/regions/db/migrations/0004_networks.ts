import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.
//
// Networks and their members: an organisation (a network such as AER or the Talent Hub) has other organisations as
// direct members, e.g. Emilia-Romagna Region in AER. Membership is not transitive and an organisation is never a
// member of itself. The primary key (network_id, member_id) serves a network's members in id order
// (Organisation.members, Query.organisations(memberOf:)); the index on (member_id, network_id) serves the networks
// an organisation belongs to, in id order (Organisation.memberOf).

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
const statements = [
  `create table organisation_memberships (
    network_id text not null references organisations (id),
    member_id text not null references organisations (id),
    joined_on date,
    primary key (network_id, member_id),
    constraint organisation_memberships_not_self check (network_id <> member_id)
  )`,
  `create index organisation_memberships_member_idx on organisation_memberships (member_id, network_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table organisation_memberships`.execute(db);
}
