import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cachePolicyPlugin } from './cache-policy.js';

// cache-policy.ts against Apollo Server's cache control plugin on a schema that uses every rule: root scalars
// without a hint, inherited hints on fields and types, interfaces and unions (with and without __typename),
// nulls and empty lists (whose fields are never resolved), @skip, fragments, entities of several types.
// test/cache-policy.test.ts does the same on the real subgraphs.

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    version: String
    hinted: String @cacheControl(maxAge: 90)
    shelf: Shelf @cacheControl(maxAge: 120)
    things: [Thing!]! @cacheControl(maxAge: 50)
    items: [Item!]! @cacheControl(maxAge: 40)
    nothing: Shelf @cacheControl(maxAge: 70)
    empty: [Book!]! @cacheControl(maxAge: 80)
  }
  type Shelf @cacheControl(inheritMaxAge: true) {
    books: [Book!]!
    label: String @cacheControl(maxAge: 20, scope: PRIVATE)
    loose: Loose
    inherited: Book @cacheControl(inheritMaxAge: true)
  }
  type Book @key(fields: "id") @cacheControl(maxAge: 30) { id: ID! title: String author: Author }
  type Author @key(fields: "id") { id: ID! name: String }
  type Loose { note: String }
  interface Thing { id: ID! }
  type Lamp implements Thing @cacheControl(maxAge: 15) { id: ID! watts: Int }
  type Chair implements Thing @cacheControl(maxAge: 25, scope: PRIVATE) { id: ID! legs: Int }
  union Item = Lamp | Chair
`);
const books = [{ id: 'b1', title: 'One', author: { id: 'a1', name: 'Ann' } }, { id: 'b2', title: 'Two', author: null }];
const things = [{ __typename: 'Lamp', id: 'l1', watts: 40 }, { __typename: 'Chair', id: 'c1', legs: 4 }];
const resolvers = {
  Query: {
    version: () => '1',
    hinted: () => 'h',
    shelf: () => ({ books, label: 'L', loose: { note: 'n' }, inherited: books[0] }),
    things: () => things,
    items: () => things,
    nothing: () => null,
    empty: () => [],
  },
  Thing: { __resolveType: (t: { __typename: string }) => t.__typename },
  Item: { __resolveType: (t: { __typename: string }) => t.__typename },
  Book: { __resolveReference: (r: { id: string }) => books.find((b) => b.id === r.id) ?? null },
  Author: { __resolveReference: (r: { id: string }) => ({ id: r.id, name: 'Ann' }) },
};

const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);
const apollos = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
const ours = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), cachePolicyPlugin()] });

const operations: [string, Record<string, unknown>?][] = [
  ['{ version }'],
  ['{ hinted }'],
  ['{ shelf { label } }'],
  ['{ shelf { books { id title } } }'],
  ['{ shelf { books { id author { name } } } }'],
  ['{ shelf { loose { note } } }'],
  ['{ shelf { inherited { title } } }'],
  ['{ nothing { books { id } loose { note } } }'],
  ['{ empty { author { name } } }'],
  ['{ things { id } }'],
  ['{ things { __typename id ... on Chair { legs } } }'],
  ['{ things { id ... on Lamp { watts } } }'],
  ['{ items { ... on Lamp { watts } } }'],
  ['{ items { __typename ... on Chair { legs } } }'],
  ['query($s: Boolean!) { hinted version @skip(if: $s) }', { s: true }],
  ['query($s: Boolean!) { hinted version @skip(if: $s) }', { s: false }],
  ['query($i: Boolean!) { shelf { label @include(if: $i) books { id } } }', { i: false }],
  ['{ ...F } fragment F on Query { shelf { ...S } } fragment S on Shelf { label books { title } }'],
  ['query($r: [_Any!]!) { _entities(representations: $r) { ... on Book { title } ... on Author { name } } }', { r: [{ __typename: 'Book', id: 'b1' }] }],
  ['query($r: [_Any!]!) { _entities(representations: $r) { ... on Book { title } ... on Author { name } } }', { r: [{ __typename: 'Author', id: 'a1' }] }],
  ['query($r: [_Any!]!) { _entities(representations: $r) { ... on Book { title author { name } } } }', { r: [{ __typename: 'Book', id: 'b1' }, { __typename: 'Book', id: 'zz' }] }],
  ['{ _entities(representations: [{ __typename: "Book", id: "b2" }]) { ... on Book { title } } }'],
  ['{ _service { sdl } }'],
  ['{ __typename }'],
  ['{ hinted broken: shelf { label } }'],
];

async function header(server: ApolloServer, query: string, variables?: Record<string, unknown>) {
  const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) });
  return response.http.headers.get('cache-control');
}

describe('cachePolicyPlugin', () => {
  it('gives the Cache-Control that Apollo Server cache control plugin gives, for every rule', async () => {
    await Promise.all([apollos.start(), ours.start()]);
    const seen = new Set<string>();
    for (const [query, variables] of operations) {
      const theirs = await header(apollos, query, variables);
      expect({ query, header: await header(ours, query, variables) }).toEqual({ query, header: theirs });
      seen.add(theirs ?? 'none');
    }
    // The cases reach every kind of answer: uncacheable, public and private, several ages.
    expect(seen.size).toBeGreaterThanOrEqual(5);
    expect([...seen].some((h) => h.endsWith('private'))).toBe(true);
    await Promise.all([apollos.stop(), ours.stop()]);
  });
});
