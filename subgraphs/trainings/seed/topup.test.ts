import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import { formatInstant } from '@talent-hub/subgraph-lib/time';
import type { TrainingsDatabase } from '../db/types.js';
import { trainingsSubgraph } from '../server.js';
import { seed, SEED_VERSION } from './index.js';
import { syntheticTrainings } from './synthetic.js';
import { upcomingTrainings } from './upcoming.js';

// The demo seed, version 2: days of attendance and completion of the past demo registrations, and upcoming
// trainings with seats left that teach every demo skill. A database seeded with version 1 (and migrated by 0004,
// which gave its attended and completed registrations their event's days) is topped up: what is missing is added,
// nothing duplicated, an erased talent stays erased, and what was changed since is kept.

let database: Database<TrainingsDatabase>;
beforeAll(async () => {
  database = await prepareDatabase(trainingsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
});
afterAll(() => database.close());

const db = () => database.db;
const ESCO = /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f-]{36}$/;

const counts = async () => {
  const { rows } = await sql<any>`select
    (select count(*)::int from events) as events, (select count(*)::int from event_skills) as skills,
    (select count(*)::int from agenda_items) as agenda, (select count(*)::int from registrations) as registrations,
    (select count(*)::int from registrations where attended_on is not null) as attended,
    (select count(*)::int from registrations where completed_on is not null) as completed`.execute(db());
  return rows[0];
};

describe('demo seed version 2', () => {
  it('gives past attended and completed registrations their days: on the event\'s day, completion within three weeks', async () => {
    expect(SEED_VERSION).toBe(2);
    const rows = await db().selectFrom('registrations').innerJoin('events', 'events.id', 'registrations.event_id')
      .select(['registrations.status', 'attended_on', 'completed_on', 'events.starts_at', 'events.time_zone']).execute();
    const attended = rows.filter((r) => r.status === 'ATTENDED' || r.status === 'COMPLETED');
    expect(attended.length).toBeGreaterThan(100);
    for (const r of rows) {
      if (r.status !== 'ATTENDED' && r.status !== 'COMPLETED') expect([r.attended_on, r.completed_on]).toEqual([null, null]);
    }
    for (const r of attended) {
      expect(r.attended_on).toBe(formatInstant(r.starts_at, r.time_zone).slice(0, 10));
      if (r.status === 'ATTENDED') expect(r.completed_on).toBeNull();
      else {
        expect(r.completed_on! >= r.attended_on!).toBe(true);
        expect(r.completed_on! <= '2025-06-30').toBe(true);
        expect(Date.parse(r.completed_on!) - Date.parse(r.attended_on!)).toBeLessThanOrEqual(21 * 86_400_000);
      }
    }
    // Some completed on the day, some later.
    const later = attended.filter((r) => r.status === 'COMPLETED' && r.completed_on !== r.attended_on);
    expect(later.length).toBeGreaterThan(10);
    expect(later.length).toBeLessThan(attended.filter((r) => r.status === 'COMPLETED').length);
  });

  it('holds upcoming trainings open for registration, with seats left but one, teaching every demo skill', async () => {
    const upcoming = upcomingTrainings(new Date());
    const ids = upcoming.events.map((e) => e.id);
    const events = await db().selectFrom('events').selectAll().where('id', 'in', ids).execute();
    expect(events).toHaveLength(17);
    const now = Date.now();
    const taken = await db().selectFrom('event_registration_counts').selectAll().where('event_id', 'in', ids).execute();
    let full = 0;
    for (const e of events) {
      expect(e.synthetic).toBe(true);
      expect(e.starts_at.getTime()).toBeGreaterThan(now + 13 * 86_400_000);
      expect(e.registration_deadline!.getTime()).toBeGreaterThan(now);
      const seated = taken.find((c) => c.event_id === e.id)!;
      expect(seated.n_registered).toBeGreaterThan(0);
      if (e.capacity !== null && seated.n_registered >= e.capacity) full += 1;
    }
    expect(full).toBe(1);
    const skills = await db().selectFrom('event_skills').select('skill_uri').distinct().where('event_id', 'in', ids).execute();
    expect(skills.length).toBe(91);
    expect(skills.every((s) => ESCO.test(s.skill_uri))).toBe(true);
  });

  it('tops up a version-1 database without duplicates, keeping erasures and later changes', async () => {
    const full = await counts();
    const demo = syntheticTrainings();
    const upcoming = upcomingTrainings(new Date());
    const upcomingIds = upcoming.events.map((e) => e.id);
    // What version 1 left, migrated by 0004: no upcoming trainings, attended and completed demo registrations on
    // their event's first and last day.
    await db().deleteFrom('events').where('id', 'in', upcomingIds).execute();
    await sql`update registrations r set attended_on = (e.starts_at at time zone e.time_zone)::date,
        completed_on = case when r.status = 'COMPLETED' then (e.ends_at at time zone e.time_zone)::date end
      from events e where e.id = r.event_id and r.status in ('ATTENDED', 'COMPLETED')`.execute(db());
    await sql`update demo_seed set version = 1 where name = 'trainings'`.execute(db());
    // Since then: a talent erased, a completion corrected by its organiser.
    const erased = demo.registrations.find((r) => r.status === 'COMPLETED')!.talent_id;
    // Its registrations, for past events and for upcoming ones (which the top-up must not bring back).
    const erasedRows = [...demo.registrations, ...upcoming.registrations].filter((r) => r.talent_id === erased).length;
    await db().deleteFrom('registrations').where('talent_id', '=', erased).execute();
    await db().insertInto('erased_talents').values({ talent_id: erased }).execute();
    const corrected = demo.registrations.find((r) => r.status === 'COMPLETED' && r.talent_id !== erased)!;
    await db().updateTable('registrations').set({ completed_on: '2025-06-29', updated_at: new Date() }).where('id', '=', corrected.id).execute();

    expect(await seed(db())).toBe(true);
    const after = await counts();
    const erasedCompleted = demo.registrations.filter((r) => r.talent_id === erased && r.completed_on !== null).length;
    const erasedAttended = demo.registrations.filter((r) => r.talent_id === erased && r.attended_on !== null).length;
    expect(after).toEqual({
      ...full,
      registrations: full.registrations - erasedRows,
      attended: full.attended - erasedAttended,
      completed: full.completed - erasedCompleted,
    });
    expect(await db().selectFrom('registrations').select('id').where('talent_id', '=', erased).execute()).toEqual([]);
    // The demo registrations untouched since version 1 have the seed's days again; the corrected one is kept.
    const rows = await db().selectFrom('registrations').select(['id', 'attended_on', 'completed_on']).where('id', 'in', demo.registrations.map((r) => r.id)).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of demo.registrations.filter((x) => x.talent_id !== erased && x.id !== corrected.id)) {
      expect(byId.get(r.id), r.id).toEqual({ id: r.id, attended_on: r.attended_on, completed_on: r.completed_on });
    }
    expect(byId.get(corrected.id)!.completed_on).toBe('2025-06-29');
    // At version 2 already: a restart writes nothing.
    expect(await seed(db())).toBe(false);
  });
});
