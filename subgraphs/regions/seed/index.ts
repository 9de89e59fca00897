import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { parseCsv } from '@talent-hub/subgraph-lib/csv';
import { sourceFile } from '@talent-hub/platform/paths';
import { applySeed, insertInChunks } from '@talent-hub/subgraph-lib/seed';
import type { RegionTable, RegionsDatabase } from '../db/types.js';
import * as data from './data.js';

/** Bump when the demo data changes, so existing embedded databases are topped up on next start. */
const SEED_VERSION = 1;

/** Every NUTS 2024 region, parents before children (the file is sorted by code, and a parent's code is a prefix). */
export function readNutsRegions(): RegionTable[] {
  const rows = parseCsv(readFileSync(sourceFile(import.meta.url, 'nuts-2024.csv'), 'utf8'));
  return rows.map((row) => ({
    code: row.code!,
    name: row.name!,
    level: Number(row.level),
    country_code: row.code!.slice(0, 2),
    parent_code: row.parent || null,
  }));
}

export function seed(db: Kysely<RegionsDatabase>): Promise<boolean> {
  return applySeed(db, 'regions', SEED_VERSION, async (trx) => {
    await insertInChunks(trx, 'regions', readNutsRegions());
    await insertInChunks(trx, 'organisations', data.organisations.filter((o) => !o.parent_id));
    await insertInChunks(trx, 'organisations', data.organisations.filter((o) => o.parent_id));
    await insertInChunks(trx, 'organisation_leaders', data.leaders);
    await insertInChunks(trx, 'organisation_figures', data.keyFigures);
    await insertInChunks(trx, 'programmes', data.programmes);
    await insertInChunks(trx, 'programme_legal_acts', data.legalActs);
    await insertInChunks(trx, 'programme_partners', data.partners);
    await insertInChunks(trx, 'programme_regions', data.programmeRegions);
    await insertInChunks(trx, 'projects', data.projects);
    await insertInChunks(trx, 'programme_services', data.services);
    await insertInChunks(trx, 'indicators', data.indicators);
  });
}
