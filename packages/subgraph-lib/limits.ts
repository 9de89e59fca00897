import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { graphqlError } from '@talent-hub/platform/errors';

// A subgraph's own limits on one operation, checked once it is parsed and validated and before it executes, so
// that a caller on the internal network (or a gateway misconfigured) cannot ask more of it than the gateway ever
// would: how deep fields nest, how many aliases and root fields it has, and how many entity representations its
// `_entities` fields carry. The body size is the HTTP front's (SubgraphLimits.maxBodyBytes). A refusal is HTTP 400
// with the registry's code, the limit and the measured value, as at the gateway.

export interface SubgraphLimits {
  /** Bytes of one request body (413 above). */
  maxBodyBytes: number;
  /** Deepest nesting of fields, the root field (`_entities` too) being depth 1. */
  maxDepth: number;
  /** Aliased fields, counted where they are spread; not the aliases of root `_entities` fields (see below). */
  maxAliases: number;
  /** Fields at the root of the operation (through fragments), other than `_entities`. */
  maxRootFields: number;
  /** Entity representations in all `_entities` fields of the operation together. */
  maxRepresentations: number;
}

/**
 * Defaults with a margin over what the gateway sends at its own default limits (depth 15, 30 aliases, 10 root
 * fields), measured in test/subgraph-hop.test.ts (the known operations at their largest pages and a client at the
 * gateway's limits; on the demo data the largest fetch had depth 6, 20 `_entities` fields merged into one
 * operation, 500 representations, 53 KB):
 * - an entity fetch is one level deeper than the client's selection under it: depth 20;
 * - the client's root fields reach a subgraph as they are (10 at most), its aliases too (30 at most): 20 and 60;
 * - the gateway merges the entity fetches that start together into one operation (fetch-batch.ts), one aliased
 *   `_entities` field each, as many as the plan has entity paths at one level. Those fields and their aliases are
 *   therefore not counted as root fields and aliases: what they cost is bounded by the representations they carry;
 * - the flagship operation (100 talents with 10 registrations each) sends at most 1,000 representations of one
 *   type in one fetch (fewer once the gateway has removed repeats), 500 talents 500: 10,000;
 * - a representation is about 60 bytes (`{"__typename":"Talent","id":"<uuid>"}`), so 10,000 are 0.6 MB: 2 MiB.
 * Raise these with the gateway's limits if you raise those.
 */
export const defaultSubgraphLimits: SubgraphLimits = {
  maxBodyBytes: 2 * 1024 * 1024,
  maxDepth: 20,
  maxAliases: 60,
  maxRootFields: 20,
  maxRepresentations: 10_000,
};

export interface SubgraphOperationMeasure {
  depth: number;
  aliases: number;
  rootFields: number;
  representations: number;
}

interface Measured {
  depth: number;
  aliases: number;
}

interface Roots {
  /** Root fields other than `_entities`. */
  fields: number;
  representations: number;
  /** Aliased root `_entities` fields (the gateway's merged fetches). */
  entityAliases: number;
}

/**
 * Depth, aliases, root fields and representations of a validated operation (aliases and root fields without the
 * root `_entities` fields, see defaultSubgraphLimits). Each fragment is measured once (a
 * fragment spread a thousand times costs a lookup) and counted where it is spread; a fragment spread inside itself
 * counts as nothing (validation refuses such a document; the walk must still end).
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): SubgraphOperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, Measured>();
  const inProgress = new Set<string>();

  const fragment = (name: string): Measured => {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || inProgress.has(name)) return { depth: 0, aliases: 0 };
    inProgress.add(name);
    const result = selectionSet(definition.selectionSet);
    inProgress.delete(name);
    measured.set(name, result);
    return result;
  };

  const selectionSet = (set: SelectionSetNode): Measured => {
    let depth = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      let inner: Measured;
      if (selection.kind === Kind.FIELD) {
        const below = selection.selectionSet ? selectionSet(selection.selectionSet) : { depth: 0, aliases: 0 };
        inner = { depth: below.depth + 1, aliases: below.aliases + (selection.alias ? 1 : 0) };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = selectionSet(selection.selectionSet);
      } else {
        inner = fragment(selection.name.value);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
    }
    return { depth, aliases };
  };

  // Root fields and representations through fragments, each spread counted, each fragment walked once.
  const representationsOf = (field: FieldNode): number => {
    if (field.name.value !== '_entities') return 0;
    const argument = field.arguments?.find((a) => a.name.value === 'representations')?.value;
    if (argument?.kind === Kind.LIST) return argument.values.length;
    if (argument?.kind === Kind.VARIABLE) {
      const value = variables[argument.name.value];
      return Array.isArray(value) ? value.length : 0;
    }
    return 0;
  };
  const rootsOfFragment = new Map<string, Roots>();
  const roots = (set: SelectionSetNode): Roots => {
    let fields = 0;
    let representations = 0;
    let entityAliases = 0;
    for (const selection of set.selections) {
      let inner: Roots;
      if (selection.kind === Kind.FIELD) {
        const entities = selection.name.value === '_entities';
        inner = { fields: entities ? 0 : 1, representations: representationsOf(selection), entityAliases: entities && selection.alias ? 1 : 0 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) inner = roots(selection.selectionSet);
      else {
        const name = selection.name.value;
        const definition = fragments.get(name);
        const known = rootsOfFragment.get(name);
        if (known) inner = known;
        else if (!definition || inProgress.has(name)) inner = { fields: 0, representations: 0, entityAliases: 0 };
        else {
          inProgress.add(name);
          inner = roots(definition.selectionSet);
          inProgress.delete(name);
          rootsOfFragment.set(name, inner);
        }
      }
      fields += inner.fields;
      representations += inner.representations;
      entityAliases += inner.entityAliases;
    }
    return { fields, representations, entityAliases };
  };
  const { fields: rootFields, representations, entityAliases } = roots(operation.selectionSet);

  const { depth, aliases } = selectionSet(operation.selectionSet);
  return { depth, aliases: aliases - entityAliases, rootFields, representations };
}

/** The error for the first limit a measure exceeds, or null. */
export function limitError(measure: SubgraphOperationMeasure, limits: SubgraphLimits): GraphQLError | null {
  const refuse = (code: Parameters<typeof graphqlError>[0], message: string, limit: number, measured: number) =>
    graphqlError(code, message, { limit, measured }, { status: 400 });
  if (measure.depth > limits.maxDepth) {
    return refuse('QUERY_TOO_DEEP', `The operation nests ${measure.depth} fields deep; this subgraph takes at most ${limits.maxDepth}.`, limits.maxDepth, measure.depth);
  }
  if (measure.aliases > limits.maxAliases) {
    return refuse('TOO_MANY_ALIASES', `The operation has ${measure.aliases} aliases; this subgraph takes at most ${limits.maxAliases}.`, limits.maxAliases, measure.aliases);
  }
  if (measure.rootFields > limits.maxRootFields) {
    return refuse('TOO_MANY_ROOT_FIELDS', `The operation has ${measure.rootFields} root fields; this subgraph takes at most ${limits.maxRootFields}.`, limits.maxRootFields, measure.rootFields);
  }
  if (measure.representations > limits.maxRepresentations) {
    return refuse(
      'TOO_MANY_REPRESENTATIONS',
      `The operation carries ${measure.representations} entity representations; this subgraph takes at most ${limits.maxRepresentations}.`,
      limits.maxRepresentations,
      measure.representations,
    );
  }
  return null;
}

/** The Apollo Server plugin that applies `limits` to every operation before it executes. */
export function subgraphLimitsPlugin(limits: SubgraphLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const error = limitError(measureOperation(document, operation, request.variables ?? {}), limits);
          if (error) throw error;
        },
      };
    },
  };
}
