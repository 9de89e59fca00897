import type { GraphQLFormattedError } from 'graphql';
import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

// A fetch that fails as a whole (subgraph down, too slow, 5xx) leaves null every field it was to fill. @apollo/gateway
// reports a thrown fetch error without a path, so a client cannot tell which fields are missing, and a non-null
// field left null blanks its parents with no error pointing there. Answering the failure as one error per field the
// fetch was to fill, at the subgraph's own path (`[field]` for a root fetch, `['_entities', i, field]` for an entity
// fetch), lets the gateway map each to the client's path like any subgraph error: `talents.nodes.0.registrations`.

/** Errors per failed fetch at most: a fetch for 500 talents × 100 registrations would otherwise answer 50,000. */
export const maxFieldErrorsPerFetch = 1_000;

/**
 * The errors for a fetch that got no answer: `error` repeated at each field the fetch selects, per entity for an
 * entity fetch (fields of the fragment on the entity's own type), in order, at most `maxFieldErrorsPerFetch`.
 * Errors past the limit are left out: their fields are null like the others, under the same error's cause.
 */
export function fieldErrorsOfFailedFetch(
  error: GraphQLFormattedError,
  query: string | DocumentNode,
  representations: unknown,
): GraphQLFormattedError[] {
  const document = typeof query === 'string' ? parse(query) : query;
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [error];
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const errors: GraphQLFormattedError[] = [];
  const at = (path: (string | number)[]) => errors.length < maxFieldErrorsPerFetch && errors.push({ ...error, path });

  const roots = responseNames(operation.selectionSet, undefined, fragments);
  const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (!entities || entities.kind !== Kind.FIELD || !entities.selectionSet || !Array.isArray(representations)) {
    for (const name of roots) at([name]);
    return errors.length > 0 ? errors : [error];
  }
  const entitiesName = entities.alias?.value ?? '_entities';
  const byType = new Map<string, string[]>();
  representations.forEach((representation, i) => {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    if (typeof typename !== 'string') return;
    let names = byType.get(typename);
    if (!names) byType.set(typename, (names = responseNames(entities.selectionSet!, typename, fragments)));
    for (const name of names) at([entitiesName, i, name]);
  });
  return errors.length > 0 ? errors : [error];
}

/** Response names of the fields a selection set gives an object of `typename` (any type when undefined), `__typename` aside. */
function responseNames(selectionSet: SelectionSetNode, typename: string | undefined, fragments: Map<string, FragmentDefinitionNode>): string[] {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') names.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (!condition || typename === undefined || condition === typename) visit(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && (typename === undefined || fragment.typeCondition.name.value === typename)) visit(fragment.selectionSet);
      }
    }
  };
  visit(selectionSet);
  return [...names];
}
