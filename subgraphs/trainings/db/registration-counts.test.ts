import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import { syntheticUuid } from '@talent-hub/subgraph-lib/synthetic';
import { trainingsSubgraph } from '../server.js';
import type { TrainingsDatabase } from './types.js';
import type { RegistrationStatus } from '../generated/enums.js';

// The per-event registration counts (migration 0002) that registration statistics read must always equal a
// recount of the registrations, whatever statement changed them.

let database: Database<TrainingsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(trainingsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

type Counts = Record<string, [number, number, number, number, number]>;

/** The counts kept by the triggers, leaving out events whose counts all went back to zero. */
async function kept(): Promise<Counts> {
  const rows = await database.db.selectFrom('event_registration_counts').selectAll().orderBy('event_id').execute();
  return Object.fromEntries(
    rows
      .map((r): [string, Counts[string]] => [r.event_id, [r.n_registered, r.n_waitlisted, r.n_attended, r.n_completed, r.n_cancelled]])
      .filter(([, counts]) => counts.some((n) => n !== 0)),
  );
}

/** The same counts, recounted from the registrations. */
async function recounted(): Promise<Counts> {
  const { rows } = await sql<{ event_id: string; counts: [number, number, number, number, number] }>`
    select event_id, array[
      count(*) filter (where status = 'REGISTERED'), count(*) filter (where status = 'WAITLISTED'),
      count(*) filter (where status = 'ATTENDED'), count(*) filter (where status = 'COMPLETED'),
      count(*) filter (where status = 'CANCELLED')]::int[] as counts
    from registrations group by event_id order by event_id`.execute(database.db);
  return Object.fromEntries(rows.map((r) => [r.event_id, r.counts]));
}

const registration = (i: number, eventId: string, status: RegistrationStatus) => ({
  id: syntheticUuid('counts-test', i),
  event_id: eventId,
  talent_id: syntheticUuid('counts-test-talent', i),
  status,
  registered_at: new Date('2025-01-01T00:00:00Z'),
  updated_at: new Date('2025-01-01T00:00:00Z'),
  synthetic: true,
});

describe('event registration counts', () => {
  it('hold the seed: the migration counts what is there, the triggers count what the seed wrote', async () => {
    const counts = await kept();
    expect(Object.keys(counts).length).toBeGreaterThan(20);
    expect(counts).toEqual(await recounted());
  });

  it('follow inserts, updates and deletes of many rows in one statement, across events', async () => {
    const db = database.db;
    const events = ['demo-training-01', 'demo-webinar-05', 'ewrc-2024-eu-belong'];
    await db.insertInto('registrations').values(events.flatMap((e, k) =>
      (['REGISTERED', 'WAITLISTED', 'ATTENDED', 'COMPLETED', 'CANCELLED'] as const).map((status, j) => registration(k * 5 + j, e, status)),
    )).execute();
    expect(await kept()).toEqual(await recounted());
    expect((await kept())['ewrc-2024-eu-belong']).toEqual([1, 1, 1, 1, 1]);

    await db.updateTable('registrations').set({ status: 'COMPLETED' }).where('status', '=', 'ATTENDED').execute();
    await db.updateTable('registrations').set({ updated_at: new Date() }).where('event_id', 'in', events).execute();
    expect(await kept()).toEqual(await recounted());

    await db.deleteFrom('registrations').where('status', '=', 'CANCELLED').execute();
    expect(await kept()).toEqual(await recounted());
    expect((await kept())['ewrc-2024-eu-belong']).toEqual([1, 1, 0, 2, 0]);
  });

  it('go with their event when it is deleted (its registrations go by cascade)', async () => {
    const db = database.db;
    await db.deleteFrom('events').where('id', '=', 'demo-mentoring-02').execute();
    const counts = await kept();
    expect(counts['demo-mentoring-02']).toBeUndefined();
    expect(counts).toEqual(await recounted());
  });

  it('start again from zero on TRUNCATE, and can be rebuilt after a load with triggers off', async () => {
    const before = await recounted();
    await sql`delete from event_registration_counts`.execute(database.db);
    await sql`select event_registration_counts_rebuild()`.execute(database.db);
    expect(await kept()).toEqual(before);
    await sql`truncate registrations`.execute(database.db);
    expect(await kept()).toEqual({});
  });
});
