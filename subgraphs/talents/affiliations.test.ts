import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { caller, errorCodes } from '@talent-hub/subgraph-lib/testing/subgraph';
import { startTalents, type TalentsUnderTest } from './testing/subgraph.js';

// recordAffiliation and endAffiliation: who may write, what is refused (leaving the database as it was), and what
// a write leaves behind.

let t: TalentsUnderTest;
beforeAll(async () => {
  t = await startTalents();
});
afterAll(() => t.stop());

const TALENT = syntheticTalentId(9); // cemr
const RECORD = `mutation ($talentId: ID!, $input: AffiliationInput!) { recordAffiliation(talentId: $talentId, input: $input) {
  id affiliations { organisation { id } role from to } } }`;
const END = `mutation ($talentId: ID!, $organisationId: ID!, $from: Date!, $to: Date!) {
  endAffiliation(talentId: $talentId, organisationId: $organisationId, from: $from, to: $to) { id affiliations { organisation { id } from to } } }`;
const editor = caller('cemr', 'editor');

describe('recordAffiliation and endAffiliation', () => {
  it('records a period for an editor of the owning organisation, with an audit row, and ends it', async () => {
    const recorded = await t.query(RECORD, { talentId: TALENT, input: { organisationId: 'aer', role: '  Policy trainee ', from: '2024-02-01' } }, editor);
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data.recordAffiliation.affiliations).toContainEqual({ organisation: { id: 'aer' }, role: 'Policy trainee', from: '2024-02-01', to: null });
    const ended = await t.query(END, { talentId: TALENT, organisationId: 'aer', from: '2024-02-01', to: '2024-08-31' }, editor);
    expect(ended.errors).toBeUndefined();
    expect(ended.data.endAffiliation.affiliations).toContainEqual({ organisation: { id: 'aer' }, from: '2024-02-01', to: '2024-08-31' });
    const { rows } = await sql<any>`select action, entity_id, actor_organisation_id from audit_log where entity_type = 'Affiliation' order by id`.execute(t.database.db);
    expect(rows).toEqual([
      { action: 'talent.affiliation.record', entity_id: `${TALENT}:aer:2024-02-01`, actor_organisation_id: 'cemr' },
      { action: 'talent.affiliation.end', entity_id: `${TALENT}:aer:2024-02-01`, actor_organisation_id: 'cemr' },
    ]);
  });

  it('refuses other organisations, viewers and anonymous callers, and changes nothing', async () => {
    const before = await t.snapshot();
    const input = { organisationId: 'uclg', role: 'Trainee', from: '2023-01-01' };
    expect(errorCodes(await t.query(RECORD, { talentId: TALENT, input }, caller('uclg', 'admin')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.query(RECORD, { talentId: TALENT, input }, caller('cemr', 'viewer')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.query(RECORD, { talentId: TALENT, input }, null))).toEqual(['UNAUTHENTICATED']);
    const first = (await t.database.db.selectFrom('affiliations').select(['organisation_id', 'started_on']).where('talent_id', '=', TALENT).where('ended_on', 'is', null).executeTakeFirst())!;
    expect(errorCodes(await t.query(END, { talentId: TALENT, organisationId: first.organisation_id, from: first.started_on, to: '2026-01-01' }, caller('eurocities', 'editor')))).toEqual(['FORBIDDEN']);
    expect(await t.snapshot()).toBe(before);
  });

  it('lists every input problem, refuses unknown organisations, overlaps and unknown records clearly', async () => {
    const before = await t.snapshot();
    const bad = await t.query(RECORD, { talentId: TALENT, input: { organisationId: 'aer', role: ' ', from: '2999-01-01', to: '2998-01-01' } }, editor);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect((bad.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field)).toEqual(['input.role', 'input.from', 'input.to', 'input.to']);
    const unknownOrganisation = await t.query(RECORD, { talentId: TALENT, input: { organisationId: 'no-such-org', role: 'Trainee', from: '2024-01-01' } }, editor);
    expect(errorCodes(unknownOrganisation)).toEqual(['BAD_USER_INPUT']);
    const overlap = await t.query(RECORD, { talentId: TALENT, input: { organisationId: 'aer', role: 'Trainee', from: '2024-08-01', to: '2024-09-30' } }, editor);
    expect(errorCodes(overlap)).toEqual(['BAD_USER_INPUT']);
    expect(overlap.errors![0]!.message).toMatch(/overlaps/);
    const missingTalent = await t.query(RECORD, { talentId: '00000000-0000-4000-8000-000000000000', input: { organisationId: 'aer', role: 'Trainee', from: '2024-01-01' } }, editor);
    expect(errorCodes(missingTalent)).toEqual(['NOT_FOUND']);
    const missingPeriod = await t.query(END, { talentId: TALENT, organisationId: 'aer', from: '2020-01-01', to: '2020-02-01' }, editor);
    expect(errorCodes(missingPeriod)).toEqual(['NOT_FOUND']);
    const alreadyEnded = await t.query(END, { talentId: TALENT, organisationId: 'aer', from: '2024-02-01', to: '2024-12-31' }, editor);
    expect(errorCodes(alreadyEnded)).toEqual(['BAD_USER_INPUT']);
    const beforeStart = await t.query(END, { talentId: TALENT, organisationId: 'aer', from: '2024-02-01', to: '2023-12-31' }, editor);
    expect(errorCodes(beforeStart)).toEqual(['BAD_USER_INPUT']);
    expect(await t.snapshot()).toBe(before);
  });
});
