import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, errorCodes, startTestSubgraph, type Result, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { TrainingsDatabase } from './db/types.js';
import { trainingsSubgraph } from './server.js';
import { FakePeers } from './testing/peers.js';
import { testTalentId } from './testing/stores.js';

// Skill.events: the events that teach a skill (ESCO URI), upcoming ones first (soonest first), then those that have
// started (latest first); filters for upcoming events and for events with seats left; keyset pages whose split
// between the two parts is fixed by the first page; batched for a page of skills. Skill references of any URI
// resolve here, so the gateway can ask this subgraph for any skill's events.

let subgraph: TestSubgraph<TrainingsDatabase>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(trainingsSubgraph, undefined, new FakePeers());
});
afterAll(() => subgraph.stop());

const DAY_MS = 86_400_000;
const organiser = caller('eurocities', 'editor');
const SKILL = 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000777';
const OTHER = 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000778';

const EVENTS = `query ($r: [_Any!]!, $first: Int, $after: String, $upcoming: Boolean, $withSeatsLeft: Boolean) {
  _entities(representations: $r) { ... on Skill { uri
    events(first: $first, after: $after, upcoming: $upcoming, withSeatsLeft: $withSeatsLeft) {
      totalCount nodes { id status seatsLeft } pageInfo { hasNextPage endCursor } } } } }`;

async function event(id: string, days: number, extra: Record<string, unknown> = {}) {
  const start = new Date(Date.now() + days * DAY_MS);
  const result = await subgraph.query('mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }', {
    input: {
      id, title: `Skill test ${id}`, kind: 'WORKSHOP', attendanceMode: 'ONLINE', timeZone: 'Europe/Brussels', skillUris: [SKILL], capacity: 5,
      startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 7_200_000).toISOString(), ...extra,
    },
  }, organiser);
  expect(result.errors).toBeUndefined();
}

/** Every page of a skill's events with these arguments, as ids, and the totalCount. */
async function allPages(args: Record<string, unknown>, first = 2) {
  const ids: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  do {
    const result: Result = await subgraph.query(EVENTS, { r: [{ __typename: 'Skill', uri: SKILL }], first, after, ...args });
    expect(result.errors).toBeUndefined();
    const page = result.data._entities[0].events;
    ids.push(...page.nodes.map((n: any) => n.id));
    totalCount = page.totalCount;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { ids, totalCount };
}

beforeAll(async () => {
  await event('skill-past-older', -20);
  await event('skill-past-newer', -10);
  await event('skill-soon', 10);
  await event('skill-full', 20, { capacity: 1 });
  await subgraph.query('mutation ($e: ID!, $t: ID!) { registerForEvent(eventId: $e, talentId: $t) { id } }',
    { e: 'skill-full', t: testTalentId(1) }, caller('aer', 'editor'));
  await event('skill-later', 25);
  await event('skill-cancelled', 30);
  await subgraph.query('mutation { cancelEvent(id: "skill-cancelled") { id } }', {}, organiser);
  await event('skill-elsewhere', 12, { skillUris: [OTHER] });
  // Moved: the event's start follows into the skill's index (event_skills.starts_at, kept by triggers).
  await event('skill-moved', 100);
  await subgraph.query('mutation { updateEvent(id: "skill-moved", input: { startsAt: "2020-05-05T10:00:00Z", endsAt: "2020-05-05T12:00:00Z" }) { id } }', {}, organiser);
});

describe('Skill.events', () => {
  it('lists upcoming events soonest first, then started ones latest first, across pages', async () => {
    const all = await allPages({});
    expect(all.ids).toEqual(['skill-soon', 'skill-full', 'skill-later', 'skill-cancelled', 'skill-past-newer', 'skill-past-older', 'skill-moved']);
    expect(all.totalCount).toBe(7);
    // Any page size gives the same list.
    for (const first of [1, 3, 100]) expect((await allPages({}, first)).ids).toEqual(all.ids);
  });

  it('keeps upcoming events, events with seats left, or both', async () => {
    expect(await allPages({ upcoming: true })).toEqual({ ids: ['skill-soon', 'skill-full', 'skill-later', 'skill-cancelled'], totalCount: 4 });
    expect(await allPages({ withSeatsLeft: true })).toEqual({
      ids: ['skill-soon', 'skill-later', 'skill-past-newer', 'skill-past-older', 'skill-moved'], totalCount: 5,
    });
    expect(await allPages({ upcoming: true, withSeatsLeft: true })).toEqual({ ids: ['skill-soon', 'skill-later'], totalCount: 2 });
    expect(await allPages({ upcoming: false, withSeatsLeft: false })).toEqual(await allPages({}));
  });

  it('keeps the first page\'s split between upcoming and started events in its cursors', async () => {
    const { data } = await subgraph.query(EVENTS, { r: [{ __typename: 'Skill', uri: SKILL }], first: 1 });
    const cursor = data._entities[0].events.pageInfo.endCursor as string;
    const [list, split, part, startsAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    expect([list, part, id]).toEqual(['Skill.events', 0, 'skill-soon']);
    expect(Date.parse(split)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(startsAt)).toBeGreaterThan(Date.parse(split));
    // A cursor whose split lies a year ahead: every event before it counts as started, latest first.
    const ahead = new Date(Date.now() + 365 * DAY_MS).toISOString();
    const shifted = Buffer.from(JSON.stringify(['Skill.events', ahead, 0, ahead, 'zzz'])).toString('base64url');
    const next = await subgraph.query(EVENTS, { r: [{ __typename: 'Skill', uri: SKILL }], first: 3, after: shifted });
    expect(next.data._entities[0].events.nodes.map((n: any) => n.id)).toEqual(['skill-cancelled', 'skill-later', 'skill-full']);
  });

  it('refuses cursors of other lists and made-up ones', async () => {
    const bad = [
      Buffer.from(JSON.stringify(['Region.events', '2024-01-01T00:00:00.000Z', 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify(['Skill.events', 'now', 0, '2024-01-01T00:00:00.000Z', 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify(['Skill.events', '2024-01-01T00:00:00.000Z', 2, '2024-01-01T00:00:00.000Z', 'x'])).toString('base64url'),
      'not a cursor',
    ];
    for (const after of bad) {
      const result = await subgraph.query(EVENTS, { r: [{ __typename: 'Skill', uri: SKILL }], after });
      expect(errorCodes(result), after).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.argumentName).toBe('after');
    }
    expect(errorCodes(await subgraph.query(EVENTS, { r: [{ __typename: 'Skill', uri: SKILL }], first: 101 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('resolves a reference to any skill URI; one that no event teaches has no events', async () => {
    const { data, errors } = await subgraph.query(EVENTS, {
      r: [{ __typename: 'Skill', uri: 'not-a-uri' }, { __typename: 'Skill', uri: OTHER }],
    });
    expect(errors).toBeUndefined();
    expect(data._entities[0]).toEqual({ uri: 'not-a-uri', events: { totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    expect(data._entities[1].events.nodes.map((n: any) => n.id)).toEqual(['skill-elsewhere']);
  });

  it('holds the demo seed\'s upcoming trainings with seats left, for every demo skill', async () => {
    const negotiate = 'http://data.europa.eu/esco/skill/7954861c-86d4-4529-afbb-2c23dab9ac74';
    const { data } = await subgraph.query(EVENTS, { r: [{ __typename: 'Skill', uri: negotiate }], upcoming: true, first: 10 });
    // Two upcoming trainings teach it; the territorial diplomacy training is full.
    expect(data._entities[0].events.nodes).toEqual([
      { id: 'demo-training-26', status: 'SCHEDULED', seatsLeft: 0 },
      { id: 'demo-workshop-33', status: 'SCHEDULED', seatsLeft: 14 },
    ]);
    const open = await subgraph.query(EVENTS, { r: [{ __typename: 'Skill', uri: negotiate }], upcoming: true, withSeatsLeft: true });
    expect(open.data._entities[0].events.nodes.map((n: any) => n.id)).toEqual(['demo-workshop-33']);
  });

  it('costs the same statements for 150 skills as for 3', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Skill {
      events(first: 5, withSeatsLeft: true) { nodes { id title seatsLeft } } } } }`;
    const { rows } = await subgraph.database.db.selectFrom('event_skills').select('skill_uri').distinct().orderBy('skill_uri').execute()
      .then((r) => ({ rows: r }));
    const reps = (n: number) => rows.slice(0, n).map((r) => ({ __typename: 'Skill', uri: r.skill_uri }));
    expect(rows.length).toBeGreaterThan(90);
    const few = await subgraph.countStatements(query, { r: reps(3) });
    const many = await subgraph.countStatements(query, { r: [...reps(rows.length), ...Array.from({ length: 150 - rows.length }, (_, i) => ({ __typename: 'Skill', uri: `urn:none:${i}` }))] });
    expect(many.result.errors).toBeUndefined();
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBe(2); // events of the skills, seats taken
  });
});
