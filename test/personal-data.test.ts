import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Personal data through the gateway: the organisation matrix. For every reader organisation (a viewer token) and
// every talent of every organisation, each personal field must carry a value exactly when the reader owns the
// talent or the talent consented to share with the reader; otherwise null with FORBIDDEN at that field's path.
// Counted both ways (leaks and wrongful refusals), so the test fails if the policy is too loose or too strict.

const ORGANISATIONS = ['cemr', 'eurocities', 'uclg', 'aer', 'aer-irn', 'art-er', 'emilia-romagna-region', 'catalonia-social-rights', 'donegal-county-council'];
const FIELDS = ['givenName', 'familyName', 'email', 'birthYear', 'phone'] as const;
const PAGE = `{ talents(first: 500) { totalCount nodes { id displayName organisation { id } ${FIELDS.join(' ')}
  residenceHistory { from } } pageInfo { hasNextPage } } }`;

describe.each(storeKinds)('personal data through the gateway (%s)', (kind) => {
  let stack: Stack;
  let consents: Set<string>;
  let profiles: { id: string; organisation_id: string; public_profile: boolean }[];
  beforeAll(async () => {
    stack = await startStack(kind);
    // The demo talents belong to the three networks; give each other organisation a talent of its own (with
    // personal data, one shared with another organisation), so that every cell of the matrix holds talents.
    for (const [i, organisation] of ORGANISATIONS.slice(3).entries()) {
      const token = await mintToken(organisation, 'editor');
      // Published profiles, except Donegal's: a private profile that only its owner sees at all.
      const input = { displayName: `Test ${String.fromCharCode(65 + i)}.`, category: 'YOUNG_PROFESSIONAL', citizenship: 'IE', givenName: 'Test', familyName: `Person${i}`,
        email: `test.person${i}@example.org`, birthYear: 1990 + i, phone: `+353 1 555 010${i}`, publicProfile: organisation !== 'donegal-county-council', residenceRegionCode: 'IE041' };
      const { body } = await stack.query('mutation ($input: CreateTalentInput!) { createTalent(input: $input) { id } }', { input }, { token });
      expect(body.errors).toBeUndefined();
      if (organisation === 'art-er') {
        const granted = await stack.query(`mutation { grantConsent(talentId: "${body.data!.createTalent.id}", organisationId: "emilia-romagna-region") { id } }`, {}, { token });
        expect(granted.body.errors).toBeUndefined();
      }
    }
    // The consents as stored, read beside the code under test.
    const rows = await stack.databases.talents!.db.selectFrom('talent_consents').select(['talent_id', 'organisation_id']).execute();
    consents = new Set(rows.map((r: any) => `${r.talent_id}:${r.organisation_id}`));
    profiles = await stack.databases.talents!.db.selectFrom('talents').select(['id', 'organisation_id', 'public_profile']).execute();
  });
  afterAll(() => stack?.stop());

  it('the organisation matrix: no leak, and owners and consented organisations see every value', async () => {
    // Per reader and owner organisation: the talents, those the reader's list holds, and those it reads in full.
    const pairs = new Map<string, { talents: number; listed: number; shown: number }>();
    let leaks = 0;
    let refusedWrongly = 0;
    let missingErrors = 0;
    let wronglyListed = 0;
    let checks = 0;
    for (const reader of ORGANISATIONS) {
      const { status, body } = await stack.query(PAGE, {}, { token: await mintToken(reader, 'viewer') });
      expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
      expect(body.data!.talents.pageInfo.hasNextPage).toBe(false);
      const nodes = body.data!.talents.nodes as any[];
      const listed = new Map(nodes.map((n, i) => [n.id as string, i]));
      const forbidden = new Set(
        (body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path!.join('.')),
      );
      expect((body.errors ?? []).every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
      // The list (and its count) holds exactly the published profiles and those the reader may read in full.
      expect(body.data!.talents.totalCount).toBe(nodes.length);
      for (const profile of profiles) {
        const owner = profile.organisation_id;
        const may = owner === reader || consents.has(`${profile.id}:${reader}`);
        const pair = pairs.get(`${reader}>${owner}`) ?? { talents: 0, listed: 0, shown: 0 };
        pair.talents++;
        const i = listed.get(profile.id);
        if ((i !== undefined) !== (may || profile.public_profile)) wronglyListed++;
        if (i === undefined) {
          pairs.set(`${reader}>${owner}`, pair);
          continue;
        }
        pair.listed++;
        if (may) pair.shown++;
        pairs.set(`${reader}>${owner}`, pair);
        const node = nodes[i]!;
        expect(node.displayName).toEqual(expect.any(String)); // the rest of the talent is always there
        for (const field of [...FIELDS, 'residenceHistory']) {
          checks++;
          const value = node[field];
          if (!may && value !== null) leaks++;
          if (may && value === null) refusedWrongly++;
          if (!may && !forbidden.has(`talents.nodes.${i}.${field}`)) missingErrors++;
        }
      }
    }
    expect({ leaks, refusedWrongly, missingErrors, wronglyListed }).toEqual({ leaks: 0, refusedWrongly: 0, missingErrors: 0, wronglyListed: 0 });
    // The matrix covers every reader against every owner; owners read all of theirs, consents open some of others.
    expect(pairs.size).toBe(ORGANISATIONS.length * ORGANISATIONS.length);
    for (const owner of ['cemr', 'eurocities', 'uclg']) expect(pairs.get(`${owner}>${owner}`)).toEqual({ talents: 100, listed: 100, shown: 100 });
    for (const owner of ORGANISATIONS.slice(3)) expect(pairs.get(`${owner}>${owner}`)).toEqual({ talents: 1, listed: 1, shown: 1 });
    expect(pairs.get('emilia-romagna-region>art-er')).toEqual({ talents: 1, listed: 1, shown: 1 });
    expect(pairs.get('aer>art-er')).toEqual({ talents: 1, listed: 1, shown: 0 });
    expect(pairs.get('aer>donegal-county-council')).toEqual({ talents: 1, listed: 0, shown: 0 });
    expect(pairs.get('cemr>eurocities')!.shown).toBeGreaterThan(0);
    expect(pairs.get('art-er>uclg')!.shown).toBeGreaterThan(0);
    // Private profiles of others are left out: AER lists only CEMR's published ones, and reads none in full.
    const aerCemr = pairs.get('aer>cemr')!;
    expect(aerCemr.shown).toBe(0);
    expect(aerCemr.listed).toBeGreaterThan(50);
    expect(aerCemr.listed).toBeLessThan(100);
    console.log(
      `personal-data matrix (${kind}): ${ORGANISATIONS.length} readers x ${ORGANISATIONS.length} owner organisations ` +
        `(${pairs.size} pairs), ${profiles.length} talents each listed or not, ${checks} values (5 fields and the residence history) checked, 0 leaks`,
    );
  });

  it("the matrix of the Talent Hub's personal lists: affiliations, goals, trainings, mentorships and exchanges", async () => {
    // The same rule as the fields above, except that the organisation running a mentorship (or hosting an
    // exchange) reads the talent's list too, and then finds only its own records in it.
    const HUB_PAGE = `{ talents(first: 500) { nodes { id organisation { id }
      affiliations { organisation { id } } learningGoals { uri }
      completedTrainings(first: 3) { nodes { completedOn } } recommendedTrainings(first: 1) { event { id } }
      mentorships(first: 10) { nodes { organisation { id } } }
      exchanges(first: 10) { nodes { homeOrganisation { id } hostOrganisation { id } } } } } }`;
    const db = stack.databases.talents!.db;
    const runs = new Set<string>();
    for (const m of await db.selectFrom('mentorships').select(['mentor_id', 'mentee_id', 'organisation_id']).execute()) {
      runs.add(`${m.mentor_id}:${m.organisation_id}`).add(`${m.mentee_id}:${m.organisation_id}`);
    }
    const hosts = new Set((await db.selectFrom('exchanges').select(['talent_id', 'host_organisation_id']).execute()).map((e: any) => `${e.talent_id}:${e.host_organisation_id}`));
    const personal = ['affiliations', 'learningGoals', 'completedTrainings', 'recommendedTrainings'] as const;
    const tally = { leaks: 0, refusedWrongly: 0, missingErrors: 0, foreignRecords: 0, checks: 0, partialReads: 0 };
    for (const reader of ORGANISATIONS) {
      const { body } = await stack.query(HUB_PAGE, {}, { token: await mintToken(reader, 'viewer') });
      expect((body.errors ?? []).every((e) => e.extensions?.code === 'FORBIDDEN'), JSON.stringify(body.errors?.find((e) => e.extensions?.code !== 'FORBIDDEN'))).toBe(true);
      const forbidden = new Set((body.errors ?? []).map((e) => e.path!.join('.')));
      (body.data!.talents.nodes as any[]).forEach((node, i) => {
        const may = node.organisation.id === reader || consents.has(`${node.id}:${reader}`);
        const check = (field: string, allowed: boolean) => {
          tally.checks++;
          if (!allowed && node[field] !== null) tally.leaks++;
          if (allowed && node[field] === null) tally.refusedWrongly++;
          if (!allowed && !forbidden.has(`talents.nodes.${i}.${field}`)) tally.missingErrors++;
        };
        for (const field of personal) check(field, may);
        check('mentorships', may || runs.has(`${node.id}:${reader}`));
        check('exchanges', may || hosts.has(`${node.id}:${reader}`));
        if (!may && node.mentorships) {
          tally.partialReads++;
          for (const m of node.mentorships.nodes) if (m.organisation.id !== reader) tally.foreignRecords++;
        }
        if (!may && node.exchanges) {
          tally.partialReads++;
          for (const e of node.exchanges.nodes) if (e.hostOrganisation.id !== reader) tally.foreignRecords++;
        }
      });
    }
    expect(tally).toMatchObject({ leaks: 0, refusedWrongly: 0, missingErrors: 0, foreignRecords: 0 });
    // Hosts and running organisations other than the owner do read some lists: the partial rule is exercised.
    expect(tally.partialReads).toBeGreaterThan(0);
    console.log(`Talent Hub personal lists (${kind}): ${tally.checks} lists checked, ${tally.partialReads} read by a running or host organisation, 0 leaks`);
  });

  it('anonymous callers get null and FORBIDDEN at each personal field, nested lists included', async () => {
    const { body } = await stack.query(`{
      talents(first: 3) { nodes { id displayName email birthYear } }
      region(code: "ITH5") { talents(first: 2) { nodes { id givenName phone } } }
    }`);
    expect(body.data!.talents.nodes.every((n: any) => n.displayName && n.email === null && n.birthYear === null)).toBe(true);
    expect(body.data!.region.talents.nodes.every((n: any) => n.id && n.givenName === null && n.phone === null)).toBe(true);
    const paths = body.errors!.map((e) => [e.path!.join('.'), e.extensions!.code]).sort();
    expect(paths).toEqual(
      [
        ...[0, 1, 2].flatMap((i) => [`talents.nodes.${i}.email`, `talents.nodes.${i}.birthYear`]),
        ...[0, 1].flatMap((i) => [`region.talents.nodes.${i}.givenName`, `region.talents.nodes.${i}.phone`]),
      ]
        .map((p) => [p, 'FORBIDDEN'])
        .sort(),
    );
    expect(JSON.stringify(body.errors)).not.toContain('@example.org');
  });

  it('a consent granted through the gateway opens the data to that organisation, and a withdrawal closes it', async () => {
    const { body: list } = await stack.query('{ talents(organisationId: "uclg", first: 1) { nodes { id } } }');
    const id = list.data!.talents.nodes[0].id;
    const reader = await mintToken('donegal-county-council', 'viewer');
    const owner = await mintToken('uclg', 'editor');
    const read = async () => (await stack.query(`{ talent(id: "${id}") { email } }`, {}, { token: reader })).body.data!.talent.email;
    expect(await read()).toBeNull();
    const granted = await stack.query(`mutation { grantConsent(talentId: "${id}", organisationId: "donegal-county-council") { consents { organisation { id name } } } }`, {}, { token: owner });
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data!.grantConsent.consents.map((c: any) => c.organisation.id)).toContain('donegal-county-council');
    expect(granted.body.data!.grantConsent.consents.every((c: any) => typeof c.organisation.name === 'string')).toBe(true);
    expect(await read()).toMatch(/@example\.org$/);
    await stack.query(`mutation { withdrawConsent(talentId: "${id}", organisationId: "donegal-county-council") { id } }`, {}, { token: owner });
    expect(await read()).toBeNull();
  });
});
