import { badUserInput } from '@talent-hub/platform/errors';
import { checkRange, parseCountryCode, parseNutsCode, parseSlug } from '@talent-hub/subgraph-lib/validate';
import { CEFR_LEVELS, type TalentFilter } from './db/repository.js';
import type { QueryTalentsArgs, TalentCategory, TalentFilter as TalentFilterArgument } from './generated/resolvers.js';
import { TALENT_DIMENSIONS, type TalentDimension } from './db/statistics.js';

// Reading and validating the arguments of the talent filters and aggregates: a malformed value is a client error
// (BAD_USER_INPUT) whose message names the argument and says what is expected.

const CATEGORIES: ReadonlySet<string> = new Set<TalentCategory>(['YOUNG_PROFESSIONAL', 'INTERNATIONAL_TALENT', 'RETURNEE', 'RESEARCHER', 'STUDENT']);
const ESCO_SKILL_URI = /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** The `TalentFilter` input as GraphQL hands it over (enums and dates already checked by their types). */
export type TalentFilterInput = TalentFilterArgument;

/** The older top-level arguments of `Query.talents`, kept as shorthands for fields of `filter`. */
export type TalentFilterShorthands = Pick<QueryTalentsArgs, 'category' | 'organisationId' | 'regionCode'>;

const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** Validates a talent filter; `path` is how the messages name the input (e.g. `filter`). */
export function readTalentFilter(
  input: TalentFilterInput | null | undefined,
  shorthands: TalentFilterShorthands = {},
  path = 'filter',
): TalentFilter {
  const f = input ?? {};
  const arg = (name: string) => `${path}.${name}`;
  const merged = {
    category: merge('category', shorthands.category, f.category, arg('category')),
    organisationId: merge('organisationId', shorthands.organisationId, f.organisationId, arg('organisationId')),
    regionCode: merge('regionCode', shorthands.regionCode, f.regionCode, arg('regionCode')),
  };

  if (merged.category != null && !CATEGORIES.has(merged.category.value)) {
    throw badUserInput(`Unknown category ${merged.category.value}.`, merged.category.argument);
  }
  if (f.skillUri != null && (f.skillUri.length > 200 || !ESCO_SKILL_URI.test(f.skillUri))) {
    throw badUserInput(
      `Argument "${arg('skillUri')}" has an unknown skill URI format: expected an ESCO skill URI such as ` +
        `"http://data.europa.eu/esco/skill/<uuid>"; got "${shown(f.skillUri)}".`,
      arg('skillUri'),
    );
  }
  if (f.language != null && (f.language.length > 35 || !LANGUAGE_TAG.test(f.language))) {
    throw badUserInput(
      `Argument "${arg('language')}" must be a BCP 47 language tag such as "it" or "pt-BR"; got "${shown(f.language)}".`,
      arg('language'),
    );
  }
  if (f.minLanguageLevel != null) {
    if (f.language == null) {
      throw badUserInput(
        `Argument "${arg('minLanguageLevel')}" needs "${arg('language')}": say which language must be spoken at that level.`,
        arg('minLanguageLevel'),
      );
    }
    if (!(CEFR_LEVELS as readonly string[]).includes(f.minLanguageLevel)) {
      throw badUserInput(`Unknown CEFR level ${f.minLanguageLevel}.`, arg('minLanguageLevel'));
    }
  }
  if (f.joinedFrom != null) checkCalendarDay(f.joinedFrom, arg('joinedFrom'));
  if (f.joinedTo != null) checkCalendarDay(f.joinedTo, arg('joinedTo'));
  checkRange(f.joinedFrom, f.joinedTo, arg('joinedFrom'), arg('joinedTo'));

  return {
    category: merged.category?.value ?? null,
    organisationId: merged.organisationId ? parseSlug(merged.organisationId.value, merged.organisationId.argument) : null,
    regionCode: merged.regionCode ? parseNutsCode(merged.regionCode.value, merged.regionCode.argument) : null,
    skillUri: f.skillUri ?? null,
    language: f.language ?? null,
    minLanguageLevel: f.minLanguageLevel ?? null,
    citizenship: f.citizenship == null ? null : parseCountryCode(f.citizenship, arg('citizenship')),
    joinedFrom: f.joinedFrom ?? null,
    joinedTo: f.joinedTo ?? null,
  };
}

/** A filter field given as a shorthand argument, in the filter, or both (then they must agree). */
function merge<T extends string>(name: string, shorthand: T | null | undefined, field: T | null | undefined, fieldArgument: string) {
  if (shorthand != null && field != null && shorthand !== field) {
    throw badUserInput(`Argument "${name}" and "${fieldArgument}" disagree; give one of them.`, name);
  }
  if (shorthand != null) return { value: shorthand, argument: name };
  if (field != null) return { value: field, argument: fieldArgument };
  return null;
}

/** A Date argument within the years talent data can have (the Date scalar already refused days that do not exist). */
export function checkCalendarDay(day: string, argument: string): string {
  const year = Number(day.slice(0, 4));
  if (year < 1900 || year > 2999) {
    throw badUserInput(`Argument "${argument}" must be a day between 1900 and 2999 that exists in the calendar; got "${shown(day)}".`, argument);
  }
  return day;
}

/** The dimensions of a statistic: at least one, each once. */
export function readGroupBy(groupBy: readonly string[]): TalentDimension[] {
  if (groupBy.length === 0) throw badUserInput('Argument "groupBy" must name at least one dimension.', 'groupBy');
  const seen = new Set<string>();
  for (const d of groupBy) {
    if (!(TALENT_DIMENSIONS as readonly string[]).includes(d)) throw badUserInput(`Unknown dimension ${d}.`, 'groupBy');
    if (seen.has(d)) throw badUserInput(`Argument "groupBy" names ${d} twice.`, 'groupBy');
    seen.add(d);
  }
  return groupBy as TalentDimension[];
}

/** The NUTS level of the REGION dimension: 0 to 3, 2 when absent, and only with REGION. */
export function readRegionLevel(regionLevel: number | null | undefined, groupBy: readonly TalentDimension[]): number | null {
  if (!groupBy.includes('REGION')) {
    if (regionLevel != null) throw badUserInput('Argument "regionLevel" applies only when "groupBy" includes REGION.', 'regionLevel');
    return null;
  }
  if (regionLevel == null) return 2;
  if (!Number.isInteger(regionLevel) || regionLevel < 0 || regionLevel > 3) {
    throw badUserInput(`Argument "regionLevel" must be a NUTS level from 0 (country) to 3; got ${regionLevel}.`, 'regionLevel');
  }
  return regionLevel;
}

/** A quarter such as "2024-Q1", as the first day of the quarter ('2024-01-01'). */
export function parseQuarter(value: string, argument: string): string {
  const match = QUARTER.exec(value);
  const year = match ? Number(match[1]) : 0;
  if (!match || year < 1900 || year > 2999) {
    throw badUserInput(`Argument "${argument}" must be a quarter such as "2024-Q1" (year, "-Q", 1 to 4); got "${shown(value)}".`, argument);
  }
  return `${match[1]}-${String((Number(match[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** The quarter "YYYY-Qn" that a day ('YYYY-MM-DD') or the first day of a quarter falls in. */
export function quarterOf(day: string): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Moves the first day of a quarter by whole quarters. */
export function addQuarters(firstDay: string, quarters: number): string {
  const months = Number(firstDay.slice(0, 4)) * 12 + Number(firstDay.slice(5, 7)) - 1 + quarters * 3;
  return `${String(Math.floor(months / 12)).padStart(4, '0')}-${String((months % 12) + 1).padStart(2, '0')}-01`;
}

/** How many quarters a retention query may span. */
export const MAX_RETENTION_QUARTERS = 40;

/** The quarter range of a retention query, as first days, defaulting around the "as of" day. */
export function readQuarterRange(
  fromQuarter: string | null | undefined,
  toQuarter: string | null | undefined,
  asOf: string,
): { from: string; to: string } {
  const to = toQuarter == null ? parseQuarter(quarterOf(asOf), 'asOf') : parseQuarter(toQuarter, 'toQuarter');
  const from = fromQuarter == null ? addQuarters(to, -7) : parseQuarter(fromQuarter, 'fromQuarter');
  checkRange(from, to, 'fromQuarter', 'toQuarter');
  const span = quartersBetween(from, to) + 1;
  if (span > MAX_RETENTION_QUARTERS) {
    throw badUserInput(`Arguments "fromQuarter" to "toQuarter" span ${span} quarters; at most ${MAX_RETENTION_QUARTERS} are allowed.`, 'fromQuarter');
  }
  return { from, to };
}

function quartersBetween(from: string, to: string): number {
  const months = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7));
  return (months(to) - months(from)) / 3;
}
