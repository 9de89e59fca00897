import type { CompositionNote } from './compose-graph.js';
import { finding, type Finding, type Level } from './findings.js';
import type { Locator } from './locate.js';
import { subgraphFile, type SubgraphVersions } from './versions.js';

// Composition errors and hints as findings, pointing at the subgraph lines composition names.

/**
 * Errors start with the subgraph they are about (`[talents] On type "Skill", ...`): that subgraph is named as
 * the schema. Hints are about the composed graph (`api`).
 */
export function compositionFinding(level: Level, kind: 'composition' | 'hint', note: CompositionNote, subgraphs: readonly SubgraphVersions[], locate: Locator): Finding {
  const named = subgraphs.find((s) => note.message.startsWith(`[${s.name}] `));
  // Composition's nodes start at an element's description; the line of its name is where the other messages point.
  const nameLine = (subgraph: string, line: number) =>
    (note.coordinate && subgraphs.find((s) => s.name === subgraph)?.current?.index.elements.get(note.coordinate)?.line) || line;
  const fromNodes = [...new Map(note.nodes.map(({ subgraph, line }) => [subgraph + ':' + nameLine(subgraph, line), { file: subgraphFile(subgraph), line: nameLine(subgraph, line) }])).values()];
  fromNodes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const locations = fromNodes.length > 0 ? fromNodes : note.coordinate ? locate.inApi(note.coordinate) : named ? [{ file: named.file, line: 1 }] : [];
  // Errors carry no coordinate, but their messages name the element first: `On type "Skill"`, `Field "Talent.x"`.
  const coordinate = note.coordinate ?? /\b(?:type|Type|Field|field) "([A-Za-z_][\w.]*)"/.exec(note.message)?.[1];
  return finding({ level, kind, schema: named?.name ?? 'api', code: note.code, ...(coordinate ? { coordinate } : {}), message: note.message, locations });
}

/**
 * Composition hints are warnings, except one that is expected: an enum that composition calls unused while every
 * subgraph defining it marks it @inaccessible. That is how a type serving only subgraph-level directives
 * (CacheControlScope, for @cacheControl) is kept out of the API schema; it stays in the supergraph, as the hint says.
 */
export function hintFinding(hint: CompositionNote, subgraphs: readonly SubgraphVersions[], locate: Locator): Finding {
  const coordinate = hint.coordinate;
  const definitions = coordinate ? subgraphs.flatMap((s) => s.current?.index.elements.get(coordinate) ?? []) : [];
  const expected =
    hint.code === 'UNUSED_ENUM_TYPE' &&
    definitions.length > 0 &&
    definitions.every((element) => element.directives.some((d) => d === 'inaccessible' || d === 'federation__inaccessible'));
  const result = compositionFinding(expected ? 'info' : 'warning', 'hint', hint, subgraphs, locate);
  if (expected) result.notes.push(`Expected: ${coordinate} is @inaccessible in every subgraph that defines it, so it stays out of the API schema.`);
  return result;
}
