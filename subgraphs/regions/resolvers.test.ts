import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { RegionsDatabase } from './db/types.js';
import { regionsSubgraph } from './server.js';

let subgraph: TestSubgraph<RegionsDatabase>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(regionsSubgraph);
});
afterAll(() => subgraph.stop());

describe('Query.region', () => {
  it('answers a NUTS region with its parent and children', async () => {
    const { data, errors } = await subgraph.query(`{
      region(code: "ITH5") { code name level countryCode parent { code name } children { code name } }
    }`);
    expect(errors).toBeUndefined();
    expect(data.region).toMatchObject({ code: 'ITH5', name: 'Emilia-Romagna', level: 2, countryCode: 'IT', parent: { code: 'ITH', name: 'Nord-Est' } });
    expect(data.region.children.map((c: any) => c.code)).toEqual(['ITH51', 'ITH52', 'ITH53', 'ITH54', 'ITH55', 'ITH56', 'ITH57', 'ITH58', 'ITH59']);
  });

  it('returns null for an unknown code and BAD_USER_INPUT for a malformed one', async () => {
    expect((await subgraph.query('{ region(code: "ZZ9") { code } }')).data).toEqual({ region: null });
    const bad = await subgraph.query('{ region(code: "emilia") { code } }');
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.message).toContain('NUTS 2024 code');
  });
});

describe('Query.regions', () => {
  it('pages through all 39 countries with opaque cursors and no repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const { data, errors }: any = await subgraph.query(
        'query ($after: String) { regions(level: 0, first: 10, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(errors).toBeUndefined();
      seen.push(...data.regions.nodes.map((n: any) => n.code));
      if (!data.regions.pageInfo.hasNextPage) break;
      after = data.regions.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(39);
    expect(new Set(seen).size).toBe(39);
    expect(seen).toEqual([...seen].sort());
  });

  it('filters by country and parent, and refuses a bad level or page size', async () => {
    const { data } = await subgraph.query('{ regions(parentCode: "ES51") { nodes { code } } }');
    expect(data.regions.nodes.map((n: any) => n.code)).toEqual(['ES511', 'ES512', 'ES513', 'ES514']);
    const greece = await subgraph.query('{ regions(countryCode: "EL", level: 0) { nodes { code name } } }');
    expect(greece.data.regions.nodes).toEqual([{ code: 'EL', name: 'Elláda' }]);
    expect(errorCodes(await subgraph.query('{ regions(level: 4) { nodes { code } } }'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await subgraph.query('{ regions(first: 100000) { nodes { code } } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('organisations', () => {
  it('answers the Talent Hub networks and their secretaries general', async () => {
    const { data } = await subgraph.query(`{
      cemr: organisation(id: "cemr") { id name acronym kind leaders { name role } }
      eurocities: organisation(id: "eurocities") { name kind leaders { name role } }
      uclg: organisation(id: "uclg") { name acronym }
    }`);
    expect(data.cemr).toEqual({
      id: 'cemr',
      name: 'Council of European Municipalities and Regions',
      acronym: 'CEMR',
      kind: 'NETWORK',
      leaders: [{ name: 'Fabrizio Rossi', role: 'Secretary General' }],
    });
    expect(data.eurocities.leaders).toEqual([{ name: 'André Sobczak', role: 'Secretary General' }]);
    expect(data.uclg).toEqual({ name: 'United Cities and Local Governments World Secretariat', acronym: 'UCLG' });
  });

  it('answers AER: founded 1985, regions from 25 countries, its Intercultural Regions Network', async () => {
    const { data } = await subgraph.query(`{
      organisation(id: "aer") { name acronym foundedYear keyFigures { code value unit } managedProgrammes { nodes { id } } }
      irn: organisation(id: "aer-irn") { name acronym parentOrganisation { id } }
    }`);
    expect(data.organisation).toEqual({
      name: 'Assembly of European Regions',
      acronym: 'AER',
      foundedYear: 1985,
      keyFigures: [{ code: 'member-countries', value: '25', unit: 'countries' }],
      managedProgrammes: { nodes: [{ id: 'eu-belong' }] },
    });
    expect(data.irn).toEqual({ name: 'Intercultural Regions Network', acronym: 'IRN', parentOrganisation: { id: 'aer' } });
  });

  it('lists organisations by kind and by region (sub-regions included)', async () => {
    const { data } = await subgraph.query(`{
      organisations(kind: NETWORK) { nodes { id } }
      region(code: "ITH5") { organisations { nodes { id } } }
    }`);
    expect(data.organisations.nodes.map((o: any) => o.id)).toEqual(['aer', 'aer-irn', 'cemr', 'eurocities', 'talent-hub', 'uclg']);
    expect(data.region.organisations.nodes.map((o: any) => o.id)).toEqual(['art-er', 'emilia-romagna-region']);
    expect(errorCodes(await subgraph.query('{ organisation(id: "Not A Slug") { id } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('programmes', () => {
  it("answers Emilia-Romagna's programme to the cent", async () => {
    const { data, errors } = await subgraph.query(`{
      programme(id: "emilia-romagna-talents") {
        legalBasis legalActs { reference adoptedOn } period { start end }
        budget { amount currency } maxContribution { amount currency } cofinancingRate
        alignedStrategies managingOrganisation { id } regions { code }
        projects { region { code } period { start end } synthetic }
        services { name } indicators { code value unit asOf }
      }
    }`);
    expect(errors).toBeUndefined();
    const p = data.programme;
    expect(p.legalBasis).toBe('Regional Law No. 2/2023, implemented by Deliberation No. 1242 of 17 July 2023');
    expect(p.legalActs).toEqual([
      { reference: 'Regional Law No. 2/2023', adoptedOn: null },
      { reference: 'Deliberation No. 1242/2023', adoptedOn: '2023-07-17' },
    ]);
    expect(p.period).toEqual({ start: '2023-01-01', end: '2025-12-31' });
    expect(p.budget).toEqual({ amount: '2232176.90', currency: 'EUR' });
    expect(p.maxContribution).toEqual({ amount: '1785741.52', currency: 'EUR' });
    expect(p.cofinancingRate).toBe('0.80');
    expect(p.alignedStrategies).toEqual(['Regional Smart Specialisation Strategy (S3)']);
    expect(p.managingOrganisation).toEqual({ id: 'emilia-romagna-region' });
    expect(p.regions).toEqual([{ code: 'ITH5' }]);
    expect(p.projects).toHaveLength(10);
    expect(p.projects[0].region).toEqual({ code: 'ITH51' }); // Piacenza ...
    expect(p.projects.at(-1).region).toEqual({ code: 'ITH59' }); // ... to Rimini
    expect(p.projects.find((x: any) => x.region.code === 'ITH55').period).toEqual({ start: '2024-01-01', end: '2025-12-31' });
    expect(p.services.map((s: any) => s.name)).toContain('Housing and school support');
    expect(Object.fromEntries(p.indicators.map((i: any) => [i.code, i.value]))).toEqual({
      'organisations-reached': '574',
      'pilot-projects': '10',
      'service-types': '33',
      'services-delivered': '68',
      'talents-reached': '7063',
    });
    expect(p.indicators.every((i: any) => i.asOf === '2024-02-29')).toBe(true);
  });

  it('answers EU-Belong and the Talent Hub', async () => {
    const { data } = await subgraph.query(`{
      euBelong: programme(id: "eu-belong") { kind fundingSource managingOrganisation { id } initiatedBy { id } indicators { code value } }
      hub: programme(id: "talent-hub") { name objectives partners { id } }
    }`);
    expect(data.euBelong).toMatchObject({
      kind: 'PROJECT',
      fundingSource: 'Asylum, Migration and Integration Fund (AMIF)',
      managingOrganisation: { id: 'aer' },
      initiatedBy: { id: 'aer-irn' },
    });
    expect(data.euBelong.indicators).toEqual([
      { code: 'partner-countries', value: '7' },
      { code: 'regional-authority-partners', value: '10' },
      { code: 'technical-partners', value: '2' },
    ]);
    expect(data.hub.name).toBe('Talent Hub for Cities and Regions');
    expect(data.hub.objectives).toHaveLength(3);
    expect(data.hub.partners.map((p: any) => p.id)).toEqual(['cemr', 'eurocities', 'uclg']);
  });

  it('lists programmes overlapping a region: containing it or inside it', async () => {
    const q = (code: string) => subgraph.query(`{ programmes(regionCode: "${code}") { nodes { id } } region(code: "${code}") { programmes { nodes { id } } } }`);
    for (const code of ['IT', 'ITH5', 'ITH55']) {
      const { data } = await q(code);
      expect(data.programmes.nodes).toEqual([{ id: 'emilia-romagna-talents' }]);
      expect(data.region.programmes.nodes).toEqual([{ id: 'emilia-romagna-talents' }]);
    }
    expect((await q('ES51')).data.programmes.nodes).toEqual([]);
  });
});

describe('_entities', () => {
  it('resolves every entity of this subgraph by key, null for unknown keys', async () => {
    const { data, errors } = await subgraph.query(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Region { code name } ... on Organisation { id name } ... on Programme { id name } } }`,
      {
        r: [
          { __typename: 'Region', code: 'BE10' },
          { __typename: 'Organisation', id: 'aer' },
          { __typename: 'Programme', id: 'eu-belong' },
          { __typename: 'Region', code: 'XX1' },
          { __typename: 'Organisation', id: 'nobody' },
        ],
      },
    );
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([
      { code: 'BE10', name: 'Région de Bruxelles-Capitale/ Brussels Hoofdstedelijk Gewest' },
      { id: 'aer', name: 'Assembly of European Regions' },
      { id: 'eu-belong', name: 'EU-Belong' },
      null,
      null,
    ]);
  });

  it('batches references: 300 regions with parents and children cost the same statements as 3', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code parent { code } children { code } organisations { nodes { id } } } } }`;
    const { rows } = await import('kysely').then(({ sql }) => sql<{ code: string }>`select code from regions order by code limit 300`.execute(subgraph.database.db));
    const reps = (n: number) => rows.slice(0, n).map((r) => ({ __typename: 'Region', code: r.code }));
    const few = await subgraph.countStatements(query, { r: reps(3) });
    const many = await subgraph.countStatements(query, { r: reps(300) });
    expect(many.result.errors).toBeUndefined();
    expect(many.result.data._entities).toHaveLength(300);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBeLessThanOrEqual(4);
  });
});
