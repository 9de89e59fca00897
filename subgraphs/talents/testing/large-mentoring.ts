import { sql, type Kysely } from 'kysely';
import { readEscoSkills } from '../seed/index.js';
import type { TalentsDatabase } from '../db/types.js';

// Test fixture (not a test file): mentoring and exchanges over the talents of loadLargeTalentData (large-data.ts),
// in a few `insert ... select ... from generate_series(...)` statements: 8% of the talents mentor (capacity 1 to 5),
// 30% have 1 to 3 learning goals, each mentor has an ACTIVE, a PROPOSED (with a capacity of 2 or more) and a
// COMPLETED mentorship with talents of its own organisation, and one talent in ten an exchange. At 100,000 talents:
// about 8,000 mentors, 20,000 mentorships and 10,000 exchanges, like the data generator's.

const pick = (salt: string, n: number) => sql`((hashtext(g::text || ${salt}) & 2147483647) % ${sql.lit(n)})`;
const talentId = (index: ReturnType<typeof sql>) => sql`md5('talent:' || (${index}))::uuid`;

export async function loadLargeMentoringData(db: Kysely<TalentsDatabase>, count: number): Promise<void> {
  const skillUris = readEscoSkills().map((s) => s.uri);
  const skill = (salt: string, k: string) =>
    sql`(cast(${skillUris} as text[]))[1 + ((${pick(salt, skillUris.length)} + 7 * ${sql.raw(k)}) % ${sql.lit(skillUris.length)})]`;

  await sql`
    update talents t set mentoring_capacity = 1 + ${pick('capacity', 5)}
    from generate_series(1, ${count}) g
    where t.id = ${talentId(sql`g`)} and ${pick('mentor', 100)} < 8`.execute(db);

  await sql`
    insert into talent_learning_goals (talent_id, skill_uri)
    select ${talentId(sql`g`)}, ${skill('goal', 'k')}
    from generate_series(1, ${count}) g, generate_series(0, 2) k
    where ${pick('learner', 10)} < 3 and k <= ${pick('goals', 3)}`.execute(db);

  // Mentees three talents on (the same organisation in large-data.ts's round robin), so no pair repeats.
  await sql`
    insert into mentorships (id, mentor_id, mentee_id, organisation_id, status, starts_on, ends_on, meetings, proposed_at, synthetic)
    select md5('mentorship:' || g || ':' || k)::uuid, t.id, ${talentId(sql`((g - 1 + 3 * (k + 1)) % ${count}) + 1`)}, t.organisation_id,
           case k when 0 then 'ACTIVE' when 1 then 'PROPOSED' else 'COMPLETED' end,
           case k when 0 then date '2024-06-01' when 1 then null else date '2023-01-01' end,
           case k when 2 then date '2023-06-30' else null end,
           case k when 2 then 8 else 2 end,
           timestamptz '2023-01-01 00:00Z' + g * interval '7 minutes',
           true
    from generate_series(1, ${count}) g
    join talents t on t.id = ${talentId(sql`g`)}
    cross join generate_series(0, 2) k
    where t.mentoring_capacity > 0 and (k <> 1 or t.mentoring_capacity >= 2)
    on conflict do nothing`.execute(db);

  await sql`
    insert into mentorship_goals (mentorship_id, skill_uri)
    select distinct m.id, (cast(${skillUris} as text[]))[1 + ((hashtext(m.id::text) & 2147483647) + 11 * j) % ${sql.lit(skillUris.length)}]
    from mentorships m, generate_series(0, 1) j`.execute(db);

  await sql`
    insert into exchanges (id, talent_id, home_organisation_id, host_organisation_id, kind, region_code, starts_on, ends_on, status, proposed_at, synthetic)
    select md5('exchange:' || g)::uuid, t.id, t.organisation_id,
           case t.organisation_id when 'eurocities' then 'cemr' else 'eurocities' end,
           (array['SECONDMENT','STUDY_VISIT','JOB_SHADOWING','TRAINEESHIP'])[1 + ${pick('kind', 4)}],
           'BE100',
           date '2021-01-01' + ${pick('start', 2000)},
           date '2021-01-01' + ${pick('start', 2000)} + ${pick('length', 60)},
           (array['PROPOSED','ACCEPTED','DECLINED','COMPLETED','CANCELLED'])[1 + ${pick('status', 5)}],
           timestamptz '2020-12-01 00:00Z' + g * interval '13 minutes',
           true
    from generate_series(1, ${count}) g
    join talents t on t.id = ${talentId(sql`g`)}
    where g % 10 = 0`.execute(db);

  await sql`vacuum analyze`.execute(db);
}
