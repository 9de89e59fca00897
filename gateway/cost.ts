import {
  Kind,
  parse,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

// Demand control: the cost of an operation, read from the `@cost` and `@listSize` directives the subgraphs declare
// (Federation v2.9, composed into the supergraph under https://specs.apollo.dev/cost/v0.1). The rules are those of
// the IBM GraphQL cost specification as Apollo's router applies them:
// - an operation starts at 10 for a mutation, 0 for a query;
// - each field costs its weight: its own `@cost(weight:)`, else its type's `@cost`, else 1 for an object,
//   interface or union and 0 for a scalar or enum; plus the cost of what is selected below it;
// - a list multiplies that by its size: the value of its slicing argument (`@listSize(slicingArguments:)`, the
//   largest when several are given), else its `assumedSize`, else `defaultListSize`;
// - a field with `@listSize(sizedFields:)` (a connection) is not a list itself: the size goes to the named child
//   lists (`nodes`, `edges`), and its other children (`pageInfo`, `totalCount`) count once.
// The value of a slicing argument is the one that will execute: the literal, or the variable as sent, else the
// operation's default for that variable (`query($n: Int = 500)`), else the argument's default in the schema, else
// the list's assumedSize (the subgraph's default page). A value past `largestSliceSize` counts as that: the
// subgraph refuses it with a message that says so, which the estimate must not pre-empt with a vaguer one.
// Fragments count where they are spread, each measured once per size context (so a fragment spread a thousand
// times costs a lookup, not a walk); a fragment spread inside itself counts as nothing (validation refuses such a
// document; the measure must still end). The walk stops descending at `maxWalkDepth` levels, so a document nested
// deeper than any limit cannot exhaust the stack: it is refused for its depth.
//
// The actual cost (`actualCost`) applies the same weights to the data an answer holds: a list counts the items it
// really returned, a null counts nothing.

export interface FieldCost {
  weight?: number;
  assumedSize?: number;
  slicingArguments?: readonly string[];
  sizedFields?: readonly string[];
}

/** The cost directives of a schema, by coordinate: `Type.field` for fields, `Type` for types. */
export interface CostTable {
  fields: ReadonlyMap<string, FieldCost>;
  types: ReadonlyMap<string, number>;
}

/** Size of a list without `@listSize` (introspection's, or a subgraph's that forgot it). */
export const defaultListSize = 10;
/** The largest page any list serves (root connections; nested ones stop at 100): a larger slice counts as this. */
export const largestSliceSize = 500;
/** Fields below this nesting are not walked (the operation is refused for its depth long before). */
export const maxWalkDepth = 1_000;
/** What a mutation costs before its fields (Apollo's rule: mutations write). */
export const mutationBaseCost = 10;

const costSpec = 'https://specs.apollo.dev/cost/';

/** Builds the table from an SDL: the supergraph (directive names as its `@link` of the cost spec says), or a subgraph. */
export function costTableFromSdl(sdl: string): CostTable {
  return costTableFromDocument(parse(sdl, { noLocation: true }));
}

export function costTableFromDocument(document: DocumentNode): CostTable {
  let costName = 'cost';
  let listSizeName = 'listSize';
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const url = argument(link, 'url');
      // A subgraph imports them from the federation spec under their own names, the defaults here.
      if (link.name.value !== 'link' || url?.kind !== Kind.STRING || !url.value.startsWith(costSpec)) continue;
      const as = argument(link, 'as');
      const prefix = as?.kind === Kind.STRING ? as.value : 'cost';
      costName = prefix;
      listSizeName = `${prefix}__listSize`;
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING && entry.value === '@listSize') listSizeName = 'listSize';
        if (entry.kind === Kind.OBJECT) {
          const name = entry.fields.find((f) => f.name.value === 'name')?.value;
          const renamed = entry.fields.find((f) => f.name.value === 'as')?.value;
          if (name?.kind === Kind.STRING && name.value === '@listSize' && renamed?.kind === Kind.STRING) listSizeName = renamed.value.replace(/^@/, '');
        }
      }
    }
  }

  const fields = new Map<string, FieldCost>();
  const types = new Map<string, number>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const typeWeight = weightOf(definition.directives, costName);
    if (typeWeight !== undefined) types.set(typeName, typeWeight);
    if (!('fields' in definition) || !definition.fields) continue;
    for (const field of definition.fields) {
      if (field.kind !== Kind.FIELD_DEFINITION) continue;
      const cost: FieldCost = {};
      const weight = weightOf(field.directives, costName);
      if (weight !== undefined) cost.weight = weight;
      const listSize = field.directives?.find((d) => d.name.value === listSizeName);
      if (listSize) {
        const assumed = argument(listSize, 'assumedSize');
        if (assumed?.kind === Kind.INT) cost.assumedSize = Number(assumed.value);
        const slicing = strings(argument(listSize, 'slicingArguments'));
        if (slicing.length > 0) cost.slicingArguments = slicing;
        const sized = strings(argument(listSize, 'sizedFields'));
        if (sized.length > 0) cost.sizedFields = sized;
      }
      if (Object.keys(cost).length > 0) fields.set(`${typeName}.${field.name.value}`, cost);
    }
  }
  return { fields, types };
}

function argument(directive: DirectiveNode, name: string) {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

function strings(value: ValueNode | undefined): string[] {
  return value?.kind === Kind.LIST ? value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : [];
}

function weightOf(directives: readonly DirectiveNode[] | undefined, name: string): number | undefined {
  const directive = directives?.find((d) => d.name.value === name);
  const weight = directive && argument(directive, 'weight');
  return weight?.kind === Kind.INT ? Number(weight.value) : undefined;
}

// The table of each schema the gateway serves, set when the supergraph loads (see `registerCostTable`). A schema
// without one (a plain schema in tests) gets one from the directives on its own AST nodes, built once.
const tables = new WeakMap<object, CostTable>();

/** Makes `table` the cost directives of `schema` (the gateway's API schema, whose SDL lost them). */
export function registerCostTable(schema: GraphQLSchema, table: CostTable): void {
  tables.set(schema, table);
}

export function costTableOf(schema: GraphQLSchema): CostTable {
  let table = tables.get(schema);
  if (!table) {
    const definitions = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.astNode) definitions.push(type.astNode);
      for (const extension of type.extensionASTNodes ?? []) definitions.push(extension);
    }
    if (schema.astNode) definitions.push(schema.astNode);
    for (const extension of schema.extensionASTNodes ?? []) definitions.push(extension);
    table = costTableFromDocument({ kind: Kind.DOCUMENT, definitions });
    tables.set(schema, table);
  }
  return table;
}

export interface Measured {
  /** Deepest nesting, the root field at 1 (at most `maxWalkDepth` + 1). */
  depth: number;
  cost: number;
  /** Fields selected at the root, through fragments too. */
  rootFields: number;
}

/** What a parent connection tells its children: which of them are lists of `size` items. */
interface Sized {
  fields: readonly string[];
  size: number;
}

/**
 * Estimates the cost of one operation and measures its depth and root fields, in one walk linear in the
 * document. `variables` are the request's raw variables. Fields the schema does not know (a document that failed
 * validation) count as objects and are not entered.
 */
export function estimateOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): Measured {
  const table = costTableOf(schema);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const measuredFragments = new Map<string, Measured>();
  const inProgress = new Set<string>();

  const numberOf = (value: ValueNode | undefined): number | null | undefined => {
    if (!value) return undefined;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.NULL) return null;
    if (value.kind !== Kind.VARIABLE) return undefined; // of a wrong kind, which validation refuses
    const name = value.name.value;
    if (Object.hasOwn(variables, name) && variables[name] !== undefined) {
      const sent = variables[name];
      return typeof sent === 'number' && Number.isFinite(sent) ? sent : sent === null ? null : undefined;
    }
    const fallback = defaults.get(name);
    return fallback && fallback.kind !== Kind.VARIABLE ? numberOf(fallback) : undefined;
  };

  /** How many items a list field holds, by the rules in the header. */
  const sizeOf = (selection: FieldNode, field: GraphQLField<unknown, unknown> | undefined, cost: FieldCost | undefined): number => {
    let size: number | undefined;
    for (const name of cost?.slicingArguments ?? []) {
      let value = numberOf(selection.arguments?.find((a) => a.name.value === name)?.value);
      // Absent: the argument's default in the schema applies. An explicit null: no slice, the subgraph's default.
      if (value === undefined) {
        const schemaDefault = field?.args.find((a) => a.name === name)?.defaultValue;
        if (typeof schemaDefault === 'number') value = schemaDefault;
      }
      if (typeof value === 'number') size = Math.max(size ?? 0, Math.min(largestSliceSize, Math.max(0, Math.floor(value))));
    }
    return size ?? cost?.assumedSize ?? defaultListSize;
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, sized: Sized | undefined, level: number): Measured => {
    let depth = 0;
    let cost = 0;
    let rootFields = 0;
    // The same fragment spread twice in one selection set selects the same fields, which execution merges.
    const spread = new Set<string>();
    for (const selection of selectionSet.selections) {
      let inner: Measured;
      if (selection.kind === Kind.FIELD) {
        rootFields += 1;
        const field = fieldOf(parent, selection.name.value) ?? metaFieldOf(schema, selection.name.value);
        const coordinate = parent ? `${parent.name}.${selection.name.value}` : '';
        const fieldCost = table.fields.get(coordinate);
        const type = field ? namedTypeOf(field.type) : undefined;
        const weight = fieldCost?.weight ?? (type ? typeWeight(table, type) : selection.selectionSet ? 1 : 0);
        let size = 1;
        if (sized?.fields.includes(selection.name.value)) size = sized.size;
        else if (field && isList(field.type)) size = sizeOf(selection, field, fieldCost);
        if (!selection.selectionSet) {
          inner = { depth: 1, cost: size * weight, rootFields: 0 };
        } else if (level >= maxWalkDepth) {
          inner = { depth: 2, cost: size * weight, rootFields: 0 };
        } else {
          const childSized = fieldCost?.sizedFields ? { fields: fieldCost.sizedFields, size: sizeOf(selection, field, fieldCost) } : undefined;
          const below = walk(selection.selectionSet, type, childSized, level + 1);
          inner = { depth: 1 + below.depth, cost: size * (weight + below.cost), rootFields: 0 };
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        inner = walk(selection.selectionSet, type ?? undefined, sized, level);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || inProgress.has(name) || spread.has(name)) continue;
        spread.add(name);
        // Measured once per size context: a document has few, so the walk stays linear in its size.
        const key = sized ? `${name}\u0000${sized.size}\u0000${sized.fields.join(',')}` : name;
        let known = measuredFragments.get(key);
        if (!known) {
          inProgress.add(name);
          known = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, sized, level);
          inProgress.delete(name);
          measuredFragments.set(key, known);
        }
        inner = known;
      }
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
      rootFields += inner.rootFields;
    }
    return { depth, cost, rootFields };
  };

  const measured = walk(operation.selectionSet, rootTypeOf(schema, operation) ?? undefined, undefined, 0);
  return { ...measured, cost: measured.cost + (operation.operation === 'mutation' ? mutationBaseCost : 0) };
}

// Per request, `estimateOperationCost` walks once: by schema, operation node and the request's variables object.
const noVariables = {};
const estimates = new WeakMap<object, WeakMap<OperationDefinitionNode, WeakMap<object, Measured>>>();

/** `estimateOperation`, remembered for the same schema, operation node and variables object. */
export function estimateOnce(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): Measured {
  let bySchema = estimates.get(schema);
  if (!bySchema) estimates.set(schema, (bySchema = new WeakMap()));
  let byOperation = bySchema.get(operation);
  if (!byOperation) bySchema.set(operation, (byOperation = new WeakMap()));
  const key = variables ?? noVariables;
  let measured = byOperation.get(key);
  if (!measured) {
    measured = estimateOperation(schema, document, operation, variables ?? {});
    byOperation.set(key, measured);
  }
  return measured;
}

/** The request fields `estimateOperationCost` reads: Apollo Server's request context has them all. */
export interface CostRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  request: { variables?: Readonly<Record<string, unknown>> | undefined };
}

/**
 * The estimated cost of a request's operation (see the header), as the gateway's limit checks it. Stable API for
 * the rate limiter: call it from `didResolveOperation` or later; a second call in the same request does not walk
 * the document again.
 */
export function estimateOperationCost(requestContext: CostRequest): number {
  return estimateOnce(requestContext.schema, requestContext.document, requestContext.operation, requestContext.request.variables).cost;
}

type Selections = { set: SelectionSetNode; parent: GraphQLNamedType | undefined }[];

/**
 * What the answer's objects at one place of the operation cost: by response key, the field's weight and the shape
 * of what it selects. Built on first use and kept with the operation, so that an answer of thousands of objects
 * reads the document once, not once per object (that walk was a tenth of the gateway's CPU on a large page).
 */
interface CostShape {
  selections: Selections;
  fields?: { key: string; weight: number; below: CostShape | undefined }[];
}

const rootShapes = new WeakMap<object, WeakMap<OperationDefinitionNode, CostShape>>();

/**
 * The cost of the data an answer holds, with the weights of the estimate: each object (or weighted field) counts
 * its weight, a list the items it holds, a null nothing. Walks the data, whose depth the operation bounds.
 */
export function actualCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined,
): number {
  const base = operation.operation === 'mutation' ? mutationBaseCost : 0;
  if (!data) return base;
  const table = costTableOf(schema);
  let byOperation = rootShapes.get(schema);
  if (!byOperation) rootShapes.set(schema, (byOperation = new WeakMap()));
  let root = byOperation.get(operation);
  if (!root) byOperation.set(operation, (root = { selections: [{ set: operation.selectionSet, parent: rootTypeOf(schema, operation) ?? undefined }] }));

  let fragments: Map<string, FragmentDefinitionNode> | undefined;
  const fragmentNamed = (name: string) => {
    if (!fragments) {
      fragments = new Map();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
    }
    return fragments.get(name);
  };

  /** The fields of selection sets by response key, fragments flattened, with the type each was selected on. */
  const collect = (selectionSets: Selections) => {
    const byKey = new Map<string, { field: FieldNode; parent: GraphQLNamedType | undefined }[]>();
    const pending = [...selectionSets];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const { set, parent } = pending.pop()!;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const entries = byKey.get(key);
          if (entries) entries.push({ field: selection, parent });
          else byKey.set(key, [{ field: selection, parent }]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          pending.push({ set: selection.selectionSet, parent: type ?? undefined });
        } else {
          const fragment = fragmentNamed(selection.name.value);
          if (!fragment || seen.has(selection.name.value)) continue;
          seen.add(selection.name.value);
          pending.push({ set: fragment.selectionSet, parent: schema.getType(fragment.typeCondition.name.value) ?? undefined });
        }
      }
    }
    return byKey;
  };

  const fieldsOf = (shape: CostShape) => {
    if (shape.fields) return shape.fields;
    const fields: NonNullable<CostShape['fields']> = [];
    for (const [key, entries] of collect(shape.selections)) {
      const name = entries[0]!.field.name.value;
      // Under a type condition the field is defined on the fragment's type; the first that defines it decides.
      let field: GraphQLField<unknown, unknown> | undefined;
      let parent: GraphQLNamedType | undefined;
      for (const entry of entries) {
        field = fieldOf(entry.parent, name) ?? metaFieldOf(schema, name);
        parent = entry.parent;
        if (field) break;
      }
      const type = field ? namedTypeOf(field.type) : undefined;
      const weight = (parent && table.fields.get(`${parent.name}.${name}`)?.weight) ?? (type ? typeWeight(table, type) : 0);
      const below = entries.flatMap((e) => (e.field.selectionSet ? [{ set: e.field.selectionSet, parent: type }] : []));
      fields.push({ key, weight, below: below.length > 0 ? { selections: below } : undefined });
    }
    return (shape.fields = fields);
  };

  const objectCost = (value: Record<string, unknown>, shape: CostShape, level: number): number => {
    if (level > maxWalkDepth) return 0;
    let cost = 0;
    // The selected fields, looked up in the object (no array of its keys per object); an absent one counts nothing.
    for (const field of fieldsOf(shape)) {
      const inner = value[field.key];
      // (A function is the prototype's, e.g. a field named constructor that the answer does not hold.)
      if (inner !== undefined && typeof inner !== 'function') cost += valueCost(inner, field.weight, field.below, level + 1);
    }
    return cost;
  };

  const valueCost = (value: unknown, weight: number, below: CostShape | undefined, level: number): number => {
    if (value === null || value === undefined) return 0;
    if (Array.isArray(value)) {
      let cost = 0;
      for (const item of value) cost += valueCost(item, weight, below, level);
      return cost;
    }
    if (typeof value === 'object' && below) return weight + objectCost(value as Record<string, unknown>, below, level);
    return weight;
  };

  return base + objectCost(data, root, 0);
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  return operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
}

// Duck-typed, not graphql's getNamedType/isListType: the gateway's schema comes from graphql's CommonJS build (via
// @apollo/gateway) while this file loads its ESM build, and their instanceof checks refuse types of the other build.
type WrappedType = { ofType?: WrappedType } & object;
const kindOf = (type: object) => Object.prototype.toString.call(type);

function namedTypeOf(type: WrappedType): GraphQLNamedType {
  let named = type;
  while (named.ofType) named = named.ofType;
  return named as GraphQLNamedType;
}

function isList(type: WrappedType): boolean {
  const nullable = kindOf(type) === '[object GraphQLNonNull]' ? type.ofType! : type;
  return kindOf(nullable) === '[object GraphQLList]';
}

/** 1 for an object, interface or union, 0 for a scalar or enum, unless the type has a `@cost` of its own. */
function typeWeight(table: CostTable, type: GraphQLNamedType): number {
  const own = table.types.get(type.name);
  if (own !== undefined) return own;
  const kind = kindOf(type);
  return kind === '[object GraphQLScalarType]' || kind === '[object GraphQLEnumType]' ? 0 : 1;
}

/** `__schema` and `__type`, which no type's fields hold (`__typename` is a scalar: nothing to enter). */
function metaFieldOf(schema: GraphQLSchema, name: string): GraphQLField<unknown, unknown> | undefined {
  const type = name === '__schema' ? schema.getType('__Schema') : name === '__type' ? schema.getType('__Type') : undefined;
  return type ? ({ name, type, args: [] } as unknown as GraphQLField<unknown, unknown>) : undefined;
}

function fieldOf(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (!parent || !('getFields' in parent)) return undefined;
  return (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>)[name];
}
