import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@talent-hub/platform/identity';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';

// Query.talentRegistrationRights: what the trainings subgraph asks before it registers a talent, and when it
// reconciles old registrations. For services only; one statement for any number of ids.

let t: TalentsUnderTest;
beforeAll(async () => {
  t = await startTalents();
});
afterAll(() => t.stop());

const trainings: Identity = { subject: 'trainings-subgraph', organisationId: '', roles: ['service'] };
const RIGHTS = `query ($ids: [ID!]!, $orgs: [ID!]!) { talentRegistrationRights(ids: $ids, organisationIds: $orgs) {
  id exists organisationId consentedTo } }`;
const GRANT = 'mutation ($talentId: ID!, $organisationId: ID!) { grantConsent(talentId: $talentId, organisationId: $organisationId) { id } }';
const ERASE = 'mutation ($id: ID!) { eraseTalent(id: $id) { erasedAt } }';

describe('talentRegistrationRights', () => {
  it('says for each id asked whether it exists, its owner and which of the organisations it consented to', async () => {
    const [cemrTalent, eurocitiesTalent] = [syntheticTalentId(0), syntheticTalentId(1)];
    expect(errorCodes(await t.query(GRANT, { talentId: cemrTalent, organisationId: 'aer' }, caller('cemr', 'editor')))).toEqual([]);
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    const result = await t.query(RIGHTS, { ids: [cemrTalent, eurocitiesTalent, unknown, 'not-a-uuid', cemrTalent], orgs: ['aer', 'art-er'] }, trainings);
    expect(result.errors).toBeUndefined();
    expect(result.data.talentRegistrationRights).toEqual([
      { id: cemrTalent, exists: true, organisationId: 'cemr', consentedTo: ['aer'] },
      { id: eurocitiesTalent, exists: true, organisationId: 'eurocities', consentedTo: [] },
      { id: unknown, exists: false, organisationId: null, consentedTo: [] },
      { id: 'not-a-uuid', exists: false, organisationId: null, consentedTo: [] },
    ]);
  });

  it('answers an erased talent as unknown', async () => {
    const erased = syntheticTalentId(3);
    expect(errorCodes(await t.query(ERASE, { id: erased }, caller('cemr', 'editor')))).toEqual([]);
    const result = await t.query(RIGHTS, { ids: [erased], orgs: [] }, trainings);
    expect(result.data.talentRegistrationRights).toEqual([{ id: erased, exists: false, organisationId: null, consentedTo: [] }]);
  });

  it('is for services only: anonymous callers and users of any organisation are refused', async () => {
    for (const as of [null, caller('cemr', 'admin')]) {
      const result = await t.query(RIGHTS, { ids: [syntheticTalentId(0)], orgs: ['cemr'] }, as);
      expect(errorCodes(result)).toEqual([as ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
      expect(result.data).toBeNull();
    }
  });

  it('costs one statement for 500 ids, and refuses more', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => syntheticTalentId(i));
    const { result, statements } = await t.countStatements(RIGHTS, { ids, orgs: ['aer', 'uclg'] }, trainings);
    expect(result.errors).toBeUndefined();
    expect(result.data.talentRegistrationRights.filter((r: any) => r.exists).length).toBeGreaterThan(250);
    expect(statements).toBe(1);
    const tooMany = await t.query(RIGHTS, { ids: [...ids, syntheticTalentId(500)], orgs: [] }, trainings);
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'ids' });
  });
});
