import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// The Talent Hub's own work through the gateway, each piece answered by the subgraph that owns it and joined by
// federation: networks and members (regions), retention across a network (talents, which asks regions for the
// members), programme reach (talents, beside regions' reported figures).

describe.each(storeKinds)('the Talent Hub graph (%s)', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(() => stack?.stop());

  it('networks: the Talent Hub of three founders, AER with its regions and IRN, and the way back (memberOf)', async () => {
    const { body } = await stack.query(`{
      hub: organisation(id: "talent-hub") { kind members(first: 10) { totalCount nodes { id acronym } } }
      aer: organisation(id: "aer") { members(first: 10) { nodes { id } } }
      irn: organisation(id: "aer-irn") { memberOf { id } }
      er: organisation(id: "emilia-romagna-region") { memberOf { id } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.hub.kind).toBe('NETWORK');
    expect(body.data.hub.members.nodes.map((m: any) => m.id)).toEqual(['cemr', 'eurocities', 'uclg']);
    expect(body.data.hub.members.totalCount).toBe(3);
    expect(body.data.aer.members.nodes.map((m: any) => m.id)).toEqual(expect.arrayContaining(['aer-irn', 'catalonia-social-rights', 'emilia-romagna-region']));
    expect(body.data.irn.memberOf).toEqual([{ id: 'aer' }]);
    expect(body.data.er.memberOf.map((m: any) => m.id)).toEqual(expect.arrayContaining(['aer', 'aer-irn']));
  });

  it('networkRetention across the three founders: members from regions, cohorts and flows from talents, small cells withheld', async () => {
    const { body } = await stack.query(`{ networkRetention(networkId: "talent-hub", fromQuarter: "2023-Q1", toQuarter: "2024-Q4", asOf: "2026-11-30") {
      network { id name } members { id acronym } threshold
      cohorts { quarter joiners suppressed retained6Months retained6MonthsStatus retained24Months retained24MonthsStatus }
      flows { from { acronym } to { acronym } leftNetwork talents suppressed } } }`);
    expect(body.errors).toBeUndefined();
    const answer = body.data.networkRetention;
    expect(answer.network.name).toMatch(/Talent Hub/);
    expect(answer.members.map((m: any) => m.id)).toEqual(['cemr', 'eurocities', 'uclg']);
    expect(answer.cohorts).toHaveLength(8);
    for (const cohort of answer.cohorts) {
      expect(cohort.suppressed).toBe(cohort.joiners === null);
      if (cohort.joiners !== null) expect(cohort.joiners).toBeGreaterThanOrEqual(answer.threshold);
      if (cohort.retained6MonthsStatus !== 'AVAILABLE') expect(cohort.retained6Months).toBeNull();
    }
    expect(answer.cohorts.some((c: any) => c.retained6MonthsStatus === 'AVAILABLE')).toBe(true);
    for (const flow of answer.flows) {
      expect(flow.suppressed).toBe(flow.talents === null);
      if (!flow.suppressed) expect(flow.talents).toBeGreaterThanOrEqual(answer.threshold);
    }
    // Talents move between the founders, and some leave the network.
    expect(answer.flows.some((f: any) => f.to !== null)).toBe(true);
    expect(answer.flows.some((f: any) => f.leftNetwork)).toBe(true);
  });

  it('networkRetention refuses an organisation that is not a network, and an unknown one', async () => {
    const notNetwork = await stack.query(`{ networkRetention(networkId: "art-er") { threshold } }`);
    expect(notNetwork.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const unknown = await stack.query(`{ networkRetention(networkId: "nowhere") { threshold } }`);
    expect(unknown.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it("a programme's participants reached (talents) stands beside the figure it reports (regions); neither overwrites the other", async () => {
    const query = `{ programme(id: "emilia-romagna-talents") { kpis { talentsReached } indicators { code value } participantsReached { talents suppressed threshold } }
      hub: programme(id: "talent-hub") { participantsReached { talents suppressed } } }`;
    const { body } = await stack.query(query);
    expect(body.errors).toBeUndefined();
    expect(body.data.programme.kpis.talentsReached).toBe('7063');
    expect(body.data.programme.participantsReached.threshold).toBe(5);
    const hub = body.data.hub.participantsReached;
    expect(hub.suppressed).toBe(false);
    expect(hub.talents).toBeGreaterThanOrEqual(5);
    // The measured figure is not the reported one, and the reported one is not touched by it.
    expect(body.data.programme.participantsReached.talents).not.toBe(7063);
    const token = await mintToken('cemr', 'viewer');
    const again = await stack.query(query, {}, { token });
    expect(again.body.data.programme.kpis.talentsReached).toBe('7063');
  });
});
