import { sql, type Kysely, type RawBuilder } from 'kysely';
import { likePrefix } from '@talent-hub/subgraph-lib/sql';
import type { TalentFilter } from './repository.js';
import { labelledCells, talentStatistics, type TalentDimension, type TalentStatisticsRow } from './statistics.js';
import type { TalentsDatabase, TalentTable } from './types.js';

// talentStatistics from the rollups of migration 0007: the cells of the smallest kept shape that holds every
// dimension the request groups and filters by, summed into the requested groups. Same rows, same order, same
// counts and record-key sums as the raw statement (db/statistics.ts), which answers whatever the rollups cannot:
// filters on columns they do not keep, a skill filter with SKILL grouping (it needs each talent's other skills),
// a grouping no shape holds, and any request while a bulk load has left them stale.

type Db = Kysely<TalentsDatabase>;

/** Filters the rollups can apply; any other filter set (now or added later) goes to the raw statement. */
const COVERED_FILTERS = new Set<keyof TalentFilter>(['category', 'citizenship', 'regionCode', 'skillUri']);

/** Whether the rollups can answer this request at all (a shape for it is looked up in the statement). */
export function rollupCovers(filter: TalentFilter, groupBy: readonly TalentDimension[]): boolean {
  const filters = (Object.keys(filter) as (keyof TalentFilter)[]).filter((key) => filter[key] != null);
  if (!filters.every((key) => COVERED_FILTERS.has(key))) return false;
  return !(filter.skillUri != null && groupBy.includes('SKILL'));
}

/**
 * The rollup statement. Its rows equal the raw statement's, or it returns none: when no shape holds the request,
 * or the rollups are stale. One statement: the shape is chosen inside it, the skill fields joined as the raw
 * statement joins them.
 */
export function rollupStatisticsQuery(
  db: Db,
  filter: TalentFilter,
  groupBy: readonly TalentDimension[],
  regionLevel: number,
  limit: number,
) {
  if (!Number.isInteger(regionLevel) || regionLevel < 0 || regionLevel > 3) throw new RangeError(`regionLevel ${regionLevel}`);
  const by = new Set(groupBy);
  // The finest region level the request needs: its grouping level, and the level of a region filter's code.
  const regionLevels = [...(by.has('REGION') ? [regionLevel] : []), ...(filter.regionCode != null ? [filter.regionCode.length - 2] : [])];
  const needs = {
    category: by.has('CATEGORY') || filter.category != null,
    citizenship: by.has('CITIZENSHIP') || filter.citizenship != null,
    career_stage: by.has('CAREER_STAGE'),
    skill: by.has('SKILL') || filter.skillUri != null,
  };
  // A shape keeping a dimension the request does not need is summed over it; one not keeping a needed one is out.
  const keeps = (flag: string, needed: boolean) => (needed ? sql`and ${sql.ref(`s.${flag}`)}` : sql``);
  const shape = sql<number>`(
    select s.id from talent_statistics_shapes s
    where s.ready
      ${regionLevels.length > 0 ? sql`and s.region_level >= ${sql.lit(Math.max(...regionLevels))}` : sql``}
      ${keeps('has_category', needs.category)} ${keeps('has_citizenship', needs.citizenship)}
      ${keeps('has_career_stage', needs.career_stage)} ${keeps('has_skill', needs.skill)}
    order by s.estimate, s.id
    limit 1)`;

  // The same expressions as the raw statement's select list, over the rollup's columns: a coarser region is the
  // first characters of a finer one (NUTS codes nest by prefix).
  const dimensions = {
    REGION: sql<string | null>`left(r.region_code, ${sql.lit(regionLevel + 2)})`,
    CATEGORY: sql<TalentTable['category'] | null>`r.category`,
    CITIZENSHIP: sql<string | null>`r.citizenship`,
    SKILL: sql<string | null>`r.skill_uri`,
    CAREER_STAGE: sql<TalentTable['career_stage']>`r.career_stage`,
  } satisfies Record<TalentDimension, RawBuilder<string | null>>;
  const value = <T,>(d: TalentDimension, expression: RawBuilder<T>): RawBuilder<T | null> => (by.has(d) ? expression : sql<T | null>`cast(null as text)`);

  const groups = db
    .selectFrom('talent_statistics_rollup as r')
    .where(sql<boolean>`r.shape = ${shape}`)
    .$if(filter.category != null, (q) => q.where(sql<boolean>`r.category = ${filter.category!}`))
    .$if(filter.citizenship != null, (q) => q.where(sql<boolean>`r.citizenship = ${filter.citizenship!}`))
    .$if(filter.regionCode != null, (q) => q.where(sql<boolean>`r.region_code like ${likePrefix(filter.regionCode!)}`))
    .$if(filter.skillUri != null, (q) => q.where(sql<boolean>`r.skill_uri = ${filter.skillUri!}`))
    .select([
      value('REGION', dimensions.REGION).as('region_code'),
      value('CATEGORY', dimensions.CATEGORY).as('category'),
      value('CITIZENSHIP', dimensions.CITIZENSHIP).as('citizenship'),
      value('SKILL', dimensions.SKILL).as('skill_uri'),
      value('CAREER_STAGE', dimensions.CAREER_STAGE).as('career_stage'),
      // bigint, as the raw statement's count(*) and sum(smallint).
      sql<number>`cast(sum(r.talents) as bigint)`.as('talents'),
      sql<number>`cast(sum(r.key_sum) as bigint)`.as('key_sum'),
    ])
    .groupBy(groupBy.map((d) => dimensions[d]));

  return labelledCells(db, groups, limit);
}

/**
 * talentStatistics, from the rollups when they hold the request, else from the raw statement. An empty rollup
 * answer is asked again of the raw statement: the rollups may be stale or lack a shape, and an empty raw answer
 * is cheap.
 */
export async function statisticsRows(
  db: Db,
  filter: TalentFilter,
  groupBy: readonly TalentDimension[],
  regionLevel: number,
  limit: number,
): Promise<TalentStatisticsRow[]> {
  if (rollupCovers(filter, groupBy)) {
    const rows = await rollupStatisticsQuery(db, filter, groupBy, regionLevel, limit).execute();
    if (rows.length > 0) return rows;
  }
  return talentStatistics(db, filter, groupBy, regionLevel, limit);
}
