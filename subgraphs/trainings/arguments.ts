import { badUserInput } from '@talent-hub/platform/errors';
import { parseNutsCode, parseSlug } from '@talent-hub/subgraph-lib/validate';
import type { EventFilter } from './db/repository.js';
import type { StatisticsGrouping } from './db/statistics.js';
import type { EventFilter as EventFilterInput } from './generated/resolvers.js';
import type { SkillGapModel } from './models.js';

// Checks of the arguments of this subgraph's lists and statistics: a malformed value is a BAD_USER_INPUT error
// naming the argument; a well-formed one that matches nothing simply finds nothing.

const DIMENSIONS = new Set(['EVENT_KIND', 'REGION', 'MONTH']);

/**
 * The event filter arguments, as `Query.events` takes them and as the `EventFilter` input holds them (enums and
 * instants already checked by their types).
 */
export type EventFilterArgs = EventFilterInput;

/**
 * Checks event filter arguments and returns the repository's filter. `prefix` names the arguments in errors
 * (e.g. `filter.` inside an input object).
 */
export function readEventFilter(args: EventFilterArgs, prefix = ''): EventFilter {
  if (args.startsFrom && args.startsBefore && args.startsFrom >= args.startsBefore) {
    throw badUserInput(`Argument "${prefix}startsFrom" must be earlier than "${prefix}startsBefore".`, `${prefix}startsFrom`);
  }
  return {
    kind: args.kind,
    attendanceMode: args.attendanceMode,
    regionCode: args.regionCode == null ? null : parseNutsCode(args.regionCode, `${prefix}regionCode`),
    organiserId: args.organiserId == null ? null : parseSlug(args.organiserId, `${prefix}organiserId`),
    programmeId: args.programmeId == null ? null : parseSlug(args.programmeId, `${prefix}programmeId`),
    startsFrom: args.startsFrom,
    startsBefore: args.startsBefore,
  };
}

/** Checks the grouping of registration statistics. */
export function readGrouping(groupBy: readonly string[], regionLevel: number | null | undefined): StatisticsGrouping {
  const seen = new Set<string>();
  for (const dimension of groupBy) {
    if (!DIMENSIONS.has(dimension)) throw badUserInput(`Unknown dimension ${dimension}.`, 'groupBy');
    if (seen.has(dimension)) throw badUserInput(`Argument "groupBy" lists ${dimension} twice.`, 'groupBy');
    seen.add(dimension);
  }
  const level = regionLevel ?? 2;
  if (!Number.isInteger(level) || level < 0 || level > 3) {
    throw badUserInput(`Argument "regionLevel" must be a NUTS level from 0 to 3; got ${level}.`, 'regionLevel');
  }
  return { eventKind: seen.has('EVENT_KIND'), regionLevel: seen.has('REGION') ? level : null, month: seen.has('MONTH') };
}

/** Talent.recommendedTrainings: 5 unless given, at most 20. */
export const RECOMMENDATIONS = { defaultSize: 5, maxSize: 20 };

export function readRecommendationCount(first: number | null | undefined): number {
  const count = first ?? RECOMMENDATIONS.defaultSize;
  if (!Number.isInteger(count) || count < 0 || count > RECOMMENDATIONS.maxSize) {
    throw badUserInput(`Argument "first" must be an integer from 0 to ${RECOMMENDATIONS.maxSize}; got ${count}.`, 'first');
  }
  return count;
}

/** Most wanted skills of one talent that recommendations consider. */
export const MAX_SKILL_GAPS = 100;

const GAP_REASONS = new Set<string>(['MENTORSHIP_GOAL', 'LEARNING_GOAL']);

/**
 * A talent's skill gaps as the talents subgraph sent them (through `@requires`), made a request's key: distinct
 * (skill, reason) pairs in a fixed order (mentorship goals first), at most MAX_SKILL_GAPS; entries that are not a skill gap are left out.
 */
export function readSkillGaps(gaps: readonly SkillGapModel[] | null | undefined): SkillGapModel[] {
  const seen = new Map<string, SkillGapModel>();
  for (const gap of gaps ?? []) {
    if (typeof gap?.skillUri !== 'string' || gap.skillUri === '' || gap.skillUri.length > 500 || !GAP_REASONS.has(gap.reason)) continue;
    seen.set(`${gap.reason} ${gap.skillUri}`, { skillUri: gap.skillUri, reason: gap.reason });
  }
  // Mentorship goals first (kept when there are too many), then by skill.
  const rank = (gap: SkillGapModel) => `${gap.reason === 'MENTORSHIP_GOAL' ? 0 : 1} ${gap.skillUri}`;
  return [...seen.values()].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0)).slice(0, MAX_SKILL_GAPS);
}
