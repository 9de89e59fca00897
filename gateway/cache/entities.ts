import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { graphql } from './graphql.js';

const { getNamedType, getNullableType, isAbstractType, isCompositeType, isListType, isObjectType, Kind, parse, TypeInfo, visit, visitWithTypeInfo } = graphql;

// What the response cache reads from the supergraph, and what it finds in an answer: which entities it holds (to
// tag a cached answer, and to know what a mutation changed) and whether an operation selects fields that only
// some callers may read.

/** Directives that make a field's value depend on who asks (the Federation auth directives). */
const authDirectives = new Set(['authenticated', 'requiresScopes', 'policy']);

export interface SupergraphFacts {
  /** Key fields of each entity type, from the `@join__type(key:)` of its owner (flat keys only). */
  entityKeys: Map<string, readonly string[]>;
  /** `Type.field` of every field carrying an auth directive. */
  guardedFields: Set<string>;
  /** Types carrying an auth directive: every field returning one is guarded. */
  guardedTypes: Set<string>;
  /**
   * Types whose lists a write can change: the entity types and the types mutations return (a registration). A
   * cached list of one, or a place where an entity may appear, is tagged so that a write to that type drops it.
   */
  listedTypes: Set<string>;
}

/** Reads entity keys and auth directives from a composed supergraph's SDL (or a subgraph's). */
export function supergraphFacts(supergraphSdl: string | undefined): SupergraphFacts {
  const facts: SupergraphFacts = { entityKeys: new Map(), guardedFields: new Set(), guardedTypes: new Set(), listedTypes: new Set() };
  if (!supergraphSdl) return facts;
  const document = parse(supergraphSdl, { noLocation: true });
  for (const definition of document.definitions) {
    if ((definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) && definition.name.value === 'Mutation') {
      for (const field of definition.fields ?? []) {
        let type = field.type;
        while (type.kind !== Kind.NAMED_TYPE) type = type.type;
        facts.listedTypes.add(type.name.value);
      }
    }
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.SCALAR_TYPE_DEFINITION &&
      definition.kind !== Kind.ENUM_TYPE_DEFINITION
    ) {
      continue;
    }
    const typeName = definition.name.value;
    for (const directive of definition.directives ?? []) {
      const name = directive.name.value;
      if (authDirectives.has(name)) facts.guardedTypes.add(typeName);
      // `@join__type(key:)` in a supergraph; `@key(fields:)` in a subgraph's own schema.
      const argument = name === 'join__type' ? 'key' : name === 'key' ? 'fields' : undefined;
      if (!argument || facts.entityKeys.has(typeName)) continue;
      const key = directive.arguments?.find((a) => a.name.value === argument)?.value;
      // A nested key (`id owner { id }`) is not read: such an entity is tagged by its type alone.
      if (key?.kind === Kind.STRING && !/[{}]/.test(key.value)) {
        const fields = key.value.trim().split(/[\s,]+/).filter(Boolean);
        if (fields.length > 0) facts.entityKeys.set(typeName, fields);
      }
    }
    if (facts.entityKeys.has(typeName)) facts.listedTypes.add(typeName);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        if (field.directives?.some((d) => authDirectives.has(d.name.value))) facts.guardedFields.add(`${typeName}.${field.name.value}`);
      }
    }
  }
  return facts;
}

/**
 * True when the document selects a guarded field, or a field whose type is guarded. Fragments that the operation
 * does not use count too, which can only make an answer private that need not be.
 */
export function selectsGuardedField(schema: GraphQLSchema, document: DocumentNode, facts: SupergraphFacts): boolean {
  if (facts.guardedFields.size === 0 && facts.guardedTypes.size === 0) return false;
  const typeInfo = new TypeInfo(schema);
  let guarded = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        if (facts.guardedFields.has(`${parent.name}.${field.name}`) || facts.guardedTypes.has(getNamedType(field.type).name)) {
          guarded = true;
        }
      },
    }),
  );
  return guarded;
}

/** The entities found in an answer. */
export interface EntityRefs {
  /** `Type:key` of each entity whose key the answer holds. */
  keyed: Set<string>;
  /** Entity types present at a place where the answer does not hold the key (e.g. `{ programme { name } }`). */
  unkeyed: Set<string>;
  /** Every entity type present. */
  types: Set<string>;
  /**
   * Listed types (see SupergraphFacts) that a write could add to the answer: those of each list it holds (a
   * connection counts, its nodes selected or not) and of each entity field it holds as null.
   */
  lists: Set<string>;
}

/**
 * Walks an answer along the operation that produced it and collects its entities: an object of an entity type
 * whose key fields were selected is known by its key, others only by their type. Values are read by response
 * name (aliases followed), fragments by their type conditions; a field left out by @skip or @include is absent
 * from the data and skipped. With `idFields` (for mutation answers), an ID field named `<entity>Id` also names
 * that entity (`talentId` a Talent).
 */
export function entitiesIn(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: unknown,
  facts: SupergraphFacts,
  options: { idFields?: boolean } = {},
): EntityRefs {
  const refs: EntityRefs = { keyed: new Set(), unkeyed: new Set(), types: new Set(), lists: new Set() };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return refs;

  const applies = (condition: string | undefined, type: GraphQLCompositeType): boolean => {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return isAbstractType(conditionType) && isObjectType(type) && schema.isSubType(conditionType, type);
  };

  const collect = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, into: Map<string, FieldNode[]>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const responseName = selection.alias?.value ?? selection.name.value;
        const list = into.get(responseName);
        if (list) list.push(selection);
        else into.set(responseName, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type)) collect(selection.selectionSet, type, into);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type)) collect(fragment.selectionSet, type, into);
      }
    }
  };

  const record = (type: GraphQLObjectType, value: Record<string, unknown>, fields: Map<string, FieldNode[]>) => {
    const keyFields = facts.entityKeys.get(type.name);
    if (!keyFields) return;
    refs.types.add(type.name);
    const parts: string[] = [];
    for (const keyField of keyFields) {
      let found: unknown;
      for (const [responseName, nodes] of fields) {
        if (nodes[0]!.name.value === keyField && (nodes[0]!.arguments?.length ?? 0) === 0) {
          found = value[responseName];
          break;
        }
      }
      if (typeof found !== 'string' && typeof found !== 'number') {
        refs.unkeyed.add(type.name);
        return;
      }
      parts.push(String(found));
    }
    refs.keyed.add(`${type.name}:${parts.join(',')}`);
  };

  // `talentId: ID` names a Talent by its key: how a mutation's answer can name an entity it no longer returns
  // (an erasure answers with the id of what is gone).
  const recordIdField = (fieldName: string, value: unknown) => {
    const match = /^(.+)Id$/.exec(fieldName);
    if (!match || (typeof value !== 'string' && typeof value !== 'number')) return;
    const typeName = match[1]!.charAt(0).toUpperCase() + match[1]!.slice(1);
    if (facts.entityKeys.get(typeName)?.length !== 1) return;
    refs.types.add(typeName);
    refs.keyed.add(`${typeName}:${String(value)}`);
  };

  const walk = (selectionSets: readonly SelectionSetNode[], type: GraphQLCompositeType, value: unknown): void => {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(selectionSets, type, item);
      return;
    }
    const object = value as Record<string, unknown>;
    let concrete: GraphQLObjectType | undefined;
    if (isObjectType(type)) concrete = type;
    else {
      const named = typeof object.__typename === 'string' ? schema.getType(object.__typename) : undefined;
      if (isObjectType(named)) concrete = named;
    }
    const fields = new Map<string, FieldNode[]>();
    for (const selectionSet of selectionSets) collect(selectionSet, concrete ?? type, fields);
    if (concrete) record(concrete, object, fields);
    else {
      // An abstract position without __typename: any of its entity types may be here, by type only.
      for (const possible of schema.getPossibleTypes(type as Exclude<GraphQLCompositeType, GraphQLObjectType>)) {
        if (facts.entityKeys.has(possible.name)) {
          refs.types.add(possible.name);
          refs.unkeyed.add(possible.name);
        }
      }
    }
    const parent = concrete ?? type;
    if (!('getFields' in parent)) return;
    const definitions = parent.getFields();
    for (const [responseName, nodes] of fields) {
      const definition = definitions[nodes[0]!.name.value];
      if (!definition) continue;
      const fieldType = getNamedType(definition.type);
      if (!isCompositeType(fieldType)) {
        if (options.idFields && fieldType.name === 'ID') recordIdField(definition.name, object[responseName]);
        continue;
      }
      for (const listed of listsAt(schema, facts, definition.type, object[responseName])) refs.lists.add(listed);
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      walk(subSelections, fieldType, object[responseName]);
    }
  };

  walk([operation.selectionSet], root, data);
  return refs;
}

/** Tags of a cached answer: each entity by key, each entity type as present by key or not, each type listed. */
export function entryTags(refs: EntityRefs): string[] {
  return [
    ...[...refs.keyed].map((k) => `e:${k}`),
    ...[...refs.unkeyed].map((t) => `u:${t}`),
    ...[...refs.types].map((t) => `t:${t}`),
    ...[...refs.lists].map((t) => `l:${t}`),
  ];
}

// Per schema and field type: the listed types a value of that type may hold as a list.
const listedCache = new WeakMap<GraphQLSchema, Map<string, readonly string[]>>();

/**
 * The listed types a field's value stands for as a place a write may add to: a list of them; a connection-like
 * object (not an entity) holding such a list, one level down or through its edges; an entity field that is null.
 */
function listsAt(schema: GraphQLSchema, facts: SupergraphFacts, type: GraphQLOutputType, value: unknown): readonly string[] {
  const nullable = getNullableType(type);
  const named = getNamedType(type);
  if (!isCompositeType(named)) return [];
  if (isListType(nullable)) return listedOf(schema, facts, named);
  if (value === null) return listedOf(schema, facts, named).filter((t) => facts.entityKeys.has(t));
  if (!isObjectType(named) || facts.entityKeys.has(named.name)) return [];
  let byType = listedCache.get(schema);
  if (!byType) listedCache.set(schema, (byType = new Map()));
  let found = byType.get(named.name);
  if (!found) {
    const collected = new Set<string>();
    for (const field of Object.values(named.getFields())) {
      const inner = getNamedType(field.type);
      if (!isListType(getNullableType(field.type)) || !isCompositeType(inner)) continue;
      for (const t of listedOf(schema, facts, inner)) collected.add(t);
      // Relay edges: a list of objects each holding one `node`.
      const node = isObjectType(inner) && !facts.entityKeys.has(inner.name) ? inner.getFields()['node'] : undefined;
      const nodeType = node && getNamedType(node.type);
      if (nodeType && isCompositeType(nodeType)) for (const t of listedOf(schema, facts, nodeType)) collected.add(t);
    }
    byType.set(named.name, (found = [...collected]));
  }
  return found;
}

function listedOf(schema: GraphQLSchema, facts: SupergraphFacts, type: GraphQLCompositeType): string[] {
  if (!isAbstractType(type)) return facts.listedTypes.has(type.name) ? [type.name] : [];
  return schema.getPossibleTypes(type).filter((t) => facts.listedTypes.has(t.name)).map((t) => t.name);
}

/**
 * Tags to drop after a mutation answered with these entities: an entity known by its key drops the answers that
 * hold it by key and those that hold an entity of its type without a key (which may be it); an entity returned
 * without its key drops every answer holding its type.
 */
export function invalidationTags(refs: EntityRefs): string[] {
  const tags = new Set<string>();
  for (const key of refs.keyed) {
    tags.add(`e:${key}`);
    tags.add(`u:${key.slice(0, key.indexOf(':'))}`);
  }
  for (const type of refs.unkeyed) tags.add(`t:${type}`);
  return [...tags];
}
