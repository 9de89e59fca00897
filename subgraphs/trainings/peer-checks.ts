import { serviceUnavailable, type FieldProblem } from '@talent-hub/platform/errors';
import type { Peers } from '@talent-hub/subgraph-lib/peers';

// What this subgraph must learn from the others before it writes: talents (does the talent exist, who owns it,
// whom did it consent to) and regions (does the programme exist and does the organiser run it or take part in it,
// do the partner organisations exist). Asked with a signed service token through peers.ts, before the write's
// transaction, so that no lock waits on another subgraph. Nothing is copied here but the talent's owning
// organisation, which never changes (updateTalent cannot change it). A peer that does not answer refuses the
// write (SERVICE_UNAVAILABLE): a write is never made on a guess.

/** What the talents subgraph says about one talent id (its `Query.talentRegistrationRights`). */
export interface TalentRight {
  id: string;
  exists: boolean;
  organisationId: string | null;
  /** Those of the organisations asked about that the talent consented to share personal data with. */
  consentedTo: string[];
}

/** The talents subgraph did not answer (or answered an error). */
export class PeerUnavailable extends Error {}

const RIGHTS = `query ($ids: [ID!]!, $organisationIds: [ID!]!) {
  talentRegistrationRights(ids: $ids, organisationIds: $organisationIds) { id exists organisationId consentedTo } }`;

/** Asks talents about some talent ids, in one call; throws PeerUnavailable when it does not answer. */
export async function talentRights(peers: Peers, ids: readonly string[], organisationIds: readonly string[]): Promise<Map<string, TalentRight>> {
  let rights: TalentRight[] | undefined;
  try {
    const result = await peers.call('talents', RIGHTS, { ids: [...ids], organisationIds: [...organisationIds] });
    rights = result.data?.talentRegistrationRights as TalentRight[] | undefined;
  } catch (error) {
    throw new PeerUnavailable((error as Error).message, { cause: error });
  }
  if (!Array.isArray(rights)) throw new PeerUnavailable('The talents subgraph answered without talentRegistrationRights');
  return new Map(rights.map((r) => [r.id, r]));
}

/**
 * Whether an organisation may register a talent for an event: its own talent, or, for the event's organiser, a
 * talent who consented to share personal data with it (registering publishes attendance to the organiser, so the
 * organiser may only enrol those who already share with it).
 */
export function mayRegister(right: TalentRight | undefined, callerOrganisationId: string, organiserId: string): boolean {
  if (!right?.exists) return false;
  if (right.organisationId === callerOrganisationId) return true;
  return callerOrganisationId === organiserId && right.consentedTo.includes(callerOrganisationId);
}

/** The registration rights of one talent for a write, or SERVICE_UNAVAILABLE when talents does not answer. */
export async function talentRightForWrite(peers: Peers, talentId: string, callerOrganisationId: string): Promise<TalentRight | undefined> {
  try {
    return (await talentRights(peers, [talentId], [callerOrganisationId])).get(talentId);
  } catch (error) {
    if (!(error instanceof PeerUnavailable)) throw error;
    throw serviceUnavailable('The talent could not be checked (the talents subgraph did not answer); nothing was changed. Try again.');
  }
}

interface ProgrammeAnswer {
  id: string;
  managingOrganisation: { id: string } | null;
  partners: { id: string }[];
}

const REFERENCES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Programme { id managingOrganisation { id } partners { id } }
  ... on Organisation { id } } }`;

/**
 * Checks an event's programme and partners against regions, in one call: the programme must exist and be managed
 * by the organiser or have it as a partner; every partner must be an existing organisation. Returns a problem per
 * argument that fails (naming it, as the input checks do); SERVICE_UNAVAILABLE when regions does not answer.
 * Nothing to check (neither given) costs no call.
 */
export async function eventReferenceProblems(
  peers: Peers,
  references: { programmeId: string | null | undefined; partnerIds: readonly string[] | undefined },
  organiserId: string,
): Promise<FieldProblem[]> {
  const { programmeId, partnerIds = [] } = references;
  if (!programmeId && partnerIds.length === 0) return [];
  const representations = [
    ...(programmeId ? [{ __typename: 'Programme', id: programmeId }] : []),
    ...partnerIds.map((id) => ({ __typename: 'Organisation', id })),
  ];
  let entities: unknown[];
  try {
    const result = await peers.call('regions', REFERENCES, { representations });
    const answered = result.data?._entities;
    if (!Array.isArray(answered) || answered.length !== representations.length) throw new Error('an answer per representation was expected');
    entities = answered;
  } catch {
    throw serviceUnavailable("The event's programme and partners could not be checked (the regions subgraph did not answer); nothing was changed. Try again.");
  }
  const problems: FieldProblem[] = [];
  if (programmeId) {
    const programme = entities[0] as ProgrammeAnswer | null;
    if (!programme) problems.push({ field: 'input.programmeId', message: 'no programme has this id' });
    else if (programme.managingOrganisation?.id !== organiserId && !programme.partners.some((p) => p.id === organiserId)) {
      problems.push({ field: 'input.programmeId', message: "the organiser neither manages the programme nor is one of its partners" });
    }
  }
  const organisations = entities.slice(programmeId ? 1 : 0);
  // Positions rather than values: input values are not repeated in errors.
  const unknown = partnerIds.flatMap((_, i) => (organisations[i] ? [] : [i]));
  if (unknown.length > 0) {
    problems.push({ field: 'input.partnerIds', message: `must name existing organisations; no organisation has the id at position ${unknown.join(', ')} (from 0)` });
  }
  return problems;
}
