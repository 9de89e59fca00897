import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { finding, type Finding, type Level } from './findings.js';
import { indexSdl, type SdlIndex } from './sdl-index.js';

// One version of a schema (the working tree's or the base's): its document and the index of its elements.

export interface Version {
  document: DocumentNode;
  index: SdlIndex;
}

export interface SubgraphVersions {
  name: string;
  /** `subgraphs/<name>/schema.graphql`. */
  file: string;
  /** Undefined when the working tree's SDL does not parse. */
  current: Version | undefined;
  /** Undefined when the subgraph is new, or when its base SDL does not parse. */
  base: Version | undefined;
  /** Absent at the base: every change is safe. */
  isNew: boolean;
}

export const subgraphFile = (name: string) => `subgraphs/${name}/schema.graphql`;

export function readSubgraph(name: string, current: string, base: string | undefined, baseLabel: string, findings: Finding[]): SubgraphVersions {
  const file = subgraphFile(name);
  return {
    name,
    file,
    current: readVersion(name, file, current, undefined, findings),
    base: base === undefined ? undefined : readVersion(name, file, base, baseLabel, findings),
    isNew: base === undefined,
  };
}

/**
 * Parses one version of a schema. A syntax error is reported: an error in the working tree (`atBase` undefined),
 * a warning at the base, whose changes then go unchecked.
 */
export function readVersion(schema: string, file: string, text: string, atBase: string | undefined, findings: Finding[]): Version | undefined {
  try {
    const document = parse(text);
    return { document, index: indexSdl(document) };
  } catch (error) {
    const line = error instanceof GraphQLError ? (error.locations?.[0]?.line ?? 1) : 1;
    const level: Level = atBase ? 'warning' : 'error';
    findings.push(
      finding({
        level,
        kind: 'schema',
        schema,
        code: 'SYNTAX_ERROR',
        message: atBase
          ? `${file} at ${atBase} does not parse, so its changes are not checked: ${(error as Error).message}`
          : `${file} does not parse: ${(error as Error).message}`,
        locations: [{ file, line, ...(atBase ? { atBase } : {}) }],
      }),
    );
    return undefined;
  }
}
