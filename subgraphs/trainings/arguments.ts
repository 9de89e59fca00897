import { badUserInput } from '@talent-hub/platform/errors';
import { parseNutsCode, parseSlug } from '@talent-hub/subgraph-lib/validate';
import type { EventFilter } from './db/repository.js';
import type { StatisticsGrouping } from './db/statistics.js';
import type { EventFilter as EventFilterInput } from './generated/resolvers.js';

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
