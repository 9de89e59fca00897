import {
  defaultFieldResolver,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated } from '@talent-hub/platform/errors';
import { scopesOf, type Identity } from '@talent-hub/platform/identity';

// Authorisation where the data lives, driven by the Federation directives in each subgraph's schema:
// - `@authenticated`: the caller must have a verified identity (else UNAUTHENTICATED);
// - `@requiresScopes(scopes: [["editor"]])`: one of the groups of scopes must all be held (else FORBIDDEN);
//   scopes are the caller's roles with the weaker roles they include (see scopesOf);
// - `@policy(policies: [["personal_data"]])`: one of the groups of named policies must all pass (else FORBIDDEN);
//   each subgraph registers its named policies with its module.
// One wrapper around each annotated field's resolver enforces them, so the supergraph shows the intent and no
// resolver repeats a check. A failed check on a nullable field makes that field null with an error at its path;
// the rest of the answer is returned. Ownership of a record being written is checked by the mutation inside its
// transaction (requireOwner), where the owning row is read and locked.

/** What the checks need from a request's context. */
export interface AuthContext {
  identity: Identity | null;
}

/** A named rule for `@policy`: true lets the field resolve. It may use the context's loaders (batched). */
export interface Policy<Ctx extends AuthContext = AuthContext> {
  /** Says who passes, for the error message (no data in it). */
  description: string;
  allows(source: any, args: Record<string, unknown>, context: Ctx): boolean | Promise<boolean>;
}

/**
 * The caller, when it is an editor or admin of the organisation that owns a record; throws otherwise. `what`
 * names the action for the message, e.g. "update talent".
 */
export function requireOwner(identity: Identity | null, ownerOrganisationId: string, what: string): Identity {
  if (!identity) throw unauthenticated(`To ${what} you must be signed in.`);
  if (identity.organisationId !== ownerOrganisationId || !scopesOf(identity).has('editor')) {
    throw forbidden(`Only an editor or admin of the owning organisation may ${what}.`);
  }
  return identity;
}

interface FieldRule<Ctx extends AuthContext> {
  coordinate: string;
  authenticated: boolean;
  scopes?: string[][];
  policies?: Policy<Ctx>[][];
  policyNames?: string[][];
}

/**
 * Wraps the resolvers of every field (or every field of a type) carrying `@authenticated`, `@requiresScopes` or
 * `@policy`. Throws when the schema names a policy the subgraph did not register, so a typo fails at start.
 */
export function enforceAuthDirectives<Ctx extends AuthContext>(
  schema: GraphQLSchema,
  policies: Record<string, Policy<Ctx>> = {},
): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeDirectives = [type.astNode, ...(type.extensionASTNodes ?? [])].flatMap((node) => node?.directives ?? []);
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const rule = readRule<Ctx>(coordinate, [...typeDirectives, ...(field.astNode?.directives ?? [])], policies);
      if (rule) wrap(field as GraphQLField<unknown, Ctx>, rule);
    }
  }
  return schema;
}

function readRule<Ctx extends AuthContext>(
  coordinate: string,
  directives: readonly ConstDirectiveNode[],
  registered: Record<string, Policy<Ctx>>,
): FieldRule<Ctx> | undefined {
  let rule: FieldRule<Ctx> | undefined;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'authenticated' && name !== 'requiresScopes' && name !== 'policy') continue;
    rule ??= { coordinate, authenticated: false };
    if (name === 'authenticated') {
      rule.authenticated = true;
      continue;
    }
    const argument = directive.arguments?.[0];
    const groups = (argument ? valueFromASTUntyped(argument.value) : []) as string[][];
    if (name === 'requiresScopes') rule.scopes = [...(rule.scopes ?? []), ...groups];
    else {
      rule.policyNames = [...(rule.policyNames ?? []), ...groups];
      rule.policies = [
        ...(rule.policies ?? []),
        ...groups.map((group) =>
          group.map((policyName) => {
            const policy = registered[policyName];
            if (!policy) throw new Error(`${coordinate} names the policy "${policyName}", which this subgraph does not define`);
            return policy;
          }),
        ),
      ];
    }
  }
  return rule;
}

function wrap<Ctx extends AuthContext>(field: GraphQLField<unknown, Ctx>, rule: FieldRule<Ctx>): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  const needsIdentity = rule.authenticated || rule.scopes !== undefined;
  field.resolve = (source, args, context, info: GraphQLResolveInfo) => {
    if (needsIdentity) checkIdentity(rule, context.identity);
    if (!rule.policies) return resolve(source, args, context, info);
    return passesPolicies(rule.policies, source, args, context).then((passes) => {
      if (!passes) {
        const who = rule.policies!.map((group) => group.map((p) => p.description).join(' and ')).join(', or ');
        throw forbidden(`Not authorised to read ${rule.coordinate}: only ${who} may.`);
      }
      return resolve(source, args, context, info);
    });
  };
}

function checkIdentity<Ctx extends AuthContext>(rule: FieldRule<Ctx>, identity: Identity | null): void {
  if (!identity) throw unauthenticated(`${rule.coordinate} needs a signed-in caller (send a bearer token).`);
  if (!rule.scopes) return;
  const held = scopesOf(identity);
  if (!rule.scopes.some((group) => group.every((scope) => held.has(scope)))) {
    const needed = rule.scopes.map((group) => group.join(' and ')).join(', or ');
    throw forbidden(`${rule.coordinate} needs the role ${needed}.`);
  }
}

async function passesPolicies<Ctx extends AuthContext>(
  groups: Policy<Ctx>[][],
  source: unknown,
  args: Record<string, unknown>,
  context: Ctx,
): Promise<boolean> {
  for (const group of groups) {
    let all = true;
    for (const policy of group) {
      if (!(await policy.allows(source, args, context))) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

// Not graphql's isObjectType: the schema may come from graphql's CommonJS build (via @apollo/subgraph) while this
// file loads its ESM build, and isObjectType refuses types of the other build.
function isObjectType(type: unknown): type is GraphQLObjectType {
  return Object.prototype.toString.call(type) === '[object GraphQLObjectType]';
}
