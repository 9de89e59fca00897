import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreConfig } from '@talent-hub/subgraph-lib/db';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';
import { END, ok, talentMaker } from './testing/mentoring.js';

// A mentor's capacity under concurrent proposals, on PGlite and (with TEST_DATABASE_URL) on PostgreSQL, where the
// pool has several connections and the proposals really race: the lock on the mentor's row makes them count the
// places one after the other, so a mentor never has more open mentorships than its capacity, and a pair of talents
// never has two.

const stores: { name: string; create(): Promise<{ store: StoreConfig; drop(): Promise<void> }> }[] = [
  { name: 'pglite', create: async () => ({ store: { kind: 'pglite', dataDir: undefined }, drop: async () => {} }) },
];
const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) stores.push({ name: 'postgres', create: () => createTestDatabase(serverUrl, 'talents_mentoring') });

describe.each(stores)('capacity under concurrency ($name)', (store) => {
  let t: TalentsUnderTest;
  let make: ReturnType<typeof talentMaker>;
  let drop = async () => {};
  beforeAll(async () => {
    const created = await store.create();
    drop = created.drop;
    t = await startTalents(created.store);
    make = talentMaker(t);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await drop();
  });

  // Editors of the two organisations that may run them: cemr owns the mentor, and the mentees consented to cemr.
  const editors = [caller('cemr', 'editor', 'alice'), caller('cemr', 'admin', 'bob')];
  const openOf = async (mentorId: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from mentorships where mentor_id = ${mentorId} and status in ('PROPOSED', 'ACTIVE')`.execute(t.database.db)).rows[0]!.n;

  it('30 concurrent proposals for a mentor with 3 places: exactly 3 succeed, the others are told it is full', async () => {
    const mentor = await make.talent('cemr', { mentoringCapacity: 3 });
    const mentees: string[] = [];
    for (let i = 0; i < 30; i++) mentees.push(await make.talent('cemr'));
    const results = await Promise.all(mentees.map((menteeId, i) => make.propose(editors[i % 2]!, { mentorId: mentor, menteeId })));
    const succeeded = results.filter((r) => !r.errors);
    expect(succeeded).toHaveLength(3);
    const refused = results.filter((r) => r.errors);
    expect(refused.flatMap(errorCodes).every((c) => c === 'BAD_USER_INPUT')).toBe(true);
    for (const r of refused) expect((r.errors![0]!.extensions!.fields as any[])[0].field).toBe('input.mentorId');
    expect(await openOf(mentor)).toBe(3);
    // A freed place is taken by exactly one of the next racers.
    ok(await t.query(END, { id: succeeded[0]!.data!.proposeMentorship.id }, editors[0]));
    const next = await Promise.all(mentees.slice(10, 20).map((menteeId) => make.propose(editors[1]!, { mentorId: mentor, menteeId })));
    expect(next.filter((r) => !r.errors)).toHaveLength(1);
    expect(await openOf(mentor)).toBe(3);
  });

  it('the same pair proposed 10 times at once, either way round: one mentorship', async () => {
    const a = await make.talent('cemr', { mentoringCapacity: 10 });
    const b = await make.talent('cemr', { mentoringCapacity: 10 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => make.propose(editors[i % 2]!, i % 2 === 0 ? { mentorId: a, menteeId: b } : { mentorId: b, menteeId: a })),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const refusals = results.filter((r) => r.errors).map((r) => (r.errors![0]!.extensions!.fields as any[])[0].field);
    expect(new Set(refusals)).toEqual(new Set(['input.menteeId']));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from mentorships
      where status in ('PROPOSED', 'ACTIVE') and ((mentor_id = ${a} and mentee_id = ${b}) or (mentor_id = ${b} and mentee_id = ${a}))`.execute(t.database.db);
    expect(rows[0]!.n).toBe(1);
  });
});
