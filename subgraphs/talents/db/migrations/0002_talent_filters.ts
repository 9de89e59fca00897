import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.

// Indexes for the talent filters and the dashboard aggregates (issue 3). Every filter of `Query.talents` pages in
// `talents.id` order, so each talents index ends with `id`: an equality filter then reads its rows already in
// keyset order. Region (`residence_region_code text_pattern_ops, id`), category and organisation are indexed by
// 0001; skills by `talent_skills_skill_idx (skill_uri, talent_id)`; residence periods by region and start.
//
// Plain CREATE INDEX (not CONCURRENTLY): migrations run in a transaction. On a large production table, build
// the index concurrently by hand first; `if not exists` then makes this migration a no-op.
const statements = `
    create index if not exists talents_citizenship_idx on talents (citizenship, id);
    create index if not exists talents_joined_idx on talents (joined_on, id);
    create index if not exists talent_languages_language_idx on talent_languages (language text_pattern_ops, level, talent_id);
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements.split(/;\s*$/m)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists talents_citizenship_idx, talents_joined_idx, talent_languages_language_idx`.execute(db);
}
