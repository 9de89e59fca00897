import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { likePrefix } from '@talent-hub/subgraph-lib/sql';
import { filteredTalents, type TalentFilter } from './repository.js';
import type { TalentsDatabase, TalentTable } from './types.js';

// Repository functions for the dashboard aggregates: `db` first, one SQL statement each, bounded results. They
// return raw counts; the resolvers protect them (small-cell suppression) before anything leaves the subgraph.

type Db = Kysely<TalentsDatabase>;

/** What talent statistics can be grouped by. */
export const TALENT_DIMENSIONS = ['REGION', 'CATEGORY', 'CITIZENSHIP', 'SKILL', 'CAREER_STAGE'] as const;
export type TalentDimension = (typeof TALENT_DIMENSIONS)[number];

/** One group of talents: the values of the grouped dimensions (null for the others) and how many talents. */
export interface TalentStatisticsRow {
  region_code: string | null;
  category: TalentTable['category'] | null;
  citizenship: string | null;
  career_stage: TalentTable['career_stage'];
  skill_uri: string | null;
  skill_label: string | null;
  skill_type: string | null;
  reuse_level: string | null;
  talents: number;
  /** The sum of the cell's talents' record keys (the cell key method, packages/subgraph-lib/disclosure.ts). */
  key_sum: number;
}

/**
 * Counts the talents matching a filter, grouped by the given dimensions, in one statement; at most `limit` rows
 * (ask for one more than you accept to tell that a result was cut). Groups without talents are not returned.
 *
 * - REGION groups by the residence region's ancestor at `regionLevel` (0 country … 3): its code is the first
 *   `regionLevel + 2` characters of the residence code (NUTS codes nest by prefix). A residence known only at
 *   a coarser level stays in its own, shorter code; talents without a residence form the group `null`.
 * - SKILL joins the talent's skills: a talent counts once in each of its skills' groups (a talent has a skill
 *   at most once), and talents without skills form the group `null`. The skill's fields come from the same
 *   statement, so a client asking for labels costs no second query.
 */
export function talentStatisticsQuery(
  db: Db,
  filter: TalentFilter,
  groupBy: readonly TalentDimension[],
  regionLevel: number,
  limit: number,
) {
  if (!Number.isInteger(regionLevel) || regionLevel < 0 || regionLevel > 3) throw new RangeError(`regionLevel ${regionLevel}`);
  const by = new Set(groupBy);
  // The level is a validated integer written as a literal, so the select list and GROUP BY hold the very same
  // expression (two parameters would be two different expressions to PostgreSQL).
  const region = sql<string | null>`left(talents.residence_region_code, ${sql.lit(regionLevel + 2)})`;
  const dimensions = {
    REGION: region,
    CATEGORY: sql<TalentTable['category'] | null>`talents.category`,
    CITIZENSHIP: sql<string | null>`cast(talents.citizenship as text)`,
    SKILL: sql<string | null>`ts.skill_uri`,
    CAREER_STAGE: sql<TalentTable['career_stage']>`talents.career_stage`,
  } satisfies Record<TalentDimension, RawBuilder<string | null>>;
  // A dimension not grouped by is null in every row (of the dimension's type, so rows keep their column types).
  const value = <T,>(d: TalentDimension, expression: RawBuilder<T>): RawBuilder<T | null> =>
    by.has(d) ? expression : sql<T | null>`cast(null as text)`;

  const groups = filteredTalents(db, filter)
    .$if(by.has('SKILL'), (q) => q.leftJoin('talent_skills as ts', 'ts.talent_id', 'talents.id'))
    .select([
      value('REGION', dimensions.REGION).as('region_code'),
      value('CATEGORY', dimensions.CATEGORY).as('category'),
      value('CITIZENSHIP', dimensions.CITIZENSHIP).as('citizenship'),
      value('SKILL', dimensions.SKILL).as('skill_uri'),
      value('CAREER_STAGE', dimensions.CAREER_STAGE).as('career_stage'),
      sql<number>`count(*)`.as('talents'),
      sql<number>`sum(talents.record_key)`.as('key_sum'),
    ])
    .groupBy(groupBy.map((d) => dimensions[d]));

  return labelledCells(db, groups, limit);
}

/** The grouped counts of a statistics statement (raw or from the rollups), before the skill fields are joined. */
type Cells = Pick<TalentStatisticsRow, 'region_code' | 'category' | 'citizenship' | 'skill_uri' | 'career_stage' | 'talents' | 'key_sum'>;

/**
 * The outer part shared by the raw statement and the rollups' (db/statistics-rollup.ts): joins the skill's fields,
 * orders the cells and bounds them, so that both give the same rows in the same order.
 */
export function labelledCells(db: Db, groups: SelectQueryBuilder<any, any, Cells>, limit: number) {
  return db
    .selectFrom(groups.as('c'))
    .leftJoin('skills as sk', 'sk.uri', 'c.skill_uri')
    .select([
      'c.region_code',
      'c.category',
      'c.citizenship',
      'c.career_stage',
      'c.skill_uri',
      'sk.label as skill_label',
      'sk.skill_type',
      'sk.reuse_level',
      'c.talents',
      'c.key_sum',
    ])
    .orderBy(sql`c.region_code asc nulls last`)
    .orderBy(sql`c.category asc nulls last`)
    .orderBy(sql`c.citizenship asc nulls last`)
    .orderBy(sql`sk.label asc nulls last`)
    .orderBy(sql`c.skill_uri asc nulls last`)
    .orderBy(sql`c.career_stage asc nulls last`)
    .limit(limit);
}

export function talentStatistics(
  db: Db,
  filter: TalentFilter,
  groupBy: readonly TalentDimension[],
  regionLevel: number,
  limit: number,
): Promise<TalentStatisticsRow[]> {
  return talentStatisticsQuery(db, filter, groupBy, regionLevel, limit).execute();
}

/** One arrival cohort: raw counts, and whether each horizon has passed by the "as of" date. */
export interface RetentionRow {
  /** First day of the quarter, 'YYYY-MM-DD'. */
  starts_on: string;
  arrivals: number;
  retained_6: number;
  retained_12: number;
  /** Sums of the record keys of the arrivals and of those retained (the cell key method). */
  arrivals_key: number;
  retained_6_key: number;
  retained_12_key: number;
  observable_6: boolean;
  observable_12: boolean;
}

export interface RetentionQuery {
  /** A validated NUTS code: the region and all its sub-regions. */
  regionCode: string;
  /** First day of the first and of the last quarter, 'YYYY-MM-DD'. */
  fromQuarter: string;
  toQuarter: string;
  /** The day the data is read as of: a horizon ending after it is not observable yet. */
  asOf: string;
}

/**
 * Arrival cohorts of a region (with its sub-regions) per quarter, in one statement; one row per quarter of the
 * range, also for quarters without arrivals.
 *
 * - An arrival is a residence period in the region starting in the quarter, whose talent's previous period (the
 *   latest one starting before it) was outside the region or does not exist. Moving between sub-regions is not
 *   an arrival in the region. A talent arriving twice in one quarter counts once, from the first arrival.
 * - Retained after N months: a period in the region covers the day N months after the arrival (the talent may
 *   have moved within the region meanwhile).
 * - A horizon is observable when it has passed for every possible arrival day of the quarter: last day of the
 *   quarter + N months <= `asOf`.
 *
 * Served by `residence_periods_region_idx (region_code text_pattern_ops, started_on)` for the arrivals and the
 * primary key `(talent_id, started_on)` for each arrival's previous and later periods.
 */
export function retentionQuery(query: RetentionQuery): RawBuilder<RetentionRow> {
  const { regionCode, fromQuarter, toQuarter, asOf } = query;
  // The prefix as an index range in `text_pattern_ops` operators, and as LIKE for the exact meaning.
  const inRegion = (column: string) =>
    sql`(${sql.ref(column)} ~>=~ ${regionCode} and ${sql.ref(column)} ~<~ ${`${regionCode}~`} and ${sql.ref(column)} like ${likePrefix(regionCode)})`;
  const retainedAfter = (months: 6 | 12) => sql`exists (
      select 1 from residence_periods s
      where s.talent_id = a.talent_id
        and ${inRegion('s.region_code')}
        and s.started_on <= cast(a.started_on + interval '${sql.raw(String(months))} months' as date)
        and (s.ended_on is null or s.ended_on >= cast(a.started_on + interval '${sql.raw(String(months))} months' as date)))`;
  const observable = (months: 6 | 12) =>
    sql`cast(q.starts_on + interval '3 months' - interval '1 day' + interval '${sql.raw(String(months))} months' as date) <= cast(${asOf} as date)`;

  return sql<RetentionRow>`
    with quarters as (
      select cast(q as date) as starts_on
      from generate_series(cast(${fromQuarter} as date), cast(${toQuarter} as date), interval '3 months') as q
    ),
    arrivals as (
      select distinct on (p.talent_id, quarter)
             cast(date_trunc('quarter', cast(p.started_on as timestamp)) as date) as quarter, p.talent_id, p.started_on
      from residence_periods p
      left join lateral (
        select prev.region_code
        from residence_periods prev
        where prev.talent_id = p.talent_id and prev.started_on < p.started_on
        order by prev.started_on desc
        limit 1
      ) prev on true
      where ${inRegion('p.region_code')}
        and p.started_on >= cast(${fromQuarter} as date)
        and p.started_on < cast(${toQuarter} as date) + interval '3 months'
        and (prev.region_code is null or not (prev.region_code like ${likePrefix(regionCode)}))
      order by p.talent_id, quarter, p.started_on
    ),
    cohorts as (
      select a.quarter, count(*) as arrivals,
             count(*) filter (where ${retainedAfter(6)}) as retained_6,
             count(*) filter (where ${retainedAfter(12)}) as retained_12,
             sum(t.record_key) as arrivals_key,
             coalesce(sum(t.record_key) filter (where ${retainedAfter(6)}), 0) as retained_6_key,
             coalesce(sum(t.record_key) filter (where ${retainedAfter(12)}), 0) as retained_12_key
      from arrivals a
      join talents t on t.id = a.talent_id
      group by a.quarter
    )
    select to_char(q.starts_on, 'YYYY-MM-DD') as starts_on,
           coalesce(c.arrivals, 0) as arrivals,
           coalesce(c.retained_6, 0) as retained_6,
           coalesce(c.retained_12, 0) as retained_12,
           coalesce(c.arrivals_key, 0) as arrivals_key,
           coalesce(c.retained_6_key, 0) as retained_6_key,
           coalesce(c.retained_12_key, 0) as retained_12_key,
           ${observable(6)} as observable_6,
           ${observable(12)} as observable_12
    from quarters q
    left join cohorts c on c.quarter = q.starts_on
    order by q.starts_on`;
}

export async function talentRetention(db: Db, query: RetentionQuery): Promise<RetentionRow[]> {
  return (await retentionQuery(query).execute(db)).rows;
}
