import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';

// Personal fields behind the `talent_personal_data` policy, and consents behind `talent_owner`, at the subgraph:
// who sees what, what the others get (null and FORBIDDEN at the field's path, the rest of the talent), and the
// cost of the consent lookup (one statement for a page of talents, however many fields and talents).

let t: TalentsUnderTest;
beforeAll(async () => {
  t = await startTalents();
});
afterAll(() => t.stop());

const FIELDS = ['givenName', 'familyName', 'email', 'birthYear', 'phone'] as const;
const CEMR_TALENT = syntheticTalentId(0);
const SHARED_WITH_CEMR = syntheticTalentId(4); // the 2nd eurocities talent: shares with cemr (seed/personal.ts)
const SHARED_WITH_EUROCITIES = syntheticTalentId(8); // the 3rd uclg talent: shares with eurocities and art-er
const ONE = `query ($id: ID!) { talent(id: $id) { id displayName organisation { id } ${FIELDS.join(' ')} consents { organisation { id } grantedAt } } }`;

describe('personal fields of one talent', () => {
  it('the owning organisation reads them, at any role', async () => {
    for (const role of ['viewer', 'editor', 'admin'] as const) {
      const { data, errors } = await t.query(ONE, { id: CEMR_TALENT }, caller('cemr', role));
      expect(errors).toBeUndefined();
      expect(data.talent.email).toMatch(/^[a-z]+\.[a-z]+\.\d+@example\.org$/);
      expect(data.talent.givenName).toBe(data.talent.displayName.split(' ')[0]);
      expect(data.talent.familyName.charAt(0)).toBe(data.talent.displayName.split(' ')[1].charAt(0));
      expect(data.talent.birthYear).toBeGreaterThanOrEqual(1900);
      expect(data.talent.phone).toMatch(/^\+44 20 7946 0\d{3}$/);
      expect(data.talent.consents).toEqual([]);
    }
  });

  it('an organisation the talent consented to reads them, but not the list of consents', async () => {
    const { data, errors } = await t.query(ONE, { id: SHARED_WITH_CEMR }, caller('cemr', 'viewer'));
    expect(data.talent.organisation.id).toBe('eurocities');
    for (const field of FIELDS) expect(data.talent[field], field).not.toBeNull();
    expect(data.talent.consents).toBeNull();
    expect(errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['talent', 'consents'], 'FORBIDDEN']]);
    const owner = await t.query(ONE, { id: SHARED_WITH_CEMR }, caller('eurocities', 'viewer'));
    expect(owner.data.talent.consents.map((c: any) => c.organisation.id)).toEqual(['cemr']);
  });

  const refused: [string, ReturnType<typeof caller> | null][] = [
    ['anonymous', null],
    ['a viewer of another organisation', caller('aer', 'viewer')],
    ['an admin of another organisation', caller('uclg', 'admin')],
    ['another subgraph (service)', { subject: 'trainings-subgraph', organisationId: '', roles: ['service'] }],
  ];
  it.each(refused)('%s gets null and FORBIDDEN at each personal field, and the rest of the talent', async (_, as) => {
    const { data, errors } = await t.query(ONE, { id: CEMR_TALENT }, as);
    expect(data.talent).toMatchObject({ id: CEMR_TALENT, organisation: { id: 'cemr' }, displayName: expect.any(String) });
    for (const field of [...FIELDS, 'consents']) expect(data.talent[field], field).toBeNull();
    expect(errors!.map((e) => [e.path!.join('.'), e.extensions!.code]).sort()).toEqual(
      [...FIELDS, 'consents'].map((f) => [`talent.${f}`, 'FORBIDDEN']).sort(),
    );
    // The message says who may read, never the value.
    expect(errors![0]!.message).toMatch(/^Not authorised to read Talent\.\w+: only users of the talent's organisation/);
  });

  it('entity references (how the gateway reaches a talent from another subgraph) follow the same rule', async () => {
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Talent { id email } } }`;
    const reps = [CEMR_TALENT, SHARED_WITH_CEMR, SHARED_WITH_EUROCITIES].map((id) => ({ __typename: 'Talent', id }));
    const { data, errors } = await t.query(query, { reps }, caller('cemr', 'viewer'));
    expect(data._entities.map((e: any) => e.email === null)).toEqual([false, false, true]);
    expect(errors!.map((e) => e.path)).toEqual([['_entities', 2, 'email']]);
  });

  it('a withdrawn consent takes effect at once', async () => {
    const reader = caller('art-er', 'viewer');
    expect((await t.query(ONE, { id: SHARED_WITH_EUROCITIES }, reader)).data.talent.email).not.toBeNull();
    const withdrawn = await t.query(`mutation { withdrawConsent(talentId: "${SHARED_WITH_EUROCITIES}", organisationId: "art-er") { id } }`, {}, caller('uclg', 'editor'));
    expect(withdrawn.errors).toBeUndefined();
    const after = await t.query(ONE, { id: SHARED_WITH_EUROCITIES }, reader);
    expect(after.data.talent.email).toBeNull();
    expect(errorCodes(after)).toContain('FORBIDDEN');
  });
});

describe('a page of talents', () => {
  const PAGE = `query ($first: Int) { talents(first: $first) { nodes { id organisation { id } ${FIELDS.join(' ')} } } }`;

  it('reading every personal field of 100 talents costs one statement for the consents, as for 5', async () => {
    const reader = caller('cemr', 'viewer'); // owner of a third of them; consented to by some others
    const few = await t.countStatements(PAGE, { first: 5 }, reader);
    const many = await t.countStatements(PAGE, { first: 100 }, reader);
    expect(many.result.data.talents.nodes).toHaveLength(100);
    // The page, then the consents of the talents on it: 2 statements whatever the size of the page.
    expect(many.statements).toBe(2);
    expect(few.statements).toBe(2);
    // Both outcomes occur on the page, so the count covers real checks.
    const nodes = many.result.data.talents.nodes;
    expect(nodes.some((n: any) => n.organisation.id !== 'cemr' && n.email !== null)).toBe(true);
    expect(nodes.some((n: any) => n.email === null)).toBe(true);
    // Anonymous callers cost no consent lookup at all.
    expect((await t.countStatements(PAGE, { first: 100 }, null)).statements).toBe(1);
  });

  it('shows each talent to exactly its owner and the organisations it consented to', async () => {
    // Read from the tables themselves, apart from the code under test.
    const { rows } = await sql<{ talent_id: string; organisation_id: string }>`select talent_id, organisation_id from talent_consents`.execute(t.database.db);
    const shared = new Set(rows.map((r) => `${r.talent_id}:${r.organisation_id}`));
    const profiles = await sql<{ id: string; organisation_id: string; public_profile: boolean }>`select id, organisation_id, public_profile from talents`.execute(t.database.db);
    const owners = new Map(profiles.rows.map((r) => [r.id, r.organisation_id]));
    const published = new Set(profiles.rows.filter((r) => r.public_profile).map((r) => r.id));
    expect(rows.length).toBeGreaterThan(20);
    let checked = 0;
    for (const org of ['cemr', 'eurocities', 'uclg', 'art-er', 'aer']) {
      const { data, errors } = await t.query(`{ talents(first: 500) { nodes { id email } } }`, {}, caller(org, 'viewer'));
      const forbidden = new Set((errors ?? []).filter((e) => e.path![3] === 'email').map((e) => data.talents.nodes[e.path![2] as number].id));
      // The list holds exactly the published profiles and those the organisation may read in full.
      const listed = new Set(data.talents.nodes.map((n: any) => n.id));
      for (const [id, owner] of owners) expect(listed.has(id), `${org} listing ${id}`).toBe(published.has(id) || owner === org || shared.has(`${id}:${org}`));
      for (const node of data.talents.nodes) {
        const owner = owners.get(node.id)!;
        const may = owner === org || shared.has(`${node.id}:${org}`);
        expect(node.email !== null, `${org} reading ${node.id}`).toBe(may);
        expect(forbidden.has(node.id)).toBe(!may);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
