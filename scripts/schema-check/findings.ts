import { coordinateParts } from './sdl-index.js';

// What the check reports. Every finding names its schema (a subgraph, or `api` for the composed client-facing
// schema), the element (type, field, argument or enum value, as a schema coordinate) and where it is written.

/** error fails the check; warning and info are shown; safe changes are summed up. */
export type Level = 'error' | 'warning' | 'info' | 'safe';

export type FindingKind = 'change' | 'lint' | 'composition' | 'hint' | 'allow-file' | 'schema';

export interface Location {
  /** Relative to the project root, e.g. `subgraphs/talents/schema.graphql`. */
  file: string;
  line: number;
  /** Set when the line is in the base version of the file (the element is gone from the working tree). */
  atBase?: string;
}

export interface Finding {
  level: Level;
  kind: FindingKind;
  /** A subgraph's name, or `api`. */
  schema: string;
  /** The change type (FIELD_REMOVED), lint rule (description, naming, unused-type), hint or error code. */
  code: string;
  /** Schema coordinate of the element: `Talent`, `Talent.email`, `Query.talents(first:)`, `@cacheControl`. */
  coordinate?: string;
  typeName?: string;
  /** A field, an input field or an enum value. */
  fieldName?: string;
  argumentName?: string;
  directiveName?: string;
  /** How graphql-inspector rates a change, whatever its level here (an allowed breaking change is a warning). */
  criticality?: 'breaking' | 'dangerous' | 'safe';
  /** graphql-inspector's path of a change (what an allow entry names), e.g. `Query.talents.first`. */
  path?: string;
  message: string;
  /** Further lines: why it fails, how to fix or allow it. */
  notes: string[];
  locations: Location[];
}

/** A finding about an element, with the element's names filled in from its coordinate. */
export function finding(fields: Omit<Finding, 'typeName' | 'fieldName' | 'argumentName' | 'directiveName' | 'notes'> & { notes?: string[] }): Finding {
  const parts = fields.coordinate ? coordinateParts(fields.coordinate) : {};
  return {
    ...fields,
    notes: fields.notes ?? [],
    ...(parts.typeName ? { typeName: parts.typeName } : {}),
    ...(parts.memberName ? { fieldName: parts.memberName } : {}),
    ...(parts.argumentName ? { argumentName: parts.argumentName } : {}),
    ...(parts.directiveName ? { directiveName: parts.directiveName } : {}),
  };
}

export const formatLocation = (location: Location) =>
  `${location.file}:${location.line}${location.atBase ? ` (line in ${location.atBase}; removed since)` : ''}`;
