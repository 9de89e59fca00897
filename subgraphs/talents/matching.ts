import { badUserInput } from '@talent-hub/platform/errors';
import { parseUuid } from '@talent-hub/subgraph-lib/validate';
import type { Context } from './context.js';
import { MATCH_WEIGHTS, menteeWants, mentorMatches, PLACE_SCORES, type MentorMatch } from './db/matching.js';
import type { SkillTable } from './db/types.js';
import type { MatchReasonsResolvers, MentorMatchResolvers, QueryResolvers } from './generated/resolvers.js';

// Mentor matching (`Query.mentorMatches`): who could mentor a mentee, best first, with the reasons. The SQL is in
// db/matching.ts (two statements whatever the size of the pool); this file holds the score as a pure function (the
// SQL computes the same), the time-zone table, and the resolvers.
//
// Score, from 0 to 1 (weights in MATCH_WEIGHTS):
//   0.5 × (wanted skills the mentor holds at INTERMEDIATE or above) / (wanted skills), 0 when nothing is wanted
// + 0.2 × (1 when both speak a language at B2 or above, by primary subtag: `pt-BR` and `pt` meet; else 0)
// + 0.2 × place: 1 in the same NUTS 2 region, 0.75 in the same country, 0.5 in the same time zone, else 0
// + 0.1 × (remaining capacity) / (capacity): of equal fits, the less busy mentor first.

export const DEFAULT_MATCHES = 10;
export const MAX_MATCHES = 50;

/**
 * Standard time (UTC offset in winter, hours) by NUTS country code: the EU and EEA, the candidate countries NUTS
 * covers, and the United Kingdom and Switzerland. One zone per country, that of its capital: the outermost regions
 * with a zone of their own (the Canary Islands and Madeira at UTC+0, the Azores at UTC-1, the French overseas
 * regions) count as their country. Summer time moves the whole of Europe together, so winter offsets compare.
 */
export const STANDARD_TIME: Readonly<Record<string, number>> = {
  IE: 0, PT: 0, UK: 0, IS: 0,
  AT: 1, BE: 1, HR: 1, CZ: 1, DK: 1, FR: 1, DE: 1, HU: 1, IT: 1, LU: 1, MT: 1, NL: 1, PL: 1, SK: 1, SI: 1, ES: 1, SE: 1,
  NO: 1, CH: 1, LI: 1, AL: 1, BA: 1, ME: 1, MK: 1, RS: 1,
  BG: 2, CY: 2, EE: 2, FI: 2, EL: 2, LV: 2, LT: 2, RO: 2, UA: 2, MD: 2,
  TR: 3,
};

/** The NUTS country codes on the same standard time as a region's country (its own included); none when unknown. */
export function sameZoneCountries(regionCode: string | null): string[] {
  if (regionCode === null) return [];
  const country = regionCode.slice(0, 2);
  const offset = STANDARD_TIME[country];
  if (offset === undefined) return [country];
  return Object.keys(STANDARD_TIME).filter((c) => STANDARD_TIME[c] === offset);
}

/** The parts of a match that its score is made of. */
export interface ScoreParts {
  matchedSkills: number;
  wantedSkills: number;
  commonLanguages: number;
  sameRegion: boolean;
  sameCountry: boolean;
  sameTimeZone: boolean;
  remainingCapacity: number;
  capacity: number;
}

/** The score of a match from its parts, in the same order of operations as the SQL (so the two are equal). */
export function scoreMatch(p: ScoreParts): number {
  const skills = p.wantedSkills === 0 ? 0 : p.matchedSkills / p.wantedSkills;
  const language = p.commonLanguages > 0 ? 1 : 0;
  const place = p.sameRegion ? PLACE_SCORES.region : p.sameCountry ? PLACE_SCORES.country : p.sameTimeZone ? PLACE_SCORES.timeZone : 0;
  return MATCH_WEIGHTS.skills * skills + MATCH_WEIGHTS.language * language + MATCH_WEIGHTS.place * place + MATCH_WEIGHTS.capacity * (p.remainingCapacity / p.capacity);
}

/** The parts of a match as the repository returned it. */
export const partsOf = (m: MentorMatch): ScoreParts => ({
  matchedSkills: m.matchedSkillUris.length,
  wantedSkills: m.wantedCount,
  commonLanguages: m.commonLanguages.length,
  sameRegion: m.sameRegion,
  sameCountry: m.sameCountry,
  sameTimeZone: m.sameTimeZone,
  remainingCapacity: m.remainingCapacity,
  capacity: m.capacity,
});

function readFirst(first: number | null | undefined): number {
  if (first == null) return DEFAULT_MATCHES;
  if (!Number.isInteger(first) || first < 0 || first > MAX_MATCHES) {
    throw badUserInput(`Argument "first" must be an integer from 0 to ${MAX_MATCHES}; got ${first}.`, 'first');
  }
  return first;
}

/** Skills by URI through the request's loader (one statement for every match of the answer), in label order. */
async function skills(ctx: Context, uris: readonly string[]): Promise<SkillTable[]> {
  const found = await Promise.all(uris.map((uri) => ctx.loaders.skill.load(uri)));
  return found.filter((s): s is SkillTable => s !== null).sort((a, b) => a.label.localeCompare(b.label, 'en') || a.uri.localeCompare(b.uri));
}

export const matchingQueries: Pick<QueryResolvers, 'mentorMatches'> = {
  // The policy (mentee_personal_data) has let through only readers of the mentee's personal data, and unknown mentees.
  mentorMatches: async (_, args, ctx) => {
    const menteeId = parseUuid(args.menteeId, 'menteeId');
    const limit = readFirst(args.first);
    const mentee = await ctx.loaders.talent.load(menteeId);
    if (!mentee) return null;
    const wants = await menteeWants(ctx.db, menteeId);
    const matches = await mentorMatches(ctx.db, {
      menteeId,
      organisationId: ctx.identity!.organisationId,
      wanted: wants.wanted,
      spoken: wants.spoken,
      menteeRegion: mentee.residence_region_code,
      sameZoneCountries: sameZoneCountries(mentee.residence_region_code),
      limit,
    });
    // The mentors' rows came with the matches: their other fields cost nothing more.
    for (const m of matches) ctx.loaders.talent.prime(m.mentor.id, m.mentor);
    return matches;
  },
};

export const mentorMatchResolvers: MentorMatchResolvers = {
  mentor: (m) => m.mentor,
  score: (m) => m.score,
  reasons: (m) => m,
};

export const matchReasonsResolvers: MatchReasonsResolvers = {
  matchedSkills: (m, _, ctx) => skills(ctx, m.matchedSkillUris),
  missingSkills: (m, _, ctx) => skills(ctx, m.missingSkillUris),
  commonLanguages: (m) => m.commonLanguages,
  sameRegion: (m) => m.sameRegion,
  sameCountry: (m) => m.sameCountry,
  sameTimeZone: (m) => m.sameTimeZone,
  remainingCapacity: (m) => m.remainingCapacity,
};
