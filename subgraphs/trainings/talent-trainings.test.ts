import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@talent-hub/platform/identity';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { caller, errorCodes, startTestSubgraph, type Result, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import { trainingsSubgraph } from './server.js';
import { FakePeers } from './testing/peers.js';
import { talentsService, testTalentId } from './testing/stores.js';

// Talent.completedTrainings and Talent.recommendedTrainings: personal data, resolved on the talents subgraph's
// word (`personalDataReadable`, `skillGaps`, which the gateway passes in the representation through @requires).
// The tests call _entities as the gateway would, with those fields in the representations.

let subgraph: TestSubgraph<TrainingsDatabase>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(trainingsSubgraph, undefined, new FakePeers());
});
afterAll(() => subgraph.stop());

const db = () => subgraph.database.db;
const reader = caller('cemr', 'viewer');

const ENTITIES = (selection: string) => `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Talent { ${selection} } } }`;

/** Runs an operation as `as` and counts the SQL statements it sent. */
async function countStatements(query: string, variables: Record<string, unknown>, as: Identity | null = reader) {
  const before = subgraph.database.stats.statements;
  const result = await subgraph.query(query, variables, as);
  return { result, statements: subgraph.database.stats.statements - before };
}

const forbiddenPaths = (result: Result) =>
  (result.errors ?? []).map((e) => [e.extensions?.code, e.path?.join('.')]);

describe('Talent.completedTrainings', () => {
  const COMPLETED = ENTITIES(`id completedTrainings(first: $first, after: $after) {
    totalCount nodes { completedOn attendedOn event { id } } pageInfo { hasNextPage endCursor } }`)
    .replace('($r: [_Any!]!)', '($r: [_Any!]!, $first: Int, $after: String)');

  /** A synthetic demo talent with at least 3 completed trainings, and the list it should get, by SQL. */
  async function expected() {
    const { rows } = await sql<{ talent_id: string; event_id: string; completed_on: string; attended_on: string | null }>`
      select talent_id, event_id, completed_on, attended_on from registrations
      where completed_on is not null order by talent_id, completed_on desc, id desc`.execute(db());
    const byTalent = new Map<string, typeof rows>();
    for (const row of rows) byTalent.set(row.talent_id, [...(byTalent.get(row.talent_id) ?? []), row]);
    const found = [...byTalent].find(([, list]) => list.length >= 3);
    expect(found).toBeDefined();
    return found!;
  }

  it('lists the COMPLETED registrations with their days, latest completion first, paged, when readable', async () => {
    const [talentId, list] = await expected();
    expect(list.every((r) => r.attended_on !== null && r.attended_on <= r.completed_on)).toBe(true);
    const seen: unknown[] = [];
    let after: string | null = null;
    do {
      const result: Result = await subgraph.query(COMPLETED, { r: [{ __typename: 'Talent', id: talentId, personalDataReadable: true }], first: 2, after }, reader);
      expect(result.errors).toBeUndefined();
      const page = result.data._entities[0].completedTrainings;
      expect(page.totalCount).toBe(list.length);
      seen.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(list.map((r) => ({ completedOn: r.completed_on, attendedOn: r.attended_on, event: { id: r.event_id } })));
  });

  it('is null with FORBIDDEN at its path unless the talents subgraph says readable, for a signed-in organisation', async () => {
    const [talentId] = await expected();
    const representation = { __typename: 'Talent', id: talentId };
    const query = ENTITIES('id completedTrainings { totalCount }');
    const cases: [string, Record<string, unknown>, Identity | null][] = [
      ['not readable', { ...representation, personalDataReadable: false }, reader],
      ['readable not sent', representation, reader],
      ['readable, but anonymous', { ...representation, personalDataReadable: true }, null],
      ['readable, but a service', { ...representation, personalDataReadable: true }, talentsService],
    ];
    for (const [name, rep, as] of cases) {
      const result = await subgraph.query(query, { r: [rep] }, as);
      expect(forbiddenPaths(result), name).toEqual([['FORBIDDEN', '_entities.0.completedTrainings']]);
      expect(result.errors![0]!.message, name).toMatch(/Not authorised to read Talent.completedTrainings/);
      // The rest of the talent is answered.
      expect(result.data._entities[0], name).toEqual({ id: talentId, completedTrainings: null });
    }
    const readable = await subgraph.query(query, { r: [{ ...representation, personalDataReadable: true }] }, reader);
    expect(readable.errors).toBeUndefined();
    expect(readable.data._entities[0].completedTrainings.totalCount).toBeGreaterThan(0);
  });

  it('refuses cursors of other lists and made-up ones; a malformed talent id has none', async () => {
    const rep = { __typename: 'Talent', id: syntheticTalentId(1), personalDataReadable: true };
    const other = Buffer.from(JSON.stringify(['Talent.registrations', '2024-01-01T00:00:00.000Z', testTalentId(1)])).toString('base64url');
    const madeUp = (day: string) => Buffer.from(JSON.stringify(['Talent.completedTrainings', day, testTalentId(1)])).toString('base64url');
    for (const after of [other, madeUp('yesterday'), madeUp('2026-02-30')]) {
      const result = await subgraph.query(COMPLETED, { r: [rep], after }, reader);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.argumentName).toBe('after');
    }
    const malformed = await subgraph.query(COMPLETED, { r: [{ ...rep, id: 'not-a-uuid' }] }, reader);
    expect(malformed.data._entities[0].completedTrainings).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('costs the same statements for 150 talents as for 3', async () => {
    const query = ENTITIES('completedTrainings(first: 5) { nodes { completedOn event { id title } } }');
    const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Talent', id: syntheticTalentId(i), personalDataReadable: true }));
    const few = await countStatements(query, { r: reps(3) });
    const many = await countStatements(query, { r: reps(150) });
    expect(many.result.errors).toBeUndefined();
    expect(many.result.data._entities.filter((t: any) => t.completedTrainings.nodes.length > 0).length).toBeGreaterThan(50);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBe(2); // completed trainings, events
  });
});

describe('Talent.recommendedTrainings', () => {
  const DAY_MS = 86_400_000;
  const organiser = caller('aer', 'editor');
  const talent = testTalentId(500);
  // Skills no demo event teaches, so that only this test's events qualify.
  const skill = (n: number) => `http://data.europa.eu/esco/skill/00000000-0000-4000-8000-0000000005${String(n).padStart(2, '0')}`;
  const S1 = skill(1);
  const S2 = skill(2);
  const S3 = skill(3);
  const S4 = skill(4);
  const GAPS = [
    { skillUri: S1, reason: 'MENTORSHIP_GOAL' },
    { skillUri: S2, reason: 'LEARNING_GOAL' },
    { skillUri: S3, reason: 'LEARNING_GOAL' },
    { skillUri: S4, reason: 'LEARNING_GOAL' },
  ];
  const RECOMMENDED = ENTITIES(`id recommendedTrainings(first: $first) { event { id } reasons { skill { uri } reason explanation } }`)
    .replace('($r: [_Any!]!)', '($r: [_Any!]!, $first: Int)');
  const readable = (gaps: unknown = GAPS, id = talent) => ({ __typename: 'Talent', id, personalDataReadable: true, skillGaps: gaps });

  /** An event in `days` days (its start; an hour long), teaching `skills`. */
  async function event(id: string, days: number, skills: string[], extra: Record<string, unknown> = {}) {
    const start = new Date(Date.now() + days * DAY_MS);
    const result = await subgraph.query('mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }', {
      input: {
        id, title: `Recommendation test ${id}`, kind: 'TRAINING', attendanceMode: 'ONLINE', timeZone: 'Europe/Brussels', skillUris: skills,
        startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), capacity: 10, ...extra,
      },
    }, organiser);
    expect(result.errors).toBeUndefined();
  }
  const register = (eventId: string, talentId: string) =>
    subgraph.query('mutation ($e: ID!, $t: ID!) { registerForEvent(eventId: $e, talentId: $t) { status } }', { e: eventId, t: talentId }, organiser);

  beforeAll(async () => {
    await event('rec-a', 40, [S1, S2]); // two wanted skills, one a mentorship goal
    await event('rec-d', 10, [S3, S4]); // two wanted skills, learning goals only
    await event('rec-b', 30, [S1]); // one mentorship goal
    await event('rec-c', 20, [S2]); // one learning goal, sooner
    await event('rec-e', 20, [S2]); // the same, same start: after rec-c by id
    // Not recommended: full, cancelled, past its deadline, started, a conference session, already registered.
    await event('rec-full', 5, [S1, S2, S3], { capacity: 1 });
    expect((await register('rec-full', testTalentId(501))).errors).toBeUndefined();
    await event('rec-cancelled', 5, [S1, S2, S3]);
    await subgraph.query('mutation { cancelEvent(id: "rec-cancelled") { id } }', {}, organiser);
    await event('rec-deadline', 5, [S1, S2, S3], { registrationDeadline: new Date(Date.now() - DAY_MS).toISOString() });
    await event('rec-started', -1, [S1, S2, S3]);
    await event('rec-conference', 5, [S1, S2, S3], { kind: 'CONFERENCE_SESSION' });
    await event('rec-registered', 5, [S1, S2, S3]);
    expect((await register('rec-registered', talent)).errors).toBeUndefined();
    // A cancelled registration does not count: recommended again.
    await event('rec-was-cancelled', 50, [S4]);
    await register('rec-was-cancelled', talent);
    await subgraph.query('mutation ($e: ID!, $t: ID!) { cancelRegistration(eventId: $e, talentId: $t) { status } }', { e: 'rec-was-cancelled', t: talent }, organiser);
  });

  it('ranks upcoming open events by wanted skills taught, mentorship goals, start, then id, with the reasons', async () => {
    const { data, errors } = await subgraph.query(RECOMMENDED, { r: [readable()], first: 20 }, reader);
    expect(errors).toBeUndefined();
    const recommendations = data._entities[0].recommendedTrainings;
    expect(recommendations.map((r: any) => r.event.id)).toEqual(['rec-a', 'rec-d', 'rec-b', 'rec-c', 'rec-e', 'rec-was-cancelled']);
    expect(recommendations[0].reasons).toEqual([
      { skill: { uri: S1 }, reason: 'MENTORSHIP_GOAL', explanation: expect.stringMatching(/^Teaches a goal skill of an active or proposed mentorship/) },
      { skill: { uri: S2 }, reason: 'LEARNING_GOAL', explanation: expect.stringMatching(/^Teaches a skill the talent set as a learning goal/) },
    ]);
    expect(recommendations[1].reasons.map((r: any) => r.skill.uri)).toEqual([S3, S4]);
    // Explanations name no skill and nothing about the talent beyond the reason.
    for (const r of recommendations.flatMap((x: any) => x.reasons)) expect(r.explanation).not.toMatch(/http|00000000/);
  });

  it('gives 5 unless asked, at most 20; none without gaps', async () => {
    const five = await subgraph.query(RECOMMENDED, { r: [readable()] }, reader);
    expect(five.data._entities[0].recommendedTrainings).toHaveLength(5);
    const two = await subgraph.query(RECOMMENDED, { r: [readable()], first: 2 }, reader);
    expect(two.data._entities[0].recommendedTrainings.map((r: any) => r.event.id)).toEqual(['rec-a', 'rec-d']);
    const tooMany = await subgraph.query(RECOMMENDED, { r: [readable()], first: 21 }, reader);
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors![0]!.extensions!.argumentName).toBe('first');
    for (const gaps of [[], null]) {
      const none = await subgraph.query(RECOMMENDED, { r: [readable(gaps)] }, reader);
      expect(none.errors).toBeUndefined();
      expect(none.data._entities[0].recommendedTrainings).toEqual([]);
    }
    // A skill wanted for both reasons counts once, with both reasons.
    const both = await subgraph.query(RECOMMENDED, { r: [readable([{ skillUri: S1, reason: 'LEARNING_GOAL' }, { skillUri: S1, reason: 'MENTORSHIP_GOAL' }])], first: 1 }, reader);
    expect(both.data._entities[0].recommendedTrainings[0].reasons.map((r: any) => r.reason)).toEqual(['MENTORSHIP_GOAL', 'LEARNING_GOAL']);
  });

  it('is null with FORBIDDEN at its path unless the talents subgraph says readable, for a signed-in organisation', async () => {
    const cases: [string, Record<string, unknown>, Identity | null][] = [
      ['not readable', { __typename: 'Talent', id: talent, personalDataReadable: false, skillGaps: null }, reader],
      ['readable not sent', { __typename: 'Talent', id: talent, skillGaps: GAPS }, reader],
      ['readable, but anonymous', readable(), null],
      ['readable, but a service', readable(), talentsService],
    ];
    for (const [name, rep, as] of cases) {
      const result = await subgraph.query(RECOMMENDED, { r: [rep] }, as);
      expect(forbiddenPaths(result), name).toEqual([['FORBIDDEN', '_entities.0.recommendedTrainings']]);
      expect(result.data._entities[0], name).toEqual({ id: talent, recommendedTrainings: null });
    }
  });

  it('costs one statement for a page of talents, however many, events included', async () => {
    const query = ENTITIES('recommendedTrainings(first: 3) { event { id title startsAt } reasons { skill { uri } reason explanation } }');
    const reps = (n: number) => Array.from({ length: n }, (_, i) => readable(i % 2 === 0 ? GAPS : GAPS.slice(1), syntheticTalentId(i)));
    const few = await countStatements(query, { r: reps(3) });
    const many = await countStatements(query, { r: reps(150) });
    expect(many.result.errors).toBeUndefined();
    expect(many.result.data._entities.every((t: any) => t.recommendedTrainings.length === 3)).toBe(true);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBe(1);
  });

  it('recommends the demo seed\'s upcoming trainings for the demo skills', async () => {
    const leadOthers = 'http://data.europa.eu/esco/skill/75d8e5d9-bef3-418b-9011-01bff9f27207';
    const negotiate = 'http://data.europa.eu/esco/skill/7954861c-86d4-4529-afbb-2c23dab9ac74';
    const result = await subgraph.query(RECOMMENDED, {
      r: [readable([{ skillUri: leadOthers, reason: 'MENTORSHIP_GOAL' }, { skillUri: negotiate, reason: 'LEARNING_GOAL' }], testTalentId(900))],
    }, reader);
    expect(result.errors).toBeUndefined();
    const ids = result.data._entities[0].recommendedTrainings.map((r: any) => r.event.id);
    // Leadership (a mentorship goal) first; negotiation is taught by two upcoming trainings, one of them full.
    expect(ids).toEqual(['demo-training-25', 'demo-workshop-33']);
  });
});
