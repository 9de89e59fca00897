import { createRequire } from 'node:module';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { enforceAuthDirectives, requireOwner, type AuthContext, type Policy } from './auth.js';
import type { Identity } from '@talent-hub/platform/identity';

// @apollo/subgraph builds its schema with graphql's CommonJS build; execute with the same build.
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

// A small subgraph with each directive, executed with graphql-js directly.
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])
  type Query {
    person: Person
    secret: String @authenticated
  }
  type Mutation {
    edit: String @authenticated @requiresScopes(scopes: [["editor"]])
    administer: String @requiresScopes(scopes: [["admin"], ["service"]])
  }
  type Person @key(fields: "id") {
    id: ID!
    name: String
    email: String @policy(policies: [["same_org"]])
  }
`);

const resolvers = {
  Query: { person: () => ({ id: 'p1', name: 'Public Name', email: 'private@example.org', org: 'cemr' }), secret: () => 'secret' },
  Mutation: { edit: () => 'edited', administer: () => 'administered' },
};

const sameOrg: Policy<AuthContext> = {
  description: "members of the person's organisation",
  allows: async (person: { org: string }, _args, context) => context.identity?.organisationId === person.org,
};

const schema = enforceAuthDirectives(buildSubgraphSchema([{ typeDefs, resolvers }]), { same_org: sameOrg });
const as = (organisationId: string, role: Identity['roles'][number]): Identity => ({ subject: 's', organisationId, roles: [role] });
const run = (source: string, identity: Identity | null) => graphql({ schema, source, contextValue: { identity } });

describe('auth directives', () => {
  it('nulls a policy field with FORBIDDEN at its path and keeps the rest', async () => {
    const result = await run('{ person { id name email } }', as('aer', 'admin'));
    expect(result.data).toEqual({ person: { id: 'p1', name: 'Public Name', email: null } });
    expect(result.errors?.map((e) => [e.extensions.code, e.path])).toEqual([['FORBIDDEN', ['person', 'email']]]);
    expect(result.errors?.[0]?.message).not.toContain('private@example.org');
  });

  it('lets a caller the policy allows read the field', async () => {
    const result = await run('{ person { email } }', as('cemr', 'viewer'));
    expect(result).toEqual({ data: { person: { email: 'private@example.org' } } });
  });

  it('refuses an anonymous caller @authenticated fields with UNAUTHENTICATED, and policy fields with FORBIDDEN', async () => {
    const result = await run('{ secret person { email } }', null);
    expect(result.errors?.map((e) => e.extensions.code).sort()).toEqual(['FORBIDDEN', 'UNAUTHENTICATED']);
  });

  it('checks scopes, with stronger roles including weaker ones', async () => {
    expect((await run('mutation { edit }', as('cemr', 'viewer'))).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await run('mutation { edit }', as('cemr', 'editor'))).data).toEqual({ edit: 'edited' });
    expect((await run('mutation { edit }', as('cemr', 'admin'))).data).toEqual({ edit: 'edited' });
    expect((await run('mutation { administer }', as('cemr', 'editor'))).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await run('mutation { administer }', { subject: 'x', organisationId: '', roles: ['service'] })).data).toEqual({ administer: 'administered' });
  });

  it('fails at start when the schema names a policy nobody registered', () => {
    expect(() => enforceAuthDirectives(buildSubgraphSchema([{ typeDefs, resolvers }]), {})).toThrow(/same_org/);
  });
});

describe('requireOwner', () => {
  it('lets editors and admins of the owner through, nobody else', () => {
    expect(requireOwner(as('cemr', 'editor'), 'cemr', 'edit')).toBeTruthy();
    expect(requireOwner(as('cemr', 'admin'), 'cemr', 'edit')).toBeTruthy();
    expect(() => requireOwner(as('cemr', 'viewer'), 'cemr', 'edit')).toThrow(/editor or admin/);
    expect(() => requireOwner(as('aer', 'admin'), 'cemr', 'edit')).toThrow(/owning organisation/);
    expect(() => requireOwner(null, 'cemr', 'edit')).toThrow(/signed in/);
  });
});
