import { describe, expect, it } from 'vitest';
import { formatInstant, instantFromLocal, isTimeZone } from './time.js';

describe('time zones', () => {
  it('formats an instant with the offset in force (summer and winter time)', () => {
    expect(formatInstant(new Date('2024-10-09T12:30:00Z'), 'Europe/Brussels')).toBe('2024-10-09T14:30:00+02:00');
    expect(formatInstant(new Date('2024-01-15T12:30:00Z'), 'Europe/Brussels')).toBe('2024-01-15T13:30:00+01:00');
    expect(formatInstant(new Date('2024-07-01T00:00:00Z'), 'Europe/Dublin')).toBe('2024-07-01T01:00:00+01:00');
    expect(formatInstant(new Date('2024-07-01T00:00:00Z'), 'UTC')).toBe('2024-07-01T00:00:00+00:00');
  });

  it('turns local times into instants, around the change to summer time too', () => {
    expect(instantFromLocal('2024-10-09T14:30', 'Europe/Brussels').toISOString()).toBe('2024-10-09T12:30:00.000Z');
    expect(instantFromLocal('2024-03-31T01:30', 'Europe/Brussels').toISOString()).toBe('2024-03-31T00:30:00.000Z');
    expect(instantFromLocal('2024-03-31T03:30', 'Europe/Brussels').toISOString()).toBe('2024-03-31T01:30:00.000Z');
  });

  it('knows IANA names', () => {
    expect(isTimeZone('Europe/Brussels')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('CET')).toBe(false);
  });
});
