import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

// Several fetches of one query plan to the same subgraph, started together (the branches of a Parallel node),
// sent as one GraphQL operation: each fetch's root fields, variables and fragments get a prefix of their own
// (`_0_`, `_1_`, ...), and the answer is split back by those prefixes. One HTTP request and one GraphQL execution at
// the subgraph instead of several; the subgraph's DataLoaders then also batch across the merged fetches.

export interface MergedOperation {
  query: string;
  operationName: string;
  /** For each fetch: its response keys, as merged (prefixed) and as the fetch asked for them. */
  fields: { merged: string; original: string }[][];
}

const parsedOperations = new Map<string, DocumentNode | null>();
const mergedOperations = new Map<string, MergedOperation>();
/** Fetch operations come from query plans, so there are few distinct ones; the caches are only bounded for safety. */
const cacheLimit = 2_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(key, value);
  return value;
}

/** A fetch operation that can be merged: one query whose root selections are all fields. Null otherwise. */
function mergeable(query: string): DocumentNode | null {
  const cached = parsedOperations.get(query);
  if (cached !== undefined) return cached;
  let document: DocumentNode | null = null;
  try {
    const parsed = parse(query, { noLocation: true });
    const operations = parsed.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const [operation] = operations;
    if (
      operations.length === 1 &&
      operation!.operation === 'query' &&
      operation!.selectionSet.selections.every((s) => s.kind === Kind.FIELD)
    ) {
      document = parsed;
    }
  } catch {
    document = null;
  }
  return remember(parsedOperations, query, document);
}

/** True when a fetch's operation can take part in a merged one. */
export const canMerge = (query: string): boolean => mergeable(query) !== null;

const prefixOf = (index: number) => `_${index}_`;

/** One operation doing the work of all of them (each of which `canMerge`). Cached by the operations' texts. */
export function mergeOperations(queries: readonly string[]): MergedOperation {
  const key = queries.join('\u0000');
  const cached = mergedOperations.get(key);
  if (cached) return cached;

  const variableDefinitions: VariableDefinitionNode[] = [];
  const selections: FieldNode[] = [];
  const fragments: FragmentDefinitionNode[] = [];
  const fields: MergedOperation['fields'] = [];
  let firstName: string | undefined;
  queries.forEach((query, index) => {
    const prefix = prefixOf(index);
    const document = mergeable(query);
    if (!document) throw new Error('mergeOperations: an operation that cannot be merged');
    const renamed = visit(document, {
      Variable: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
    });
    const ownFields: { merged: string; original: string }[] = [];
    for (const definition of renamed.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.push(definition);
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      firstName ??= definition.name?.value;
      variableDefinitions.push(...(definition.variableDefinitions ?? []));
      for (const selection of definition.selectionSet.selections as FieldNode[]) {
        const original = selection.alias?.value ?? selection.name.value;
        const merged = prefix + original;
        ownFields.push({ merged, original });
        selections.push({ ...selection, alias: { kind: Kind.NAME, value: merged } });
      }
    }
    fields.push(ownFields);
  });
  const operationName = `${firstName ?? 'Fetch'}__merged_${queries.length}`;
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    name: { kind: Kind.NAME, value: operationName },
    variableDefinitions,
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const merged: MergedOperation = {
    query: print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }),
    operationName,
    fields,
  };
  return remember(mergedOperations, key, merged);
}

/** The variables of the merged operation: each fetch's, under its prefix. */
export function mergeVariables(variables: readonly (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  variables.forEach((own, index) => {
    if (own) for (const [name, value] of Object.entries(own)) merged[prefixOf(index) + name] = value;
  });
  return merged;
}

interface Response {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/**
 * Each fetch's own answer out of the merged one: its fields under their own names, and the errors on its paths
 * (an error without a path, or on no fetch's path, goes to every fetch).
 */
export function splitResponse(merged: MergedOperation, response: Response): Response[] {
  const owner = new Map<string, { index: number; original: string }>();
  merged.fields.forEach((fields, index) => {
    for (const field of fields) owner.set(field.merged, { index, original: field.original });
  });
  return merged.fields.map((fields, index) => {
    let data: Record<string, unknown> | null | undefined = response.data;
    if (response.data) {
      data = {};
      for (const field of fields) {
        if (field.merged in response.data) data[field.original] = response.data[field.merged];
      }
    }
    const errors = response.errors?.flatMap((error): GraphQLFormattedError[] => {
      const first = error.path?.[0];
      const own = typeof first === 'string' ? owner.get(first) : undefined;
      if (!own) return [error];
      return own.index === index ? [{ ...error, path: [own.original, ...error.path!.slice(1)] }] : [];
    });
    return {
      ...(data !== undefined ? { data } : {}),
      ...(errors?.length ? { errors } : {}),
      ...(response.extensions ? { extensions: response.extensions } : {}),
    };
  });
}
