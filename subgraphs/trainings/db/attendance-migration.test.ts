import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@talent-hub/subgraph-lib/db';
import { migrateToLatest } from '@talent-hub/subgraph-lib/migrate';
import { migrations } from './migrations/index.js';
import type { TrainingsDatabase } from './types.js';

// Migration 0004 on a database that already holds attended and completed registrations (as migration 0003 left
// them): they get the days of their event in its time zone; the checks then keep days and statuses consistent;
// event_skills learn their event's start and follow it; the registration counts stay right.

let database: Database<TrainingsDatabase>;
const db = () => database.db;
const before0004 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0004'));

const registration = (n: number, eventId: string, status: string) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  event_id: eventId,
  talent_id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
  status,
  registered_at: new Date('2024-01-01T00:00:00Z'),
  updated_at: new Date('2024-01-01T00:00:00Z'),
  synthetic: true,
});

beforeAll(async () => {
  database = await openDatabase<TrainingsDatabase>({ kind: 'pglite', dataDir: undefined });
  await migrateToLatest(db(), before0004);
  const event = (id: string, startsAt: string, endsAt: string, timeZone: string) => ({
    id, title: id, kind: 'TRAINING', attendance_mode: 'ONLINE', starts_at: new Date(startsAt), ends_at: new Date(endsAt),
    time_zone: timeZone, organiser_id: 'aer', languages: [], synthetic: true,
  });
  const kysely = db() as any;
  await kysely.insertInto('events').values([
    // 23:30 UTC on 9 October is 01:30 on 10 October in Rome; it ends at midnight on 12 October (the 11th is its last day).
    event('late-night', '2024-10-09T23:30:00Z', '2024-10-11T22:00:00Z', 'Europe/Rome'),
    event('in-dublin', '2024-03-04T09:00:00Z', '2024-03-04T17:00:00Z', 'Europe/Dublin'),
  ]).execute();
  await kysely.insertInto('registrations').values([
    registration(1, 'late-night', 'ATTENDED'),
    registration(2, 'late-night', 'COMPLETED'),
    registration(3, 'late-night', 'REGISTERED'),
    registration(4, 'in-dublin', 'COMPLETED'),
    registration(5, 'in-dublin', 'CANCELLED'),
  ]).execute();
  await kysely.insertInto('event_skills').values([
    { event_id: 'late-night', skill_uri: 'skill-a' },
    { event_id: 'in-dublin', skill_uri: 'skill-a' },
  ]).execute();
  await migrateToLatest(db(), migrations);
});
afterAll(() => database.close());

describe('migration 0004', () => {
  it('gives attended and completed registrations their event\'s first and last day, in its time zone', async () => {
    const rows = await db().selectFrom('registrations').select(['id', 'status', 'attended_on', 'completed_on']).orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.attended_on, r.completed_on])).toEqual([
      ['ATTENDED', '2024-10-10', null],
      ['COMPLETED', '2024-10-10', '2024-10-11'],
      ['REGISTERED', null, null],
      ['COMPLETED', '2024-03-04', '2024-03-04'],
      ['CANCELLED', null, null],
    ]);
    const counts = await db().selectFrom('event_registration_counts').selectAll().orderBy('event_id').execute();
    expect(counts.map((c) => [c.event_id, c.n_registered, c.n_attended, c.n_completed, c.n_cancelled])).toEqual([
      ['in-dublin', 0, 0, 1, 1],
      ['late-night', 1, 1, 1, 0],
    ]);
  });

  it('refuses days that do not fit the status, and a completion before attendance', async () => {
    const refused = [
      { id: registration(3, '', '').id, set: { attended_on: '2024-10-10' } }, // REGISTERED
      { id: registration(1, '', '').id, set: { completed_on: '2024-10-11' } }, // ATTENDED
      { id: registration(2, '', '').id, set: { completed_on: '2024-10-09' } }, // before attendance
      { id: registration(2, '', '').id, set: { attended_on: null } }, // completion without attendance
    ];
    for (const { id, set } of refused) {
      await expect(db().updateTable('registrations').set(set).where('id', '=', id).execute(), JSON.stringify(set)).rejects.toThrow(/check constraint/);
    }
    // Left null: recorded without a day (what a loader that does not know the columns writes).
    await db().updateTable('registrations').set({ attended_on: null, completed_on: null }).where('id', '=', registration(4, '', '').id).execute();
  });

  it('keeps each event_skills row at its event\'s start, on insert and when the event moves', async () => {
    const starts = async () =>
      Object.fromEntries((await db().selectFrom('event_skills').select(['event_id', 'skill_uri', 'starts_at']).execute())
        .map((r) => [`${r.event_id} ${r.skill_uri}`, r.starts_at.toISOString()]));
    expect(await starts()).toEqual({ 'late-night skill-a': '2024-10-09T23:30:00.000Z', 'in-dublin skill-a': '2024-03-04T09:00:00.000Z' });
    // A writer's own value is replaced by the event's.
    await sql`insert into event_skills (event_id, skill_uri, starts_at) values ('in-dublin', 'skill-b', '2000-01-01Z')`.execute(db());
    await db().updateTable('events').set({ starts_at: new Date('2024-03-05T09:00:00Z'), ends_at: new Date('2024-03-05T17:00:00Z') })
      .where('id', '=', 'in-dublin').execute();
    expect(await starts()).toEqual({
      'late-night skill-a': '2024-10-09T23:30:00.000Z',
      'in-dublin skill-a': '2024-03-05T09:00:00.000Z',
      'in-dublin skill-b': '2024-03-05T09:00:00.000Z',
    });
  });
});
