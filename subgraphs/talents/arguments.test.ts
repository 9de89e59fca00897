import { describe, expect, it } from 'vitest';
import { addQuarters, parseQuarter, quarterOf, readQuarterRange, readRegionLevel } from './arguments.js';

describe('quarters', () => {
  it('parse as their first day and print back', () => {
    expect(parseQuarter('2024-Q1', 'q')).toBe('2024-01-01');
    expect(parseQuarter('2024-Q4', 'q')).toBe('2024-10-01');
    expect(quarterOf('2024-10-01')).toBe('2024-Q4');
    expect(quarterOf('2024-03-31')).toBe('2024-Q1');
    expect(addQuarters('2024-01-01', -1)).toBe('2023-10-01');
    expect(addQuarters('2024-10-01', 1)).toBe('2025-01-01');
    expect(addQuarters('2024-04-01', -7)).toBe('2022-07-01');
  });

  it('refuse other shapes, naming the argument', () => {
    for (const bad of ['2024-Q0', '2024-Q5', '2024Q1', '24-Q1', '2024-q1', '1800-Q1', '']) {
      expect(() => parseQuarter(bad, 'fromQuarter'), bad).toThrow(/Argument "fromQuarter" must be a quarter such as "2024-Q1"/);
    }
  });

  it('default to the eight quarters up to the as-of day and allow at most 40', () => {
    expect(readQuarterRange(null, null, '2024-05-15')).toEqual({ from: '2022-07-01', to: '2024-04-01' });
    expect(readQuarterRange(null, '2024-Q1', '2030-01-01')).toEqual({ from: '2022-04-01', to: '2024-01-01' });
    expect(readQuarterRange('2015-Q1', '2024-Q4', '2030-01-01')).toEqual({ from: '2015-01-01', to: '2024-10-01' });
    expect(() => readQuarterRange('2014-Q4', '2024-Q4', '2030-01-01')).toThrow(/span 41 quarters; at most 40/);
  });
});

describe('readRegionLevel', () => {
  it('defaults to NUTS 2 with REGION and refuses a level without REGION', () => {
    expect(readRegionLevel(null, ['REGION'])).toBe(2);
    expect(readRegionLevel(0, ['CATEGORY', 'REGION'])).toBe(0);
    expect(readRegionLevel(null, ['CATEGORY'])).toBeNull();
    expect(() => readRegionLevel(2, ['CATEGORY'])).toThrow(/only when "groupBy" includes REGION/);
    expect(() => readRegionLevel(-1, ['REGION'])).toThrow(/from 0 \(country\) to 3; got -1/);
  });
});
