import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { parseCsv } from '../../lib/csv.js';
import { sourceFile } from '../../lib/paths.js';
import { applySeed, insertInChunks } from '../../lib/seed.js';
import type { SkillTable, TalentsDatabase } from '../db/types.js';
import { syntheticTalents } from './synthetic.js';

/** Bump when the demo data changes, so existing embedded databases are topped up on next start. */
const SEED_VERSION = 1;

/** The ESCO skills the project ships (see seed/README.md for their source and licence). */
export function readEscoSkills(): SkillTable[] {
  return parseCsv(readFileSync(sourceFile(import.meta.url, 'esco-skills.csv'), 'utf8')).map((row) => ({
    uri: row.uri!,
    label: row.preferred_label!,
    skill_type: row.skill_type!,
    reuse_level: row.reuse_level!,
  }));
}

export function seed(db: Kysely<TalentsDatabase>): Promise<boolean> {
  return applySeed(db, 'talents', SEED_VERSION, async (trx) => {
    const skills = readEscoSkills();
    const demo = syntheticTalents(skills.map((s) => s.uri));
    await insertInChunks(trx, 'skills', skills);
    await insertInChunks(trx, 'talents', demo.talents);
    await insertInChunks(trx, 'talent_skills', demo.skills);
    await insertInChunks(trx, 'talent_languages', demo.languages);
    await insertInChunks(trx, 'residence_periods', demo.residences);
  });
}
