import { sql, type Kysely } from 'kysely';
import { createRandom, syntheticUuid } from '@talent-hub/subgraph-lib/synthetic';
import type {
  ExchangeTable,
  MentorshipGoalTable,
  MentorshipTable,
  TalentConsentTable,
  TalentLearningGoalTable,
  TalentsDatabase,
  TalentTable,
} from '../db/types.js';
import type { SyntheticTalents } from './synthetic.js';
import { DEMO_AS_OF } from './synthetic.js';

// Demo mentoring and exchanges (seed version 3): mentoring capacities and learning goals of the demo talents,
// mentorships run by CEMR, Eurocities and UCLG (every status; some under the `talent-hub` programme; some with a
// talent of another network who consented to share personal data with the running one), and exchanges between
// the seed's organisations (among them stays hosted by Eurocities in Brussels in 2025). Made up, deterministic
// (a random stream of its own, so the other demo data stays as it was), marked `synthetic`, and consistent with the
// rules the mutations enforce: capacities never exceeded, one open mentorship per pair, both talents readable by
// the running organisation, no overlapping exchanges of a talent, stays of at most two years.

const NETWORKS = ['cemr', 'eurocities', 'uclg'] as const;
const HELD = new Set(['INTERMEDIATE', 'ADVANCED', 'EXPERT']);
/** Where each host organisation receives its guests (NUTS 2024 level 3). */
const HOST_REGIONS: Record<string, string> = {
  eurocities: 'BE100', cemr: 'BE100', uclg: 'ES511', aer: 'FRF11', 'art-er': 'ITH55', 'emilia-romagna-region': 'ITH55',
  'catalonia-social-rights': 'ES511', 'donegal-county-council': 'IE041',
};
const HOSTS = Object.keys(HOST_REGIONS);
const KINDS: readonly [ExchangeTable['kind'], number, number][] = [
  ['STUDY_VISIT', 2, 10], ['JOB_SHADOWING', 5, 30], ['SECONDMENT', 30, 240], ['TRAINEESHIP', 90, 180],
];

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const TODAY = dayOf(DEMO_AS_OF);

export interface DemoMentoring {
  capacities: Map<string, number>;
  learningGoals: TalentLearningGoalTable[];
  mentorships: MentorshipTable[];
  mentorshipGoals: MentorshipGoalTable[];
  exchanges: ExchangeTable[];
}

export function syntheticMentoring(
  demo: SyntheticTalents,
  skillUris: readonly string[],
  consents: readonly Pick<TalentConsentTable, 'talent_id' | 'organisation_id'>[],
  seed = 2026,
): DemoMentoring {
  const random = createRandom(seed);
  const at = (day: number) => new Date(day * DAY_MS + random.int(8 * 60, 18 * 60) * 60_000);
  const out: DemoMentoring = { capacities: new Map(), learningGoals: [], mentorships: [], mentorshipGoals: [], exchanges: [] };
  const held = new Map<string, string[]>();
  for (const s of demo.skills) if (HELD.has(s.level)) held.set(s.talent_id, [...(held.get(s.talent_id) ?? []), s.skill_uri]);
  const goalsOf = new Map<string, string[]>();

  for (const t of demo.talents) {
    const r = random.next();
    if (t.status === 'ACTIVE' && r < 0.2) out.capacities.set(t.id, random.int(1, 4));
    else if (r < 0.24) out.capacities.set(t.id, 0);
    if (random.chance(0.4)) {
      // Mostly skills the talent does not hold yet, so that its skill gaps show them.
      const own = new Set(held.get(t.id) ?? []);
      const goals = random.sample(skillUris.filter((u) => !own.has(u)), random.int(1, 4));
      goalsOf.set(t.id, goals);
      for (const skill_uri of goals) out.learningGoals.push({ talent_id: t.id, skill_uri });
    }
  }

  // Mentorships: each network runs them for its own talents and for those who consented to share with it.
  const shared = new Map<string, string[]>();
  for (const c of consents) shared.set(c.organisation_id, [...(shared.get(c.organisation_id) ?? []), c.talent_id]);
  const openPairs = new Set<string>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  for (const organisation of NETWORKS) {
    const own = demo.talents.filter((t) => t.organisation_id === organisation).map((t) => t.id);
    const consented = shared.get(organisation) ?? [];
    const mentors = demo.talents.filter((t) => t.organisation_id === organisation && (out.capacities.get(t.id) ?? 0) > 0);
    for (const mentor of mentors) {
      const capacity = out.capacities.get(mentor.id)!;
      const open = random.int(0, capacity);
      const closed = random.int(0, 2);
      for (let k = 0; k < open + closed; k++) {
        const isOpen = k < open;
        const pool = consented.length > 0 && random.chance(0.25) ? consented : own;
        const mentee = random.pick(pool);
        if (mentee === mentor.id || (isOpen && openPairs.has(pairKey(mentor.id, mentee)))) continue;
        if (isOpen) openPairs.add(pairKey(mentor.id, mentee));
        out.mentorships.push(mentorship(out.mentorships.length, mentor, mentee, organisation, isOpen));
      }
    }
  }

  function mentorship(n: number, mentor: TalentTable, mentee: string, organisation: string, open: boolean): MentorshipTable {
    const id = syntheticUuid('mentorship', n);
    let status: MentorshipTable['status'];
    let proposed: number;
    let starts: number | null = null;
    let ends: number | null = null;
    let meetings = 0;
    if (open && random.chance(0.35)) {
      status = 'PROPOSED';
      proposed = TODAY - random.int(0, 40);
      if (random.chance(0.6)) starts = TODAY + random.int(5, 60);
    } else if (open) {
      status = 'ACTIVE';
      starts = TODAY - random.int(10, 300);
      proposed = starts - random.int(7, 30);
      meetings = random.int(1, Math.max(1, Math.floor((TODAY - starts) / 14)));
    } else if (random.chance(0.7)) {
      status = 'COMPLETED';
      starts = TODAY - random.int(200, 1100);
      ends = starts + random.int(90, 180);
      proposed = starts - random.int(7, 30);
      meetings = random.int(4, 16);
    } else {
      status = 'ENDED_EARLY';
      proposed = TODAY - random.int(60, 900);
      if (random.chance(0.5)) ends = proposed + random.int(5, 30);
      else {
        starts = proposed + random.int(7, 30);
        ends = starts + random.int(14, 60);
        meetings = random.int(0, 4);
      }
    }
    // Goals: what the mentee wants to learn and the mentor can teach, else what the mentor holds.
    const teaches = held.get(mentor.id) ?? [];
    const wanted = (goalsOf.get(mentee) ?? []).filter((g) => teaches.includes(g));
    const candidates = wanted.length > 0 ? wanted : teaches.length > 0 ? teaches : skillUris;
    for (const skill_uri of random.sample(candidates, Math.min(candidates.length, random.int(1, 3)))) {
      out.mentorshipGoals.push({ mentorship_id: id, skill_uri });
    }
    return {
      id,
      mentor_id: mentor.id,
      mentee_id: mentee,
      organisation_id: organisation,
      programme_id: random.chance(0.4) ? 'talent-hub' : null,
      status,
      starts_on: starts === null ? null : isoOf(starts),
      ends_on: ends === null ? null : isoOf(ends),
      meetings,
      proposed_at: at(proposed),
      synthetic: true,
    };
  }

  // Exchanges: one talent in eight, at most one each (so none overlap); Eurocities hosts most, in 2025 mostly.
  for (const t of demo.talents) {
    if (!random.chance(0.13)) continue;
    const host = t.organisation_id !== 'eurocities' && random.chance(0.45) ? 'eurocities' : random.pick(HOSTS.filter((h) => h !== t.organisation_id));
    const [kind, shortest, longest] = random.pick(KINDS);
    const starts = host === 'eurocities' && random.chance(0.7) ? dayOf('2025-01-07') + random.int(0, 330) : TODAY - random.int(-300, 900);
    const ends = starts + random.int(shortest, longest) - 1;
    const proposed = Math.min(starts - random.int(14, 90), TODAY - random.int(0, 20));
    const r = random.next();
    const status: ExchangeTable['status'] =
      starts > TODAY ? (r < 0.45 ? 'PROPOSED' : r < 0.9 ? 'ACCEPTED' : 'DECLINED')
      : ends >= TODAY ? (r < 0.9 ? 'ACCEPTED' : 'CANCELLED')
      : r < 0.8 ? 'COMPLETED' : r < 0.9 ? 'CANCELLED' : 'DECLINED';
    out.exchanges.push({
      id: syntheticUuid('exchange', out.exchanges.length),
      talent_id: t.id,
      home_organisation_id: t.organisation_id,
      host_organisation_id: host,
      kind,
      region_code: random.chance(0.9) ? HOST_REGIONS[host]! : null,
      programme_id: (NETWORKS as readonly string[]).includes(host) && random.chance(0.5) ? 'talent-hub' : null,
      starts_on: isoOf(starts),
      ends_on: isoOf(ends),
      status,
      proposed_at: at(proposed),
      synthetic: true,
    });
  }
  return out;
}

/**
 * Writes the demo mentoring into a database at any earlier seed version, adding what is missing: capacities only
 * where none is set, learning goals only for talents without any, mentorships and exchanges by id (and not when
 * someone has since opened a mentorship between the same two talents). Nothing about an erased talent.
 */
export async function writeDemoMentoring(trx: Kysely<TalentsDatabase>, data: DemoMentoring, erased: ReadonlySet<string>): Promise<void> {
  const capacities = [...data.capacities].filter(([id]) => !erased.has(id));
  for (let i = 0; i < capacities.length; i += 200) {
    const rows = capacities.slice(i, i + 200).map(([id, capacity]) => sql`(${id}::uuid, ${capacity}::smallint)`);
    await sql`update talents set mentoring_capacity = v.capacity from (values ${sql.join(rows)}) as v (id, capacity)
      where talents.id = v.id and talents.mentoring_capacity is null`.execute(trx);
  }

  const ids = [...new Set(data.learningGoals.map((g) => g.talent_id))];
  const withGoals = ids.length === 0 ? new Set<string>()
    : new Set((await trx.selectFrom('talent_learning_goals').select('talent_id').distinct().where('talent_id', 'in', ids).execute()).map((r) => r.talent_id));
  const goals = data.learningGoals.filter((g) => !erased.has(g.talent_id) && !withGoals.has(g.talent_id));
  for (let i = 0; i < goals.length; i += 500) await trx.insertInto('talent_learning_goals').values(goals.slice(i, i + 500)).execute();

  const mentorships = data.mentorships.filter((m) => !erased.has(m.mentor_id) && !erased.has(m.mentee_id));
  const inserted = new Set<string>();
  for (let i = 0; i < mentorships.length; i += 200) {
    // No conflict target: an id seeded before, or an open pair someone has made since, is left as it is.
    const rows = await trx.insertInto('mentorships').values(mentorships.slice(i, i + 200)).onConflict((oc) => oc.doNothing()).returning('id').execute();
    for (const r of rows) inserted.add(r.id);
  }
  const mentorshipGoals = data.mentorshipGoals.filter((g) => inserted.has(g.mentorship_id));
  for (let i = 0; i < mentorshipGoals.length; i += 500) await trx.insertInto('mentorship_goals').values(mentorshipGoals.slice(i, i + 500)).execute();

  const exchanges = data.exchanges.filter((e) => !erased.has(e.talent_id));
  for (let i = 0; i < exchanges.length; i += 200) {
    await trx.insertInto('exchanges').values(exchanges.slice(i, i + 200)).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
}
