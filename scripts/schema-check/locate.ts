import type { Location } from './findings.js';
import type { SdlIndex } from './sdl-index.js';
import type { SubgraphVersions } from './versions.js';

// Where an element is written: its line in the subgraph file now, or, when it was removed, its line in the base
// version of the file (saying so). Elements of the API schema are found in the subgraph files that define them.

export interface Locator {
  inSubgraph(subgraph: SubgraphVersions, coordinate: string | undefined): Location[];
  /**
   * The subgraph files that define an element of the API schema; failing that, its line in the API schema itself
   * (`apiLine` in the schema composed now, else its line in the base's committed file).
   */
  inApi(coordinate: string | undefined, apiLine?: number, baseApi?: SdlIndex): Location[];
}

export const apiFile = 'schema/api.graphql';

export function locator(subgraphs: readonly SubgraphVersions[], baseLabel: string): Locator {
  const find = (among: readonly SubgraphVersions[], coordinate: string): Location[] => {
    for (const candidate of candidates(coordinate)) {
      const now = among.flatMap((s) => lineIn(s.current?.index, candidate, s.file));
      if (now.length > 0) return now;
      const before = among.flatMap((s) => lineIn(s.base?.index, candidate, s.file, baseLabel));
      if (before.length > 0) return before;
    }
    return [];
  };
  return {
    inSubgraph: (subgraph, coordinate) => (coordinate ? find([subgraph], coordinate) : [{ file: subgraph.file, line: 1 }]),
    inApi(coordinate, apiLine, baseApi) {
      if (!coordinate) return [];
      const found = find(subgraphs, coordinate);
      if (found.length > 0) return found;
      // `npm run compose` writes the composed API schema below a one-line header.
      if (apiLine) return [{ file: apiFile, line: apiLine + 1 }];
      const baseLine = baseApi?.elements.get(coordinate)?.line;
      return baseLine ? [{ file: apiFile, line: baseLine, atBase: baseLabel }] : [];
    },
  };
}

/** The element itself; failing that, its field (for an argument gone with it), then its type. */
function candidates(coordinate: string): string[] {
  const list = [coordinate];
  if (coordinate.includes('(')) list.push(coordinate.split('(')[0]!);
  if (!coordinate.startsWith('@') && coordinate.includes('.')) list.push(coordinate.split('.')[0]!);
  return list;
}

function lineIn(index: SdlIndex | undefined, coordinate: string, file: string, atBase?: string): Location[] {
  const element = index?.elements.get(coordinate);
  return element ? [{ file, line: element.line, ...(atBase ? { atBase } : {}) }] : [];
}
