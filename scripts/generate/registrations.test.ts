import { describe, expect, it } from 'vitest';
import { allocateRegistrations, eventRegistrations, maxRegistrations, type EventShape } from './registrations.js';

const shape = (capacity: number, popularity = 1): EventShape => ({
  capacity,
  startsAt: Date.parse('2024-05-10T09:00:00Z'),
  endsAt: Date.parse('2024-05-10T11:00:00Z'),
  deadline: Date.parse('2024-05-08T09:00:00Z'),
  popularity,
  timeZone: 'Europe/Rome',
});

describe('registrations', () => {
  it('spreads exactly the requested number over events, never above an event\'s maximum', () => {
    const shapes = [shape(10), shape(100, 0.4), shape(30, 0.9), shape(5)];
    for (const total of [0, 1, 57, 150, 188]) {
      const counts = allocateRegistrations(shapes, 1000, total);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      counts.forEach((count, i) => expect(count).toBeLessThanOrEqual(maxRegistrations(shapes[i]!.capacity, 1000)));
    }
  });

  it('refuses a number the events cannot take, saying how many they can', () => {
    expect(() => allocateRegistrations([shape(10), shape(20)], 1000, 40)).toThrow(/40 registrations do not fit: 2 events over 1,000 talents take at most 39/);
    // Each talent once per event: 3 talents, 2 events.
    expect(() => allocateRegistrations([shape(10), shape(20)], 3, 7)).toThrow(/take at most 6/);
  });

  it('seats first come, first served, up to the capacity; the rest wait or have cancelled', () => {
    const rows = eventRegistrations(1, 0, 'generated-0000001', shape(20), 26, 100, 0);
    expect(rows).toHaveLength(26);
    expect(new Set(rows.map((r) => r.talent_id)).size).toBe(26);
    const seated = rows.filter((r) => ['REGISTERED', 'ATTENDED', 'COMPLETED'].includes(r.status));
    expect(seated.length).toBeLessThanOrEqual(20);
    const times = rows.map((r) => r.registered_at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThanOrEqual(shape(20).deadline);
    // A waitlisted registration came after the last seat was taken.
    const lastSeat = Math.max(...seated.map((r) => r.registered_at.getTime()));
    for (const r of rows.filter((r) => r.status === 'WAITLISTED')) expect(r.registered_at.getTime()).toBeGreaterThan(lastSeat);
  });
});

describe('days of attendance and completion', () => {
  // An evening event in Rome: 22:30 to 00:30 local, so its days (in its time zone) differ from the UTC ones.
  const evening: EventShape = {
    capacity: 400,
    startsAt: Date.parse('2024-05-10T20:30:00Z'),
    endsAt: Date.parse('2024-05-10T22:30:00Z'),
    deadline: Date.parse('2024-05-08T09:00:00Z'),
    popularity: 1,
    timeZone: 'Europe/Rome',
  };

  it('are the event\'s first day for attendance, its last day or up to four weeks later for completion, in its time zone', () => {
    const rows = eventRegistrations(7, 3, 'generated-0000004', evening, 400, 1000, 0);
    const attended = rows.filter((r) => r.status === 'ATTENDED' || r.status === 'COMPLETED');
    const completed = rows.filter((r) => r.status === 'COMPLETED');
    expect(attended.length).toBeGreaterThan(200);
    for (const r of attended) expect(r.attended_on).toBe('2024-05-10');
    for (const r of rows.filter((x) => !attended.includes(x))) expect([r.attended_on, r.completed_on]).toEqual([null, null]);
    for (const r of rows.filter((x) => x.status === 'ATTENDED')) expect(r.completed_on).toBeNull();
    // The event ends at 00:30 on 11 May in Rome: completion is on that day at the earliest.
    const days = completed.map((r) => r.completed_on!);
    expect(days.every((d) => d >= '2024-05-11' && d <= '2024-06-08')).toBe(true);
    expect(days.filter((d) => d === '2024-05-11').length / days.length).toBeGreaterThan(0.35);
    expect(days.filter((d) => d === '2024-05-11').length / days.length).toBeLessThan(0.65);
    for (const r of completed) expect(r.updated_at.getTime()).toBeGreaterThanOrEqual(evening.endsAt);
  });

  it('never come after the generated world\'s today, nor for events that have not taken place', () => {
    const lateJune: EventShape = { ...evening, startsAt: Date.parse('2025-06-25T08:00:00Z'), endsAt: Date.parse('2025-06-25T10:00:00Z'), deadline: Date.parse('2025-06-20T08:00:00Z') };
    const rows = eventRegistrations(7, 4, 'generated-0000005', lateJune, 300, 1000, 0);
    expect(rows.some((r) => r.completed_on === '2025-06-30')).toBe(true);
    expect(rows.every((r) => r.completed_on === null || r.completed_on <= '2025-06-30')).toBe(true);
    const upcoming: EventShape = { ...evening, startsAt: Date.parse('2025-09-01T08:00:00Z'), endsAt: Date.parse('2025-09-01T10:00:00Z'), deadline: Date.parse('2025-08-30T08:00:00Z') };
    expect(eventRegistrations(7, 5, 'generated-0000006', upcoming, 300, 1000, 0).every((r) => r.attended_on === null && r.completed_on === null)).toBe(true);
  });

  it('leave the statuses as they were drawn before days were generated (their own random generator)', () => {
    const rows = eventRegistrations(1, 0, 'generated-0000001', shape(20), 26, 100, 0);
    // What seed 1 gave event 0 before days were generated (A: attended, C: completed, R: registered, W: waitlisted).
    expect(rows.map((r) => r.status[0]).join('')).toBe('AACRAACCCCCCCCCCCACAWWWWWW');
  });
});
