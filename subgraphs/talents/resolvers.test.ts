import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_TALENT_COUNT, syntheticTalentId } from '@talent-hub/subgraph-lib/synthetic';
import { errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { Identity } from '@talent-hub/platform/identity';
import { syntheticTalentOrganisation } from '@talent-hub/subgraph-lib/synthetic';
import type { TalentsDatabase } from './db/types.js';
import { loadOracle, type Filter } from './testing/oracle.js';
import { talentsSubgraph } from './server.js';

let subgraph: TestSubgraph<TalentsDatabase>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(talentsSubgraph);
});
afterAll(() => subgraph.stop());

const INTERCULTURAL = 'http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8';
const member = (organisationId: string): Identity => ({ subject: `test-${organisationId}`, organisationId, roles: ['viewer'] });

describe('Query.talent', () => {
  it('answers a synthetic talent with references to regions and organisations', async () => {
    const { data, errors } = await subgraph.query(`query ($id: ID!) { talent(id: $id) {
      id displayName category citizenship residenceRegion { code } organisation { id }
      skills { level skill { uri label } } languages { language level } joinedOn
      residenceHistory { region { code } from to } synthetic } }`, { id: syntheticTalentId(0) }, member(syntheticTalentOrganisation(0)));
    expect(errors).toBeUndefined();
    const t = data.talent;
    expect(t.id).toBe(syntheticTalentId(0));
    expect(t.synthetic).toBe(true);
    expect(t.residenceRegion.code).toMatch(/^[A-Z]{2}[A-Z0-9]{3}$/);
    expect(['cemr', 'eurocities', 'uclg']).toContain(t.organisation.id);
    expect(t.skills.length).toBeGreaterThanOrEqual(2);
    expect(t.skills.map((s: any) => s.skill.label)).toEqual([...t.skills.map((s: any) => s.skill.label)].sort());
    expect(t.languages[0].level).toBe('C2');
    const current = t.residenceHistory.at(-1);
    expect(current).toMatchObject({ region: t.residenceRegion, to: null });
  });

  it('returns null for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    expect((await subgraph.query('{ talent(id: "00000000-0000-4000-8000-000000000000") { id } }')).data).toEqual({ talent: null });
    const bad = await subgraph.query('{ talent(id: "someone@example.org") { id } }');
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.message).toContain('must be a UUID');
  });
});

describe('Query.talents', () => {
  it('pages through every published synthetic talent exactly once', async () => {
    const published = (await loadOracle(subgraph.database.db)).talents.filter((t) => t.public_profile).length;
    expect(published).toBeGreaterThan(SYNTHETIC_TALENT_COUNT / 2);
    expect(published).toBeLessThan(SYNTHETIC_TALENT_COUNT);
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    do {
      const { data, errors }: any = await subgraph.query('query ($after: String) { talents(first: 64, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }', { after });
      expect(errors).toBeUndefined();
      for (const n of data.talents.nodes) seen.add(n.id);
      after = data.talents.pageInfo.hasNextPage ? data.talents.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 20);
    expect(seen.size).toBe(published);
    expect(pages).toBe(Math.ceil(published / 64));
  });

  it('filters by region (sub-regions included), organisation and category', async () => {
    const { data } = await subgraph.query(`{
      er: talents(regionCode: "ITH5", first: 500) { nodes { residenceRegion { code } } }
      cemr: talents(organisationId: "cemr", first: 500) { nodes { organisation { id } } }
      students: talents(category: STUDENT, first: 500) { nodes { category } }
    }`, {}, member('cemr'));
    expect(data.er.nodes.length).toBeGreaterThan(50);
    expect(data.er.nodes.every((n: any) => n.residenceRegion.code.startsWith('ITH5'))).toBe(true);
    expect(data.cemr.nodes).toHaveLength(SYNTHETIC_TALENT_COUNT / 3);
    expect(data.students.nodes.every((n: any) => n.category === 'STUDENT')).toBe(true);
    expect(errorCodes(await subgraph.query('{ talents(regionCode: "Emilia") { nodes { id } } }'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await subgraph.query('{ talents(after: "abc") { nodes { id } } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Query.talents filters', () => {
  const LIST = `query ($filter: TalentFilter, $category: TalentCategory, $organisationId: ID, $regionCode: ID) {
    talents(filter: $filter, category: $category, organisationId: $organisationId, regionCode: $regionCode, first: 500) {
      nodes { id } totalCount } }`;

  it('each filter, alone and combined, lists exactly the matching talents in id order, and totalCount counts them', async () => {
    const oracle = await loadOracle(subgraph.database.db);
    const filters: Filter[] = [
      { regionCode: 'ITH5' },
      { regionCode: 'ES' },
      { skillUri: INTERCULTURAL },
      { skillUri: 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000' },
      { language: 'it' },
      { language: 'it', minLanguageLevel: 'B2' },
      { language: 'en', minLanguageLevel: 'C2' },
      { language: 'pt-BR' },
      { category: 'RETURNEE' },
      { citizenship: 'IT' },
      { organisationId: 'eurocities' },
      { joinedFrom: '2024-01-01' },
      { joinedTo: '2023-03-31' },
      { joinedFrom: '2023-05-10', joinedTo: '2023-05-10' },
      { regionCode: 'ITH5', category: 'STUDENT', language: 'en' },
      { skillUri: INTERCULTURAL, organisationId: 'cemr', joinedFrom: '2023-06-01' },
      { citizenship: 'NG', language: 'fr', minLanguageLevel: 'A2', regionCode: 'IT' },
    ];
    for (const filter of filters) {
      // Anonymous callers list published profiles; an organisation also its own and those consented to it.
      for (const viewer of [null, 'eurocities']) {
        const { data, errors } = await subgraph.query(LIST, { filter }, viewer === null ? null : member(viewer));
        const label = `${JSON.stringify(filter)} for ${viewer ?? 'anonymous'}`;
        expect(errors, label).toBeUndefined();
        const expected = oracle.talents.filter((t) => oracle.matches(t, filter) && oracle.visible(t, viewer)).map((t) => t.id).sort();
        expect(data.talents.nodes.map((n: any) => n.id), label).toEqual(expected);
        expect(data.talents.totalCount, label).toBe(expected.length);
      }
    }
    // The filters are not vacuous on the demo data: each keeps some talents and drops others.
    for (const filter of filters.filter((f) => !f.skillUri?.includes('00000000') && f.language !== 'pt-BR' && Object.keys(f).length === 1)) {
      const kept = oracle.talents.filter((t) => oracle.matches(t, filter)).length;
      expect(kept, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(kept, JSON.stringify(filter)).toBeLessThan(SYNTHETIC_TALENT_COUNT);
    }
  });

  it('keeps the shorthand arguments, which combine with the filter and must agree with it', async () => {
    const both = await subgraph.query(LIST, { category: 'STUDENT', filter: { regionCode: 'ITH5' } });
    const inFilter = await subgraph.query(LIST, { filter: { category: 'STUDENT', regionCode: 'ITH5' } });
    const shorthands = await subgraph.query(LIST, { category: 'STUDENT', regionCode: 'ITH5' });
    expect(both.data.talents.nodes.length).toBeGreaterThan(0);
    expect(both.data).toEqual(inFilter.data);
    expect(shorthands.data).toEqual(inFilter.data);
    expect((await subgraph.query(LIST, { organisationId: 'cemr', filter: { organisationId: 'cemr' } }, member('cemr'))).data.talents.totalCount).toBe(100);
    const clash = await subgraph.query(LIST, { category: 'STUDENT', filter: { category: 'RESEARCHER' } });
    expect(errorCodes(clash)).toEqual(['BAD_USER_INPUT']);
    expect(clash.errors![0]!.message).toBe('Argument "category" and "filter.category" disagree; give one of them.');
  });

  it('pages a filtered list with its cursor', async () => {
    const query = 'query ($after: String) { talents(filter: { language: "en" }, first: 7, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }';
    const all = (await subgraph.query(LIST, { filter: { language: 'en' } })).data.talents.nodes.map((n: any) => n.id);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const { data }: any = await subgraph.query(query, { after });
      paged.push(...data.talents.nodes.map((n: any) => n.id));
      after = data.talents.pageInfo.hasNextPage ? data.talents.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all);
  });

  it('refuses bad filter values with BAD_USER_INPUT saying what is wrong', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filter: { skillUri: 'intercultural competence' } }, /"filter.skillUri" has an unknown skill URI format: expected an ESCO skill URI/],
      [{ filter: { skillUri: 'http://data.europa.eu/esco/occupation/c10d5d87-36cf-42f5-8a12-e560fb5f4af8' } }, /unknown skill URI format/],
      [{ filter: { minLanguageLevel: 'B2' } }, /"filter.minLanguageLevel" needs "filter.language"/],
      [{ filter: { language: 'Italian' } }, /"filter.language" must be a BCP 47 language tag/],
      [{ filter: { citizenship: 'ITA' } }, /"filter.citizenship" must be an ISO 3166-1 alpha-2 code/],
      [{ filter: { organisationId: 'CEMR' } }, /"filter.organisationId" must be a lowercase slug/],
      [{ filter: { regionCode: 'Emilia' } }, /"filter.regionCode" must be a NUTS 2024 code/],
      [{ regionCode: 'Emilia' }, /Argument "regionCode" must be a NUTS 2024 code/],
      [{ filter: { joinedFrom: '2024-03-01', joinedTo: '2024-02-01' } }, /"filter.joinedFrom" must not be after "filter.joinedTo"/],
      [{ filter: { joinedFrom: '2023-02-29' } }, /"filter.joinedFrom".*Date must be a day that exists in the calendar/],
      [{ filter: { joinedTo: '2024-13-01' } }, /Date must be a string like "2024-10-09"/],
    ];
    for (const [variables, message] of cases) {
      const result = await subgraph.query(LIST, variables);
      expect(errorCodes(result), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message, JSON.stringify(variables)).toMatch(message);
    }
  });
});

describe('skills', () => {
  it('answers the 91 ESCO skills in label order and the talents having one', async () => {
    const { data } = await subgraph.query(`query ($uri: ID!) {
      skills(first: 100) { nodes { label } }
      skill(uri: $uri) { label skillType reuseLevel talents(first: 100) { nodes { skills { skill { uri } } } } }
    }`, { uri: INTERCULTURAL });
    expect(data.skills.nodes).toHaveLength(91);
    expect(data.skill).toMatchObject({ label: 'demonstrate intercultural competence', skillType: 'skill/competence', reuseLevel: 'transversal' });
    for (const t of data.skill.talents.nodes) expect(t.skills.map((s: any) => s.skill.uri)).toContain(INTERCULTURAL);
    expect(errorCodes(await subgraph.query('{ skill(uri: "intercultural") { label } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('_entities', () => {
  it('resolves Talent and Skill by key, and adds talents to Region and Organisation', async () => {
    const oracle = await loadOracle(subgraph.database.db);
    const publishedId = oracle.talents.find((t) => t.public_profile)!.id;
    const { data, errors } = await subgraph.query(`query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Talent { id } ... on Skill { label }
      ... on Region { code talents(first: 3) { nodes { residenceRegion { code } } pageInfo { hasNextPage } } }
      ... on Organisation { id talents(first: 2) { nodes { organisation { id } } } } } }`, {
      r: [
        { __typename: 'Talent', id: publishedId },
        { __typename: 'Talent', id: 'not-a-uuid' },
        { __typename: 'Skill', uri: INTERCULTURAL },
        { __typename: 'Region', code: 'ITH5' },
        { __typename: 'Organisation', id: 'uclg' },
      ],
    });
    expect(errors).toBeUndefined();
    const [talent, missing, skill, region, organisation] = data._entities;
    expect(talent).toEqual({ id: publishedId });
    expect(missing).toBeNull();
    expect(skill).toEqual({ label: 'demonstrate intercultural competence' });
    expect(region.talents.nodes).toHaveLength(3);
    expect(region.talents.pageInfo.hasNextPage).toBe(true);
    expect(region.talents.nodes.every((n: any) => n.residenceRegion.code.startsWith('ITH5'))).toBe(true);
    expect(organisation.talents.nodes).toEqual([{ organisation: { id: 'uclg' } }, { organisation: { id: 'uclg' } }]);
  });

  it('costs the same statements for 200 talents as for 2', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Talent { id skills { skill { label } } languages { level } residenceHistory { from } } } }`;
    const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Talent', id: syntheticTalentId(i) }));
    // As CEMR: its own profiles, those consented to it, and the published ones of the others are seen.
    const few = await subgraph.countStatements(query, { r: reps(2) }, member('cemr'));
    const many = await subgraph.countStatements(query, { r: reps(200) }, member('cemr'));
    expect(many.result.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).not.toBe(false);
    expect(many.result.data._entities.filter((t: unknown) => t !== null).length).toBeGreaterThan(100);
    expect(many.statements).toBe(few.statements);
    // talents, consents (who may see the private profiles and their residence histories), talent skills (with each
    // skill's fields), languages, residence periods
    expect(many.statements).toBe(5);
  });
});
