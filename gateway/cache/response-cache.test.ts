import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Identity } from '@talent-hub/platform/identity';
import type { GatewayContext } from '../context.js';
import { MemoryStore } from './keyvalue.js';
import { responseCachePlugin, stableJson } from './response-cache.js';
import { cacheReportExtension, noteUnanswered, takeReport } from './subgraph-reports.js';

// The plugin over a plain Apollo Server: its cache control plugin computes the overall policy from the hints of
// this schema as the gateway's does from the subgraphs' headers, and `@key` names the entities.
const typeDefs = `#graphql
  directive @key(fields: String!) repeatable on OBJECT
  directive @authenticated on FIELD_DEFINITION
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Query {
    programme(id: ID!): Programme
    programmes: [Programme!]! @cacheControl(maxAge: 60)
    me: Me @cacheControl(maxAge: 60, scope: PRIVATE)
    secret: String @cacheControl(maxAge: 60) @authenticated
    failing: Programme
    uncacheable: String
    programmeOrNull(id: ID!): Programme @cacheControl(maxAge: 60)
    page: ProgrammePage! @cacheControl(maxAge: 60)
    derived: Derived @cacheControl(maxAge: 60)
  }
  type ProgrammePage @cacheControl(maxAge: 60) {
    total: Int!
    nodes: [Programme!]!
  }
  type Derived @cacheControl(maxAge: 60) {
    count: Int!
  }
  type Mutation {
    setIndicator(id: ID!, value: Int!): Programme!
    touch(id: ID!): Boolean!
    forget(id: ID!): Forgotten!
    reported(changed: [String!]!, fail: Boolean): Programme!
    lost: Programme!
  }
  type Forgotten {
    programmeId: ID!
  }
  type Programme @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    name: String!
    indicator: Int!
  }
  type Me @cacheControl(maxAge: 60, scope: PRIVATE) {
    organisation: String!
  }
`;

const caller = (organisationId: string, subject = `user-of-${organisationId}`): Identity => ({ subject, organisationId, roles: ['editor'] });

describe('response cache plugin', () => {
  let server: ApolloServer<GatewayContext>;
  let calls: Record<string, number>;
  let lookups: boolean[];
  const indicators: Record<string, number> = {};

  beforeEach(async () => {
    calls = {};
    lookups = [];
    Object.assign(indicators, { a: 1, b: 2 });
    const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
    const programme = (id: string) => ({ id, name: `Programme ${id}`, indicator: indicators[id] });
    server = new ApolloServer<GatewayContext>({
      typeDefs,
      resolvers: {
        Query: {
          programme: (_: unknown, { id }: { id: string }) => (count('programme'), programme(id)),
          programmes: () => (count('programmes'), ['a', 'b'].map(programme)),
          me: (_: unknown, __: unknown, context: GatewayContext) => (count('me'), { organisation: context.identity?.organisationId ?? 'nobody' }),
          secret: (_: unknown, __: unknown, context: GatewayContext) => (count('secret'), `secret of ${context.identity?.organisationId}`),
          failing: () => {
            count('failing');
            throw new GraphQLError('boom');
          },
          uncacheable: () => (count('uncacheable'), 'x'),
          programmeOrNull: (_: unknown, { id }: { id: string }) => (id in indicators ? programme(id) : null),
          page: () => ({ total: Object.keys(indicators).length, nodes: Object.keys(indicators).map(programme) }),
          // As a subgraph reports the entities an answer was derived from without holding them.
          derived: (_: unknown, __: unknown, context: GatewayContext) => {
            takeReport(context, { extensions: { [cacheReportExtension]: { dependsOn: ['Programme:a'] } } });
            return { count: indicators.a };
          },
        },
        Mutation: {
          setIndicator: (_: unknown, { id, value }: { id: string; value: number }) => {
            count('setIndicator');
            indicators[id] = value;
            return programme(id);
          },
          touch: () => true,
          forget: (_: unknown, { id }: { id: string }) => ({ programmeId: id }),
          // As the gateway gathers a subgraph's report of a mutation's writes, then maybe an answer made null.
          reported: (_: unknown, { changed, fail }: { changed: string[]; fail?: boolean }, context: GatewayContext) => {
            for (const ref of changed) if (/^Programme:/.test(ref)) indicators[ref.slice('Programme:'.length)] = 100;
            takeReport(context, { extensions: { [cacheReportExtension]: { changed } } });
            if (fail) throw new GraphQLError('later failure');
            return programme(changed[0]!.split(':')[1] ?? 'a');
          },
          lost: (_: unknown, __: unknown, context: GatewayContext) => {
            noteUnanswered(context);
            throw new GraphQLError('no answer');
          },
        },
      },
      plugins: [
        responseCachePlugin({
          store: new MemoryStore(1024 * 1024),
          maxTtlSeconds: 300,
          onLookup: (hit) => lookups.push(hit),
          logger: { debug() {}, info() {}, warn() {}, error() {} },
        }),
      ],
    });
    await server.start();
  });
  afterEach(() => server.stop());

  const run = async (query: string, identity: Identity | null = null, variables?: Record<string, unknown>) => {
    const response = await server.executeOperation<any>({ query, variables }, { contextValue: { identity, requestId: 'test' } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { result: response.body.singleResult, headers: response.http.headers };
  };

  it('answers a repeated public query from the cache, with its age and cache-control', async () => {
    const first = await run('{ programme(id: "a") { id name indicator } }');
    const second = await run('{ programme(id: "a") { id name indicator } }', caller('cemr'));
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.result.data).toEqual(first.result.data);
    expect(second.headers.get('cache-control')).toBe('max-age=60, public');
    expect(second.headers.get('age')).toBe('0');
    expect(calls.programme).toBe(1);
    expect(lookups).toEqual([false, true]);
  });

  it('keys by variables and operation name', async () => {
    const query = 'query P($id: ID!) { programme(id: $id) { name } } query Q { programmes { name } }';
    await run(query.replace(' query Q { programmes { name } }', ''), null, { id: 'a' });
    const other = await run(query.replace(' query Q { programmes { name } }', ''), null, { id: 'b' });
    expect(other.headers.get('x-cache')).toBe('MISS');
    expect(other.result.data).toEqual({ programme: { name: 'Programme b' } });
  });

  it('does not cache answers with errors, uncacheable answers or mutations', async () => {
    for (let i = 0; i < 2; i++) {
      const failing = await run('{ failing { id } programmes { id } }');
      expect(failing.result.errors).toBeDefined();
      expect(failing.headers.get('x-cache')).toBe('MISS');
      expect((await run('{ uncacheable }')).headers.get('x-cache')).toBe('MISS');
      const mutation = await run('mutation { setIndicator(id: "b", value: 5) { id indicator } }', caller('cemr'));
      expect(mutation.headers.get('x-cache')).toBe('BYPASS');
    }
    expect(calls).toMatchObject({ failing: 2, uncacheable: 2, setIndicator: 2 });
  });

  it('keeps private answers per caller; anonymous callers never get one', async () => {
    const cemr = await run('{ me { organisation } }', caller('cemr'));
    const aer = await run('{ me { organisation } }', caller('aer'));
    const sameOrgOtherUser = await run('{ me { organisation } }', caller('cemr', 'someone-else'));
    const anonymous = await run('{ me { organisation } }');
    const cemrAgain = await run('{ me { organisation } }', caller('cemr'));
    expect([cemr, aer, sameOrgOtherUser, anonymous, cemrAgain].map((r) => r.headers.get('x-cache'))).toEqual(['MISS', 'MISS', 'MISS', 'MISS', 'HIT']);
    expect(aer.result.data).toEqual({ me: { organisation: 'aer' } });
    expect(anonymous.result.data).toEqual({ me: { organisation: 'nobody' } });
    expect(cemrAgain.result.data).toEqual({ me: { organisation: 'cemr' } });
    expect(cemrAgain.headers.get('cache-control')).toBe('max-age=60, private');
  });

  it('keeps answers selecting an @authenticated field private, whatever the hints', async () => {
    await run('{ secret }', caller('cemr'));
    const anonymous = await run('{ secret }');
    const aer = await run('{ secret }', caller('aer'));
    expect(anonymous.headers.get('x-cache')).toBe('MISS');
    expect(aer.result.data).toEqual({ secret: 'secret of aer' });
    expect(calls.secret).toBe(3);
  });

  it('drops the answers holding an entity a mutation returned, by key, and those holding its type without a key', async () => {
    const byKeyA = '{ programme(id: "a") { id indicator } }';
    const byKeyB = '{ programme(id: "b") { id indicator } }';
    const withoutKey = '{ programmes { name indicator } }';
    for (const query of [byKeyA, byKeyB, withoutKey]) await run(query);
    for (const query of [byKeyA, byKeyB, withoutKey]) expect((await run(query)).headers.get('x-cache')).toBe('HIT');

    await run('mutation { setIndicator(id: "a", value: 42) { id } }', caller('cemr'));

    const a = await run(byKeyA);
    expect(a.headers.get('x-cache')).toBe('MISS');
    expect(a.result.data).toEqual({ programme: { id: 'a', indicator: 42 } });
    expect((await run(byKeyB)).headers.get('x-cache')).toBe('HIT');
    const list = await run(withoutKey);
    expect(list.headers.get('x-cache')).toBe('MISS');
    expect(list.result.data?.programmes[0].indicator).toBe(42);
  });

  it('drops every answer holding the type when the mutation returns the entity without its key', async () => {
    await run('{ programme(id: "b") { id indicator } }');
    await run('mutation { setIndicator(id: "a", value: 7) { name } }', caller('cemr'));
    expect((await run('{ programme(id: "b") { id indicator } }')).headers.get('x-cache')).toBe('MISS');
  });

  it('takes an ID field named after an entity in a mutation answer for that entity', async () => {
    await run('{ programme(id: "a") { id indicator } }');
    await run('{ programme(id: "b") { id indicator } }');
    await run('mutation { forget(id: "a") { programmeId } }', caller('cemr'));
    expect((await run('{ programme(id: "a") { id indicator } }')).headers.get('x-cache')).toBe('MISS');
    expect((await run('{ programme(id: "b") { id indicator } }')).headers.get('x-cache')).toBe('HIT');
  });

  it('follows aliases and fragments to the key', async () => {
    const query = '{ p: programme(id: "a") { ...F } } fragment F on Programme { key: id indicator }';
    await run(query);
    await run('mutation { setIndicator(id: "b", value: 3) { id } }', caller('cemr'));
    expect((await run(query)).headers.get('x-cache')).toBe('HIT');
    await run('mutation { setIndicator(id: "a", value: 3) { id } }', caller('cemr'));
    expect((await run(query)).headers.get('x-cache')).toBe('MISS');
  });

  it('drops what the subgraphs report changed though the answer is data: null, and nothing else', async () => {
    await run('{ programme(id: "a") { id indicator } }');
    await run('{ programme(id: "b") { id indicator } }');
    const answer = await run('mutation { reported(changed: ["Programme:a"], fail: true) { id } }', caller('cemr'));
    expect(answer.result.data).toBeNull();
    const a = await run('{ programme(id: "a") { id indicator } }');
    expect(a.headers.get('x-cache')).toBe('MISS');
    expect(a.result.data).toEqual({ programme: { id: 'a', indicator: 100 } });
    expect((await run('{ programme(id: "b") { id indicator } }')).headers.get('x-cache')).toBe('HIT');
  });

  it('drops cached lists, counts and unknowns of a type an entity of which changed', async () => {
    const queries = ['{ programmes { id } }', '{ page { total } }', '{ programmeOrNull(id: "c") { id } }'];
    for (const query of queries) await run(query);
    for (const query of queries) expect((await run(query)).headers.get('x-cache')).toBe('HIT');
    const single = '{ programme(id: "b") { id indicator } }';
    await run(single);
    indicators.c = 5;
    await run('mutation { reported(changed: ["Programme:c"]) { __typename } }', caller('cemr'));
    for (const query of queries) expect((await run(query)).headers.get('x-cache'), query).toBe('MISS');
    expect((await run('{ programmeOrNull(id: "c") { id } }')).result.data).toEqual({ programmeOrNull: { id: 'c' } });
    expect((await run(single)).headers.get('x-cache')).toBe('HIT');
  });

  it('drops answers derived from an entity they do not hold', async () => {
    await run('{ derived { count } }');
    expect((await run('{ derived { count } }')).headers.get('x-cache')).toBe('HIT');
    await run('mutation { reported(changed: ["Programme:b"]) { id } }', caller('cemr'));
    expect((await run('{ derived { count } }')).headers.get('x-cache')).toBe('HIT');
    await run('mutation { reported(changed: ["Programme:a"]) { id } }', caller('cemr'));
    expect((await run('{ derived { count } }')).headers.get('x-cache')).toBe('MISS');
  });

  it("drops the answers kept for an organisation's callers when what they may read changed", async () => {
    await run('{ me { organisation } }', caller('aer'));
    await run('{ me { organisation } }', caller('cemr'));
    await run('mutation { reported(changed: ["@org:aer"]) { id } }', caller('cemr'));
    expect((await run('{ me { organisation } }', caller('aer'))).headers.get('x-cache')).toBe('MISS');
    expect((await run('{ me { organisation } }', caller('cemr'))).headers.get('x-cache')).toBe('HIT');
  });

  it('drops every answer holding the type a mutation returns when its fetch got no answer', async () => {
    await run('{ programme(id: "b") { id indicator } }');
    await run('{ me { organisation } }', caller('cemr'));
    const answer = await run('mutation { lost { id } }', caller('cemr'));
    expect(answer.result.data).toBeNull();
    expect((await run('{ programme(id: "b") { id indicator } }')).headers.get('x-cache')).toBe('MISS');
    expect((await run('{ me { organisation } }', caller('cemr'))).headers.get('x-cache')).toBe('HIT');
  });

  it('does not store, within the hold time, an answer holding an entity just invalidated', async () => {
    await run('mutation { setIndicator(id: "a", value: 9) { id } }', caller('cemr'));
    await run('{ programme(id: "a") { id indicator } }');
    expect((await run('{ programme(id: "a") { id indicator } }')).headers.get('x-cache')).toBe('MISS');
  });
});

describe('stableJson', () => {
  it('orders object keys at every depth', () => {
    expect(stableJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(stableJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: '1' }));
  });
});
