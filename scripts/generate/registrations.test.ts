import { describe, expect, it } from 'vitest';
import { allocateRegistrations, eventRegistrations, maxRegistrations, type EventShape } from './registrations.js';

const shape = (capacity: number, popularity = 1): EventShape => ({
  capacity,
  startsAt: Date.parse('2024-05-10T09:00:00Z'),
  endsAt: Date.parse('2024-05-10T11:00:00Z'),
  deadline: Date.parse('2024-05-08T09:00:00Z'),
  popularity,
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
