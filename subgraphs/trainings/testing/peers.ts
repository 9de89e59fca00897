import type { PeerResult, Peers } from '@talent-hub/subgraph-lib/peers';

// Test fixture (not a test file): the talents and regions subgraphs as this subgraph's calls reach them
// (peer-checks.ts), so that writes can be tested without them. Records every call.

/** The organisations of the regions demo seed. */
export const DEMO_ORGANISATIONS = ['talent-hub', 'cemr', 'eurocities', 'uclg', 'aer', 'aer-irn', 'art-er', 'emilia-romagna-region', 'catalonia-social-rights', 'donegal-county-council'];

/** The programmes of the regions demo seed: who manages each and its partners. */
export const DEMO_PROGRAMMES: Record<string, { managingOrganisation: string | null; partners: string[] }> = {
  'talent-hub': { managingOrganisation: null, partners: ['cemr', 'eurocities', 'uclg'] },
  'eu-belong': { managingOrganisation: 'aer', partners: ['aer'] },
  'emilia-romagna-talents': { managingOrganisation: 'emilia-romagna-region', partners: [] },
};

export class FakePeers implements Peers {
  calls: { subgraph: string; query: string; variables?: Record<string, unknown> }[] = [];
  talentsDown = false;
  regionsDown = false;
  /**
   * Talents by id with their owner and consents. An id not listed here is a talent of whichever organisation asks
   * (so that tests of other rules can register any id); one in `unknownTalents` does not exist.
   */
  talents = new Map<string, { organisationId: string; consentedTo: string[] }>();
  unknownTalents = new Set<string>();

  async call(subgraph: string, query: string, variables: Record<string, unknown> = {}): Promise<PeerResult> {
    this.calls.push({ subgraph, query, variables });
    if (subgraph === 'talents') {
      if (this.talentsDown) throw new Error('The talents subgraph could not be reached: connection refused');
      const ids = variables.ids as string[];
      const asked = variables.organisationIds as string[];
      return {
        data: {
          talentRegistrationRights: ids.map((id) => {
            if (this.unknownTalents.has(id)) return { id, exists: false, organisationId: null, consentedTo: [] };
            const known = this.talents.get(id) ?? { organisationId: asked[0] ?? 'cemr', consentedTo: [] };
            return { id, exists: true, organisationId: known.organisationId, consentedTo: known.consentedTo.filter((o) => asked.includes(o)) };
          }),
        },
      };
    }
    if (subgraph === 'regions') {
      if (this.regionsDown) throw new Error('The regions subgraph could not be reached: connection refused');
      const representations = variables.representations as { __typename: string; id: string }[];
      return {
        data: {
          _entities: representations.map(({ __typename, id }) => {
            if (__typename === 'Organisation') return DEMO_ORGANISATIONS.includes(id) ? { id } : null;
            const programme = DEMO_PROGRAMMES[id];
            if (!programme) return null;
            return {
              id,
              managingOrganisation: programme.managingOrganisation ? { id: programme.managingOrganisation } : null,
              partners: programme.partners.map((p) => ({ id: p })),
            };
          }),
        },
      };
    }
    throw new Error(`No URL is configured for the ${subgraph} subgraph`);
  }

  callsTo(subgraph: string) {
    return this.calls.filter((c) => c.subgraph === subgraph);
  }
}
