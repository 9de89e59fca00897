import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { parseCsv } from '@talent-hub/subgraph-lib/csv';
import { sourceFile } from '@talent-hub/platform/paths';
import { insertInChunks } from '@talent-hub/subgraph-lib/seed';
import { readEscoSkills } from '../seed/index.js';
import type { TalentsDatabase } from '../db/types.js';

// Test fixture (not a test file): fills an empty, migrated `talents` database with many synthetic talents in a few
// `insert ... select ... from generate_series(...)` statements, so plan tests see realistic sizes in seconds.
// Values are spread with hashtext(), deterministic for a given count: real NUTS 2024 level-3 codes, the shipped
// ESCO skills, CEFR levels, ISO country codes. The data generator under scripts/ makes the real large data sets.

const LANGUAGES = ['en', 'fr', 'it', 'es', 'de', 'pl', 'pt', 'ca', 'ga', 'nl', 'el', 'ro', 'uk', 'ar'];
const CITIZENSHIPS = ['IT', 'ES', 'IE', 'BE', 'FR', 'DE', 'AT', 'PL', 'PT', 'GR', 'RO', 'NL', 'SE', 'UA', 'MA', 'IN', 'BR', 'CO', 'TR', 'NG'];

/** Every NUTS 2024 level-3 code, from the regions subgraph's reference data (read-only, as the seed test does). */
export function nutsLevel3Codes(): string[] {
  const rows = parseCsv(readFileSync(sourceFile(import.meta.url, '../../regions/seed/nuts-2024.csv'), 'utf8'));
  return rows.filter((r) => r.level === '3').map((r) => r.code!);
}

/** A pseudo-random integer in [0, n) from a row number and a salt. */
const pick = (salt: string, n: number) => sql`((hashtext(g::text || ${salt}) & 2147483647) % ${sql.lit(n)})`;

export async function loadLargeTalentData(db: Kysely<TalentsDatabase>, count: number): Promise<void> {
  const skills = readEscoSkills();
  await insertInChunks(db, 'skills', skills);
  const regions = nutsLevel3Codes();
  const skillUris = skills.map((s) => s.uri);

  // One transaction that defers the statistics rollups (migration 0007) instead of maintaining them for every row,
  // and leaves them stale: statistics read here count the talents, with the raw statements whose plans these tests
  // check.
  await db.transaction().execute(async (trx) => {
    await sql`set local talent_hub.rollups = 'deferred'`.execute(trx);
    await insertLargeTalentData(trx, count, regions, skillUris);
  });
  await sql`vacuum analyze`.execute(db);
}

async function insertLargeTalentData(db: Kysely<TalentsDatabase>, count: number, regions: string[], skillUris: string[]): Promise<void> {
  // Talents: id = md5 of the row number as a UUID; category, citizenship, region, organisation, stage spread.
  await sql`
    insert into talents (id, display_name, category, citizenship, residence_region_code, origin_region_code,
                         organisation_id, education_level, career_stage, interests, status, joined_on, synthetic)
    select md5('talent:' || g)::uuid,
           'Talent ' || g,
           (array['YOUNG_PROFESSIONAL','INTERNATIONAL_TALENT','RETURNEE','RESEARCHER','STUDENT'])[1 + ${pick('c', 5)}],
           (cast(${CITIZENSHIPS} as text[]))[1 + ${pick('n', CITIZENSHIPS.length)}],
           (cast(${regions} as text[]))[1 + ${pick('r', regions.length)}],
           (cast(${regions} as text[]))[1 + ${pick('o', regions.length)}],
           (array['cemr','eurocities','uclg'])[1 + g % 3],
           5 + ${pick('e', 4)},
           (array['EARLY_CAREER','MID_CAREER','SENIOR'])[1 + ${pick('s', 3)}],
           array['cohesion policy'],
           'ACTIVE',
           date '2019-01-01' + ${pick('j', 2400)},
           true
    from generate_series(1, ${count}) g`.execute(db);

  // 1 to 5 distinct skills per talent (steps of 7 stay distinct below 13 modulo 91).
  await sql`
    insert into talent_skills (talent_id, skill_uri, level)
    select md5('talent:' || g)::uuid,
           (cast(${skillUris} as text[]))[1 + ((${pick('k', skillUris.length)} + 7 * k) % ${sql.lit(skillUris.length)})],
           (array['BASIC','INTERMEDIATE','ADVANCED','EXPERT'])[1 + ((g + k) % 4)]
    from generate_series(1, ${count}) g, generate_series(0, 4) k
    where k <= ${pick('m', 5)}`.execute(db);

  // A native language (C2) and up to two more at any level.
  await sql`
    insert into talent_languages (talent_id, language, level)
    select md5('talent:' || g)::uuid,
           (cast(${LANGUAGES} as text[]))[1 + ((${pick('l', LANGUAGES.length)} + 3 * k) % ${sql.lit(LANGUAGES.length)})],
           case when k = 0 then 'C2' else (array['A1','A2','B1','B2','C1','C2'])[1 + ((g * 7 + k) % 6)] end
    from generate_series(1, ${count}) g, generate_series(0, 2) k
    where k <= ${pick('q', 3)}`.execute(db);

  // Residence: 60% moved from their origin region some months before joining.
  await sql`
    insert into residence_periods (talent_id, region_code, started_on, ended_on)
    select t.id, p.region_code, p.started_on, p.ended_on
    from generate_series(1, ${count}) g
    join talents t on t.id = md5('talent:' || g)::uuid
    cross join lateral (select t.joined_on - (30 + ${pick('a', 700)}) as arrived, ${pick('v', 10)} < 6 as moved) m
    cross join lateral (
      select t.origin_region_code as region_code, m.arrived - (365 + ${pick('b', 2500)}) as started_on, m.arrived - 1 as ended_on
      where m.moved
      union all
      select t.residence_region_code, case when m.moved then m.arrived else m.arrived - 3000 end, null
    ) p`.execute(db);
}
