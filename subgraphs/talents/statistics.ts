import { checkCellLimit, MAX_STATISTICS_CELLS, MIN_CELL_SIZE, protectTally, protectTallyShare } from '@talent-hub/subgraph-lib/disclosure';
import { parseNutsCode } from '@talent-hub/subgraph-lib/validate';
import { checkCalendarDay, quarterOf, readGroupBy, readQuarterRange, readRegionLevel, readTalentFilter } from './arguments.js';
import * as stats from './db/statistics.js';
import { statisticsRows } from './db/statistics-rollup.js';
import type { QueryResolvers, ResolversTypes, RetentionCohort, RetentionStatus } from './generated/resolvers.js';

// The talents aggregates: the repository's raw counts with their record-key sums (db/statistics.ts, read from the
// rollups of db/statistics-rollup.ts when they hold the request), protected by
// the shared cell key method before anything leaves the subgraph (perturbed, no cell resting on fewer than
// MIN_CELL_SIZE people, no share that tells a small group).

/** A statistics row as a cell: dimension values, and the count only when it is not too small to show. */
function toCell(row: stats.TalentStatisticsRow): ResolversTypes['TalentStatisticsCell'] {
  const count = protectTally({ count: Number(row.talents), keySum: Number(row.key_sum) });
  return {
    region: row.region_code === null ? null : { code: row.region_code },
    category: row.category,
    citizenship: row.citizenship,
    skill:
      row.skill_uri === null
        ? null
        : { uri: row.skill_uri, label: row.skill_label!, skill_type: row.skill_type!, reuse_level: row.reuse_level! },
    careerStage: row.career_stage,
    talents: count.value,
    suppressed: count.suppressed,
  };
}

/** A retention row as a cohort: the arrivals protected, each share protected or not yet observable. */
function toCohort(row: stats.RetentionRow): RetentionCohort {
  const whole = { count: Number(row.arrivals), keySum: Number(row.arrivals_key) };
  const arrivals = protectTally(whole);
  const share = (retained: number, keySum: number, observable: boolean): { value: string | null; status: RetentionStatus } => {
    if (arrivals.suppressed) return { value: null, status: 'SUPPRESSED' };
    if (!observable) return { value: null, status: 'NOT_YET_OBSERVABLE' };
    const protectedShare = protectTallyShare({ count: Number(retained), keySum: Number(keySum) }, whole);
    return { value: protectedShare.value, status: protectedShare.suppressed ? 'SUPPRESSED' : 'AVAILABLE' };
  };
  const six = share(row.retained_6, row.retained_6_key, row.observable_6);
  const twelve = share(row.retained_12, row.retained_12_key, row.observable_12);
  return {
    quarter: quarterOf(row.starts_on),
    startsOn: row.starts_on,
    arrivals: arrivals.value,
    suppressed: arrivals.suppressed,
    retained6Months: six.value,
    retained6MonthsStatus: six.status,
    retained12Months: twelve.value,
    retained12MonthsStatus: twelve.status,
  };
}

export const statisticsQueries: Pick<QueryResolvers, 'talentStatistics' | 'talentRetention'> = {
  talentStatistics: async (_, args, ctx) => {
    const groupBy = readGroupBy(args.groupBy);
    const regionLevel = readRegionLevel(args.regionLevel, groupBy);
    const filter = readTalentFilter(args.filter);
    const rows = checkCellLimit(await statisticsRows(ctx.db, filter, groupBy, regionLevel ?? 0, MAX_STATISTICS_CELLS + 1));
    return { groupBy, regionLevel, threshold: MIN_CELL_SIZE, cells: rows.map(toCell) };
  },

  talentRetention: async (_, args, ctx) => {
    const regionCode = parseNutsCode(args.regionCode, 'regionCode');
    const asOf = args.asOf == null ? new Date().toISOString().slice(0, 10) : checkCalendarDay(args.asOf, 'asOf');
    const range = readQuarterRange(args.fromQuarter, args.toQuarter, asOf);
    const rows = await stats.talentRetention(ctx.db, { regionCode, fromQuarter: range.from, toQuarter: range.to, asOf });
    return { region: { code: regionCode }, asOf, threshold: MIN_CELL_SIZE, cohorts: rows.map(toCohort) };
  },
};
