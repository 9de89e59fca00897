import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { parseCsv } from '@talent-hub/subgraph-lib/csv';
import { sourceFile } from '@talent-hub/platform/paths';
import { applySeed, insertInChunks } from '@talent-hub/subgraph-lib/seed';
import type { SkillTable, TalentsDatabase } from '../db/types.js';
import { syntheticMentoring, writeDemoMentoring } from './mentoring.js';
import { syntheticConsents, syntheticPersonalData } from './personal.js';
import { syntheticAffiliations, syntheticRecordKey, syntheticTalents } from './synthetic.js';

/**
 * Bump when the demo data changes, so existing embedded databases are topped up on next start. The write below
 * therefore works on a database at any earlier version: it adds what is missing and never duplicates.
 * Version 2: personal data and consents of the demo talents. Version 3: affiliation histories, mentorships,
 * exchanges. Version 4: public profiles (about 70% of the demo talents publish theirs; migration 0006 made every
 * existing profile private).
 */
export const SEED_VERSION = 4;

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
    const personal = syntheticPersonalData(demo.talents);
    const ids = demo.talents.map((t) => t.id);
    // An erased demo talent stays erased: a later seed version must not bring it back.
    const erased = new Set((await trx.selectFrom('erased_talents').select('talent_id').where('talent_id', 'in', ids).execute()).map((r) => r.talent_id));
    const existing = new Set((await trx.selectFrom('talents').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    const isNew = (talentId: string) => !erased.has(talentId) && !existing.has(talentId);

    await trx.insertInto('skills').values(skills).onConflict((oc) => oc.column('uri').doNothing()).execute();
    await insertInChunks(trx, 'talents', demo.talents.filter((t) => isNew(t.id)).map((t) => ({ ...t, ...personal.get(t.id)! })));
    await insertInChunks(trx, 'talent_skills', demo.skills.filter((r) => isNew(r.talent_id)));
    await insertInChunks(trx, 'talent_languages', demo.languages.filter((r) => isNew(r.talent_id)));
    await insertInChunks(trx, 'residence_periods', demo.residences.filter((r) => isNew(r.talent_id)));

    // Profiles seeded before version 2 get their personal data, unless someone has given them some since.
    const older = demo.talents.filter((t) => existing.has(t.id));
    for (let i = 0; i < older.length; i += 200) {
      const rows = older.slice(i, i + 200).map((t) => {
        const p = personal.get(t.id)!;
        return sql`(${t.id}::uuid, ${p.given_name}, ${p.family_name}, ${p.email}, ${p.birth_year}::smallint, ${p.phone})`;
      });
      await sql`update talents set given_name = v.given_name, family_name = v.family_name, email = v.email,
          birth_year = v.birth_year, phone = v.phone
        from (values ${sql.join(rows)}) as v (id, given_name, family_name, email, birth_year, phone)
        where talents.id = v.id and talents.given_name is null and talents.family_name is null
          and talents.email is null and talents.birth_year is null and talents.phone is null`.execute(trx);
    }

    // Demo record keys from the ids (seed/synthetic.ts): the same statistics everywhere. Only demo rows: a key of a real
    // profile stays the database's random draw.
    const keyed = demo.talents.filter((t) => !erased.has(t.id)).map((t) => sql`(${t.id}::uuid, ${syntheticRecordKey(t.id)}::smallint)`);
    for (let i = 0; i < keyed.length; i += 500) {
      await sql`update talents set record_key = v.key from (values ${sql.join(keyed.slice(i, i + 500))}) as v (id, key)
        where talents.id = v.id and talents.synthetic`.execute(trx);
    }

    // Profiles seeded before version 4 publish theirs as the demo says, once: a database already at version 4 is
    // not brought here again, so a talent who unpublished since stays unpublished.
    const published = demo.talents.filter((t) => existing.has(t.id) && t.public_profile).map((t) => t.id);
    for (let i = 0; i < published.length; i += 500) {
      await trx.updateTable('talents').set({ public_profile: true }).where('id', 'in', published.slice(i, i + 500)).where('synthetic', '=', true).execute();
    }

    // Every demo talent still here gets its affiliation history (also those seeded before version 3).
    // A talent whose history someone has written since keeps it.
    const withHistory = new Set((await trx.selectFrom('affiliations').select('talent_id').distinct().where('talent_id', 'in', ids).execute()).map((r) => r.talent_id));
    await insertInChunks(trx, 'affiliations', syntheticAffiliations(demo.talents).filter((a) => !erased.has(a.talent_id) && !withHistory.has(a.talent_id)));

    const consents = syntheticConsents(demo.talents).filter((c) => !erased.has(c.talent_id));
    if (consents.length > 0) {
      await trx.insertInto('talent_consents').values(consents).onConflict((oc) => oc.columns(['talent_id', 'organisation_id']).doNothing()).execute();
    }

    // Mentoring capacities, learning goals, mentorships and exchanges (seed/mentoring.ts).
    await writeDemoMentoring(trx, syntheticMentoring(demo, skills.map((s) => s.uri), syntheticConsents(demo.talents)), erased);
  });
}
