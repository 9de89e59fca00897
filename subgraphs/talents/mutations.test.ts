import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { deliverErasures, startErasureDelivery } from './erasure.js';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';

// The talents mutations: success paths with their audit rows, refusals that leave the database as it was, input
// errors listing every bad field, atomicity, and erasure with its deliveries to the other subgraphs.

let t: TalentsUnderTest;
beforeAll(async () => {
  t = await startTalents();
});
afterAll(() => t.stop());

const CEMR_TALENT = syntheticTalentId(0); // demo talents cycle through cemr, eurocities, uclg
const EUROCITIES_TALENT = syntheticTalentId(1);
const SKILL = 'http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8';
const editor = caller('cemr', 'editor');

const CREATE = `mutation ($input: CreateTalentInput!) { createTalent(input: $input) {
  id displayName category citizenship organisation { id } residenceRegion { code } status joinedOn interests synthetic
  skills { level skill { uri } } languages { language level } residenceHistory { region { code } from to }
  givenName familyName email birthYear phone consents { organisation { id } } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTalentInput!) { updateTalent(id: $id, input: $input) {
  id displayName citizenship residenceRegion { code } residenceHistory { region { code } from to }
  skills { skill { uri } } languages { language } interests givenName familyName email birthYear phone } }`;
const GRANT = `mutation ($talentId: ID!, $organisationId: ID!) { grantConsent(talentId: $talentId, organisationId: $organisationId) {
  id consents { organisation { id } grantedAt } } }`;
const WITHDRAW = `mutation ($talentId: ID!, $organisationId: ID!) { withdrawConsent(talentId: $talentId, organisationId: $organisationId) {
  id consents { organisation { id } } } }`;
const ERASE = `mutation ($id: ID!) { eraseTalent(id: $id) { talentId erasedAt subgraphs { subgraph delivered } } }`;

const PERSONAL = { givenName: 'Zofia', familyName: 'Wiśniewska-Test', email: 'zofia.wisniewska@example.org', birthYear: 1994, phone: '+48 22 555 0101' };
const today = () => new Date().toISOString().slice(0, 10);

async function auditRows(entityId?: string) {
  const { rows } = await sql<any>`select * from audit_log ${entityId ? sql`where entity_id = ${entityId}` : sql``} order by id`.execute(t.database.db);
  return rows;
}

async function createOne(input: Record<string, unknown> = {}) {
  const result = await t.query(CREATE, { input: { displayName: 'Zofia W.', category: 'RESEARCHER', citizenship: 'PL', ...input } }, editor);
  expect(result.errors).toBeUndefined();
  return result.data.createTalent;
}

describe('createTalent', () => {
  it('creates a talent of the caller organisation with a server id, its lists, residence and personal data, and one audit row', async () => {
    const created = await createOne({
      residenceRegionCode: 'ITH55', originRegionCode: 'PL911', educationLevel: 7, careerStage: 'EARLY_CAREER',
      interests: [' cohesion policy ', 'culture'], joinedOn: '2025-01-15',
      skills: [{ skillUri: SKILL, level: 'ADVANCED' }], languages: [{ language: 'pl', level: 'C2' }, { language: 'en', level: 'C1' }],
      ...PERSONAL,
    });
    expect(created).toMatchObject({
      displayName: 'Zofia W.', category: 'RESEARCHER', citizenship: 'PL', organisation: { id: 'cemr' }, residenceRegion: { code: 'ITH55' },
      status: 'ACTIVE', joinedOn: '2025-01-15', interests: ['cohesion policy', 'culture'], synthetic: false,
      skills: [{ level: 'ADVANCED', skill: { uri: SKILL } }], languages: [{ language: 'pl', level: 'C2' }, { language: 'en', level: 'C1' }],
      residenceHistory: [{ region: { code: 'ITH55' }, from: today(), to: null }], consents: [], ...PERSONAL,
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const audit = await auditRows(created.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'talent.create', entity_type: 'Talent', entity_id: created.id, actor_subject: 'user-of-cemr', actor_organisation_id: 'cemr' });
    expect(audit[0].request_id).toMatch(/^test-request-/);
  });

  it('defaults status to ACTIVE, joinedOn to today and leaves personal fields empty', async () => {
    const created = await createOne();
    expect(created).toMatchObject({ status: 'ACTIVE', joinedOn: today(), interests: [], skills: [], residenceHistory: [], givenName: null, email: null });
  });
});

describe('updateTalent', () => {
  it('changes only the fields given, clears those sent as null, moves the residence, and writes one audit row', async () => {
    const created = await createOne({ residenceRegionCode: 'ITH55', ...PERSONAL, skills: [{ skillUri: SKILL, level: 'BASIC' }], interests: ['culture'] });
    const result = await t.query(UPDATE, { id: created.id, input: { email: 'z.w@example.org', phone: null, residenceRegionCode: 'ES511', skills: [], interests: null } }, caller('cemr', 'admin'));
    expect(result.errors).toBeUndefined();
    expect(result.data.updateTalent).toMatchObject({
      displayName: 'Zofia W.', citizenship: 'PL', givenName: PERSONAL.givenName, familyName: PERSONAL.familyName, birthYear: PERSONAL.birthYear,
      email: 'z.w@example.org', phone: null, residenceRegion: { code: 'ES511' }, skills: [], interests: [],
      // The period opened today is replaced rather than closed before it began.
      residenceHistory: [{ region: { code: 'ES511' }, from: today(), to: null }],
    });
    const audit = await auditRows(created.id);
    expect(audit.map((a: any) => a.action)).toEqual(['talent.create', 'talent.update']);
    expect(audit[1].actor_subject).toBe('user-of-cemr');
  });

  it('closes the current residence period the day before a move', async () => {
    const before = (await t.query(`{ talent(id: "${CEMR_TALENT}") { residenceRegion { code } residenceHistory { region { code } from to } } }`, {}, editor)).data.talent;
    const target = before.residenceRegion.code === 'BE100' ? 'IE041' : 'BE100';
    const result = await t.query(UPDATE, { id: CEMR_TALENT, input: { residenceRegionCode: target } }, editor);
    expect(result.errors).toBeUndefined();
    const history = result.data.updateTalent.residenceHistory;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(history.slice(0, -2)).toEqual(before.residenceHistory.slice(0, -1));
    expect(history.at(-2)).toEqual({ ...before.residenceHistory.at(-1), to: yesterday });
    expect(history.at(-1)).toEqual({ region: { code: target }, from: today(), to: null });
  });

  it('refuses to clear required fields, listing every problem', async () => {
    const result = await t.query(UPDATE, { id: CEMR_TALENT, input: { displayName: null, category: null, citizenship: null, status: null, joinedOn: null, email: null } }, editor);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.fields).toEqual([
      { field: 'input.displayName', message: 'cannot be cleared: it is required.' },
      { field: 'input.category', message: 'cannot be cleared: it is required.' },
      { field: 'input.citizenship', message: 'cannot be cleared: it is required.' },
      { field: 'input.status', message: 'cannot be cleared: it is required.' },
      { field: 'input.joinedOn', message: 'cannot be cleared: it is required.' },
    ]);
  });
});

describe('grantConsent and withdrawConsent', () => {
  it('grant and withdraw by the owner, idempotently, with one audit row per call', async () => {
    const created = await createOne();
    const first = await t.query(GRANT, { talentId: created.id, organisationId: 'aer' }, editor);
    expect(first.errors).toBeUndefined();
    expect(first.data.grantConsent.consents.map((c: any) => c.organisation.id)).toEqual(['aer']);
    const again = await t.query(GRANT, { talentId: created.id, organisationId: 'aer' }, editor);
    expect(again.data.grantConsent.consents).toEqual(first.data.grantConsent.consents); // first grantedAt kept
    await t.query(GRANT, { talentId: created.id, organisationId: 'art-er' }, editor);
    const withdrawn = await t.query(WITHDRAW, { talentId: created.id, organisationId: 'aer' }, editor);
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data.withdrawConsent.consents).toEqual([{ organisation: { id: 'art-er' } }]);
    const none = await t.query(WITHDRAW, { talentId: created.id, organisationId: 'aer' }, editor);
    expect(none.data.withdrawConsent.consents).toEqual([{ organisation: { id: 'art-er' } }]);
    const audit = await sql<any>`select action, entity_type, entity_id from audit_log where entity_id like ${`${created.id}:%`} order by id`.execute(t.database.db);
    expect(audit.rows).toEqual([
      { action: 'talent.consent.grant', entity_type: 'TalentConsent', entity_id: `${created.id}:aer` },
      { action: 'talent.consent.grant', entity_type: 'TalentConsent', entity_id: `${created.id}:aer` },
      { action: 'talent.consent.grant', entity_type: 'TalentConsent', entity_id: `${created.id}:art-er` },
      { action: 'talent.consent.withdraw', entity_type: 'TalentConsent', entity_id: `${created.id}:aer` },
      { action: 'talent.consent.withdraw', entity_type: 'TalentConsent', entity_id: `${created.id}:aer` },
    ]);
  });

  it('refuses an unknown organisation, the owner itself, and says so when regions cannot be asked', async () => {
    const snapshot = await t.snapshot();
    const unknown = await t.query(GRANT, { talentId: CEMR_TALENT, organisationId: 'no-such-org' }, editor);
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0]!.extensions!.argumentName).toBe('organisationId');
    const owner = await t.query(GRANT, { talentId: CEMR_TALENT, organisationId: 'cemr' }, editor);
    expect(errorCodes(owner)).toEqual(['BAD_USER_INPUT']);
    const malformed = await t.query(GRANT, { talentId: CEMR_TALENT, organisationId: 'Not A Slug' }, editor);
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    t.peers.regionsDown = true;
    try {
      expect(errorCodes(await t.query(GRANT, { talentId: CEMR_TALENT, organisationId: 'aer' }, editor))).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      t.peers.regionsDown = false;
    }
    expect(await t.snapshot()).toBe(snapshot);
  });
});

describe('every mutation is refused to anonymous callers, viewers of the owner and editors of other organisations', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['createTalent', CREATE, { input: { displayName: 'X Y.', category: 'STUDENT', citizenship: 'IT' } }],
    ['updateTalent', UPDATE, { id: CEMR_TALENT, input: { email: 'someone@example.org' } }],
    ['grantConsent', GRANT, { talentId: CEMR_TALENT, organisationId: 'aer' }],
    ['withdrawConsent', WITHDRAW, { talentId: EUROCITIES_TALENT, organisationId: 'cemr' }],
    ['eraseTalent', ERASE, { id: CEMR_TALENT }],
  ];
  const callers = [
    ['anonymous', null, 'UNAUTHENTICATED'],
    ['a viewer of the owning organisation', caller('cemr', 'viewer'), 'FORBIDDEN'],
    ['an editor of another organisation', caller('uclg', 'editor'), 'FORBIDDEN'],
    ['an admin of another organisation', caller('uclg', 'admin'), 'FORBIDDEN'],
    ['another subgraph (service)', { subject: 'trainings-subgraph', organisationId: '', roles: ['service'] as const }, 'FORBIDDEN'],
  ] as const;
  it.each(cases)('%s', async (name, mutation, variables) => {
    // withdrawConsent on a eurocities talent: its owner is eurocities, so cemr callers are "another organisation".
    const owner = name === 'withdrawConsent' ? 'eurocities' : 'cemr';
    for (const [who, identity, code] of callers) {
      if (name === 'createTalent' && who.includes('another organisation')) continue; // creates in its own organisation
      const as = identity && who.startsWith('a viewer') ? caller(owner, 'viewer') : identity;
      const before = await t.snapshot();
      const result = await t.query(mutation, variables, as as any);
      expect(errorCodes(result), `${name} by ${who}`).toEqual([code]);
      expect(result.data ?? null, `${name} by ${who}`).toBeNull();
      expect(await t.snapshot(), `${name} by ${who} changed the database`).toBe(before);
    }
    expect(t.peers.erasuresSent()).not.toContain(CEMR_TALENT);
  });
});

describe('bad input', () => {
  it('createTalent lists every bad field, without repeating the values given', async () => {
    const before = await t.snapshot();
    const result = await t.query(CREATE, {
      input: {
        displayName: '   ', category: 'STUDENT', citizenship: 'Italy', residenceRegionCode: 'Emilia', educationLevel: 9,
        interests: Array.from({ length: 21 }, (_, i) => `interest ${i}`), joinedOn: '2999-01-01',
        skills: [{ skillUri: 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000', level: 'BASIC' }, { skillUri: 'not-a-uri', level: 'BASIC' }],
        languages: [{ language: 'English', level: 'B2' }, { language: 'it', level: 'B2' }, { language: 'it', level: 'C1' }],
        givenName: 'x'.repeat(101), email: 'secret.person@nowhere', birthYear: 1850, phone: 'call me',
      },
    }, editor);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const fields = (result.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field);
    expect(fields.sort()).toEqual([
      'input.birthYear', 'input.citizenship', 'input.displayName', 'input.educationLevel', 'input.email', 'input.givenName',
      'input.interests', 'input.joinedOn', 'input.languages[0].language', 'input.languages[2].language', 'input.phone',
      'input.residenceRegionCode', 'input.skills[0].skillUri', 'input.skills[1].skillUri',
    ]);
    expect(JSON.stringify(result.errors)).not.toContain('secret.person');
    expect(await t.snapshot()).toBe(before);
  });

  it('malformed ids are BAD_USER_INPUT naming the argument; unknown ids are NOT_FOUND naming it', async () => {
    const malformed = await t.query(ERASE, { id: 'someone@example.org' }, editor);
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors![0]!.extensions!.argumentName).toBe('id');
    const unknownId = '00000000-0000-4000-8000-000000000000';
    for (const [mutation, variables, argument] of [
      [UPDATE, { id: unknownId, input: { displayName: 'A B.' } }, 'id'],
      [GRANT, { talentId: unknownId, organisationId: 'aer' }, 'talentId'],
      [WITHDRAW, { talentId: unknownId, organisationId: 'aer' }, 'talentId'],
      [ERASE, { id: unknownId }, 'id'],
    ] as const) {
      const result = await t.query(mutation, variables, editor);
      expect(errorCodes(result)).toEqual(['NOT_FOUND']);
      expect(result.errors![0]!.extensions!.argumentName).toBe(argument);
    }
  });
});

describe('atomicity', () => {
  it('a createTalent failing at its last statement leaves nothing written', async () => {
    const before = await t.snapshot();
    await sql`alter table audit_log add constraint test_refuse_create check (action <> 'talent.create') not valid`.execute(t.database.db);
    try {
      const result = await t.query(CREATE, {
        input: { displayName: 'Half W.', category: 'STUDENT', citizenship: 'IT', residenceRegionCode: 'ITH55', skills: [{ skillUri: SKILL, level: 'BASIC' }], languages: [{ language: 'it', level: 'C2' }] },
      }, editor);
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.message).not.toContain('Half W.');
    } finally {
      await sql`alter table audit_log drop constraint test_refuse_create`.execute(t.database.db);
    }
    expect(await t.snapshot()).toBe(before);
  });

  it('an eraseTalent failing at its last statement leaves the talent whole and tells no other subgraph', async () => {
    const created = await createOne({ residenceRegionCode: 'ITH55', skills: [{ skillUri: SKILL, level: 'BASIC' }], ...PERSONAL });
    await t.query(GRANT, { talentId: created.id, organisationId: 'aer' }, editor);
    const before = await t.snapshot();
    await sql`alter table audit_log add constraint test_refuse_erase check (action <> 'talent.erase') not valid`.execute(t.database.db);
    try {
      expect((await t.query(ERASE, { id: created.id }, editor)).errors).toHaveLength(1);
    } finally {
      await sql`alter table audit_log drop constraint test_refuse_erase`.execute(t.database.db);
    }
    expect(await t.snapshot()).toBe(before);
    expect(t.peers.erasuresSent()).not.toContain(created.id);
  });
});

describe('eraseTalent', () => {
  const TALENT_QUERY = `query ($id: ID!) { talent(id: $id) { id } _entities(representations: [{ __typename: "Talent", id: $id }]) { ... on Talent { id } } }`;

  async function rowsAbout(id: string) {
    const count = async (table: string, column = 'talent_id') =>
      Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(t.database.db)).rows[0]!.n);
    return {
      talents: await count('talents', 'id'), skills: await count('talent_skills'), languages: await count('talent_languages'),
      residences: await count('residence_periods'), consents: await count('talent_consents'),
    };
  }

  it('deletes the talent and everything about it, keeps a tombstone, tells trainings at once, and audits the id alone', async () => {
    const id = syntheticTalentId(4); // a eurocities talent that consented to cemr
    expect((await rowsAbout(id)).consents).toBeGreaterThan(0);
    expect((await rowsAbout(id)).skills).toBeGreaterThan(0);
    const result = await t.query(ERASE, { id }, caller('eurocities', 'editor'));
    expect(result.errors).toBeUndefined();
    expect(result.data.eraseTalent).toMatchObject({ talentId: id, subgraphs: [{ subgraph: 'trainings', delivered: true }] });
    expect(Date.now() - Date.parse(result.data.eraseTalent.erasedAt)).toBeLessThan(60_000);
    expect(await rowsAbout(id)).toEqual({ talents: 0, skills: 0, languages: 0, residences: 0, consents: 0 });
    expect((await sql`select * from erased_talents where talent_id = ${id}`.execute(t.database.db)).rows).toHaveLength(1);
    const outbox = (await sql<any>`select subgraph, delivered_at, attempts, last_error from erasure_outbox where talent_id = ${id}`.execute(t.database.db)).rows;
    expect(outbox).toEqual([{ subgraph: 'trainings', delivered_at: expect.any(Date), attempts: 1, last_error: null }]);
    expect(t.peers.calls.filter((c) => c.subgraph === 'trainings' && c.variables?.id === id)).toEqual([
      { subgraph: 'trainings', query: 'mutation ($id: ID!) { eraseTalentData(talentId: $id) }', variables: { id } },
    ]);
    const audit = await auditRows(id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'talent.erase', entity_type: 'Talent', entity_id: id, actor_organisation_id: 'eurocities' });
    const after = await t.query(TALENT_QUERY, { id });
    expect(after.data).toEqual({ talent: null, _entities: [null] });
  });

  it('a second erasure of the same id is NOT_FOUND and changes nothing', async () => {
    const id = syntheticTalentId(7);
    expect((await t.query(ERASE, { id }, caller('eurocities', 'editor'))).errors).toBeUndefined();
    const before = await t.snapshot();
    const again = await t.query(ERASE, { id }, caller('eurocities', 'editor'));
    expect(errorCodes(again)).toEqual(['NOT_FOUND']);
    expect(await t.snapshot()).toBe(before);
  });

  it('when trainings cannot be reached the erasure still holds, the receipt says undelivered, and a retry delivers it', async () => {
    const created = await createOne(PERSONAL);
    t.peers.trainings = 'fail';
    let result;
    try {
      result = await t.query(ERASE, { id: created.id }, editor);
    } finally {
      t.peers.trainings = 'ok';
    }
    expect(result.errors).toBeUndefined();
    expect(result.data.eraseTalent.subgraphs).toEqual([{ subgraph: 'trainings', delivered: false }]);
    expect((await t.query(TALENT_QUERY, { id: created.id })).data.talent).toBeNull();
    const pending = (await sql<any>`select delivered_at, attempts, last_error, next_attempt_at > now() as later from erasure_outbox where talent_id = ${created.id}`.execute(t.database.db)).rows[0];
    expect(pending).toMatchObject({ delivered_at: null, attempts: 1, later: true });
    expect(pending.last_error).toContain('could not be reached');
    // Not due yet: a round now leaves it alone.
    expect(await deliverErasures(t.database.db, t.peers, { limit: 10, talentId: created.id })).toEqual([]);
    await sql`update erasure_outbox set next_attempt_at = now() where talent_id = ${created.id}`.execute(t.database.db);
    expect(await deliverErasures(t.database.db, t.peers, { limit: 10, talentId: created.id })).toEqual([
      { talentId: created.id, subgraph: 'trainings', delivered: true, attempts: 2 },
    ]);
  });

  it('createTalent never takes an erased id: ids are fresh and the tombstone is checked', async () => {
    const erased = new Set((await sql<{ talent_id: string }>`select talent_id from erased_talents`.execute(t.database.db)).rows.map((r) => r.talent_id));
    expect(erased.size).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect(erased.has((await createOne()).id)).toBe(false);
  });
});

describe('the background delivery loop', () => {
  it('retries pending erasures until delivered, and stops promptly even during a call that never answers', async () => {
    const created = await createOne();
    t.peers.trainings = 'fail';
    await t.query(ERASE, { id: created.id }, editor);
    t.peers.trainings = 'ok';
    await sql`update erasure_outbox set next_attempt_at = now() where talent_id = ${created.id}`.execute(t.database.db);
    const logged: unknown[] = [];
    const logger = { info: (o: unknown) => logged.push(o), warn: (o: unknown) => logged.push(o) } as any;
    const loop = startErasureDelivery(t.database.db, t.peers, { logger, tickMs: 50 });
    const deadline = Date.now() + 10_000;
    let delivered: Date | null = null;
    while (!delivered && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      delivered = (await sql<any>`select delivered_at from erasure_outbox where talent_id = ${created.id}`.execute(t.database.db)).rows[0].delivered_at;
    }
    await loop.stop();
    expect(delivered).toBeInstanceOf(Date);
    expect(JSON.stringify(logged)).not.toMatch(/Zofia|example\.org/);

    // A call that hangs: stop() must not wait for it.
    const other = await createOne();
    t.peers.trainings = 'fail';
    await t.query(ERASE, { id: other.id }, editor);
    await sql`update erasure_outbox set next_attempt_at = now() where talent_id = ${other.id}`.execute(t.database.db);
    t.peers.trainings = 'hang';
    const hanging = startErasureDelivery(t.database.db, t.peers, { logger, tickMs: 20 });
    const callsBefore = t.peers.calls.length;
    while (t.peers.calls.length === callsBefore) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await hanging.stop();
    expect(Date.now() - started).toBeLessThan(500);
    t.peers.trainings = 'ok';
    const row = (await sql<any>`select delivered_at, attempts from erasure_outbox where talent_id = ${other.id}`.execute(t.database.db)).rows[0];
    expect(row).toMatchObject({ delivered_at: null, attempts: 2 }); // leased, left for a later round
  });
});

describe('the audit log', () => {
  it('never holds personal data: no name or e-mail given in these tests appears in any column', async () => {
    const rows = await auditRows();
    expect(rows.length).toBeGreaterThan(10);
    const text = JSON.stringify(rows);
    for (const value of [PERSONAL.givenName, PERSONAL.familyName, PERSONAL.email, 'z.w@example.org', PERSONAL.phone, '@']) {
      expect(text).not.toContain(value);
    }
    const { rows: seeded } = await sql<any>`select given_name, family_name, email from talents where email is not null limit 50`.execute(t.database.db);
    for (const p of seeded) for (const v of [p.given_name, p.family_name, p.email]) expect(text).not.toContain(`"${v}"`);
  });
});
