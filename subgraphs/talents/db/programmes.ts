import { sql, type Kysely } from 'kysely';
import type { TalentsDatabase } from './types.js';

// What this subgraph knows about programmes (owned by regions): the talents it links to them.

type Db = Kysely<TalentsDatabase>;

/**
 * Distinct talents linked to each programme, in one statement for several programmes: mentors and mentees of its
 * mentorships that started (ACTIVE, COMPLETED, or ENDED_EARLY after starting), and talents of its accepted or
 * completed exchanges. Programmes without any are not returned. Served by the `*_programme_idx` partial indexes.
 */
export async function countParticipants(db: Db, programmeIds: readonly string[]): Promise<{ programme_id: string; talents: number; key_sum: number }[]> {
  const ids = [...programmeIds];
  // key_sum: the sum of the distinct talents' record keys (the cell key method).
  const { rows } = await sql<{ programme_id: string; talents: number; key_sum: number }>`
    select programme_id, cast(count(*) as integer) as talents, cast(sum(t.record_key) as integer) as key_sum
    from (select distinct programme_id, talent_id from (
      select programme_id, mentor_id as talent_id from mentorships
      where programme_id = any(cast(${ids} as text[])) and starts_on is not null
        and status in ('ACTIVE', 'COMPLETED', 'ENDED_EARLY')
      union all
      select programme_id, mentee_id from mentorships
      where programme_id = any(cast(${ids} as text[])) and starts_on is not null
        and status in ('ACTIVE', 'COMPLETED', 'ENDED_EARLY')
      union all
      select programme_id, talent_id from exchanges
      where programme_id = any(cast(${ids} as text[])) and status in ('ACCEPTED', 'COMPLETED')
    ) linked) people
    join talents t on t.id = people.talent_id
    group by programme_id`.execute(db);
  return rows;
}
