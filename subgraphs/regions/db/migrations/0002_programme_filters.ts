import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has run anywhere; add a new numbered one instead.
//
// The "active on a date" filter of Query.programmes: a programme is active on day d when its period contains
// d (period_start <= d, and period_end is null or period_end >= d). A GiST index on the period as a date range
// answers "contains d" directly; `daterange(start, null, '[]')` is open-ended, as a null end means. Programmes
// without a start are active on no date, and left out of the index. The other programme filters already have
// their indexes (0001): managing organisation (programmes_managing_idx) and region (programme_regions_region_idx).

// One statement per query: the embedded store (PGlite) prepares each query and cannot take several at once.
const statements = [
  `create index programmes_active_idx on programmes using gist (daterange(period_start, period_end, '[]'))
    where period_start is not null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index programmes_active_idx`.execute(db);
}
