import { sql, type Kysely } from 'kysely';
import type { TalentsDatabase } from './types.js';

// Retention across the member organisations of a network, from the talents' affiliations: raw counts, one
// statement each for the cohorts and the flows. The resolver protects them (small cells) before they leave.

type Db = Kysely<TalentsDatabase>;

export interface NetworkRetentionQuery {
  /** The network's member organisations (slugs); the caller read them from the regions subgraph. */
  members: readonly string[];
  /** First day of the first and of the last quarter, 'YYYY-MM-DD'. */
  fromQuarter: string;
  toQuarter: string;
  /** The day the data is read as of. */
  asOf: string;
}

/** One joining cohort: raw counts, and whether each horizon has passed by the "as of" day. */
export interface NetworkCohortRow {
  starts_on: string;
  joiners: number;
  retained_6: number;
  retained_12: number;
  retained_24: number;
  /** Sums of the record keys of the joiners and of those retained (the cell key method). */
  joiners_key: number;
  retained_6_key: number;
  retained_12_key: number;
  retained_24_key: number;
  observable_6: boolean;
  observable_12: boolean;
  observable_24: boolean;
}

/** Talents who left `from_id` for `to_id` (null: out of the network). */
export interface NetworkFlowRow {
  from_id: string;
  to_id: string | null;
  talents: number;
  /** The sum of the flow's talents' record keys (the cell key method). */
  key_sum: number;
}

const HORIZONS = [6, 12, 24] as const;

/** The affiliations' write counter (bigint, as text): it changes in the transaction of every write. */
export async function affiliationsVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('data_versions').select('version').where('name', '=', 'affiliations').executeTakeFirstOrThrow();
  return String(row.version);
}
const afterMonths = (column: string, months: number) => sql`cast(${sql.ref(column)} + interval '${sql.raw(String(months))} months' as date)`;

/**
 * Joining cohorts per quarter of the range, one row per quarter (also without joiners).
 *
 * Each candidate (an affiliation with a member starting in the range, found by
 * `affiliations_organisation_start_idx`) costs one probe of `affiliations_talent_idx`, which answers at once
 * whether the talent was with a member the day before (then it is no joining) and whether it still is 6, 12 and
 * 24 months later.
 */
export async function networkCohorts(db: Db, query: NetworkRetentionQuery): Promise<NetworkCohortRow[]> {
  const { members, fromQuarter, toQuarter, asOf } = query;
  const covers = (day: ReturnType<typeof afterMonths>) => sql`bool_or(b.started_on <= ${day} and (b.ended_on is null or b.ended_on >= ${day}))`;
  const observable = (months: number) =>
    sql`cast(q.starts_on + interval '3 months' - interval '1 day' + interval '${sql.raw(String(months))} months' as date) <= cast(${asOf} as date)`;
  const { rows } = await sql<NetworkCohortRow>`
    with quarters as (
      select cast(q as date) as starts_on
      from generate_series(cast(${fromQuarter} as date), cast(${toQuarter} as date), interval '3 months') as q
    ),
    joins as (
      select distinct on (a.talent_id, quarter)
             cast(date_trunc('quarter', cast(a.started_on as timestamp)) as date) as quarter,
             x.r6, x.r12, x.r24, t.record_key as rk
      from affiliations a
      join talents t on t.id = a.talent_id
      cross join lateral (
        select bool_or(b.started_on < a.started_on and (b.ended_on is null or b.ended_on >= a.started_on - 1)) as continuing,
               ${covers(afterMonths('a.started_on', 6))} as r6,
               ${covers(afterMonths('a.started_on', 12))} as r12,
               ${covers(afterMonths('a.started_on', 24))} as r24
        from affiliations b
        where b.talent_id = a.talent_id and b.organisation_id = any(cast(${members} as text[]))
      ) x
      where a.organisation_id = any(cast(${members} as text[]))
        and a.started_on >= cast(${fromQuarter} as date)
        and a.started_on < cast(${toQuarter} as date) + interval '3 months'
        and not coalesce(x.continuing, false)
      order by a.talent_id, quarter, a.started_on
    ),
    cohorts as (
      select quarter, count(*) as joiners,
             count(*) filter (where r6) as retained_6,
             count(*) filter (where r12) as retained_12,
             count(*) filter (where r24) as retained_24,
             sum(rk) as joiners_key,
             sum(rk) filter (where r6) as retained_6_key,
             sum(rk) filter (where r12) as retained_12_key,
             sum(rk) filter (where r24) as retained_24_key
      from joins
      group by quarter
    )
    select to_char(q.starts_on, 'YYYY-MM-DD') as starts_on,
           cast(coalesce(c.joiners, 0) as integer) as joiners,
           cast(coalesce(c.retained_6, 0) as integer) as retained_6,
           cast(coalesce(c.retained_12, 0) as integer) as retained_12,
           cast(coalesce(c.retained_24, 0) as integer) as retained_24,
           cast(coalesce(c.joiners_key, 0) as integer) as joiners_key,
           cast(coalesce(c.retained_6_key, 0) as integer) as retained_6_key,
           cast(coalesce(c.retained_12_key, 0) as integer) as retained_12_key,
           cast(coalesce(c.retained_24_key, 0) as integer) as retained_24_key,
           ${observable(HORIZONS[0])} as observable_6,
           ${observable(HORIZONS[1])} as observable_12,
           ${observable(HORIZONS[2])} as observable_24
    from quarters q
    left join cohorts c on c.quarter = q.starts_on
    order by q.starts_on`.execute(db);
  return rows;
}

/**
 * Departures from members in the range, at least 6 months before "as of", by where the talents went: the member of
 * an affiliation covering the day after, else of the first one starting within 6 months after; none: out of the
 * network. A departure whose destination is the same organisation (back within 6 months, or a parallel period)
 * is no departure. One probe of `affiliations_talent_idx` per departure (found by
 * `affiliations_organisation_end_idx`).
 */
export async function networkFlows(db: Db, query: NetworkRetentionQuery): Promise<NetworkFlowRow[]> {
  const { members, fromQuarter, toQuarter, asOf } = query;
  const { rows } = await sql<NetworkFlowRow>`
    select d.organisation_id as from_id, dest.organisation_id as to_id, cast(count(*) as integer) as talents,
           cast(sum(t.record_key) as integer) as key_sum
    from affiliations d
    join talents t on t.id = d.talent_id
    left join lateral (
      select b.organisation_id
      from affiliations b
      where b.talent_id = d.talent_id and b.organisation_id = any(cast(${members} as text[]))
        and b.started_on <= ${afterMonths('d.ended_on', 6)}
        and (b.ended_on is null or b.ended_on > d.ended_on)
      order by b.started_on > d.ended_on + 1, b.started_on, b.organisation_id
      limit 1
    ) dest on true
    where d.organisation_id = any(cast(${members} as text[]))
      and d.ended_on >= cast(${fromQuarter} as date)
      and d.ended_on < cast(${toQuarter} as date) + interval '3 months'
      and ${afterMonths('d.ended_on', 6)} <= cast(${asOf} as date)
      and dest.organisation_id is distinct from d.organisation_id
    group by d.organisation_id, dest.organisation_id
    order by d.organisation_id, dest.organisation_id nulls last`.execute(db);
  return rows;
}
