import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@talent-hub/platform/identity';
import { createContext, createSubgraphServer, prepareDatabase, subgraphSchema, type AnySubgraph } from '@talent-hub/subgraph-lib/subgraph';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { regionsSubgraph } from '@talent-hub/regions/server';
import { talentsSubgraph } from '@talent-hub/talents/server';
import { trainingsSubgraph } from '@talent-hub/trainings/server';

// The subgraphs' Cache-Control comes from cache-policy.ts (read from the answer) instead of Apollo Server's cache
// control plugin (hooked into every field). The gateway caches by that header, so it must be the header Apollo's
// plugin gives: each operation below is answered by both, over the same seeded data, and the headers compared.

const cemrViewer: Identity = { subject: 'viewer-of-cemr', organisationId: 'cemr', roles: ['viewer'] };

interface Pair {
  subgraph: AnySubgraph;
  database: Database<any>;
  ours: ApolloServer<any>;
  apollos: ApolloServer<any>;
}

const pairs = new Map<string, Pair>();

beforeAll(async () => {
  for (const subgraph of [talentsSubgraph, trainingsSubgraph, regionsSubgraph] as AnySubgraph[]) {
    const database = await prepareDatabase(subgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
    const ours = createSubgraphServer(subgraph);
    // Apollo Server's defaults: its cache control plugin is installed when none is given.
    const apollos = new ApolloServer<any>({ schema: subgraphSchema(subgraph), plugins: [ApolloServerPluginInlineTraceDisabled()] });
    await ours.start();
    await apollos.start();
    pairs.set(subgraph.name, { subgraph, database, ours, apollos });
  }
}, 120_000);

afterAll(async () => {
  for (const { ours, apollos, database } of pairs.values()) {
    await ours.stop();
    await apollos.stop();
    await database.close();
  }
});

async function both(name: string, query: string, variables: Record<string, unknown> = {}, as: Identity | null = cemrViewer) {
  const { subgraph, database, ours, apollos } = pairs.get(name)!;
  const answer = async (server: ApolloServer<any>) => {
    const response = await server.executeOperation({ query, variables }, { contextValue: createContext(subgraph, database.db, as) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { header: response.http.headers.get('cache-control'), body: JSON.stringify(response.body.singleResult) };
  };
  const [mine, theirs] = [await answer(ours), await answer(apollos)];
  expect(mine.body).toBe(theirs.body);
  return { ours: mine.header, apollos: theirs.header, body: JSON.parse(mine.body) as { data?: any; errors?: unknown[] } };
}

async function ids(name: string, query: string, pick: (data: any) => string[]): Promise<string[]> {
  const { body } = await both(name, query);
  return pick(body.data);
}

describe('Cache-Control of subgraph answers (cache-policy.ts) equals Apollo Server cache control plugin', () => {
  it('on the regions subgraph: lists, entities, inherited hints, unhinted fields, meta fields', async () => {
    const cases: [string, Record<string, unknown>?][] = [
      ['{ regions(first: 5) { nodes { code name parent { code name } } pageInfo { hasNextPage endCursor } } }'],
      ['{ region(code: "ITH5") { code name children { code } } }'],
      ['{ region(code: "NOPE") { code } }'],
      ['{ __typename }'],
      ['{ _service { sdl } }'],
      ['{ __schema { queryType { name } } }'],
      [
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code name } ... on Organisation { id name } } }',
        { r: [{ __typename: 'Region', code: 'ITH5' }, { __typename: 'Organisation', id: 'cemr' }, { __typename: 'Region', code: 'BE10' }] },
      ],
      ['query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code } } }', { r: [] }],
      ['query($skip: Boolean!) { region(code: "ITH5") { code parent @skip(if: $skip) { code } } }', { skip: true }],
      ['query($skip: Boolean!) { region(code: "ITH5") { code parent @skip(if: $skip) { code } } }', { skip: false }],
    ];
    for (const [query, variables] of cases) {
      const { ours, apollos } = await both('regions', query, variables);
      expect({ query, header: ours }).toEqual({ query, header: apollos });
    }
  });

  it('on the talents subgraph: private lists, anonymous callers, entities of several types', async () => {
    const talentIds = await ids('talents', '{ talents(first: 3) { nodes { id } } }', (data) => data.talents.nodes.map((n: { id: string }) => n.id));
    expect(talentIds.length).toBeGreaterThan(0);
    const cases: [string, Record<string, unknown>?, (Identity | null)?][] = [
      ['{ talents(first: 3) { nodes { id displayName residenceRegion { code } skills { level skill { uri } } } } }'],
      ['{ talents(first: 3) { nodes { id displayName } } }', {}, null],
      ['query($id: ID!) { talent(id: $id) { id displayName organisation { id } languages { code } } }', { id: talentIds[0] }],
      ['{ skills(first: 2) { nodes { uri label } } }'],
      [
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Talent { id displayName } ... on Region { code } } }',
        { r: [...talentIds.map((id) => ({ __typename: 'Talent', id })), { __typename: 'Region', code: 'ITH5' }] },
      ],
    ];
    for (const [query, variables, as] of cases) {
      const { ours, apollos } = await both('talents', query, variables, as === undefined ? cemrViewer : as);
      expect({ query, header: ours }).toEqual({ query, header: apollos });
    }
  });

  it('on the trainings subgraph: the flagship page of registrations with their events, and a cacheable answer', async () => {
    const talentIds = await ids('talents', '{ talents(first: 5) { nodes { id } } }', (data) => data.talents.nodes.map((n: { id: string }) => n.id));
    const cases: [string, Record<string, unknown>?][] = [
      ['{ events(first: 4) { nodes { id title startsAt region { code } organiser { id } } pageInfo { hasNextPage } } }'],
      [
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Talent { registrations(first: 10) { nodes { status event { id title startsAt region { code } organiser { id } } } } } } }',
        { r: talentIds.map((id) => ({ __typename: 'Talent', id, personalDataReadable: true })) },
      ],
      [
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Region { events(first: 2) { nodes { id } } } } }',
        { r: [{ __typename: 'Region', code: 'ITH5' }] },
      ],
    ];
    let cacheable = 0;
    for (const [query, variables] of cases) {
      const { ours, apollos } = await both('trainings', query, variables);
      expect({ query, header: ours }).toEqual({ query, header: apollos });
      if (ours !== 'no-store') cacheable += 1;
    }
    // Not all no-store: the comparison must cover hints that make an answer cacheable.
    expect(cacheable).toBeGreaterThan(0);
  });
});
