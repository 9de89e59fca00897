import type { AffiliationTable } from '../db/types.js';

// Synthetic affiliation histories: a talent's periods with partner organisations, which networkRetention is
// measured on. One function for the demo seed and the data generator, so both data sets have the same shape:
// - the first period is with the organisation holding the profile, from the day the talent joined;
// - about a third stay on, the others leave after a short, medium or long stay; of those who leave, about 45% move
//   to another founding organisation of the Talent Hub (the day after, or a few months later) and the rest leave
//   the network; at most three periods in all;
// - stays are drawn clear of the 6, 12 and 24-month marks, so that "still with the network" is never a rounding
//   call, and a period that would end after `asOf` is still open then.

/** The three founding organisations of the Talent Hub, between which talents move. */
export const FOUNDERS = ['cemr', 'eurocities', 'uclg'] as const;
const ROLES = ['Trainee', 'Young professional', 'Policy officer', 'Project officer', 'Communications officer', 'Researcher'];
const STAYS: [share: number, min: number, max: number][] = [
  [0.2, 60, 170],
  [0.15, 200, 350],
  [0.15, 380, 700],
  [0.15, 760, 1500],
];
const MAX_PERIODS = 3;
const DAY_MS = 86_400_000;

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export interface AffiliationPlan {
  talentId: string;
  /** The organisation holding the talent's profile. */
  organisationId: string;
  joinedOn: string;
  /** ALUMNI talents have left: their last period is closed by `asOf`. */
  status: string;
  /** No period ends after this day. */
  asOf: string;
}

/** The affiliation history of one talent, oldest first, from a uniform random source in [0, 1). */
export function affiliationHistory(next: () => number, plan: AffiliationPlan): AffiliationTable[] {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const periods: AffiliationTable[] = [];
  let organisation = plan.organisationId;
  let from = plan.joinedOn;
  while (from <= plan.asOf && periods.length < MAX_PERIODS) {
    const r = next();
    let stay: number | null = null;
    let cumulative = 0;
    for (const [share, min, max] of STAYS) {
      cumulative += share;
      if (r < cumulative) {
        stay = int(min, max);
        break;
      }
    }
    const ends = stay === null ? null : addDays(from, stay);
    const period: AffiliationTable = { talent_id: plan.talentId, organisation_id: organisation, role: pick(ROLES), started_on: from, ended_on: ends !== null && ends <= plan.asOf ? ends : null, synthetic: true };
    periods.push(period);
    if (period.ended_on === null || next() >= 0.45) break;
    organisation = pick(FOUNDERS.filter((o) => o !== organisation));
    from = addDays(period.ended_on, next() < 0.6 ? 1 : int(30, 150));
  }
  const last = periods.at(-1);
  if (plan.status === 'ALUMNI' && last && last.ended_on === null) {
    const latest = Math.min(Date.parse(`${plan.asOf}T00:00:00Z`), Date.parse(`${last.started_on}T00:00:00Z`) + 1500 * DAY_MS);
    const days = Math.floor((latest - Date.parse(`${last.started_on}T00:00:00Z`)) / DAY_MS);
    last.ended_on = addDays(last.started_on, Math.max(0, Math.floor(days * (0.3 + 0.7 * next()))));
  }
  return periods;
}
