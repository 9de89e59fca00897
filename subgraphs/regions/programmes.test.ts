import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { ProgrammeTable, RegionsDatabase } from './db/types.js';
import { regionsSubgraph } from './server.js';

// Programme filters and KPIs. Besides the demo seed, programmes made for the edge cases: an open-ended period,
// a period without a start, an ended one; and indicators with targets (the sources give none).

let subgraph: TestSubgraph<RegionsDatabase>;

const programme = (id: string, fields: Partial<ProgrammeTable>): ProgrammeTable => ({
  id, name: `Test programme ${id}`, kind: 'PROGRAMME', description: null, legal_basis: null, period_start: null,
  period_end: null, currency: null, budget_amount: null, max_contribution_amount: null, cofinancing_rate: null,
  funding_source: null, objectives: [], aligned_strategies: [], managing_organisation_id: null, initiated_by_id: null,
  owner_organisation_id: 'aer', ...fields,
});

const indicator = (programme_id: string, code: string, value: string, target: string | null) => ({
  programme_id, code, name: code, value, target, unit: 'talents', as_of: '2024-12-31',
});

beforeAll(async () => {
  subgraph = await startTestSubgraph(regionsSubgraph);
  const db = subgraph.database.db;
  await db.insertInto('programmes').values([
    programme('test-open-ended', { period_start: '2024-01-01', managing_organisation_id: 'art-er', currency: 'EUR', budget_amount: '1000.00' }),
    programme('test-no-start', { period_end: '2030-12-31', managing_organisation_id: 'art-er' }),
    programme('test-ended', { period_start: '2020-01-01', period_end: '2021-06-30', managing_organisation_id: 'emilia-romagna-region', currency: 'EUR', budget_amount: '200.00' }),
  ]).execute();
  await db.insertInto('programme_regions').values([
    { programme_id: 'test-open-ended', region_code: 'ITH55' },
    { programme_id: 'test-no-start', region_code: 'ES51' },
    { programme_id: 'test-ended', region_code: 'IT' },
  ]).execute();
  await db.insertInto('indicators').values([
    indicator('test-open-ended', 'talents-reached', '0', null),
    indicator('test-open-ended', 'target-exceeded', '7063', '7000'),
    indicator('test-open-ended', 'a-third', '1', '3'),
    indicator('test-open-ended', 'zero-target', '5', '0'),
    indicator('test-ended', 'talents-reached', '3', '4'),
  ]).execute();
});
afterAll(() => subgraph.stop());

describe('Query.programmes filters', () => {
  it('keep exactly the matching programmes, combined, with a matching totalCount, across pages', async () => {
    const { data } = await subgraph.query('{ programmes(first: 500) { nodes { id period { start end } managingOrganisation { id } regions { code } } } }');
    const all: any[] = data.programmes.nodes;
    expect(all).toHaveLength(6);
    const matches = (p: any, f: Record<string, string>) =>
      (f.regionCode == null || p.regions.some((r: any) => r.code.startsWith(f.regionCode) || f.regionCode!.startsWith(r.code))) &&
      (f.managingOrganisationId == null || p.managingOrganisation?.id === f.managingOrganisationId) &&
      (f.activeOn == null || (p.period !== null && p.period.start <= f.activeOn && (p.period.end === null || p.period.end >= f.activeOn)));
    const cases: Record<string, string>[] = [
      ...['2019-12-31', '2020-01-01', '2021-06-30', '2021-07-01', '2023-01-01', '2024-06-01', '2025-12-31', '2026-01-01', '2040-01-01'].map((activeOn) => ({ activeOn })),
      ...['art-er', 'emilia-romagna-region', 'aer', 'cemr'].map((managingOrganisationId) => ({ managingOrganisationId })),
      ...['IT', 'ITH', 'ITH5', 'ITH55', 'ITH59', 'ES', 'ES511', 'BE'].map((regionCode) => ({ regionCode })),
      { regionCode: 'ITH55', activeOn: '2024-06-01' },
      { regionCode: 'ITH55', activeOn: '2021-01-01', managingOrganisationId: 'emilia-romagna-region' },
      { regionCode: 'IT', managingOrganisationId: 'art-er' },
    ];
    for (const filter of cases) {
      const expected = all.filter((p) => matches(p, filter)).map((p) => p.id);
      const ids: string[] = [];
      let after: string | null = null;
      let totalCount = -1;
      do {
        const result: any = await subgraph.query(
          `query ($regionCode: ID, $managingOrganisationId: ID, $activeOn: Date, $after: String) {
            programmes(regionCode: $regionCode, managingOrganisationId: $managingOrganisationId, activeOn: $activeOn, first: 1, after: $after) {
              totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`,
          { ...filter, after },
        );
        expect(result.errors, JSON.stringify(filter)).toBeUndefined();
        ids.push(...result.data.programmes.nodes.map((n: any) => n.id));
        totalCount = result.data.programmes.totalCount;
        after = result.data.programmes.pageInfo.hasNextPage ? result.data.programmes.pageInfo.endCursor : null;
      } while (after);
      expect(ids, JSON.stringify(filter)).toEqual(expected);
      expect(totalCount, JSON.stringify(filter)).toBe(expected.length);
    }
    // Period ends are included, open ends never end, and a period without a start is never active.
    const active = async (day: string) =>
      (await subgraph.query(`{ programmes(activeOn: "${day}") { nodes { id } } }`)).data.programmes.nodes.map((n: any) => n.id);
    expect(await active('2021-06-30')).toEqual(['test-ended']);
    expect(await active('2040-01-01')).toEqual(['test-open-ended']);
    expect(await active('2025-12-31')).toEqual(['emilia-romagna-talents', 'test-open-ended']);
  });

  it('refuse malformed values with BAD_USER_INPUT naming the argument', async () => {
    const cases: [string, string, RegExp][] = [
      ['{ programmes(managingOrganisationId: "Regione Emilia-Romagna") { nodes { id } } }', 'managingOrganisationId', /lowercase slug/],
      ['{ programmes(regionCode: "Emilia") { nodes { id } } }', 'regionCode', /NUTS 2024 code/],
    ];
    for (const [query, argument, message] of cases) {
      const result = await subgraph.query(query);
      expect(errorCodes(result), query).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.argumentName, query).toBe(argument);
      expect(result.errors![0]!.message, query).toMatch(message);
    }
    // Dates are checked by the Date scalar: the shape, and that the day exists.
    for (const [day, message] of [['next week', /Date must be a string like/], ['2023-02-29', /Date must be a day that exists in the calendar/]] as const) {
      const malformedDate = await subgraph.query(`{ programmes(activeOn: "${day}") { nodes { id } } }`);
      expect(errorCodes(malformedDate)).toEqual(['BAD_USER_INPUT']);
      expect(malformedDate.errors![0]!.message).toMatch(message);
    }
  });
});

describe('Programme.kpis', () => {
  const KPIS = `kpis { budget { amount currency } maxContribution { amount currency } talentsReached talentsReachedAsOf
    costPerTalentReached { amount currency } indicators { code name unit value target progress asOf } }`;

  it("gives Emilia-Romagna's cost per talent reached to the cent: EUR 2,232,176.90 / 7,063 = 316.04", async () => {
    const { data, errors } = await subgraph.query(`{ programme(id: "emilia-romagna-talents") { ${KPIS} } }`);
    expect(errors).toBeUndefined();
    const k = data.programme.kpis;
    expect(k.budget).toEqual({ amount: '2232176.90', currency: 'EUR' });
    expect(k.maxContribution).toEqual({ amount: '1785741.52', currency: 'EUR' });
    expect(k.talentsReached).toBe('7063');
    expect(k.talentsReachedAsOf).toBe('2024-02-29');
    expect(k.costPerTalentReached).toEqual({ amount: '316.04', currency: 'EUR' });
    expect(k.indicators.map((i: any) => [i.code, i.value, i.target, i.progress])).toEqual([
      ['organisations-reached', '574', null, null],
      ['pilot-projects', '10', null, null],
      ['service-types', '33', null, null],
      ['services-delivered', '68', null, null],
      ['talents-reached', '7063', null, null],
    ]);
  });

  it('measures indicators against their targets, exactly, and leaves out what cannot be computed', async () => {
    const { data } = await subgraph.query(`{
      open: programme(id: "test-open-ended") { ${KPIS} }
      ended: programme(id: "test-ended") { ${KPIS} }
      euBelong: programme(id: "eu-belong") { ${KPIS} }
    }`);
    const progress = (k: any) => Object.fromEntries(k.indicators.map((i: any) => [i.code, [i.value, i.target, i.progress]]));
    expect(progress(data.open.kpis)).toEqual({
      'a-third': ['1', '3', '0.3333'],
      'talents-reached': ['0', null, null],
      'target-exceeded': ['7063', '7000', '1.0090'],
      'zero-target': ['5', '0', null],
    });
    // No talent reached yet: no cost per talent (rather than a division by zero).
    expect(data.open.kpis).toMatchObject({ budget: { amount: '1000.00', currency: 'EUR' }, talentsReached: '0', costPerTalentReached: null });
    // 200.00 / 3 = 66.666... rounds up to 66.67; talents reached 3 of a target of 4 is 0.7500.
    expect(data.ended.kpis).toMatchObject({ costPerTalentReached: { amount: '66.67', currency: 'EUR' }, talentsReached: '3' });
    expect(progress(data.ended.kpis)['talents-reached']).toEqual(['3', '4', '0.7500']);
    // No budget and no talents-reached indicator: null, not zero.
    expect(data.euBelong.kpis).toMatchObject({ budget: null, maxContribution: null, talentsReached: null, talentsReachedAsOf: null, costPerTalentReached: null });
    expect(data.euBelong.kpis.indicators.map((i: any) => i.code)).toEqual(['partner-countries', 'regional-authority-partners', 'technical-partners']);
  });

  it('costs one SQL statement for the KPIs of every programme of a request', async () => {
    const one = await subgraph.countStatements(`{ programmes(first: 1) { nodes { id ${KPIS} } } }`);
    const all = await subgraph.countStatements(`{ programmes(first: 50) { nodes { id ${KPIS} } } }`);
    expect(all.result.errors).toBeUndefined();
    expect(all.result.data.programmes.nodes).toHaveLength(6);
    expect(one.statements).toBe(2); // the page, then the KPIs
    expect(all.statements).toBe(2);
    const entities = await subgraph.countStatements(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Programme { ${KPIS} } } }`,
      { r: ['eu-belong', 'talent-hub', 'emilia-romagna-talents', 'test-ended'].map((id) => ({ __typename: 'Programme', id })) },
    );
    expect(entities.result.errors).toBeUndefined();
    expect(entities.statements).toBe(2); // the references, then the KPIs
  });
});
