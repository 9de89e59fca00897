import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SYNTHETIC_TALENT_COUNT, syntheticTalentId, syntheticUuid } from '@talent-hub/subgraph-lib/synthetic';
import { isTimeZone } from '@talent-hub/subgraph-lib/time';
import { AS_OF_DAY, dayNumber } from './dates.js';
import { GENERATED_UUID_PREFIX, generatedTalentId } from './ids.js';
import type { GenerateOptions } from './options.js';
import { COUNTRY_TIME_ZONE, EU_COUNTRIES } from './places.js';
import { makePlan, registrationsByEvent } from './plan.js';
import { loadReference } from './reference.js';
import { talentTables, trainingTables } from './tables.js';

// The generated data without a database: small counts, checked row by row.

const reference = loadReference();
const options: GenerateOptions = { talents: 400, events: 40, registrations: 3000, seed: 42, replace: false };

/** A hash of every row the generator would load, table by table. */
function hashRows(opts: GenerateOptions): string {
  const plan = makePlan(reference, opts);
  const hash = createHash('sha256');
  for (const load of [...talentTables(plan), ...trainingTables(plan)]) {
    hash.update(`${load.table}\n`);
    for (const piece of load.pieces()) hash.update(piece.text);
  }
  return hash.digest('hex');
}

describe('generated data', () => {
  const plan = makePlan(reference, options);
  const talents = Array.from({ length: options.talents }, (_, i) => plan.talent(i));
  const events = Array.from({ length: options.events }, (_, i) => plan.event(i));
  const registrations = [...registrationsByEvent(plan)].flat();
  const CEFR = new Set(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']);
  const skills = new Set(reference.skillUris);
  const eu = new Set(EU_COUNTRIES.map(([c]) => c));

  it('is the same for the same options, and differs for another seed', () => {
    const first = hashRows(options);
    expect(hashRows(options)).toBe(first);
    expect(hashRows({ ...options, seed: 43 })).not.toBe(first);
  });

  it('gives ids that no demo-seed row has', () => {
    const demoIds = [
      ...Array.from({ length: SYNTHETIC_TALENT_COUNT }, (_, i) => syntheticTalentId(i)),
      ...Array.from({ length: 2000 }, (_, i) => syntheticUuid('registration', i)),
    ];
    expect(demoIds.filter((id) => id.startsWith(GENERATED_UUID_PREFIX))).toEqual([]);
    expect(new Set(talents.map((t) => t.talent.id)).size).toBe(options.talents);
    expect(new Set(registrations.map((r) => r.id)).size).toBe(options.registrations);
    expect(registrations.every((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.id))).toBe(true);
  });

  it('makes talents with real codes: NUTS 2024, ESCO, CEFR, ISO countries, seed organisations', () => {
    for (const { talent, skills: talentSkills, languages } of talents) {
      expect(talent.synthetic).toBe(true);
      expect(talent.citizenship).toMatch(/^[A-Z]{2}$/);
      expect(talent.citizenship).not.toBe('EL'); // ISO 3166-1 says GR; only NUTS says EL
      expect(reference.organisations.has(talent.organisation_id)).toBe(true);
      expect(reference.nutsLevels.get(talent.residence_region_code!)).toBe(3);
      expect(eu.has(talent.residence_region_code!.slice(0, 2))).toBe(true);
      if (talent.origin_region_code) expect(reference.nutsLevels.get(talent.origin_region_code)).toBe(3);
      expect(talentSkills.every((s) => skills.has(s.skill_uri))).toBe(true);
      expect(new Set(talentSkills.map((s) => s.skill_uri)).size).toBe(talentSkills.length);
      expect(languages.every((l) => CEFR.has(l.level) && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l.language))).toBe(true);
      expect(new Set(languages.map((l) => l.language)).size).toBe(languages.length);
      expect(talent.joined_on <= '2025-06-30').toBe(true);
    }
  });

  it('gives every talent a residence history: ordered, non-overlapping, the last one open and current', () => {
    for (const { talent, residences } of talents) {
      expect(residences.length).toBeGreaterThan(0);
      residences.forEach((period, i) => {
        expect(reference.nutsLevels.has(period.region_code)).toBe(true);
        const next = residences[i + 1];
        if (next) {
          expect(period.ended_on).not.toBeNull();
          expect(period.started_on <= period.ended_on!).toBe(true);
          expect(period.ended_on! < next.started_on).toBe(true);
          expect(next.region_code).not.toBe(period.region_code);
        } else {
          expect(period.ended_on).toBeNull();
          expect(period.region_code).toBe(talent.residence_region_code);
        }
      });
      if (talent.origin_region_code) expect(residences[0]!.region_code).toBe(talent.origin_region_code);
    }
  });

  it('gives non-trivial retention: most arrivals stay 6 and 12 months, some move on', () => {
    let arrivals = 0;
    let stayed6 = 0;
    let stayed12 = 0;
    for (const { residences } of talents) {
      for (const period of residences) {
        const from = dayNumber(period.started_on);
        // Arrivals in the window that can be followed for 12 months.
        if (from < dayNumber('2019-01-01') || from > AS_OF_DAY - 366) continue;
        const until = period.ended_on ? dayNumber(period.ended_on) : Infinity;
        arrivals += 1;
        if (until >= from + 183) stayed6 += 1;
        if (until >= from + 366) stayed12 += 1;
      }
    }
    expect(arrivals).toBeGreaterThan(options.talents * 0.8);
    expect(stayed6 / arrivals).toBeGreaterThan(0.65);
    expect(stayed6 / arrivals).toBeLessThan(0.92);
    expect(stayed12 / arrivals).toBeGreaterThan(0.55);
    expect(stayed12 / arrivals).toBeLessThan(stayed6 / arrivals - 0.03);
  });

  it('holds events in a real city, in its region and time zone, by seed organisations and programmes', () => {
    for (const { event, partners, skills: eventSkills, agenda, speakers } of events) {
      expect(event.synthetic).toBe(true);
      expect(reference.organisations.has(event.organiser_id)).toBe(true);
      expect(isTimeZone(event.time_zone)).toBe(true);
      if (event.programme_id) {
        const programme = reference.programmes.get(event.programme_id)!;
        expect(programme).toBeDefined();
        const day = event.starts_at.toISOString().slice(0, 10);
        if (programme.period_start) expect(day >= programme.period_start).toBe(true);
        if (programme.period_end) expect(day <= programme.period_end).toBe(true);
      }
      if (event.attendance_mode === 'ONLINE') {
        expect([event.region_code, event.venue_name, event.venue_city]).toEqual([null, null, null]);
      } else {
        expect(reference.nutsLevels.get(event.region_code!)).toBe(3);
        expect(event.time_zone).toBe(COUNTRY_TIME_ZONE[event.region_code!.slice(0, 2)]);
        expect(event.venue_name).toContain(event.venue_city!);
      }
      expect(event.starts_at < event.ends_at).toBe(true);
      expect(event.registration_deadline < event.starts_at).toBe(true);
      expect(partners.every((p) => reference.organisations.has(p.organisation_id) && p.organisation_id !== event.organiser_id)).toBe(true);
      expect(eventSkills.every((s) => skills.has(s.skill_uri))).toBe(true);
      expect(agenda[0]!.starts_at).toEqual(event.starts_at);
      expect(agenda.at(-1)!.ends_at).toEqual(event.ends_at);
      expect(speakers.every((s) => agenda.some((a) => a.position === s.item_position))).toBe(true);
    }
  });

  it('registers generated talents once per event, never seating more than the capacity', () => {
    expect(registrations).toHaveLength(options.registrations);
    const talentIds = new Set(talents.map((t) => t.talent.id));
    const byEvent = new Map(events.map((e) => [e.event.id, e]));
    const pairs = new Set<string>();
    const seated = new Map<string, number>();
    for (const r of registrations) {
      expect(talentIds.has(r.talent_id)).toBe(true);
      const generated = byEvent.get(r.event_id)!;
      expect(generated).toBeDefined();
      pairs.add(`${r.event_id} ${r.talent_id}`);
      if (['REGISTERED', 'ATTENDED', 'COMPLETED'].includes(r.status)) seated.set(r.event_id, (seated.get(r.event_id) ?? 0) + 1);
      expect(r.registered_at <= generated.event.registration_deadline).toBe(true);
      expect(r.updated_at >= r.registered_at).toBe(true);
      // Attendance only for events that have taken place.
      if (r.status === 'ATTENDED' || r.status === 'COMPLETED') expect(generated.event.ends_at.getTime()).toBeLessThan(Date.parse('2025-06-30'));
    }
    expect(pairs.size).toBe(registrations.length);
    for (const [eventId, n] of seated) expect(n).toBeLessThanOrEqual(byEvent.get(eventId)!.event.capacity);
    const statuses = new Set(registrations.map((r) => r.status));
    expect([...statuses].sort()).toEqual(['ATTENDED', 'CANCELLED', 'COMPLETED', 'REGISTERED', 'WAITLISTED']);
    expect(generatedTalentId(0)).toBe('9e4e7a7e-0001-4000-8000-000000000000');
  });
});
