import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { createPeers } from '@talent-hub/subgraph-lib/peers';
import { listenSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import type { OrganisationMembershipTable, OrganisationTable, RegionsDatabase } from './db/types.js';
import { regionsSubgraph } from './server.js';

// Networks and their members: Organisation.memberOf, Organisation.members and Query.organisations(memberOf:).
// Besides the demo seed, organisations made for paging and batching, none of them linked to a seed organisation:
// three networks, 150 organisations in them, and one organisation that belongs to 120 networks.

let subgraph: TestSubgraph<RegionsDatabase>;

const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);
const testOrg = (i: number) => `test-org-${String(i).padStart(3, '0')}`;
const TEST_ORGS = Array.from({ length: 150 }, (_, i) => testOrg(i + 1));

const organisation = (id: string, kind: OrganisationTable['kind']): OrganisationTable => ({
  id, name: `Test organisation ${id}`, acronym: null, kind, description: null, website: null, founded_year: null,
  region_code: null, parent_id: null,
});
const membership = (network_id: string, member_id: string): OrganisationMembershipTable => ({ network_id, member_id, joined_on: null });

beforeAll(async () => {
  subgraph = await startTestSubgraph(regionsSubgraph);
  const db = subgraph.database.db;
  await db.insertInto('organisations').values([
    ...['test-network-1', 'test-network-2', 'test-network-3'].map((id) => organisation(id, 'NETWORK')),
    ...TEST_ORGS.map((id) => organisation(id, 'NGO')),
    organisation('test-joiner', 'NGO'),
  ]).execute();
  await db.insertInto('organisation_memberships').values([
    ...[...TEST_ORGS, 'test-network-2', 'test-network-3'].map((id) => membership('test-network-1', id)),
    ...TEST_ORGS.filter((_, i) => (i + 1) % 2 === 0).map((id) => membership('test-network-2', id)),
    ...TEST_ORGS.filter((_, i) => (i + 1) % 3 === 0).map((id) => membership('test-network-3', id)),
    ...TEST_ORGS.slice(0, 120).map((id) => membership(id, 'test-joiner')),
  ]).execute();
});
afterAll(() => subgraph.stop());

describe('the demo networks', () => {
  it('AER has the regional authorities and its Intercultural Regions Network as members', async () => {
    const { data, errors } = await subgraph.query(`{
      aer: organisation(id: "aer") { memberOf { id } members { totalCount nodes { id } pageInfo { hasNextPage } } }
      irn: organisation(id: "aer-irn") { parentOrganisation { id } memberOf { id name } members { totalCount nodes { id kind } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data.aer).toEqual({
      memberOf: [],
      members: {
        totalCount: 4,
        nodes: [{ id: 'aer-irn' }, { id: 'catalonia-social-rights' }, { id: 'donegal-county-council' }, { id: 'emilia-romagna-region' }],
        pageInfo: { hasNextPage: false },
      },
    });
    expect(data.irn).toEqual({
      parentOrganisation: { id: 'aer' },
      memberOf: [{ id: 'aer', name: 'Assembly of European Regions' }],
      members: {
        totalCount: 3,
        nodes: [
          { id: 'catalonia-social-rights', kind: 'MINISTRY' },
          { id: 'donegal-county-council', kind: 'LOCAL_AUTHORITY' },
          { id: 'emilia-romagna-region', kind: 'REGIONAL_AUTHORITY' },
        ],
      },
    });
  });

  it('the regional authorities belong to AER and IRN, and have no members', async () => {
    const { data } = await subgraph.query(`{
      organisations(first: 500) { nodes { id memberOf { id } members { totalCount nodes { id } } } }
    }`);
    const byId = new Map<string, any>(data.organisations.nodes.map((o: any) => [o.id, o]));
    for (const id of ['emilia-romagna-region', 'catalonia-social-rights', 'donegal-county-council']) {
      expect(byId.get(id)).toEqual({ id, memberOf: [{ id: 'aer' }, { id: 'aer-irn' }], members: { totalCount: 0, nodes: [] } });
    }
    expect(byId.get('art-er').memberOf).toEqual([]);
  });

  it('the Talent Hub for Cities and Regions is a network of its three founders, apart from its programme', async () => {
    const { data, errors } = await subgraph.query(`{
      hub: organisation(id: "talent-hub") { id name acronym kind description memberOf { id } members { totalCount nodes { id name } } }
      founders: organisations(memberOf: "talent-hub") { totalCount nodes { id memberOf { id } } }
      programme(id: "talent-hub") { name kind objectives partners { id } }
    }`);
    expect(errors).toBeUndefined();
    expect(data.hub).toMatchObject({ id: 'talent-hub', name: 'Talent Hub for Cities and Regions', acronym: null, kind: 'NETWORK', memberOf: [] });
    expect(data.hub.description).toMatch(/CEMR, Eurocities and UCLG World Secretariat/);
    expect(data.hub.members).toEqual({
      totalCount: 3,
      nodes: [
        { id: 'cemr', name: 'Council of European Municipalities and Regions' },
        { id: 'eurocities', name: 'Eurocities' },
        { id: 'uclg', name: 'United Cities and Local Governments World Secretariat' },
      ],
    });
    expect(data.founders).toEqual({
      totalCount: 3,
      nodes: ['cemr', 'eurocities', 'uclg'].map((id) => ({ id, memberOf: [{ id: 'talent-hub' }] })),
    });
    expect(data.programme).toEqual({
      name: 'Talent Hub for Cities and Regions',
      kind: 'INITIATIVE',
      objectives: [
        'Attract new talent and nurture the next generation of leaders in territorial diplomacy.',
        'Develop a pool of talents and knowledge through joint trainings, exchanges and tailored mentoring.',
        'Retain talent across the three organisations.',
      ],
      partners: [{ id: 'cemr' }, { id: 'eurocities' }, { id: 'uclg' }],
    });
  });
});

describe('Query.organisations(memberOf:)', () => {
  it('lists the direct members of a network, combined with kind, counted, paged; empty for an unknown id', async () => {
    const { data, errors } = await subgraph.query(`{
      all: organisations(memberOf: "aer") { totalCount nodes { id } }
      networks: organisations(memberOf: "aer", kind: NETWORK) { totalCount nodes { id } }
      page: organisations(memberOf: "aer", first: 3) { nodes { id } pageInfo { hasNextPage endCursor } }
      nobody: organisations(memberOf: "nobody") { totalCount nodes { id } }
      aer: organisation(id: "aer") { members { nodes { id } } }
    }`);
    expect(errors).toBeUndefined();
    expect(data.all).toEqual({ totalCount: 4, nodes: data.aer.members.nodes });
    expect(data.networks).toEqual({ totalCount: 1, nodes: [{ id: 'aer-irn' }] });
    expect(ids(data.page.nodes)).toEqual(['aer-irn', 'catalonia-social-rights', 'donegal-county-council']);
    const rest = await subgraph.query('query ($after: String) { organisations(memberOf: "aer", first: 3, after: $after) { nodes { id } pageInfo { hasNextPage } } }', {
      after: data.page.pageInfo.endCursor,
    });
    expect(rest.data.organisations).toEqual({ nodes: [{ id: 'emilia-romagna-region' }], pageInfo: { hasNextPage: false } });
    expect(data.nobody).toEqual({ totalCount: 0, nodes: [] });
  });

  it('refuses a malformed network id, naming the argument', async () => {
    const bad = await subgraph.query('{ organisations(memberOf: "Not A Slug") { nodes { id } } }');
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.argumentName).toBe('memberOf');
  });
});

describe('Organisation.members', () => {
  const MEMBERS = 'query ($id: ID!, $first: Int, $after: String) { organisation(id: $id) { members(first: $first, after: $after) { totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }';
  const members = async (variables: Record<string, unknown>) => {
    const result = await subgraph.query(MEMBERS, variables);
    expect(result.errors).toBeUndefined();
    return result.data.organisation.members;
  };

  it('pages through 152 members in id order with opaque cursors, no repeats, and counts them all', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const connection: any = await members({ id: 'test-network-1', first: 40, after });
      expect(connection.totalCount).toBe(152);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(connection.nodes).toEqual(connection.edges.map((e: any) => e.node));
      expect(connection.pageInfo.startCursor).toBe(connection.edges[0].cursor);
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
      expect(connection.pageInfo.endCursor).not.toContain('test-');
      seen.push(...ids(connection.nodes));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([...TEST_ORGS, 'test-network-2', 'test-network-3'].sort());
  });

  it('gives 20 members when `first` is absent, at most 100, and none with first: 0 (totalCount still counts)', async () => {
    expect((await members({ id: 'test-network-1' })).nodes).toHaveLength(20);
    const most = await members({ id: 'test-network-1', first: 100 });
    expect(most.nodes).toHaveLength(100);
    expect(most.pageInfo.hasNextPage).toBe(true);
    const none = await members({ id: 'test-network-1', first: 0 });
    expect(none).toMatchObject({ totalCount: 152, nodes: [], edges: [], pageInfo: { startCursor: null, endCursor: null } });
    expect(await members({ id: 'test-org-150' })).toMatchObject({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false } });
  });

  it('pages a small network: two by two', async () => {
    const first = await members({ id: 'aer', first: 2 });
    expect(ids(first.nodes)).toEqual(['aer-irn', 'catalonia-social-rights']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await members({ id: 'aer', first: 2, after: first.pageInfo.endCursor });
    expect(ids(second.nodes)).toEqual(['donegal-county-council', 'emilia-romagna-region']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const past = await members({ id: 'aer', first: 2, after: second.pageInfo.endCursor });
    expect(past).toMatchObject({ nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, endCursor: null } });
  });

  it('refuses a bad `first` or `after` with BAD_USER_INPUT naming the argument', async () => {
    const refusal = async (variables: Record<string, unknown>) => {
      const result = await subgraph.query(MEMBERS, { id: 'aer', ...variables });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.data?.organisation ?? null).toBeNull();
      return { message: result.errors![0]!.message, argument: result.errors![0]!.extensions!.argumentName };
    };
    expect(await refusal({ first: 101 })).toEqual({ message: 'Argument "first" must be an integer from 0 to 100; got 101.', argument: 'first' });
    expect(await refusal({ first: -1 })).toEqual({ message: 'Argument "first" must be an integer from 0 to 100; got -1.', argument: 'first' });
    const notACursor = 'Argument "after" is not a cursor of this list (Organisation.members); pass an endCursor it returned.';
    expect(await refusal({ after: 'not a cursor!' })).toEqual({ message: notACursor, argument: 'after' });
    const { data } = await subgraph.query('{ organisations(first: 1) { pageInfo { endCursor } } region(code: "ITH5") { organisations(first: 1) { pageInfo { endCursor } } } }');
    expect(await refusal({ after: data.organisations.pageInfo.endCursor })).toEqual({ message: notACursor, argument: 'after' });
    expect(await refusal({ after: data.region.organisations.pageInfo.endCursor })).toEqual({ message: notACursor, argument: 'after' });
  });

  it('counts only when totalCount is asked for', async () => {
    const query = (count: boolean) => `{ organisation(id: "aer") { members(first: 2) { nodes { id } ${count ? 'totalCount' : ''} } } }`;
    const without = await subgraph.countStatements(query(false));
    const withCount = await subgraph.countStatements(query(true));
    expect(withCount.result.data.organisation.members.totalCount).toBe(4);
    expect(withCount.statements).toBe(without.statements + 1);
  });
});

describe('Organisation.memberOf', () => {
  it('lists the networks in id order, at most 100', async () => {
    const { data, errors } = await subgraph.query(`{
      joiner: organisation(id: "test-joiner") { memberOf { id } }
      six: organisation(id: "test-org-006") { memberOf { id } }
      network: organisation(id: "test-network-3") { memberOf { id } }
    }`);
    expect(errors).toBeUndefined();
    expect(ids(data.joiner.memberOf)).toEqual(TEST_ORGS.slice(0, 100));
    expect(ids(data.six.memberOf)).toEqual(['test-network-1', 'test-network-2', 'test-network-3']);
    expect(ids(data.network.memberOf)).toEqual(['test-network-1']);
  });
});

describe('batching', () => {
  // Each list is one statement per level of the query, whatever the number of organisations on that level.
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
    id memberOf { id memberOf { id } } members(first: 5) { totalCount nodes { id memberOf { id } } pageInfo { hasNextPage } } } } }`;
  const ROOT = `query ($first: Int) { organisations(first: $first) { nodes {
    id memberOf { id memberOf { id } } members(first: 5) { totalCount nodes { id memberOf { id } } } } } }`;

  it('resolves the networks and members of 3 or 158 organisations by reference with the same statements', async () => {
    const reps = (list: string[]) => list.map((id) => ({ __typename: 'Organisation', id }));
    const few = await subgraph.countStatements(ENTITIES, { r: reps(['aer', 'test-network-1', 'test-org-006']) });
    const manyIds = ['aer', 'aer-irn', 'talent-hub', 'cemr', 'test-network-1', 'test-network-2', 'test-network-3', 'test-joiner', ...TEST_ORGS];
    const many = await subgraph.countStatements(ENTITIES, { r: reps(manyIds) });
    expect(few.result.errors).toBeUndefined();
    expect(many.result.errors).toBeUndefined();
    expect(many.result.data._entities).toHaveLength(158);
    const network1 = many.result.data._entities.find((o: any) => o.id === 'test-network-1');
    expect(network1.members).toMatchObject({ totalCount: 152, pageInfo: { hasNextPage: true } });
    expect(ids(network1.members.nodes)).toEqual(['test-network-2', 'test-network-3', ...TEST_ORGS.slice(0, 3)]);
    expect(many.statements).toBe(few.statements);
    // The organisations; their networks; their members' pages; the counts; the networks of the organisations on the
    // next level (of both lists at once).
    expect(many.statements).toBeLessThanOrEqual(5);
  });

  it('answers a page of 2 or 160 organisations from the root list with the same statements', async () => {
    const few = await subgraph.countStatements(ROOT, { first: 2 });
    const many = await subgraph.countStatements(ROOT, { first: 160 });
    expect(many.result.errors).toBeUndefined();
    expect(many.result.data.organisations.nodes).toHaveLength(160);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBeLessThanOrEqual(5);
  });
});

describe('a call from the talents subgraph (networkRetention)', () => {
  it('answers the network and its direct members over HTTP, as a peer with a service token', async () => {
    const running = await listenSubgraph(regionsSubgraph, subgraph.database.db, {
      host: '127.0.0.1',
      port: 0,
      internalTokenSecret: developmentInternalSecret,
    });
    try {
      const peers = createPeers({ self: 'talents', internalTokenSecret: developmentInternalSecret, subgraphUrls: { regions: running.url } });
      const query = 'query ($id: ID!) { organisation(id: $id) { id kind members(first: 100) { nodes { id } } } }';
      expect(await peers.call('regions', query, { id: 'talent-hub' })).toEqual({
        data: { organisation: { id: 'talent-hub', kind: 'NETWORK', members: { nodes: [{ id: 'cemr' }, { id: 'eurocities' }, { id: 'uclg' }] } } },
      });
      const aer = await peers.call('regions', query, { id: 'aer' });
      expect(ids((aer.data!.organisation as any).members.nodes)).toEqual(['aer-irn', 'catalonia-social-rights', 'donegal-county-council', 'emilia-romagna-region']);
      expect(await peers.call('regions', query, { id: 'nobody' })).toEqual({ data: { organisation: null } });
      // The form subgraphs/talents/networks.ts sends: the page size as a variable, and whether more members follow.
      const withPageInfo = 'query ($id: ID!, $first: Int) { organisation(id: $id) { id kind members(first: $first) { nodes { id } pageInfo { hasNextPage } } } }';
      const big = await peers.call('regions', withPageInfo, { id: 'test-network-1', first: 100 });
      expect((big.data!.organisation as any).members.nodes).toHaveLength(100);
      expect((big.data!.organisation as any).members.pageInfo).toEqual({ hasNextPage: true });
      const noMembers = await peers.call('regions', withPageInfo, { id: 'cemr', first: 100 });
      expect(noMembers.data!.organisation).toEqual({ id: 'cemr', kind: 'NETWORK', members: { nodes: [], pageInfo: { hasNextPage: false } } });
    } finally {
      await running.stop();
    }
  });
});
