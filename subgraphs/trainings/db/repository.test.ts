import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { trainingsSubgraph } from '../server.js';
import * as repo from './repository.js';
import type { TrainingsDatabase } from './types.js';

let database: Database<TrainingsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(trainingsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

describe('trainings repository', () => {
  it('pages events per organiser in start order with a (startsAt, id) keyset', async () => {
    const first = await repo.listEventsOf(database.db, 'organiser', ['aer', 'cemr'], { size: 2, after: null });
    const aer = first.filter((e) => e.parent_key === 'aer');
    expect(aer).toHaveLength(3);
    expect(aer[0]!.starts_at <= aer[1]!.starts_at).toBe(true);
    const next = await repo.listEventsOf(database.db, 'organiser', ['aer'], {
      size: 2,
      after: [aer[1]!.starts_at.toISOString(), aer[1]!.id],
    });
    expect(next[0]!.id).toBe(aer[2]!.id);
  });

  it('pages registrations per talent (uuid keys) in one statement', async () => {
    const ids = [syntheticTalentId(0), syntheticTalentId(1)];
    const before = database.stats.statements;
    const rows = await repo.listRegistrationsOf(database.db, 'talent', ids, { size: 50, after: null });
    expect(database.stats.statements - before).toBe(1);
    for (const id of ids) {
      const own = rows.filter((r) => r.parent_key === id);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((r) => r.talent_id === id)).toBe(true);
    }
  });

  it('counts seats taken per event from seat-holding registrations only', async () => {
    const counts = await repo.countSeatsTaken(database.db, ['demo-training-01', 'ewrc-2024-eu-belong']);
    const held = await database.db.selectFrom('registrations').select('status').where('event_id', '=', 'demo-training-01').execute();
    expect(counts).toEqual([{ event_id: 'demo-training-01', taken: held.filter((r) => repo.SEAT_HOLDING.includes(r.status)).length }]);
  });

  it('refuses a registration of the same talent twice for one event (the database enforces it)', async () => {
    const existing = await database.db.selectFrom('registrations').selectAll().limit(1).executeTakeFirstOrThrow();
    await expect(
      database.db.insertInto('registrations').values({ ...existing, id: '00000000-0000-4000-8000-000000000001' }).execute(),
    ).rejects.toThrow(/duplicate key/);
  });
});
