import { sql, type Kysely } from 'kysely';

/**
 * Writes a subgraph's demo data once, in one transaction: either all of it lands with its marker row, or none
 * of it does. A database already holding this version of the seed is left alone, so restarts are cheap.
 * Each subgraph's first migration creates the `demo_seed` marker table.
 */
export async function applySeed(
  db: Kysely<any>,
  name: string,
  version: number,
  write: (trx: Kysely<any>) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Two processes starting on one PostgreSQL database must not both seed.
    await sql`select pg_advisory_xact_lock(hashtext(${`demo_seed:${name}`}))`.execute(trx);
    const done = await trx.selectFrom('demo_seed').select('version').where('name', '=', name).executeTakeFirst();
    if (done && done.version >= version) return false;
    await write(trx);
    await trx
      .insertInto('demo_seed')
      .values({ name, version, seeded_at: new Date() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version, seeded_at: new Date() }))
      .execute();
    return true;
  });
}

/** Inserts many rows in chunks that stay far below PostgreSQL's limit of 65,535 parameters per statement. */
export async function insertInChunks<T extends object>(
  db: Kysely<any>,
  table: string,
  rows: readonly T[],
  chunkSize = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await db.insertInto(table).values(rows.slice(i, i + chunkSize) as T[]).execute();
  }
}
