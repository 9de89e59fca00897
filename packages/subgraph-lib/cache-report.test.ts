import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheReportExtension, cacheReportHeader, cacheReportPlugin, maxReportedRefs, recordChanges } from './cache-report.js';

// The report plugin over a small subgraph: what mutations report changed whatever their answer, and what queries
// report their rows were derived from.
const typeDefs = parse(`#graphql
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    event(id: ID!): Event
    registrations: [Registration!]!
    many: [Registration!]!
  }
  type Mutation {
    renameEvent(id: ID!, title: String!): Event!
    register(eventId: ID!, talentId: ID!): Registration!
    forget(talentId: ID!): Boolean!
    consent(talentId: ID!, organisationId: ID!): Talent!
    failing(id: ID!): Event!
  }
  type Event @key(fields: "id") { id: ID! title: String! }
  type Talent @key(fields: "id") { id: ID! }
  type Registration { id: ID! status: String! event: Event! }
`);

const registration = (id: string, talent: string) => ({ id, status: 'REGISTERED', event_id: 'e1', talent_id: talent });

describe('cache report plugin', () => {
  let server: ApolloServer<object>;
  beforeAll(async () => {
    server = new ApolloServer<object>({
      schema: buildSubgraphSchema([
        {
          typeDefs,
          resolvers: {
            Query: {
              event: (_: unknown, { id }: { id: string }) => ({ id, title: 'T', organisation_id: 'cemr' }),
              registrations: () => [registration('r1', 't1'), registration('r2', 't2')],
              many: () => Array.from({ length: maxReportedRefs + 1 }, (_, i) => registration(`r${i}`, `t${i}`)),
            },
            Mutation: {
              renameEvent: (_: unknown, { id, title }: { id: string; title: string }) => ({ id, title }),
              register: (_: unknown, args: { eventId: string; talentId: string }) => ({ ...registration('r9', args.talentId), event_id: args.eventId }),
              forget: () => true,
              consent: (_: unknown, args: { talentId: string; organisationId: string }, context: object) => {
                recordChanges(context, { audiences: [args.organisationId] });
                return { id: args.talentId };
              },
              failing: () => {
                throw new GraphQLError('refused');
              },
            },
            Registration: { event: (row: { event_id: string }) => ({ id: row.event_id }) },
            // A field that is not the row's property of that name: the report reads the row, not the answer.
            Event: { title: (row: { title: string }) => row.title.toUpperCase() },
          } as never,
        },
      ]),
      plugins: [cacheReportPlugin()],
    });
    await server.start();
  });
  afterAll(() => server.stop());

  // As the gateway asks: over HTTP, with the header.
  const http = (ask: boolean) => ({ method: 'POST', headers: new HeaderMap(ask ? [[cacheReportHeader, '1']] : []), search: '', body: null });
  const run = async (query: string, ask = true) => {
    const response = await server.executeOperation({ query, http: http(ask) }, { contextValue: {} });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const result = response.body.singleResult;
    return { data: result.data, errors: result.errors, report: result.extensions?.[cacheReportExtension] as { changed?: string[]; dependsOn?: string[] } | undefined };
  };

  it('reports the entity a mutation returns, by key, though the answer leaves the key out', async () => {
    const { report } = await run('mutation { renamed: renameEvent(id: "e1", title: "x") { __typename } }');
    expect(report).toEqual({ changed: ['Event:e1'] });
  });

  it('reports a returned object that is not an entity by its type and the entities its row refers to', async () => {
    const { report } = await run('mutation { register(eventId: "e2", talentId: "t7") { status } }');
    expect(report?.changed?.sort()).toEqual(['Event:e2', 'Registration', 'Talent:t7']);
  });

  it('reports the entities a mutation names by its arguments when its value names none', async () => {
    const { report } = await run('mutation { forget(talentId: "t3") }');
    expect(report).toEqual({ changed: ['Talent:t3'] });
  });

  it('keeps the changes of a committed field when a later one fails and the answer is data: null', async () => {
    const { data, errors, report } = await run('mutation { consent(talentId: "t4", organisationId: "aer") { id } failing(id: "e1") { id } }');
    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(report?.changed?.sort()).toEqual(['@org:aer', 'Talent:t4']);
  });

  it('reports nothing for a field that failed (its write did not commit)', async () => {
    const { report } = await run('mutation { failing(id: "e1") { id } }');
    expect(report).toBeUndefined();
  });

  it('reports the entities the rows of a query refer to, and never a change', async () => {
    const { report } = await run('{ registrations { id } event(id: "e5") { id } }');
    expect(report?.changed).toBeUndefined();
    expect(report?.dependsOn?.sort()).toEqual(['Event:e1', 'Talent:t1', 'Talent:t2']);
  });

  it('reports types alone past the limit of refs', async () => {
    const { report } = await run('{ many { id } }');
    expect(report?.dependsOn?.sort()).toEqual(['Event', 'Talent']);
  });

  it('reports nothing to a caller that does not ask (peers, tests, tools)', async () => {
    expect((await run('mutation { forget(talentId: "t3") }', false)).report).toBeUndefined();
    expect((await run('{ registrations { id } }', false)).report).toBeUndefined();
  });

  it('ignores changes recorded outside a request it serves', () => {
    expect(() => recordChanges({}, { audiences: ['aer'] })).not.toThrow();
  });
});
