import type { ExchangeTable, MentorshipGoalTable, MentorshipTable, TalentLearningGoalTable } from '@talent-hub/talents/db/types';
import type { ExchangeKind, ExchangeStatus } from '@talent-hub/talents/generated/enums';
import { AS_OF_DAY, dayNumber, dayStartMs, isoDay } from './dates.js';
import { generatedExchangeId, generatedMentorshipId, generatedTalentId } from './ids.js';
import { CITIES } from './places.js';
import { randomFor, sampleItems, weighted, type Random } from './random.js';
import type { Reference } from './reference.js';
import type { TalentGenerator } from './talents.js';

// Generated mentoring and exchanges, beside the generated talents (the Talent Hub's tailored mentoring and
// exchanges). Sizes follow --talents: about 8% of the talents mentor (capacity 1 to 5) and 2% say they do not
// (capacity 0); 30% have learning goals; each mentor has about 2.6 mentorships (20k at 100k talents), and one
// talent in ten an exchange (10k at 100k talents).
//
// The rules the mutations enforce hold here too, so that what the graph computes from these rows (capacities,
// mentor matches, skill gaps) is what a real history would give:
// - the running organisation is the mentor's own, and the mentee is a talent of the same organisation (generated
//   talents share personal data with nobody, so that is who the organisation could propose);
// - a mentor's PROPOSED and ACTIVE mentorships never exceed its capacity, and no pair of talents has two of them;
// - mentors are ACTIVE talents; goals are 1 to 3 ESCO skills, mostly ones the mentor holds;
// - an exchange's host is another organisation of the regions seed, the stay lasts at most two years, and a
//   talent has at most one exchange (so none overlap); statuses follow the dates against the generated "today".
// Each mentor, mentorship and exchange draws from its own seeded stream, and profiles (capacity, learning goals)
// from a stream apart from the talent's, so the talents themselves are the same as without mentoring.

export interface MentoringProfile {
  capacity: number | null;
  learningGoals: TalentLearningGoalTable[];
}

export interface GeneratedMentorship {
  mentorship: MentorshipTable;
  goals: MentorshipGoalTable[];
}

export interface MentoringData {
  mentorships: GeneratedMentorship[];
  exchanges: ExchangeTable[];
}

const pickCapacity = weighted([[1, 30], [2, 30], [3, 20], [4, 10], [5, 10]] as const);
const pickExchangeKind = weighted([['STUDY_VISIT', 35], ['JOB_SHADOWING', 25], ['SECONDMENT', 25], ['TRAINEESHIP', 15]] as const);
/** Days a stay lasts, by kind. */
const STAY_DAYS: Record<ExchangeKind, [number, number]> = {
  STUDY_VISIT: [2, 10],
  JOB_SHADOWING: [5, 30],
  SECONDMENT: [30, 365],
  TRAINEESHIP: [90, 180],
};
/** Host organisations of the regions seed, with how many exchanges each takes. */
const HOSTS = [['eurocities', 30], ['cemr', 20], ['uclg', 15], ['aer', 10], ['art-er', 8], ['emilia-romagna-region', 7],
  ['catalonia-social-rights', 5], ['donegal-county-council', 5]] as const;
const NETWORKS = new Set(['cemr', 'eurocities', 'uclg']);
const HELD = new Set(['INTERMEDIATE', 'ADVANCED', 'EXPERT']);
const EXCHANGES_FROM_DAY = dayNumber('2021-01-04');
const EXCHANGES_TO_DAY = dayNumber('2026-12-18');
const MENTORING_FROM_DAY = dayNumber('2021-01-04');

/** The mentoring profile of the i-th generated talent: its capacity and learning goals. */
export function mentoringProfile(reference: Reference, seed: number, index: number): MentoringProfile {
  const random = randomFor(seed, 'mentoring', index);
  const r = random.next();
  const capacity = r < 0.08 ? pickCapacity(random) : r < 0.1 ? 0 : null;
  const talentId = generatedTalentId(index);
  const learningGoals = random.chance(0.3)
    ? sampleItems(random, reference.skillUris, random.int(1, 5)).map((skill_uri) => ({ talent_id: talentId, skill_uri }))
    : [];
  return { capacity, learningGoals };
}

/** A date-time on a day, at a pseudo-random minute of the working day (UTC), as COPY writes it. */
const at = (random: Random, day: number) => new Date(dayStartMs(day) + random.int(8 * 60, 18 * 60) * 60_000);

/**
 * Every generated mentorship and exchange. Needs each talent's organisation, status and skills: one pass of the
 * talent generator over all talents (a few seconds per 100k), done once per plan.
 */
export function generateMentoring(reference: Reference, seed: number, talents: number, talent: TalentGenerator): MentoringData {
  const organisations: string[] = [];
  const organisationOf = new Int32Array(talents);
  const byOrganisation: number[][] = [];
  const mentors: { index: number; capacity: number; skills: string[] }[] = [];
  for (let i = 0; i < talents; i++) {
    const t = talent(i);
    let o = organisations.indexOf(t.talent.organisation_id);
    if (o < 0) {
      o = organisations.push(t.talent.organisation_id) - 1;
      byOrganisation.push([]);
    }
    organisationOf[i] = o;
    byOrganisation[o]!.push(i);
    const { capacity } = mentoringProfile(reference, seed, i);
    if (capacity && t.talent.status === 'ACTIVE') {
      mentors.push({ index: i, capacity, skills: t.skills.filter((s) => HELD.has(s.level)).map((s) => s.skill_uri) });
    }
  }

  const mentorships: GeneratedMentorship[] = [];
  const openPairs = new Set<string>();
  for (const mentor of mentors) {
    const random = randomFor(seed, 'mentor', mentor.index);
    const open = random.chance(0.25) ? mentor.capacity : random.int(0, mentor.capacity - 1);
    const closed = random.int(0, 4);
    const colleagues = byOrganisation[organisationOf[mentor.index]!]!;
    for (let k = 0; k < open + closed; k++) {
      const isOpen = k < open;
      let mentee = -1;
      for (let attempt = 0; attempt < 6 && mentee < 0; attempt++) {
        const candidate = random.pick(colleagues);
        if (candidate === mentor.index) continue;
        const pair = mentor.index < candidate ? `${mentor.index}:${candidate}` : `${candidate}:${mentor.index}`;
        if (isOpen && openPairs.has(pair)) continue;
        if (isOpen) openPairs.add(pair);
        mentee = candidate;
      }
      if (mentee < 0) continue;
      mentorships.push(mentorshipOf(reference, seed, mentorships.length, mentor, mentee, isOpen, organisations[organisationOf[mentor.index]!]!));
    }
  }

  // Hosted where the host is based (its NUTS region, made level 3 when the seed gives a coarser one), else in a city.
  const hostRegions = new Map<string, string | null>(HOSTS.map(([host]) => {
    const code = reference.organisations.get(host)?.region_code ?? null;
    return [host, code ? (reference.euRegions.find((r) => r.startsWith(code)) ?? null) : null];
  }));
  const exchanges: ExchangeTable[] = [];
  for (let j = 0; j * 10 < talents; j++) {
    const random = randomFor(seed, 'exchange', j);
    const index = Math.min(talents - 1, j * 10 + random.int(0, 9));
    exchanges.push(exchangeOf(hostRegions, random, j, index, organisations[organisationOf[index]!]!));
  }
  return { mentorships, exchanges };
}

function mentorshipOf(
  reference: Reference,
  seed: number,
  n: number,
  mentor: { index: number; skills: string[] },
  mentee: number,
  open: boolean,
  organisation: string,
): GeneratedMentorship {
  const random = randomFor(seed, 'mentorship', n);
  const id = generatedMentorshipId(n);
  let status: MentorshipTable['status'];
  let proposed: number;
  let starts: number | null = null;
  let ends: number | null = null;
  let meetings = 0;
  if (open) {
    if (random.chance(0.35)) {
      status = 'PROPOSED';
      proposed = AS_OF_DAY - random.int(0, 60);
      if (random.chance(0.7)) starts = AS_OF_DAY + random.int(0, 60);
    } else {
      status = 'ACTIVE';
      starts = AS_OF_DAY - random.int(7, 365);
      proposed = starts - random.int(7, 30);
      meetings = random.int(0, Math.floor((AS_OF_DAY - starts) / 14));
    }
  } else if (random.chance(0.7)) {
    status = 'COMPLETED';
    starts = random.int(MENTORING_FROM_DAY, AS_OF_DAY - 200);
    ends = Math.min(AS_OF_DAY, starts + random.int(90, 365));
    proposed = starts - random.int(7, 30);
    meetings = random.int(4, 24);
  } else {
    status = 'ENDED_EARLY';
    if (random.chance(0.5)) {
      // A proposal withdrawn: it never began.
      proposed = random.int(MENTORING_FROM_DAY, AS_OF_DAY - 60);
      ends = proposed + random.int(5, 40);
    } else {
      starts = random.int(MENTORING_FROM_DAY, AS_OF_DAY - 130);
      ends = starts + random.int(14, 120);
      proposed = starts - random.int(7, 30);
      meetings = random.int(0, 6);
    }
  }
  const own = sampleItems(random, mentor.skills, Math.min(mentor.skills.length, random.int(1, 3)));
  const goals = own.length > 0 && random.chance(0.85) ? own : sampleItems(random, reference.skillUris, random.int(1, 3));
  return {
    mentorship: {
      id,
      mentor_id: generatedTalentId(mentor.index),
      mentee_id: generatedTalentId(mentee),
      organisation_id: organisation,
      programme_id: NETWORKS.has(organisation) && random.chance(0.3) ? 'talent-hub' : null,
      status,
      starts_on: starts === null ? null : isoDay(starts),
      ends_on: ends === null ? null : isoDay(ends),
      meetings,
      proposed_at: at(random, proposed),
      synthetic: true,
    },
    goals: goals.map((skill_uri) => ({ mentorship_id: id, skill_uri })),
  };
}

const pickHost = weighted(HOSTS);

function exchangeOf(hostRegions: ReadonlyMap<string, string | null>, random: Random, n: number, talentIndex: number, home: string): ExchangeTable {
  let host: string = pickHost(random);
  while (host === home) host = pickHost(random);
  const kind = pickExchangeKind(random);
  const [lo, hi] = STAY_DAYS[kind];
  const starts = random.int(EXCHANGES_FROM_DAY, EXCHANGES_TO_DAY);
  const ends = starts + random.int(lo, hi) - 1;
  // Never proposed after the generated "today".
  const proposed = Math.min(starts - random.int(14, 120), AS_OF_DAY - random.int(0, 30));
  const r = random.next();
  let status: ExchangeStatus;
  if (starts > AS_OF_DAY) status = r < 0.4 ? 'PROPOSED' : r < 0.9 ? 'ACCEPTED' : r < 0.95 ? 'DECLINED' : 'CANCELLED';
  else if (ends >= AS_OF_DAY) status = r < 0.9 ? 'ACCEPTED' : 'CANCELLED';
  else status = r < 0.8 ? 'COMPLETED' : r < 0.88 ? 'CANCELLED' : 'DECLINED';
  return {
    id: generatedExchangeId(n),
    talent_id: generatedTalentId(talentIndex),
    home_organisation_id: home,
    host_organisation_id: host,
    kind,
    region_code: random.chance(0.85) ? (hostRegions.get(host) ?? random.pick(CITIES).region) : null,
    programme_id: NETWORKS.has(home) && NETWORKS.has(host) && random.chance(0.4) ? 'talent-hub' : null,
    starts_on: isoDay(starts),
    ends_on: isoDay(ends),
    status,
    proposed_at: at(random, proposed),
    synthetic: true,
  };
}
