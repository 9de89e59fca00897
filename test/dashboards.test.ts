import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, storeKinds, type Stack } from './harness.js';

// Dashboard queries through the gateway: aggregates computed at the subgraph that owns the data, with region and
// skill names joined in from the other subgraphs, and no small cell ever shown as a number.

describe.each(storeKinds)('dashboards through the gateway (%s)', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(() => stack?.stop());

  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const { body } = await stack.query(query, variables);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };

  it('talent statistics by region carry region names from the regions subgraph, and suppress small cells', async () => {
    const data = await ok(`{
      talentStatistics(groupBy: [REGION, CATEGORY], regionLevel: 2) {
        threshold cells { region { code name level } category talents suppressed }
      }
    }`);
    const { threshold, cells } = data.talentStatistics;
    expect(threshold).toBe(5);
    expect(cells.length).toBeGreaterThan(5);
    const er = cells.filter((c: any) => c.region?.code === 'ITH5');
    expect(er.length).toBeGreaterThan(0);
    expect(er[0].region).toMatchObject({ name: 'Emilia-Romagna', level: 2 });
    for (const cell of cells) {
      if (cell.suppressed) expect(cell.talents).toBeNull();
      else expect(cell.talents).toBeGreaterThanOrEqual(5);
    }
    expect(cells.some((c: any) => c.suppressed)).toBe(true);
  });

  it('registration statistics by event kind and month', async () => {
    const data = await ok(`{
      registrationStatistics(groupBy: [EVENT_KIND]) {
        eventKind events suppressed registrations { value suppressed } attended { value } completionRate capacityUtilisation
      }
    }`);
    const cells = data.registrationStatistics;
    expect(cells.map((c: any) => c.eventKind)).toEqual(expect.arrayContaining(['TRAINING', 'WORKSHOP', 'WEBINAR']));
    for (const cell of cells) {
      if (cell.registrations.suppressed) expect(cell.registrations.value).toBeNull();
      else expect(cell.registrations.value).toBeGreaterThanOrEqual(5);
    }
  });

  it("programme KPIs: Emilia-Romagna's cost per talent reached, to the cent", async () => {
    const data = await ok(`{ programme(id: "emilia-romagna-talents") { kpis {
      budget { amount currency } maxContribution { amount } talentsReached costPerTalentReached { amount currency }
    } } }`);
    expect(data.programme.kpis).toEqual({
      budget: { amount: '2232176.90', currency: 'EUR' },
      maxContribution: { amount: '1785741.52' },
      talentsReached: '7063',
      costPerTalentReached: { amount: '316.04', currency: 'EUR' },
    });
  });

  it('filters combine across the lists dashboards page through', async () => {
    const data = await ok(`{
      talents(filter: { regionCode: "ITH5", minLanguageLevel: B2, language: "en" }, first: 100) { totalCount nodes { residenceRegion { code } languages { language level } } }
      events(regionCode: "ITH5", organiserId: "art-er", first: 50) { totalCount nodes { region { code } organiser { id } } }
      programmes(activeOn: "2024-06-01", regionCode: "ITH55") { nodes { id } }
    }`);
    expect(data.talents.totalCount).toBe(data.talents.nodes.length);
    for (const t of data.talents.nodes) {
      expect(t.residenceRegion.code.startsWith('ITH5')).toBe(true);
      expect(t.languages.some((l: any) => l.language === 'en' && ['B2', 'C1', 'C2'].includes(l.level))).toBe(true);
    }
    expect(data.events.totalCount).toBeGreaterThan(0);
    expect(data.events.nodes.every((e: any) => e.region.code.startsWith('ITH5') && e.organiser.id === 'art-er')).toBe(true);
    expect(data.programmes.nodes).toEqual([{ id: 'emilia-romagna-talents' }]);
  });
});
