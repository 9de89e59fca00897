import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLField, GraphQLNamedType, GraphQLOutputType, GraphQLSchema } from 'graphql';

// What a subgraph tells the gateway's response cache (gateway/cache/) about each answer, in the answer's
// `extensions`, which only the gateway reads (it strips them before answering a client):
// - for a mutation, what its committed writes changed, whatever the answer looks like: the gateway drops every
//   cached answer that may hold it, even when the final answer is `data: null` or leaves the entity out;
// - for a query, the entities the answer's rows were derived from without holding them (a registration row names
//   its talent, unselected or not): the gateway tags the cached answer with them, so that erasing that talent, or a
//   change of its consents, drops it too, although another subgraph made the change.
//
// Refs are strings:
// - `Type:key`: one entity (its single key field's value);
// - `Type`: some object of that type, key unknown (lists of that type may have changed; or may hold it);
// - `@org:<organisationId>`: what that organisation's callers may read changed (a consent): every answer cached
//   privately for it is dropped.

/** The `extensions` field carrying the report. The gateway's gateway/cache/subgraph-reports.ts reads the same name. */
export const cacheReportExtension = 'talentHubCache';

/**
 * The request header by which the gateway asks for the report (gateway/subgraph-source.ts sends it). Other callers
 * (peers, tests, tools) get plain answers, and their requests cost nothing here.
 */
export const cacheReportHeader = 'x-talent-hub-cache-report';

/** Beyond this many refs of one kind an answer reports types instead of keys (sound, less precise). */
export const maxReportedRefs = 500;

export interface CacheReport {
  /** Mutations: what committed writes changed. */
  changed?: string[];
  /** Queries: entities the answer's rows were derived from. */
  dependsOn?: string[];
}

export interface Changes {
  /** Entities by type and key. */
  entities?: readonly { type: string; key: string }[];
  /** Types some unknown objects of which changed (appeared, disappeared, changed). */
  types?: readonly string[];
  /** Organisations whose callers' view changed (consent granted or withdrawn to them). */
  audiences?: readonly string[];
}

interface RequestState {
  mutation: boolean;
  changed: Set<string>;
  dependsOn: Set<string>;
  /** Parent objects already looked at for references (each is read once however many fields it has). */
  seen: WeakSet<object>;
}

const states = new WeakMap<object, RequestState>();

/**
 * Records changes that a mutation made beyond the entity it returns (call it after the commit): e.g. the
 * organisation a consent was granted to. Ignored outside a request served with `cacheReportPlugin`.
 */
export function recordChanges(context: object, changes: Changes): void {
  const state = states.get(context);
  if (!state) return;
  for (const { type, key } of changes.entities ?? []) state.changed.add(`${type}:${key}`);
  for (const type of changes.types ?? []) state.changed.add(type);
  for (const organisationId of changes.audiences ?? []) state.changed.add(`@org:${organisationId}`);
}

/** What the plugin reads of a subgraph's schema: its entity types and how a row refers to one. */
export interface SchemaFacts {
  /** Single key field of each entity type (`@key(fields: "id")`); entities with compound keys are left out. */
  keys: Map<string, string>;
  /** Row properties that hold a reference to an entity: `talent_id` and `talentId` to Talent, `region_code` to Region. */
  references: [property: string, type: string][];
}

export function schemaFacts(schema: GraphQLSchema): SchemaFacts {
  const keys = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || tagOf(type) !== 'GraphQLObjectType') continue;
    const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
    for (const node of nodes) {
      const key = node?.directives?.find((d) => d.name.value === 'key')?.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (key?.kind === 'StringValue' && /^\s*\w+\s*$/.test(key.value)) {
        keys.set(type.name, key.value.trim());
        break;
      }
    }
  }
  const references: [string, string][] = [];
  for (const [type, key] of keys) {
    const camel = type.charAt(0).toLowerCase() + type.slice(1);
    const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    references.push([`${snake}_${key}`, type], [`${camel}${key.charAt(0).toUpperCase()}${key.slice(1)}`, type]);
  }
  return { keys, references };
}

/**
 * The Apollo Server plugin of every subgraph (installed by createSubgraphServer): for a request asking for it
 * (`cacheReportHeader`), collects the report while the operation runs and puts it in the answer's `extensions`.
 *
 * Mutations, from each root field's resolved value (before the answer is shaped: an error elsewhere that nulls
 * the answer, an alias or an unselected key changes nothing):
 * - an entity: itself (`Type:key`);
 * - another object (a registration, an erasure receipt): its type, and the entities its properties refer to
 *   (`event_id`, `talentId`), whose derived fields (seats left, a talent's registrations) changed with it;
 * - nothing usable (a Boolean): the entities its `<entity>Id` arguments name, and `id` of an entity type returned;
 * plus whatever the resolver recorded with `recordChanges`. A field that failed reports nothing: its transaction
 * did not commit (a resolver that commits and then fails records its change first).
 *
 * Queries: each object the resolvers read (once each), by the entities its properties refer to. That costs one
 * look at a few properties per row; the answer's own entities the gateway finds in the answer itself.
 */
export function cacheReportPlugin(): ApolloServerPlugin<any> {
  let facts: SchemaFacts | undefined;
  let factsOf: GraphQLSchema | undefined;
  return {
    async requestDidStart({ contextValue, request }) {
      if (request.http?.headers.get(cacheReportHeader) !== '1') return;
      const state: RequestState = { mutation: false, changed: new Set(), dependsOn: new Set(), seen: new WeakSet() };
      if (contextValue && typeof contextValue === 'object') states.set(contextValue, state);
      return {
        async executionDidStart({ operation, schema }) {
          if (factsOf !== schema) {
            facts = schemaFacts(schema);
            factsOf = schema;
          }
          const known = facts!;
          state.mutation = operation.operation === 'mutation';
          const mutationType = schema.getMutationType();
          return {
            willResolveField({ source, args, info }) {
              if (state.mutation) {
                if (info.parentType !== mutationType || info.path.prev !== undefined) return;
                return (error, result) => {
                  if (error) return;
                  recordResult(known, state.changed, info.parentType.getFields()[info.fieldName]!, result, args);
                };
              }
              if (source && typeof source === 'object' && !state.seen.has(source)) {
                state.seen.add(source);
                recordReferences(known, state.dependsOn, source as Record<string, unknown>);
              }
              return undefined;
            },
          };
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const report: CacheReport = {};
          if (state.changed.size > 0) report.changed = bounded(state.changed);
          if (!state.mutation && state.dependsOn.size > 0) report.dependsOn = bounded(state.dependsOn);
          if (!report.changed && !report.dependsOn) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [cacheReportExtension]: report };
        },
      };
    },
  };
}

function recordResult(facts: SchemaFacts, into: Set<string>, field: GraphQLField<unknown, unknown>, result: unknown, args: Record<string, unknown>): void {
  const type = namedType(field.type);
  let recorded = false;
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object' || tagOf(type) !== 'GraphQLObjectType') return;
    const object = value as Record<string, unknown>;
    const key = facts.keys.get(type.name);
    if (key !== undefined) {
      const id = object[key];
      into.add(isKey(id) ? `${type.name}:${String(id)}` : type.name);
    } else {
      into.add(type.name);
      recordReferences(facts, into, object);
    }
    recorded = true;
  };
  visit(result);
  if (recorded) return;
  for (const [name, value] of Object.entries(args ?? {})) {
    if (!isKey(value)) continue;
    const referred = name === 'id' ? (facts.keys.has(type.name) ? type.name : undefined) : facts.references.find(([property]) => property === name)?.[1];
    if (referred) into.add(`${referred}:${String(value)}`);
  }
}

function recordReferences(facts: SchemaFacts, into: Set<string>, object: Record<string, unknown>): void {
  for (const [property, type] of facts.references) {
    const value = object[property];
    if (isKey(value)) into.add(`${type}:${String(value)}`);
  }
}

/** The refs, or past the limit each keyed ref by its type alone (which the gateway reads as "any of them"). */
function bounded(refs: Set<string>): string[] {
  if (refs.size <= maxReportedRefs) return [...refs];
  return [...new Set([...refs].map((ref) => (ref.startsWith('@') ? ref : ref.split(':', 1)[0]!)))];
}

const isKey = (value: unknown): value is string | number => (typeof value === 'string' && value !== '') || typeof value === 'number';

// Duck-typed, not graphql's predicates: the schema comes from graphql's CommonJS build (through @apollo/subgraph)
// while this file may load its ESM build, whose predicates refuse the other build's types.
function tagOf(type: unknown): string | undefined {
  return (type as { [Symbol.toStringTag]?: string } | null)?.[Symbol.toStringTag];
}

function namedType(type: GraphQLOutputType): GraphQLNamedType {
  let current: unknown = type;
  while (current && typeof current === 'object' && 'ofType' in current) current = (current as { ofType: unknown }).ofType;
  return current as GraphQLNamedType;
}
