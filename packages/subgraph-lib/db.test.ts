import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './db.js';
import { migrateToLatest } from './migrate.js';

describe('embedded store (PGlite)', () => {
  let database: Database<any>;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: undefined });
  });
  afterAll(() => database.close());

  it('returns counts as numbers, dates as strings and numerics as exact decimal strings', async () => {
    const { rows } = await sql<any>`select count(*) as n, date '2024-10-09' as d, 2232176.90::numeric(16, 2) as m`.execute(database.db);
    expect(rows[0]).toEqual({ n: 1, d: '2024-10-09', m: '2232176.90' });
  });

  it('counts every statement it sends', async () => {
    const before = database.stats.statements;
    await sql`select 1`.execute(database.db);
    await sql`select 2`.execute(database.db);
    expect(database.stats.statements - before).toBe(2);
  });

  it('keeps a transaction to itself: concurrent queries wait instead of running inside it', async () => {
    const db: Kysely<any> = database.db;
    await sql`create table probe (id int primary key)`.execute(db);
    let seenDuring: number | undefined;
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto('probe').values({ id: 1 }).execute();
      await hold;
      throw new Error('roll back');
    });
    const outside = db.selectFrom('probe').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      .then((r) => (seenDuring = r.n));
    await new Promise((r) => setTimeout(r, 50));
    expect(seenDuring).toBeUndefined(); // still waiting for the transaction to end
    release();
    await expect(tx).rejects.toThrow('roll back');
    await outside;
    expect(seenDuring).toBe(0); // ran after the rollback, never saw the uncommitted row
  });

  it('runs migrations once, in name order, and reports a failing one by name', async () => {
    const order: string[] = [];
    const creating = (name: string) => ({
      up: async (db: Kysely<any>) => {
        order.push(name);
        await sql`create table ${sql.table(`m_${name}`)} (x int)`.execute(db);
      },
    });
    const migrations = { '0001_a': creating('a'), '0002_b': creating('b') };
    expect(await migrateToLatest(database.db, migrations)).toEqual(['0001_a', '0002_b']);
    expect(await migrateToLatest(database.db, migrations)).toEqual([]);
    expect(order).toEqual(['a', 'b']);
    const broken = { ...migrations, '0003_c': creating('a') };
    await expect(migrateToLatest(database.db, broken)).rejects.toThrow(/Migration failed \(0003_c\)/);
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)('PostgreSQL store', () => {
  it('returns the same JavaScript values as the embedded store', async () => {
    const database = await openDatabase({ kind: 'postgres', url: postgresUrl! });
    try {
      const { rows } = await sql<any>`select count(*) as n, date '2024-10-09' as d, 2232176.90::numeric(16, 2) as m`.execute(database.db);
      expect(rows[0]).toEqual({ n: 1, d: '2024-10-09', m: '2232176.90' });
    } finally {
      await database.close();
    }
  });
});
