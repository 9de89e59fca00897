import { sql, type Kysely } from 'kysely';
import { HELD_SKILL_LEVELS, OPEN_MENTORSHIP_STATUSES } from './mentoring.js';
import type { TalentRow, TalentsDatabase } from './types.js';

// The SQL of `mentorMatches`: what a mentee wants (one statement), then every candidate mentor scored and the best
// few returned with their reasons (one statement). The weights live here, beside the SQL that applies them, and
// matching.ts computes the very same score in JavaScript (its tests hold the two to each other).

type Db = Kysely<TalentsDatabase>;

/** Weights of the score's parts; they add up to 1. */
export const MATCH_WEIGHTS = { skills: 0.5, language: 0.2, place: 0.2, capacity: 0.1 } as const;
/** The place part: living in the same NUTS 2 region, else the same country, else the same time zone. */
export const PLACE_SCORES = { region: 1, country: 0.75, timeZone: 0.5 } as const;
/** CEFR levels at which two people can hold a mentoring conversation in a language. */
export const CONVERSATION_LEVELS = ['B2', 'C1', 'C2'] as const;

/** One mentor match, as the resolvers hand it to GraphQL (MentorMatch and its MatchReasons read it). */
export interface MentorMatch {
  mentor: TalentRow;
  score: number;
  capacity: number;
  remainingCapacity: number;
  /** How many skills the mentee wants; the skill part is matched / wanted (0 when nothing is wanted). */
  wantedCount: number;
  matchedSkillUris: string[];
  missingSkillUris: string[];
  commonLanguages: string[];
  sameRegion: boolean;
  sameCountry: boolean;
  sameTimeZone: boolean;
}

/** What a mentee wants to develop and the languages it can be mentored in (primary subtags, B2 or above). */
export interface MenteeWants {
  wanted: string[];
  spoken: string[];
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));
const OPEN = list(OPEN_MENTORSHIP_STATUSES);
const HELD = list(HELD_SKILL_LEVELS);
const CONVERSATION = list(CONVERSATION_LEVELS);

/**
 * The mentee's wanted skills (learning goals, and goals of its PROPOSED and ACTIVE mentorships as mentee) and its
 * languages at B2 or above, in one statement.
 */
export function menteeWantsQuery(menteeId: string) {
  return sql<MenteeWants>`
    select
      array(select skill_uri from talent_learning_goals where talent_id = ${menteeId}
            union
            select g.skill_uri from mentorships m join mentorship_goals g on g.mentorship_id = m.id
            where m.mentee_id = ${menteeId} and m.status in (${OPEN})
            order by 1) as wanted,
      array(select distinct split_part(language, '-', 1) from talent_languages
            where talent_id = ${menteeId} and level in (${CONVERSATION}) order by 1) as spoken`;
}

export async function menteeWants(db: Db, menteeId: string): Promise<MenteeWants> {
  const { rows } = await menteeWantsQuery(menteeId).execute(db);
  return rows[0] ?? { wanted: [], spoken: [] };
}

export interface MatchParameters {
  menteeId: string;
  /** The caller's organisation: candidates are its talents and those who consented to share with it. */
  organisationId: string;
  wanted: readonly string[];
  spoken: readonly string[];
  /** The mentee's residence (a NUTS code), null when unknown. */
  menteeRegion: string | null;
  /** NUTS country codes on the mentee's standard time (its own included); empty when unknown. */
  sameZoneCountries: readonly string[];
  limit: number;
}

type MatchRow = TalentRow & {
  match_capacity: number;
  match_remaining: number;
  match_skills: string[];
  match_languages: string[];
  match_place: number;
  match_score: number;
};

/**
 * The candidates scored and the best `limit` of them, in one statement. Its cost follows the number of candidates
 * (a few thousand at 100k talents), not the size of the tables nor the number of wanted skills, and no big table is
 * scanned:
 * - candidates: ACTIVE talents with a capacity (the partial index talents_mentors_idx, read alone), of the caller's
 *   organisation or consenting to it (a hashed list of its consents), other than the mentee and not in a PROPOSED
 *   or ACTIVE mentorship with it (a hashed list of the mentee's few), with a place left (the open mentorships
 *   counted per mentor from the partial index mentorships_open_mentor_idx, joined by hash);
 * - per candidate, two index-only probes: how many wanted skills it holds at INTERMEDIATE or above
 *   (talent_skills_talent_idx) and whether it speaks one of the mentee's languages at B2 or above
 *   (talent_languages_talent_idx);
 * - place: NUTS 2 region (the code's first 4 characters), country (first 2) and the time zone's countries;
 * - the best `limit` by score (a top-N sort); only for them the skill and language lists and the talent row.
 * The score is computed as matching.ts's scoreMatch does, in the same order of operations.
 */
export function mentorMatchesQuery(p: MatchParameters) {
  const w = MATCH_WEIGHTS;
  const region = p.menteeRegion;
  const wanted = sql`cast(${[...p.wanted]} as text[])`;
  const spoken = sql`cast(${[...p.spoken]} as text[])`;
  const wantedCount = p.wanted.length;
  return sql<MatchRow>`
    with candidates as (
      select t.id, t.residence_region_code as region, t.mentoring_capacity as capacity
      from talents t
      where t.mentoring_capacity > 0 and t.status = 'ACTIVE'
        and (t.organisation_id = ${p.organisationId}
             or t.id in (select c.talent_id from talent_consents c where c.organisation_id = ${p.organisationId}))
    ),
    excluded as (
      select mentor_id as id from mentorships where mentee_id = ${p.menteeId} and status in (${OPEN})
      union all
      select mentee_id from mentorships where mentor_id = ${p.menteeId} and status in (${OPEN})
      union all
      select cast(${p.menteeId} as uuid)
    ),
    taken as (
      select m.mentor_id, cast(count(*) as integer) as taken
      from mentorships m where m.status in (${OPEN})
      group by m.mentor_id
    ),
    scored as (
      select c.id, c.capacity, c.capacity - coalesce(o.taken, 0) as remaining,
        (select cast(count(*) as integer) from talent_skills ts
          where ts.talent_id = c.id and ts.skill_uri = any(${wanted}) and ts.level in (${HELD})) as matched,
        l.speaks is not null as speaks,
        case
          when ${region}::text is null or c.region is null then 0
          when length(c.region) >= 4 and length(${region}::text) >= 4 and left(c.region, 4) = left(${region}::text, 4)
            then cast(${PLACE_SCORES.region} as float8)
          when left(c.region, 2) = left(${region}::text, 2) then cast(${PLACE_SCORES.country} as float8)
          when left(c.region, 2) = any(cast(${[...p.sameZoneCountries]} as text[])) then cast(${PLACE_SCORES.timeZone} as float8)
          else 0
        end as place
      from candidates c
      left join taken o on o.mentor_id = c.id
      left join lateral (
        select true as speaks from talent_languages tl
        where tl.talent_id = c.id and tl.level in (${CONVERSATION}) and split_part(tl.language, '-', 1) = any(${spoken})
        limit 1
      ) l on true
      where c.id not in (select id from excluded) and coalesce(o.taken, 0) < c.capacity
    ),
    best as (
      select s.*,
        cast(${w.skills} as float8) * ${wantedCount === 0 ? sql`0` : sql`(cast(s.matched as float8) / ${wantedCount})`}
          + cast(${w.language} as float8) * (case when s.speaks then 1 else 0 end)
          + cast(${w.place} as float8) * s.place
          + cast(${w.capacity} as float8) * (cast(s.remaining as float8) / s.capacity) as score
      from scored s
      order by score desc, s.id
      limit ${p.limit}
    )
    select t.*, b.capacity as match_capacity, b.remaining as match_remaining, b.place as match_place, b.score as match_score,
      array(select ts.skill_uri from talent_skills ts
            where ts.skill_uri = any(${wanted}) and ts.talent_id = b.id and ts.level in (${HELD}) order by 1) as match_skills,
      array(select distinct split_part(tl.language, '-', 1) from talent_languages tl
            where tl.talent_id = b.id and tl.level in (${CONVERSATION}) and split_part(tl.language, '-', 1) = any(${spoken})
            order by 1) as match_languages
    from best b join talents t on t.id = b.id
    order by b.score desc, b.id`;
}

/** Runs the matching; reasons are completed from the parameters (missing skills, place flags). */
export async function mentorMatches(db: Db, p: MatchParameters): Promise<MentorMatch[]> {
  if (p.limit === 0) return [];
  const { rows } = await mentorMatchesQuery(p).execute(db);
  return rows.map((row) => {
    const { match_capacity, match_remaining, match_skills, match_languages, match_place, match_score, ...mentor } = row;
    const matched = new Set(match_skills);
    return {
      mentor: mentor as TalentRow,
      score: Number(match_score),
      capacity: match_capacity,
      remainingCapacity: match_remaining,
      wantedCount: p.wanted.length,
      matchedSkillUris: [...match_skills],
      missingSkillUris: p.wanted.filter((uri) => !matched.has(uri)),
      commonLanguages: [...match_languages].sort(),
      sameRegion: match_place === PLACE_SCORES.region,
      sameCountry: match_place >= PLACE_SCORES.country,
      sameTimeZone: match_place >= PLACE_SCORES.timeZone,
    };
  });
}
