import { describe, expect, it } from 'vitest';
import { addYears } from '@talent-hub/talents/mentoring-input';
import { GENERATED_UUID_PREFIX } from './ids.js';
import { mentoringProfile } from './mentoring.js';
import type { GenerateOptions } from './options.js';
import { makePlan } from './plan.js';
import { loadReference } from './reference.js';
import { talentTables } from './tables.js';

// The generated mentoring and exchanges without a database: sizes that follow --talents, and the rules the
// mutations enforce (capacities, pairs, who runs a mentorship, exchanges' hosts and periods).

const reference = loadReference();
const options: GenerateOptions = { talents: 3000, events: 0, registrations: 0, seed: 42, replace: false };
const plan = makePlan(reference, options);
const talents = Array.from({ length: options.talents }, (_, i) => plan.talent(i));
const byId = new Map(talents.map((t) => [t.talent.id, t]));
const profiles = talents.map((_, i) => mentoringProfile(reference, options.seed, i));
const { mentorships, exchanges } = plan.mentoring();

describe('generated mentoring', () => {
  it('scales with the talents: about 8% mentor, 20 mentorships and 10 exchanges per 100 talents', () => {
    const mentors = profiles.filter((p) => (p.capacity ?? 0) > 0).length;
    expect(mentors / options.talents).toBeGreaterThan(0.06);
    expect(mentors / options.talents).toBeLessThan(0.1);
    expect(mentorships.length / options.talents).toBeGreaterThan(0.15);
    expect(mentorships.length / options.talents).toBeLessThan(0.25);
    expect(exchanges).toHaveLength(options.talents / 10);
    expect(profiles.filter((p) => p.learningGoals.length > 0).length / options.talents).toBeGreaterThan(0.25);
    const statuses = new Set(mentorships.map((m) => m.mentorship.status));
    expect([...statuses].sort()).toEqual(['ACTIVE', 'COMPLETED', 'ENDED_EARLY', 'PROPOSED']);
    expect(new Set(exchanges.map((e) => e.status)).size).toBe(5);
  });

  it('keeps the rules: capacity, one open mentorship per pair, same organisation, ACTIVE mentors, known skills', () => {
    const skills = new Set(reference.skillUris);
    const open = new Map<string, number>();
    const pairs = new Set<string>();
    for (const { mentorship: m, goals } of mentorships) {
      expect(m.id.startsWith(`${GENERATED_UUID_PREFIX}-0003-`)).toBe(true);
      const mentor = byId.get(m.mentor_id)!;
      const mentee = byId.get(m.mentee_id)!;
      expect(m.mentor_id).not.toBe(m.mentee_id);
      expect(mentor.talent.status).toBe('ACTIVE');
      expect(mentor.talent.organisation_id).toBe(m.organisation_id);
      expect(mentee.talent.organisation_id).toBe(m.organisation_id);
      expect(goals.length).toBeGreaterThanOrEqual(1);
      expect(goals.length).toBeLessThanOrEqual(3);
      expect(goals.every((g) => skills.has(g.skill_uri))).toBe(true);
      if (m.starts_on && m.ends_on) expect(m.starts_on <= m.ends_on).toBe(true);
      if (m.status === 'ACTIVE' || m.status === 'COMPLETED') expect(m.starts_on).not.toBeNull();
      if (m.status === 'PROPOSED' || m.status === 'ACTIVE') {
        open.set(m.mentor_id, (open.get(m.mentor_id) ?? 0) + 1);
        const pair = [m.mentor_id, m.mentee_id].sort().join(':');
        expect(pairs.has(pair)).toBe(false);
        pairs.add(pair);
      }
      expect(m.proposed_at.toISOString().slice(0, 10) <= '2025-06-30').toBe(true);
    }
    for (const [mentor, n] of open) {
      const index = talents.findIndex((t) => t.talent.id === mentor);
      expect(n).toBeLessThanOrEqual(profiles[index]!.capacity!);
    }
  });

  it('keeps the exchanges’ rules: another host of the seed, at most two years, one per talent', () => {
    for (const e of exchanges) {
      expect(reference.organisations.has(e.host_organisation_id)).toBe(true);
      expect(e.host_organisation_id).not.toBe(e.home_organisation_id);
      expect(byId.get(e.talent_id)!.talent.organisation_id).toBe(e.home_organisation_id);
      expect(e.starts_on <= e.ends_on && e.ends_on <= addYears(e.starts_on, 2)).toBe(true);
      if (e.region_code) expect(reference.nutsLevels.get(e.region_code)).toBe(3);
    }
    expect(new Set(exchanges.map((e) => e.talent_id)).size).toBe(exchanges.length);
  });

  it('loads its tables in COPY text, each row once, and nothing without talents', () => {
    const tables = Object.fromEntries(talentTables(plan).map((t) => [t.table, t]));
    const rows = (table: string) => [...tables[table]!.pieces()].reduce((n, p) => n + p.rows, 0);
    expect(rows('mentorships')).toBe(mentorships.length);
    expect(rows('mentorship_goals')).toBe(mentorships.reduce((n, m) => n + m.goals.length, 0));
    expect(rows('exchanges')).toBe(exchanges.length);
    expect(rows('talent_learning_goals')).toBe(profiles.reduce((n, p) => n + p.learningGoals.length, 0));
    expect(tables.talents!.columns).toContain('mentoring_capacity');
    const none = makePlan(reference, { ...options, talents: 0 });
    expect(talentTables(none).every((t) => t.units === 0)).toBe(true);
  });
});
