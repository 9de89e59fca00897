import { createRequire } from 'node:module';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { diff, DiffRule, type Change, type Rule } from '@graphql-inspector/core';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { coordinateOfPath, type SdlIndex } from './sdl-index.js';

// Schemas built for graphql-inspector, and its changes between two of them.
//
// graphql refuses a schema built by another copy of itself. @graphql-inspector/core and @apollo/subgraph are
// loaded by Node, which resolves `graphql` to its CommonJS build; under vitest this project's own modules get
// graphql's ESM build instead. So the schemas given to diff() are built only with the copy Node resolves: by
// buildSubgraphSchema, or by the `graphql` required here. (Documents, plain objects, pass freely between copies.)
const nodeGraphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/**
 * A subgraph's schema as its server builds it: with the Federation definitions its `@link` imports, and the
 * `_Entity`, `_Service` and `_Any` types. Throws when the SDL is no valid subgraph.
 */
export const buildSubgraphForDiff = (document: DocumentNode): GraphQLSchema => buildSubgraphSchema(document);

export const buildApiForDiff = (document: DocumentNode): GraphQLSchema => nodeGraphql.buildASTSchema(document);

/**
 * Every change from base to current, without the changes nested in an added element (its fields, arguments), and
 * with the changes of types that no operation could reach at the base rated safe.
 */
export const schemaChanges = (base: GraphQLSchema, current: GraphQLSchema): Promise<Change[]> =>
  diff(base, current, [DiffRule.simplifyChanges, unreachableIsSafe]);

/**
 * graphql-inspector's safeUnreachable rule, keeping each change's message: a type that no field or argument
 * reachable from the root types uses (e.g. an enum only typing a directive's argument) appears in no valid
 * operation, so removing or changing it breaks no client.
 */
const unreachableIsSafe: Rule = async (input) => {
  const rated = await DiffRule.safeUnreachable(input);
  return rated.map((change, i) => {
    const original = input.changes[i]!;
    if (change.criticality.level === original.criticality.level) return original;
    return { ...change, message: original.message, criticality: { ...change.criticality, reason: 'The type is unreachable from the root types at the base.' } };
  });
};

/**
 * True for a change of what buildSubgraphSchema adds rather than what the SDL says: `_Entity` gaining a member
 * when an entity is added, `Query._entities`, the Federation directive definitions (renamed when the `@link`
 * imports change: `@federation__inaccessible` becomes `@inaccessible`), `link__*` and `federation__*` types, and
 * the `@link` on the schema itself. An element written in neither version of the SDL is machinery.
 */
export function isFederationMachinery(change: Change, base: SdlIndex, current: SdlIndex): boolean {
  const written = (coordinate: string) => base.elements.has(coordinate) || current.elements.has(coordinate);
  const path = change.path;
  if (!path) return false;
  if (path.startsWith('.')) {
    // A directive applied to the schema (`extend schema @link(...)`): the link machinery unless defined in the SDL.
    const directive = path.split('.')[1] ?? '';
    return !written(directive);
  }
  const coordinate = coordinateOfPath(path);
  if (!coordinate) return false;
  if (coordinate.startsWith('@')) return !written(coordinate.split('(')[0]!);
  const typeName = coordinate.split('.')[0]!;
  return !written(typeName) || !written(coordinate);
}

/**
 * The usages that only changed the name a directive is written with: `@federation__inaccessible` on a field at the
 * base and `@inaccessible` on it now (or the reverse), when the `@link` imports change. The same directive on the
 * same element, so neither the removal nor the addition is a change; returned as the set of both.
 */
export function renamedFederationUsages(changes: readonly Change[]): Set<Change> {
  const usage = (change: Change) => {
    const meta = change.meta as { addedDirectiveName?: string; removedDirectiveName?: string } | undefined;
    const name = meta?.addedDirectiveName ?? meta?.removedDirectiveName;
    if (!change.type.startsWith('DIRECTIVE_USAGE_') || !name || !change.path) return undefined;
    const element = change.path.slice(0, change.path.lastIndexOf('.@'));
    return { element, name: name.replace(/^federation__/, ''), added: meta?.addedDirectiveName !== undefined };
  };
  const renamed = new Set<Change>();
  for (const removed of changes) {
    const from = usage(removed);
    if (!from || from.added) continue;
    const added = changes.find((c) => {
      const to = usage(c);
      return to?.added && to.element === from.element && to.name === from.name && !renamed.has(c)
        && (c.meta as { addedDirectiveName: string }).addedDirectiveName !== (removed.meta as { removedDirectiveName: string }).removedDirectiveName;
    });
    if (added) renamed.add(removed).add(added);
  }
  return renamed;
}
