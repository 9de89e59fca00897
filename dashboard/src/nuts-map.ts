import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { merge } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { echarts } from './charts.js';

// The NUTS boundaries (public/nuts-2021.topo.json, made by scripts/nuts-boundaries.ts): NUTS 3 regions only. A
// region of a higher level is the union of the NUTS 3 regions its code prefixes (ITH5 = ITH51 + ... + ITH59), so
// each level's map is merged here once and registered with ECharts as `nuts<level>`.

type Boundaries = Topology<{ nuts3: GeometryCollection }>;

let boundaries: Promise<Boundaries> | undefined;
const registered = new Map<number, Set<string>>();

async function loadBoundaries(): Promise<Boundaries> {
  const response = await fetch(`${import.meta.env.BASE_URL}nuts-2021.topo.json`);
  if (!response.ok) throw new Error(`The map's boundaries could not be loaded: HTTP ${response.status}`);
  return (await response.json()) as Boundaries;
}

/** Registers the map of NUTS `level` (0 to 3) with ECharts; returns its name and the codes it has shapes for. */
export async function nutsMap(level: number): Promise<{ name: string; codes: Set<string> }> {
  const name = `nuts${level}`;
  const known = registered.get(level);
  if (known) return { name, codes: known };
  let topology: Boundaries;
  try {
    topology = await (boundaries ??= loadBoundaries());
  } catch (error) {
    boundaries = undefined;
    throw error;
  }
  const groups = new Map<string, GeometryCollection['geometries']>();
  for (const geometry of topology.objects.nuts3.geometries) {
    const code = String(geometry.id).slice(0, level + 2);
    groups.set(code, [...(groups.get(code) ?? []), geometry]);
  }
  const features: Feature<MultiPolygon, { name: string }>[] = [...groups].map(([code, geometries]) => ({
    type: 'Feature',
    properties: { name: code },
    geometry: merge(topology, geometries as never),
  }));
  const collection: FeatureCollection<MultiPolygon, { name: string }> = { type: 'FeatureCollection', features };
  echarts.registerMap(name, collection as never);
  const codes = new Set(groups.keys());
  registered.set(level, codes);
  return { name, codes };
}
