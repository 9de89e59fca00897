import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { parseCsv } from '@talent-hub/subgraph-lib/csv';
import { sourceFile } from '@talent-hub/platform/paths';
import { applySeed } from '@talent-hub/subgraph-lib/seed';
import type { RegionTable, RegionsDatabase } from '../db/types.js';
import * as data from './data.js';

/**
 * Bump when the demo data changes, so existing embedded databases are topped up on next start. The write below
 * therefore works on a database at any earlier version: it adds the rows that are missing (by primary key) and
 * never duplicates nor overwrites one, so values changed since (an indicator updated by its editors) are kept.
 * Version 2: the Talent Hub network (organisation `talent-hub`) and the memberships of networks.
 */
export const SEED_VERSION = 2;

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

/**
 * Inserts the rows the table lacks, in chunks far below PostgreSQL's limit of 65,535 parameters per statement;
 * a row whose key is already there is left as it is.
 */
async function insertMissing<T extends object>(db: Kysely<any>, table: string, rows: readonly T[], chunkSize = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + chunkSize) as T[])
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export function seed(db: Kysely<RegionsDatabase>): Promise<boolean> {
  return applySeed(db, 'regions', SEED_VERSION, async (trx) => {
    await insertMissing(trx, 'regions', readNutsRegions());
    await insertMissing(trx, 'organisations', data.organisations.filter((o) => !o.parent_id));
    await insertMissing(trx, 'organisations', data.organisations.filter((o) => o.parent_id));
    await insertMissing(trx, 'organisation_leaders', data.leaders);
    await insertMissing(trx, 'organisation_figures', data.keyFigures);
    await insertMissing(trx, 'organisation_memberships', data.memberships);
    await insertMissing(trx, 'programmes', data.programmes);
    await insertMissing(trx, 'programme_legal_acts', data.legalActs);
    await insertMissing(trx, 'programme_partners', data.partners);
    await insertMissing(trx, 'programme_regions', data.programmeRegions);
    await insertMissing(trx, 'projects', data.projects);
    await insertMissing(trx, 'programme_services', data.services);
    await insertMissing(trx, 'indicators', data.indicators);
  });
}
