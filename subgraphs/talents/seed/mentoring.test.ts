import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase } from '@talent-hub/subgraph-lib/subgraph';
import type { TalentsDatabase } from '../db/types.js';
import { addYears } from '../mentoring-input.js';
import { talentsSubgraph } from '../server.js';
import { readEscoSkills, seed } from './index.js';
import { syntheticMentoring } from './mentoring.js';
import { syntheticConsents } from './personal.js';
import { syntheticTalents } from './synthetic.js';

// The demo mentoring and exchanges: the same on every run, keeping the rules the mutations enforce, with enough of
// each kind for the graph to show, and written into a database of an earlier seed version without duplicates.

const skills = readEscoSkills().map((s) => s.uri);
const demo = syntheticTalents(skills);
const consents = syntheticConsents(demo.talents);
const data = syntheticMentoring(demo, skills, consents);
const talentOf = new Map(demo.talents.map((t) => [t.id, t]));

describe('demo mentoring', () => {
  it('is the same on every run, marked synthetic', () => {
    expect(syntheticMentoring(demo, skills, consents)).toEqual(data);
    expect([...data.mentorships, ...data.exchanges].every((r) => r.synthetic)).toBe(true);
  });

  it('keeps the mutations’ rules: capacity, one open mentorship per pair, talents readable by the running organisation', () => {
    const open = data.mentorships.filter((m) => m.status === 'PROPOSED' || m.status === 'ACTIVE');
    for (const [mentor, capacity] of data.capacities) {
      expect(open.filter((m) => m.mentor_id === mentor).length).toBeLessThanOrEqual(capacity);
    }
    const pairs = open.map((m) => [m.mentor_id, m.mentee_id].sort().join(':'));
    expect(new Set(pairs).size).toBe(pairs.length);
    const shared = new Set(consents.map((c) => `${c.talent_id}:${c.organisation_id}`));
    for (const m of data.mentorships) {
      expect(m.mentor_id).not.toBe(m.mentee_id);
      for (const id of [m.mentor_id, m.mentee_id]) {
        expect(talentOf.get(id)!.organisation_id === m.organisation_id || shared.has(`${id}:${m.organisation_id}`)).toBe(true);
      }
      expect(talentOf.get(m.mentor_id)!.status).toBe('ACTIVE');
      if (m.status !== 'PROPOSED' && m.status !== 'ENDED_EARLY') expect(m.starts_on).not.toBeNull();
      if (m.status === 'COMPLETED' || m.status === 'ENDED_EARLY') expect(m.ends_on).not.toBeNull();
      if (m.starts_on && m.ends_on) expect(m.starts_on <= m.ends_on).toBe(true);
      const goals = data.mentorshipGoals.filter((g) => g.mentorship_id === m.id);
      expect(goals.length).toBeGreaterThanOrEqual(1);
      expect(goals.length).toBeLessThanOrEqual(3);
    }
    const goalsPerTalent = new Map<string, number>();
    for (const g of data.learningGoals) goalsPerTalent.set(g.talent_id, (goalsPerTalent.get(g.talent_id) ?? 0) + 1);
    expect(Math.max(...goalsPerTalent.values())).toBeLessThanOrEqual(20);
  });

  it('keeps the exchanges’ rules: another host, at most two years, one per talent', () => {
    for (const e of data.exchanges) {
      expect(e.host_organisation_id).not.toBe(e.home_organisation_id);
      expect(e.home_organisation_id).toBe(talentOf.get(e.talent_id)!.organisation_id);
      expect(e.starts_on <= e.ends_on && e.ends_on <= addYears(e.starts_on, 2)).toBe(true);
    }
    expect(new Set(data.exchanges.map((e) => e.talent_id)).size).toBe(data.exchanges.length);
  });

  it('has every kind the graph shows, with enough of each that counts are not all suppressed', () => {
    const count = (rows: { status: string }[], status: string) => rows.filter((r) => r.status === status).length;
    for (const status of ['PROPOSED', 'ACTIVE', 'COMPLETED', 'ENDED_EARLY']) expect(count(data.mentorships, status), status).toBeGreaterThanOrEqual(5);
    for (const org of ['cemr', 'eurocities', 'uclg']) expect(data.mentorships.filter((m) => m.organisation_id === org).length, org).toBeGreaterThanOrEqual(10);
    expect(data.mentorships.filter((m) => m.programme_id === 'talent-hub').length).toBeGreaterThanOrEqual(10);
    expect(data.mentorships.filter((m) => talentOf.get(m.mentee_id)!.organisation_id !== m.organisation_id).length).toBeGreaterThanOrEqual(3);
    const hosted2025 = data.exchanges.filter((e) => e.host_organisation_id === 'eurocities' && e.starts_on.startsWith('2025') && e.region_code);
    expect(hosted2025.length).toBeGreaterThanOrEqual(10);
    expect([...data.capacities.values()].filter((c) => c > 0).length).toBeGreaterThanOrEqual(30);
  });
});

describe('writing the demo mentoring', () => {
  let database: Database<TalentsDatabase>;
  beforeAll(async () => {
    database = await prepareDatabase(talentsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
  });
  afterAll(() => database.close());

  const counts = async () =>
    (await sql<any>`select (select count(*)::int from mentorships) as mentorships, (select count(*)::int from mentorship_goals) as goals,
      (select count(*)::int from exchanges) as exchanges, (select count(*)::int from talent_learning_goals) as learning,
      (select count(*)::int from talents where mentoring_capacity is not null) as capacities`.execute(database.db)).rows[0];

  it('seeds all of it', async () => {
    expect(await counts()).toEqual({
      mentorships: data.mentorships.length, goals: data.mentorshipGoals.length, exchanges: data.exchanges.length,
      learning: data.learningGoals.length, capacities: data.capacities.size,
    });
  });

  it('tops up a database seeded before mentoring without duplicates, leaving out erased talents and keeping later edits', async () => {
    const db = database.db;
    const erased = data.mentorships[0]!.mentee_id;
    const edited = [...data.capacities.keys()][1]!;
    await sql`delete from mentorships`.execute(db);
    await sql`delete from exchanges`.execute(db);
    await sql`delete from talent_learning_goals`.execute(db);
    await sql`update talents set mentoring_capacity = null`.execute(db);
    await sql`update talents set mentoring_capacity = 9 where id = ${edited}`.execute(db);
    await sql`delete from talents where id = ${erased}`.execute(db);
    await sql`insert into erased_talents (talent_id) values (${erased})`.execute(db);
    await sql`update demo_seed set version = 2 where name = 'talents'`.execute(db);
    expect(await seed(db)).toBe(true);
    const about = (id: string) => ({
      mentorships: data.mentorships.filter((m) => m.mentor_id === id || m.mentee_id === id).map((m) => m.id),
    });
    const gone = new Set(about(erased).mentorships);
    expect(await counts()).toEqual({
      mentorships: data.mentorships.length - gone.size,
      goals: data.mentorshipGoals.filter((g) => !gone.has(g.mentorship_id)).length,
      exchanges: data.exchanges.filter((e) => e.talent_id !== erased).length,
      learning: data.learningGoals.filter((g) => g.talent_id !== erased).length,
      capacities: [...data.capacities.keys()].filter((id) => id !== erased).length,
    });
    expect((await sql<any>`select mentoring_capacity from talents where id = ${edited}`.execute(db)).rows[0].mentoring_capacity).toBe(9);
    // Once at the current version, a restart writes nothing.
    expect(await seed(db)).toBe(false);
  });
});
