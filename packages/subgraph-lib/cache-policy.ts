import type { ApolloServerPlugin } from '@apollo/server';
import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

// The Cache-Control header of a subgraph's answer, which the gateway reads to decide whether and for how long an
// answer may be cached (gateway/subgraph-source.ts, the response cache, the gateway's own header): the same header
// Apollo Server's cache control plugin gives, computed once from the answer instead of once per resolved field.
//
// Apollo's plugin hooks every field resolution (a policy object, a closure and a promise callback per field); on a
// page of 1,000 registrations with their events that was over a third of the subgraph's CPU. Its result only depends
// on which fields were resolved: each resolved field restricts the answer's policy by its hint (the field's
// @cacheControl, else its type's; a root field or an object field without one counts as maxAge 0 unless it
// inherits; `_entities` also by each representation's type, as @apollo/subgraph's resolver hints it). A field was
// resolved when its parent object is in the answer; an answer with errors is never cacheable (`no-store`), so
// fields lost to an error's null do not matter. The walk stops as soon as the answer is uncacheable.
// Differences from Apollo's plugin: dynamic hints set by resolvers (`info.cacheControl.setCacheHint`) are not seen,
// and none of this project's resolvers sets one (cache-policy.test.ts compares both on the subgraphs' operations).

type Scope = 'PUBLIC' | 'PRIVATE';
interface Hint {
  maxAge?: number;
  scope?: Scope;
  inheritMaxAge?: boolean;
}

class Policy {
  maxAge: number | undefined;
  scope: Scope | undefined;
  restrict(hint: Hint): void {
    if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) this.maxAge = hint.maxAge;
    if (hint.scope !== undefined && this.scope !== 'PRIVATE') this.scope = hint.scope;
  }
  replace(hint: Hint): void {
    if (hint.maxAge !== undefined) this.maxAge = hint.maxAge;
    if (hint.scope !== undefined) this.scope = hint.scope;
  }
}

/** The Cache-Control value of an answer with this policy and no errors (Apollo's). */
export function cacheControlHeader(policy: { maxAge: number | undefined; scope: Scope | undefined }): string {
  return policy.maxAge === undefined || policy.maxAge === 0 ? 'no-store' : `max-age=${policy.maxAge}, ${(policy.scope ?? 'PUBLIC').toLowerCase()}`;
}

export function cachePolicyPlugin(): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, schema, document, operation, request }) {
          // Apollo's rules for a header something else already set: a foreign one is left alone, `no-store` stays.
          const existing = response.http.headers.get('cache-control');
          if (existing !== undefined && existing !== 'no-store' && !/^max-age=\d+, (public|private)$/.test(existing)) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          if (existing === 'no-store' || !result || result.errors || !result.data || !operation || !document) {
            response.http.headers.set('cache-control', 'no-store');
            return;
          }
          const policy = answerPolicy(schema, document, operation, request.variables ?? {}, result.data);
          if (existing) {
            const [, maxAge, scope] = /^max-age=(\d+), (public|private)$/.exec(existing)!;
            policy.restrict({ maxAge: Number(maxAge), scope: scope === 'public' ? 'PUBLIC' : 'PRIVATE' });
          }
          response.http.headers.set('cache-control', cacheControlHeader(policy));
        },
      };
    },
  };
}

/** The policy of an answer: every field it holds restricts it, as Apollo's plugin would have when resolving it. */
export function answerPolicy(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  data: Record<string, unknown>,
): Policy {
  const policy = new Policy();
  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'query' ? schema.getQueryType() : undefined;
  if (!rootType) return policy;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  const shapes = new Map<readonly SelectionSetNode[], Map<string, Collected[]>>();

  // The fields the selection sets select on a runtime type, by response key, each once (@skip and @include read).
  const collect = (sets: readonly SelectionSetNode[], type: GraphQLObjectType): Collected[] => {
    let byType = shapes.get(sets);
    if (!byType) shapes.set(sets, (byType = new Map()));
    const known = byType.get(type.name);
    if (known) return known;
    const byKey = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    const visit = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (!included(selection.directives, variables)) continue;
        if (selection.kind === 'Field') {
          const key = selection.alias?.value ?? selection.name.value;
          const nodes = byKey.get(key);
          if (nodes) nodes.push(selection);
          else byKey.set(key, [selection]);
        } else if (selection.kind === 'InlineFragment') {
          if (applies(schema, selection.typeCondition?.name.value, type)) visit(selection.selectionSet);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || visited.has(fragment.name.value) || !applies(schema, fragment.typeCondition.name.value, type)) continue;
          visited.add(fragment.name.value);
          visit(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) visit(set);
    const collected: Collected[] = [];
    const fields = type.getFields();
    for (const [key, nodes] of byKey) {
      const name = nodes[0]!.name.value;
      // Meta fields (__typename) are not resolved through the schema's resolvers: Apollo's plugin never sees them.
      const field = name.startsWith('__') ? undefined : fields[name];
      if (!field) continue;
      const below = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      collected.push({ key, field, below: below.length > 0 ? below : undefined });
    }
    byType.set(type.name, collected);
    return collected;
  };

  const walkObject = (value: Record<string, unknown>, type: GraphQLObjectType, sets: readonly SelectionSetNode[], root: boolean) => {
    for (const { key, field, below } of collect(sets, type)) {
      if (policy.maxAge === 0) return;
      if (!(key in value)) continue;
      if (root && field.name === '_entities') {
        const representations = entityRepresentations(field, sets, key, variables);
        policy.restrict(fieldPolicy(field, true, representations.map((r) => typeAnnotation(typeNamed(schema, r)))));
        const items = value[key];
        if (below && Array.isArray(items)) {
          items.forEach((item, i) => {
            const itemType = typeNamed(schema, (item as { __typename?: unknown } | null)?.__typename ?? representations[i]);
            if (item && typeof item === 'object' && itemType && tagOf(itemType) === 'GraphQLObjectType') walkObject(item as Record<string, unknown>, itemType as GraphQLObjectType, below, false);
          });
        }
        continue;
      }
      policy.restrict(fieldPolicy(field, root));
      if (below) walkValue(value[key], namedType(field.type), below);
    }
  };

  const walkValue = (value: unknown, type: GraphQLNamedType, sets: readonly SelectionSetNode[]): void => {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (policy.maxAge === 0) return;
        walkValue(item, type, sets);
      }
      return;
    }
    const object = value as Record<string, unknown>;
    if (tagOf(type) === 'GraphQLObjectType') return walkObject(object, type as GraphQLObjectType, sets, false);
    // An abstract type: the object's own __typename, else every type it may be (never less restrictive).
    const named = typeof object.__typename === 'string' ? schema.getType(object.__typename) : undefined;
    const candidates = named && tagOf(named) === 'GraphQLObjectType' ? [named as GraphQLObjectType] : schema.getPossibleTypes(type as never);
    for (const candidate of candidates) walkObject(object, candidate, sets, false);
  };

  walkObject(data, rootType, [operation.selectionSet], true);
  return policy;
}

interface Collected {
  key: string;
  field: GraphQLField<unknown, unknown>;
  below: SelectionSetNode[] | undefined;
}

const typeAnnotations = new WeakMap<object, Hint>();
const fieldAnnotations = new WeakMap<object, Hint>();
const fieldPolicies = new WeakMap<object, [Policy | undefined, Policy | undefined]>();

/** What one resolution of the field restricts the answer's policy to (Apollo's willResolveField and its end). */
function fieldPolicy(field: GraphQLField<unknown, unknown>, root: boolean, dynamic?: readonly Hint[]): Policy {
  let memo = fieldPolicies.get(field);
  if (!dynamic && memo?.[root ? 1 : 0]) return memo[root ? 1 : 0]!;
  const policy = new Policy();
  let inherit = false;
  const target = namedType(field.type);
  const composite = isComposite(target);
  if (composite) {
    const hint = typeAnnotation(target);
    policy.replace(hint);
    inherit = Boolean(hint.inheritMaxAge);
  }
  const own = fieldAnnotation(field);
  if (own.inheritMaxAge && policy.maxAge === undefined) {
    inherit = true;
    if (own.scope) policy.replace({ scope: own.scope });
  } else {
    policy.replace(own);
  }
  for (const hint of dynamic ?? []) policy.restrict(hint);
  if (policy.maxAge === undefined && ((composite && !inherit) || root)) policy.restrict({ maxAge: 0 });
  if (!dynamic) {
    if (!memo) fieldPolicies.set(field, (memo = [undefined, undefined]));
    memo[root ? 1 : 0] = policy;
  }
  return policy;
}

function typeAnnotation(type: GraphQLNamedType | undefined): Hint {
  if (!type) return {};
  let hint = typeAnnotations.get(type);
  if (!hint) {
    hint = annotation(type.astNode?.directives) ?? type.extensionASTNodes?.map((node) => annotation(node.directives)).find(Boolean) ?? {};
    typeAnnotations.set(type, hint);
  }
  return hint;
}

function fieldAnnotation(field: GraphQLField<unknown, unknown>): Hint {
  let hint = fieldAnnotations.get(field);
  if (!hint) {
    hint = annotation(field.astNode?.directives) ?? {};
    fieldAnnotations.set(field, hint);
  }
  return hint;
}

/** A @cacheControl directive's hint, read as Apollo's plugin reads it. */
function annotation(directives: readonly DirectiveNode[] | undefined): Hint | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const argument = (name: string) => directive.arguments!.find((a) => a.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scopeName = scopeValue?.kind === 'EnumValue' ? scopeValue.value : undefined;
  const scope = scopeName === 'PUBLIC' || scopeName === 'PRIVATE' ? scopeName : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === 'BooleanValue' && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = argument('maxAge');
  return { maxAge: maxAge?.kind === 'IntValue' ? parseInt(maxAge.value, 10) : undefined, scope };
}

/** The __typename of each representation an `_entities` field was given (literal or variable), in order. */
function entityRepresentations(
  field: GraphQLField<unknown, unknown>,
  sets: readonly SelectionSetNode[],
  key: string,
  variables: Readonly<Record<string, unknown>>,
): unknown[] {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind !== 'Field' || (selection.alias?.value ?? selection.name.value) !== key || selection.name.value !== field.name) continue;
      const value = selection.arguments?.find((a) => a.name.value === 'representations')?.value;
      if (value?.kind === 'Variable') {
        const given = variables[value.name.value];
        return Array.isArray(given) ? given.map((r) => (r as { __typename?: unknown } | null)?.__typename) : [];
      }
      if (value?.kind === 'ListValue') {
        return value.values.map((item) => {
          const typename = item.kind === 'ObjectValue' ? item.fields.find((f) => f.name.value === '__typename')?.value : undefined;
          return typename?.kind === 'StringValue' ? typename.value : undefined;
        });
      }
    }
  }
  return [];
}

function included(directives: readonly DirectiveNode[] | undefined, variables: Readonly<Record<string, unknown>>): boolean {
  if (!directives || directives.length === 0) return true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const value = directive.arguments?.find((a) => a.name.value === 'if')?.value;
    const condition = value?.kind === 'BooleanValue' ? value.value : value?.kind === 'Variable' ? variables[value.name.value] === true : false;
    if (name === 'skip' ? condition : !condition) return false;
  }
  return true;
}

function applies(schema: GraphQLSchema, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return conditionType !== undefined && conditionType !== null && tagOf(conditionType) !== 'GraphQLObjectType' && schema.isSubType(conditionType as never, type);
}

function typeNamed(schema: GraphQLSchema, name: unknown): GraphQLNamedType | undefined {
  return typeof name === 'string' ? (schema.getType(name) ?? undefined) : undefined;
}

// Duck-typed, not graphql's predicates: the schema comes from graphql's CommonJS build (through @apollo/subgraph)
// while this file may load its ESM build, whose predicates refuse the other build's types.
function tagOf(type: unknown): string | undefined {
  return (type as { [Symbol.toStringTag]?: string } | null)?.[Symbol.toStringTag];
}

const isComposite = (type: GraphQLNamedType) => {
  const tag = tagOf(type);
  return tag === 'GraphQLObjectType' || tag === 'GraphQLInterfaceType' || tag === 'GraphQLUnionType';
};

function namedType(type: unknown): GraphQLNamedType {
  let current = type;
  while (current && typeof current === 'object' && 'ofType' in current) current = (current as { ofType: unknown }).ofType;
  return current as GraphQLNamedType;
}
