import type { OrganisationTable, ProgrammeTable } from '@talent-hub/regions/db/types';
import * as regionsSeed from '@talent-hub/regions/seed/data';
import { readNutsRegions } from '@talent-hub/regions/seed/index';
import { readEscoSkills } from '@talent-hub/talents/seed/index';
import { RESIDENCE_REGIONS } from '@talent-hub/talents/seed/synthetic';
import { EU_COUNTRIES } from './places.js';

/** What generated rows may point at: the seed files of the subgraphs, read once. */
export interface Reference {
  /** Every NUTS 2024 code, with its level. */
  nutsLevels: ReadonlyMap<string, number>;
  /** Level-3 regions of EU member states: where generated talents live. */
  euRegions: readonly string[];
  /** Level-3 regions by NUTS country code (EU and the other countries NUTS covers). */
  regionsByCountry: ReadonlyMap<string, readonly string[]>;
  /** Regions that draw more talents (the demo seed's residence regions: Emilia-Romagna, Catalonia, …). */
  focusRegions: readonly string[];
  /** ESCO skill URIs the talents subgraph knows. */
  skillUris: readonly string[];
  organisations: ReadonlyMap<string, OrganisationTable>;
  programmes: ReadonlyMap<string, ProgrammeTable>;
}

export function loadReference(): Reference {
  const nuts = readNutsRegions();
  const eu = new Set(EU_COUNTRIES.map(([code]) => code));
  const regionsByCountry = new Map<string, string[]>();
  for (const region of nuts) {
    if (region.level !== 3) continue;
    const list = regionsByCountry.get(region.country_code) ?? [];
    list.push(region.code);
    regionsByCountry.set(region.country_code, list);
  }
  return {
    nutsLevels: new Map(nuts.map((r) => [r.code, r.level])),
    euRegions: nuts.filter((r) => r.level === 3 && eu.has(r.country_code)).map((r) => r.code),
    regionsByCountry,
    focusRegions: RESIDENCE_REGIONS,
    skillUris: readEscoSkills().map((s) => s.uri),
    organisations: new Map(regionsSeed.organisations.map((o) => [o.id, o])),
    programmes: new Map(regionsSeed.programmes.map((p) => [p.id, p])),
  };
}

/** Throws when an id the generator relies on is missing from the seed, so a seed change fails loudly, not later. */
export function requireOrganisation(reference: Reference, id: string): OrganisationTable {
  const organisation = reference.organisations.get(id);
  if (!organisation) throw new Error(`The regions seed has no organisation "${id}"; update scripts/generate/events.ts`);
  return organisation;
}

export function requireProgramme(reference: Reference, id: string): ProgrammeTable {
  const programme = reference.programmes.get(id);
  if (!programme) throw new Error(`The regions seed has no programme "${id}"; update scripts/generate/events.ts`);
  return programme;
}
