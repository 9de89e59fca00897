import { describe, expect, it } from 'vitest';
import { instantFromLocal, isTimeZone } from '@talent-hub/subgraph-lib/time';
import { dayNumber, isoDay, zonedInstant } from './dates.js';
import { CITIES, cityTimeZone, COUNTRY_LANGUAGE, COUNTRY_TIME_ZONE, EU_COUNTRIES, INTERNATIONAL_CITIZENSHIPS } from './places.js';
import { loadReference } from './reference.js';

const reference = loadReference();

describe('reference facts', () => {
  it('places every city in a NUTS 2024 level-3 region of an EU country with a time zone', () => {
    const eu = new Set(EU_COUNTRIES.map(([c]) => c));
    for (const city of CITIES) {
      expect(reference.nutsLevels.get(city.region), city.name).toBe(3);
      expect(eu.has(city.region.slice(0, 2)), city.name).toBe(true);
      expect(isTimeZone(cityTimeZone(city)), city.name).toBe(true);
    }
    for (const zone of Object.values(COUNTRY_TIME_ZONE)) expect(isTimeZone(zone)).toBe(true);
  });

  it('knows a language for every citizenship it gives, and reads the seeds', () => {
    for (const [country] of [...EU_COUNTRIES, ...INTERNATIONAL_CITIZENSHIPS]) {
      expect(COUNTRY_LANGUAGE[country === 'EL' ? 'GR' : country], country).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/);
    }
    expect(reference.euRegions.length).toBeGreaterThan(1000);
    expect(reference.euRegions.every((code) => reference.nutsLevels.get(code) === 3)).toBe(true);
    expect(reference.skillUris.length).toBeGreaterThan(50);
    expect(reference.focusRegions.every((code) => reference.nutsLevels.get(code) === 3)).toBe(true);
  });
});

describe('dates', () => {
  it('turns local wall-clock times into the same instants as the lib, across summer time', () => {
    for (const [date, time, zone] of [
      ['2024-10-09', '14:30', 'Europe/Brussels'],
      ['2024-03-31', '09:00', 'Europe/Rome'],
      ['2024-10-27', '09:00', 'Europe/Dublin'],
      ['2025-01-15', '17:30', 'Europe/Helsinki'],
      ['2026-07-01', '10:00', 'Europe/Lisbon'],
    ] as const) {
      const [h, m] = time.split(':').map(Number);
      expect(zonedInstant(dayNumber(date), h! * 60 + m!, zone).toISOString()).toBe(instantFromLocal(`${date}T${time}`, zone).toISOString());
    }
    expect(isoDay(dayNumber('2025-06-30'))).toBe('2025-06-30');
  });
});
