import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';
import { ACCEPT, COMPLETE, daysFromToday, END, ok, PROPOSE, SKILLS, talentMaker, today } from './testing/mentoring.js';

// Mentorships at the subgraph: proposals and their rules (consent, capacity, one open mentorship per pair), the
// lifecycle and its refusals, every problem of an input listed, the running organisation's ownership of every
// mutation (the database compared before and after each refusal), audit rows, Query.mentorship's answers, the
// talent input's mentoring fields, and erasure.

let t: TalentsUnderTest;
let make: ReturnType<typeof talentMaker>;
beforeAll(async () => {
  t = await startTalents();
  make = talentMaker(t);
});
afterAll(() => t.stop());

const cemr = caller('cemr', 'editor');
const fields = (result: { errors?: readonly any[] }) => (result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);

async function auditOf(entityId: string) {
  return (await sql<any>`select action, entity_type, entity_id, actor_organisation_id from audit_log where entity_id = ${entityId} order by id`.execute(t.database.db)).rows;
}

async function pair(capacity = 2) {
  const mentor = await make.talent('cemr', { mentoringCapacity: capacity });
  const mentee = await make.talent('cemr');
  return { mentor, mentee };
}

describe('proposeMentorship', () => {
  it('proposes a mentorship of two talents of the caller organisation, with one audit row without personal data', async () => {
    const { mentor, mentee } = await pair();
    const result = await make.propose(cemr, { mentorId: mentor, menteeId: mentee, goalUris: [SKILLS[1], SKILLS[0]], programmeId: 'talent-hub', startsOn: daysFromToday(10) });
    const m = ok(result).proposeMentorship;
    expect(m).toMatchObject({
      status: 'PROPOSED', mentor: { id: mentor }, mentee: { id: mentee }, organisation: { id: 'cemr' }, programme: { id: 'talent-hub' },
      startsOn: daysFromToday(10), endsOn: null, meetings: 0, synthetic: false,
    });
    expect(m.goals.map((g: any) => g.uri).sort()).toEqual([SKILLS[0], SKILLS[1]].sort());
    expect(Date.now() - Date.parse(m.proposedAt)).toBeLessThan(60_000);
    expect(await auditOf(m.id)).toEqual([{ action: 'mentorship.propose', entity_type: 'Mentorship', entity_id: m.id, actor_organisation_id: 'cemr' }]);
    // The caller's own organisation may be named; another may not.
    const { mentee: other } = await pair();
    ok(await make.propose(cemr, { mentorId: mentor, menteeId: other, organisationId: 'cemr' }));
    const third = await make.talent('cemr');
    const before = await t.snapshot();
    const elsewhere = await make.propose(cemr, { mentorId: mentor, menteeId: third, organisationId: 'eurocities' });
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);
    expect(await t.snapshot()).toBe(before);
  });

  it('needs both talents owned by the running organisation or consenting to it, and says which one is not', async () => {
    const mentor = await make.talent('cemr', { mentoringCapacity: 3 });
    const foreign = await make.talent('eurocities');
    const before = await t.snapshot();
    const refused = await make.propose(cemr, { mentorId: mentor, menteeId: foreign });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toMatch(/^The mentee's profile is neither owned by the organisation that runs the mentorship nor shared with it/);
    expect(refused.errors![0]!.message).not.toContain(foreign);
    expect(await t.snapshot()).toBe(before);
    const foreignMentor = await make.talent('uclg', { mentoringCapacity: 2 });
    const mentorRefused = await make.propose(cemr, { mentorId: foreignMentor, menteeId: await make.talent('cemr') });
    expect(errorCodes(mentorRefused)).toEqual(['FORBIDDEN']);
    expect(mentorRefused.errors![0]!.message).toMatch(/^The mentor's profile/);
    // Once the talents consented to cemr, cemr runs their mentorships.
    await make.consent(foreign, 'eurocities', 'cemr');
    await make.consent(foreignMentor, 'uclg', 'cemr');
    ok(await make.propose(cemr, { mentorId: mentor, menteeId: foreign }));
    ok(await make.propose(cemr, { mentorId: foreignMentor, menteeId: await make.talent('cemr') }));
  });

  it('refuses a mentor without a place left, and gives the place back when a mentorship ends', async () => {
    const mentor = await make.talent('cemr', { mentoringCapacity: 1 });
    const first = ok(await make.propose(cemr, { mentorId: mentor, menteeId: await make.talent('cemr') })).proposeMentorship;
    const full = await make.propose(cemr, { mentorId: mentor, menteeId: await make.talent('cemr') });
    expect(errorCodes(full)).toEqual(['BAD_USER_INPUT']);
    expect(full.errors![0]!.extensions!.fields).toEqual([
      { field: 'input.mentorId', message: 'has no place of mentoring capacity left: every place is taken by a proposed or active mentorship.' },
    ]);
    ok(await t.query(END, { id: first.id }, cemr));
    ok(await make.propose(cemr, { mentorId: mentor, menteeId: await make.talent('cemr') }));
    const notMentor = await make.propose(cemr, { mentorId: await make.talent('cemr'), menteeId: await make.talent('cemr') });
    expect(notMentor.errors![0]!.extensions!.fields).toEqual([{ field: 'input.mentorId', message: 'is not a mentor (no mentoring capacity).' }]);
    const zero = await make.propose(cemr, { mentorId: await make.talent('cemr', { mentoringCapacity: 0 }), menteeId: await make.talent('cemr') });
    expect(fields(zero)).toEqual(['input.mentorId']);
  });

  it('refuses a second open mentorship of the same two talents, either way round', async () => {
    const a = await make.talent('cemr', { mentoringCapacity: 3 });
    const b = await make.talent('cemr', { mentoringCapacity: 3 });
    const m = ok(await make.propose(cemr, { mentorId: a, menteeId: b })).proposeMentorship;
    for (const [mentorId, menteeId] of [[a, b], [b, a]]) {
      const again = await make.propose(cemr, { mentorId, menteeId });
      expect(again.errors![0]!.extensions!.fields).toEqual([
        { field: 'input.menteeId', message: 'already has a proposed or active mentorship with this mentor (either way round).' },
      ]);
    }
    ok(await t.query(ACCEPT, { id: m.id }, cemr));
    ok(await t.query(COMPLETE, { id: m.id, meetings: 3 }, cemr));
    ok(await make.propose(cemr, { mentorId: b, menteeId: a })); // closed ones do not count
  });

  it('lists every problem of the input, without repeating values, and changes nothing', async () => {
    const before = await t.snapshot();
    const unknownSkill = 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000';
    const result = await t.query(PROPOSE, {
      input: {
        mentorId: 'someone@example.org', menteeId: '00000000-0000-4000-8000-000000000001', organisationId: 'Not A Slug',
        programmeId: 'no-such-programme', goalUris: [unknownSkill, 'not-a-uri', SKILLS[0], SKILLS[0]], startsOn: '1850-01-01',
      },
    }, cemr);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(fields(result)!.sort()).toEqual([
      'input.goalUris[0]', 'input.goalUris[1]', 'input.goalUris[3]', 'input.mentorId', 'input.organisationId', 'input.programmeId', 'input.startsOn',
    ]);
    expect(JSON.stringify(result.errors)).not.toContain('someone@example.org');
    const same = '00000000-0000-4000-8000-000000000002';
    expect(fields(await t.query(PROPOSE, { input: { mentorId: same, menteeId: same, goalUris: [] } }, cemr))).toEqual(['input.menteeId', 'input.goalUris']);
    expect(fields(await t.query(PROPOSE, { input: { mentorId: same, menteeId: '00000000-0000-4000-8000-000000000003', goalUris: SKILLS.slice(0, 11) } }, cemr))).toEqual(['input.goalUris']);
    expect(await t.snapshot()).toBe(before);
  });

  it('NOT_FOUND names the argument of an unknown talent; an unreachable regions subgraph is SERVICE_UNAVAILABLE', async () => {
    const mentor = await make.talent('cemr', { mentoringCapacity: 1 });
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    const noMentee = await make.propose(cemr, { mentorId: mentor, menteeId: unknown });
    expect(errorCodes(noMentee)).toEqual(['NOT_FOUND']);
    expect(noMentee.errors![0]!.extensions!.argumentName).toBe('input.menteeId');
    const noMentor = await make.propose(cemr, { mentorId: unknown, menteeId: mentor });
    expect(noMentor.errors![0]!.extensions!.argumentName).toBe('input.mentorId');
    t.peers.regionsDown = true;
    try {
      expect(errorCodes(await make.propose(cemr, { mentorId: mentor, menteeId: await make.talent('cemr'), programmeId: 'talent-hub' }))).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      t.peers.regionsDown = false;
    }
  });
});

describe('the lifecycle', () => {
  it('PROPOSED -> ACTIVE -> COMPLETED, with the days and meetings, and one audit row per step', async () => {
    const { mentor, mentee } = await pair();
    const m = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee })).proposeMentorship;
    expect(ok(await t.query(ACCEPT, { id: m.id }, cemr)).acceptMentorship).toMatchObject({ status: 'ACTIVE', startsOn: today() });
    expect(ok(await t.query(COMPLETE, { id: m.id, meetings: 12 }, cemr)).completeMentorship).toMatchObject({ status: 'COMPLETED', startsOn: today(), endsOn: today(), meetings: 12 });
    expect((await auditOf(m.id)).map((a: any) => a.action)).toEqual(['mentorship.propose', 'mentorship.accept', 'mentorship.complete']);
  });

  it('ending a proposal clears its first day; ending a running one keeps it and records the meetings', async () => {
    const { mentor, mentee } = await pair();
    const proposal = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee, startsOn: daysFromToday(30) })).proposeMentorship;
    expect(ok(await t.query(END, { id: proposal.id }, cemr)).endMentorship).toMatchObject({ status: 'ENDED_EARLY', startsOn: null, endsOn: today(), meetings: 0 });
    const running = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee })).proposeMentorship;
    ok(await t.query(ACCEPT, { id: running.id }, cemr));
    expect(ok(await t.query(END, { id: running.id, meetings: 2 }, cemr)).endMentorship).toMatchObject({ status: 'ENDED_EARLY', startsOn: today(), endsOn: today(), meetings: 2 });
  });

  it('refuses transitions from the wrong status, bad days and meetings, each with a clear message', async () => {
    const { mentor, mentee } = await pair();
    const m = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee })).proposeMentorship;
    const before = await t.snapshot();
    const notActive = await t.query(COMPLETE, { id: m.id, meetings: 1 }, cemr);
    expect(errorCodes(notActive)).toEqual(['BAD_USER_INPUT']);
    expect(notActive.errors![0]!.message).toBe('Only an ACTIVE mentorship can be completed; this one is PROPOSED.');
    expect(notActive.errors![0]!.extensions!.argumentName).toBe('id');
    expect(fields(await t.query(ACCEPT, { id: m.id, startsOn: daysFromToday(3) }, cemr))).toEqual(['startsOn']);
    expect(fields(await t.query(ACCEPT, { id: m.id, startsOn: '2001-01-01' }, cemr))).toEqual(['startsOn']); // before the proposal
    expect(fields(await t.query(END, { id: m.id, meetings: 3 }, cemr))).toEqual(['meetings']);
    expect(fields(await t.query(COMPLETE, { id: m.id, endsOn: daysFromToday(2), meetings: 1001 }, cemr))).toEqual(['endsOn', 'meetings']);
    expect(await t.snapshot()).toBe(before);
    ok(await t.query(ACCEPT, { id: m.id }, cemr));
    expect((await t.query(ACCEPT, { id: m.id }, cemr)).errors![0]!.message).toBe('Only a PROPOSED mentorship can be accepted; this one is ACTIVE.');
    expect(fields(await t.query(END, { id: m.id, endsOn: '2001-01-01' }, cemr))).toEqual(['endsOn']);
    ok(await t.query(END, { id: m.id }, cemr));
    expect((await t.query(END, { id: m.id }, cemr)).errors![0]!.message).toBe('Only a PROPOSED or ACTIVE mentorship can be ended; this one is ENDED_EARLY.');
    const unknown = await t.query(ACCEPT, { id: '00000000-0000-4000-8000-0000000000bb' }, cemr);
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors![0]!.extensions!.argumentName).toBe('id');
    expect(errorCodes(await t.query(ACCEPT, { id: 'not-a-uuid' }, cemr))).toEqual(['BAD_USER_INPUT']);
  });

  it('accepting checks the consent again: a talent that withdrew it makes the acceptance FORBIDDEN', async () => {
    const mentor = await make.talent('cemr', { mentoringCapacity: 1 });
    const mentee = await make.talent('eurocities');
    await make.consent(mentee, 'eurocities', 'cemr');
    const m = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee })).proposeMentorship;
    ok(await t.query(`mutation { withdrawConsent(talentId: "${mentee}", organisationId: "cemr") { id } }`, {}, caller('eurocities', 'editor')));
    const before = await t.snapshot();
    const refused = await t.query(ACCEPT, { id: m.id }, cemr);
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toMatch(/^The mentee's profile/);
    expect(await t.snapshot()).toBe(before);
  });
});

describe('every mentorship mutation belongs to the running organisation', () => {
  const callers = [
    ['anonymous', null, 'UNAUTHENTICATED'],
    ['a viewer of the running organisation', caller('cemr', 'viewer'), 'FORBIDDEN'],
    ['an editor of another organisation', caller('uclg', 'editor'), 'FORBIDDEN'],
    ["an editor of the mentee's organisation, which does not run it", caller('eurocities', 'editor'), 'FORBIDDEN'],
    ['another subgraph (service)', { subject: 'trainings-subgraph', organisationId: '', roles: ['service'] as string[] }, 'FORBIDDEN'],
  ] as const;

  it.each(['proposeMentorship', 'acceptMentorship', 'completeMentorship', 'endMentorship'])('%s', async (name) => {
    const mentor = await make.talent('cemr', { mentoringCapacity: 2 });
    const mentee = await make.talent('eurocities');
    await make.consent(mentee, 'eurocities', 'cemr');
    const m = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee })).proposeMentorship;
    if (name === 'completeMentorship') ok(await t.query(ACCEPT, { id: m.id }, cemr));
    const [query, variables] = {
      proposeMentorship: [PROPOSE, { input: { mentorId: mentor, menteeId: await make.talent('cemr'), goalUris: [SKILLS[0]] } }],
      acceptMentorship: [ACCEPT, { id: m.id }],
      completeMentorship: [COMPLETE, { id: m.id, meetings: 1 }],
      endMentorship: [END, { id: m.id }],
    }[name] as [string, Record<string, unknown>];
    for (const [who, identity, code] of callers) {
      const before = await t.snapshot();
      const result = await t.query(query, variables, identity as any);
      expect(errorCodes(result), `${name} by ${who}`).toEqual([code]);
      expect(result.data ?? null, `${name} by ${who}`).toBeNull();
      expect(await t.snapshot(), `${name} by ${who} changed the database`).toBe(before);
    }
    ok(await t.query(query, variables, caller('cemr', 'admin')));
  });
});

describe('Query.mentorship', () => {
  const ONE = `query ($id: ID!) { mentorship(id: $id) { id status mentor { id } mentee { id } } }`;

  it('answers the running organisation, the owners and the consented organisations; anyone else, and unknown ids, the same FORBIDDEN', async () => {
    const mentor = await make.talent('uclg', { mentoringCapacity: 1 });
    const mentee = await make.talent('eurocities');
    await make.consent(mentor, 'uclg', 'cemr');
    await make.consent(mentee, 'eurocities', 'cemr');
    await make.consent(mentee, 'eurocities', 'art-er');
    const m = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee })).proposeMentorship;
    for (const org of ['cemr', 'uclg', 'eurocities', 'art-er']) {
      expect(ok(await t.query(ONE, { id: m.id }, caller(org, 'viewer'))).mentorship.id, org).toBe(m.id);
    }
    const refused = await t.query(ONE, { id: m.id }, caller('aer', 'admin'));
    const unknown = await t.query(ONE, { id: '00000000-0000-4000-8000-0000000000cc' }, caller('aer', 'admin'));
    expect(refused.data).toEqual({ mentorship: null });
    expect(unknown.data).toEqual({ mentorship: null });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(unknown.errors![0]!.message).toBe(refused.errors![0]!.message);
    expect(errorCodes(await t.query(ONE, { id: m.id }))).toEqual(['UNAUTHENTICATED']);
    // Entity references follow the same rule, answering null.
    const entities = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Mentorship { id } } }`;
    const reps = [{ __typename: 'Mentorship', id: m.id }];
    expect(ok(await t.query(entities, { reps }, caller('eurocities', 'viewer')))._entities).toEqual([{ id: m.id }]);
    expect((await t.query(entities, { reps }, caller('aer', 'viewer'))).data!._entities).toEqual([null]);
  });
});

describe("the talent input's mentoring fields", () => {
  const UPDATE = `mutation ($id: ID!, $input: UpdateTalentInput!) { updateTalent(id: $id, input: $input) { id mentoringCapacity learningGoals { uri label } } }`;

  it('createTalent and updateTalent set, replace and clear the capacity and the learning goals', async () => {
    const id = await make.talent('cemr', { mentoringCapacity: 4, learningGoalUris: [SKILLS[5], SKILLS[6]] });
    const read = ok(await t.query(`{ talent(id: "${id}") { mentoringCapacity learningGoals { uri } } }`, {}, cemr)).talent;
    expect(read.mentoringCapacity).toBe(4);
    expect(read.learningGoals.map((s: any) => s.uri).sort()).toEqual([SKILLS[5], SKILLS[6]].sort());
    const updated = ok(await t.query(UPDATE, { id, input: { learningGoalUris: [SKILLS[7]] } }, cemr)).updateTalent;
    expect(updated).toMatchObject({ mentoringCapacity: 4, learningGoals: [{ uri: SKILLS[7] }] });
    expect(ok(await t.query(UPDATE, { id, input: { mentoringCapacity: null, learningGoalUris: null } }, cemr)).updateTalent).toMatchObject({ mentoringCapacity: null, learningGoals: [] });
  });

  it('lists every problem with them, as for skills', async () => {
    const id = await make.talent('cemr');
    const unknownSkill = 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000';
    const bad = await t.query(UPDATE, { id, input: { mentoringCapacity: 11, learningGoalUris: [SKILLS[0], SKILLS[0], 'nope', unknownSkill] } }, cemr);
    expect(fields(bad)!.sort()).toEqual(['input.learningGoalUris[1]', 'input.learningGoalUris[2]', 'input.learningGoalUris[3]', 'input.mentoringCapacity']);
    expect(fields(await t.query(UPDATE, { id, input: { learningGoalUris: SKILLS.slice(0, 21) } }, cemr))).toEqual(['input.learningGoalUris']);
    expect(fields(await t.query(UPDATE, { id, input: { mentoringCapacity: -1 } }, cemr))).toEqual(['input.mentoringCapacity']);
  });

  it('refuses a capacity below the places taken', async () => {
    const { mentor, mentee } = await pair(2);
    ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee }));
    ok(await make.propose(cemr, { mentorId: mentor, menteeId: await make.talent('cemr') }));
    expect(fields(await t.query(UPDATE, { id: mentor, input: { mentoringCapacity: 1 } }, cemr))).toEqual(['input.mentoringCapacity']);
    expect(fields(await t.query(UPDATE, { id: mentor, input: { mentoringCapacity: null } }, cemr))).toEqual(['input.mentoringCapacity']);
    ok(await t.query(UPDATE, { id: mentor, input: { mentoringCapacity: 3 } }, cemr));
  });
});

describe('erasure', () => {
  it("eraseTalent deletes the talent's mentorships (either side, with their goals), exchanges and learning goals, in its transaction", async () => {
    const mentor = await make.talent('cemr', { mentoringCapacity: 3, learningGoalUris: [SKILLS[3]] });
    const mentee = await make.talent('cemr', { learningGoalUris: [SKILLS[4]] });
    const asMentor = ok(await make.propose(cemr, { mentorId: mentor, menteeId: mentee })).proposeMentorship;
    const asMentee = ok(await make.propose(cemr, { mentorId: await make.talent('cemr', { mentoringCapacity: 1 }), menteeId: mentor })).proposeMentorship;
    const exchange = ok(await t.query(`mutation { proposeExchange(input: { talentId: "${mentor}", hostOrganisationId: "eurocities", kind: STUDY_VISIT, startsOn: "${daysFromToday(30)}", endsOn: "${daysFromToday(33)}" }) { id } }`, {}, cemr)).proposeExchange;
    const count = async (table: string, where: string, id: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(where)} = ${id}`.execute(t.database.db)).rows[0]!.n;
    expect(await count('mentorship_goals', 'mentorship_id', asMentor.id)).toBe(1);
    ok(await t.query(`mutation { eraseTalent(id: "${mentor}") { talentId } }`, {}, cemr));
    expect({
      mentorships: (await count('mentorships', 'id', asMentor.id)) + (await count('mentorships', 'id', asMentee.id)),
      goals: (await count('mentorship_goals', 'mentorship_id', asMentor.id)) + (await count('mentorship_goals', 'mentorship_id', asMentee.id)),
      exchanges: await count('exchanges', 'id', exchange.id),
      learningGoals: await count('talent_learning_goals', 'talent_id', mentor),
    }).toEqual({ mentorships: 0, goals: 0, exchanges: 0, learningGoals: 0 });
    // The other talent keeps its own data, and the mentor's erasure is audited by id alone.
    expect(await count('talent_learning_goals', 'talent_id', mentee)).toBe(1);
    expect(ok(await t.query(`{ talent(id: "${mentee}") { mentorships { nodes { id } } } }`, {}, cemr)).talent.mentorships.nodes).toEqual([]);
  });
});
