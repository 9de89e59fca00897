import { sql, type Kysely } from 'kysely';
import type { EventKind, SkillGapReason } from '../generated/enums.js';
import type { EventRow, TrainingsDatabase } from './types.js';

// Training recommendations: for talents and the skills each wants (its skill gaps, from the talents subgraph), the
// upcoming events it could still register for that teach them, ranked. One statement for a whole batch of talents.

type Db = Kysely<TrainingsDatabase>;

/**
 * Kinds of events recommended to learn a skill: every kind but CONFERENCE_SESSION (a session of a larger
 * conference lists its topics as skills, but is not where one registers to learn one).
 */
export const RECOMMENDED_KINDS: readonly EventKind[] = ['TRAINING', 'WORKSHOP', 'WEBINAR', 'MENTORING', 'EXCHANGE', 'STUDY_VISIT'];

/** For each wanted skill, the soonest qualifying events considered (so a talent's work is bounded). */
export const CANDIDATES_PER_SKILL = 100;

/** A talent's request: its id and the distinct (skill, reason) pairs it wants. */
export interface RecommendationRequest {
  talentId: string;
  gaps: readonly { skillUri: string; reason: SkillGapReason }[];
}

/** A recommended event for the request at index `k` of the batch, with the wanted skills it teaches. */
export type RecommendationRow = EventRow & {
  k: number;
  /** The wanted skills it teaches and why, in parallel: mentorship goals first, then by skill URI. */
  skill_uris: string[];
  reasons: SkillGapReason[];
};

/**
 * The `first` best recommendations of every request, in one statement: per wanted skill (a LATERAL seek of
 * event_skills_skill_idx from now on), the soonest events that have not started, are not cancelled, are of a
 * recommended kind, still take registrations (deadline not passed), have a seat left and that the talent holds no
 * registration for (a cancelled one aside), at most CANDIDATES_PER_SKILL of them; then per talent and event, how
 * many wanted skills it teaches, ranked: most wanted skills, most mentorship goals, soonest start, id.
 * Rows come back per request (`k`, the request's index), best first.
 */
export async function recommendTrainings(db: Db, requests: readonly RecommendationRequest[], first: number): Promise<RecommendationRow[]> {
  const ks: number[] = [];
  const talents: string[] = [];
  const skills: string[] = [];
  const reasons: string[] = [];
  requests.forEach((request, k) => {
    for (const gap of request.gaps) {
      ks.push(k);
      talents.push(request.talentId);
      skills.push(gap.skillUri);
      reasons.push(gap.reason);
    }
  });
  if (ks.length === 0 || first === 0) return [];
  const { rows } = await sql<RecommendationRow>`
    with gaps as (
      select g.k, g.talent_id, g.skill_uri, g.reason
      from unnest(cast(${ks} as int[]), cast(${talents} as uuid[]), cast(${skills} as text[]), cast(${reasons} as text[]))
        as g (k, talent_id, skill_uri, reason)
    ),
    candidates as (
      select g.k, g.skill_uri, g.reason, c.event_id, c.starts_at
      from gaps g
      cross join lateral (
        select s.event_id, s.starts_at
        from event_skills s
        join events e on e.id = s.event_id
        where s.skill_uri = g.skill_uri
          and s.starts_at > now()
          and e.cancelled_at is null
          and e.kind in (${sql.join(RECOMMENDED_KINDS)})
          and (e.registration_deadline is null or e.registration_deadline >= now())
          and (e.capacity is null or coalesce((
            select n.n_registered + n.n_attended + n.n_completed from event_registration_counts n where n.event_id = e.id
          ), 0) < e.capacity)
          and not exists (
            select 1 from registrations r
            where r.event_id = s.event_id and r.talent_id = g.talent_id and r.status <> 'CANCELLED'
          )
        order by s.starts_at, s.event_id
        limit ${sql.lit(CANDIDATES_PER_SKILL)}
      ) c
    ),
    ranked as (
      select k, event_id,
        row_number() over (
          partition by k
          order by count(distinct skill_uri) desc,
            count(distinct skill_uri) filter (where reason = 'MENTORSHIP_GOAL') desc,
            min(starts_at), event_id
        ) as rank,
        array_agg(skill_uri order by reason <> 'MENTORSHIP_GOAL', skill_uri) as skill_uris,
        array_agg(reason order by reason <> 'MENTORSHIP_GOAL', skill_uri) as reasons
      from candidates
      group by k, event_id
    )
    select e.*, x.k, x.skill_uris, x.reasons
    from ranked x
    join events e on e.id = x.event_id
    where x.rank <= ${first}
    order by x.k, x.rank`.execute(db);
  return rows;
}
