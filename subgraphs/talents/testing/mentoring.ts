import { expect } from 'vitest';
import type { Identity } from '@talent-hub/platform/identity';
import { caller } from '@talent-hub/subgraph-lib/testing/subgraph';
import { readEscoSkills } from '../seed/index.js';
import type { TalentsUnderTest } from './subgraph.js';

// Test fixture (not a test file): operations and helpers shared by the mentoring and exchange tests. Talents are
// made through createTalent, so each test controls capacities, skills, languages, places and consents.

/** The shipped ESCO skills, in file order. */
export const SKILLS = readEscoSkills().map((s) => s.uri);

export const PROPOSE = `mutation ($input: ProposeMentorshipInput!) { proposeMentorship(input: $input) {
  id status mentor { id } mentee { id } organisation { id } programme { id } goals { uri } startsOn endsOn meetings proposedAt synthetic } }`;
export const ACCEPT = `mutation ($id: ID!, $startsOn: Date) { acceptMentorship(id: $id, startsOn: $startsOn) { id status startsOn endsOn meetings } }`;
export const COMPLETE = `mutation ($id: ID!, $endsOn: Date, $meetings: Int!) { completeMentorship(id: $id, endsOn: $endsOn, meetings: $meetings) {
  id status startsOn endsOn meetings } }`;
export const END = `mutation ($id: ID!, $endsOn: Date, $meetings: Int) { endMentorship(id: $id, endsOn: $endsOn, meetings: $meetings) {
  id status startsOn endsOn meetings } }`;
export const PROPOSE_EXCHANGE = `mutation ($input: ProposeExchangeInput!) { proposeExchange(input: $input) {
  id status kind talent { id } homeOrganisation { id } hostOrganisation { id } region { code } programme { id } startsOn endsOn synthetic } }`;
export const exchangeTransition = (name: string) => `mutation ($id: ID!) { ${name}(id: $id) { id status } }`;

const CREATE = `mutation ($input: CreateTalentInput!) { createTalent(input: $input) { id } }`;
const GRANT = `mutation ($talentId: ID!, $organisationId: ID!) { grantConsent(talentId: $talentId, organisationId: $organisationId) { id } }`;

export const today = () => new Date().toISOString().slice(0, 10);
export const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The data of a result, failing the test with its errors when there are any. */
export function ok(result: { data?: any; errors?: readonly unknown[] }): any {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}

/** Makes talents through createTalent as editors of their organisation, and consents as their owner. */
export function talentMaker(t: TalentsUnderTest) {
  let n = 0;
  return {
    /** A published profile unless `input` says otherwise: these tests are about what lies beyond the profile. */
    async talent(organisationId: string, input: Record<string, unknown> = {}): Promise<string> {
      const data = ok(await t.query(CREATE, { input: { displayName: `Test T${++n}.`, category: 'YOUNG_PROFESSIONAL', citizenship: 'IT', publicProfile: true, ...input } }, caller(organisationId, 'editor')));
      return data.createTalent.id as string;
    },
    async consent(talentId: string, owner: string, to: string): Promise<void> {
      ok(await t.query(GRANT, { talentId, organisationId: to }, caller(owner, 'editor')));
    },
    async propose(as: Identity, input: Record<string, unknown>) {
      return t.query(PROPOSE, { input: { goalUris: [SKILLS[0]], ...input } }, as);
    },
  };
}
