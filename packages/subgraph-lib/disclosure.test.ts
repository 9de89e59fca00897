import { describe, expect, it } from 'vitest';
import { badUserInput } from '@talent-hub/platform/errors';
import { checkCellLimit, discloseCounts, MAX_STATISTICS_CELLS, protectCount, protectShare } from './disclosure.js';

describe('protectShare', () => {
  it('gives the share as an exact decimal, rounded half up', () => {
    expect(protectShare(12, 20)).toEqual({ value: '0.6000', suppressed: false });
    expect(protectShare(10, 15)).toEqual({ value: '0.6667', suppressed: false });
    expect(protectShare(5, 10)).toEqual({ value: '0.5000', suppressed: false });
    // 1/16 = 0.0625 exactly: half up at two places.
    expect(protectShare(5, 80, 3)).toEqual({ value: '0.063', suppressed: false });
    expect(protectShare(7, 16, 2)).toEqual({ value: '0.44', suppressed: false }); // 0.4375
  });

  it('suppresses when the whole, the part or the rest is below the threshold', () => {
    expect(protectShare(4, 4)).toEqual({ value: null, suppressed: true });
    expect(protectShare(4, 40)).toEqual({ value: null, suppressed: true }); // 4 stayed
    expect(protectShare(36, 40)).toEqual({ value: null, suppressed: true }); // 4 left
    expect(protectShare(40, 40)).toEqual({ value: null, suppressed: true }); // nobody left: all 40 are revealed to stay
    expect(protectShare(0, 40)).toEqual({ value: null, suppressed: true });
    expect(protectShare(5, 10)).toMatchObject({ suppressed: false });
  });

  it('refuses impossible shares', () => {
    expect(() => protectShare(3, 2)).toThrow(RangeError);
    expect(() => protectShare(0.5, 2)).toThrow(RangeError);
  });
});

describe('protectCount', () => {
  it('withholds counts below the threshold, zero included', () => {
    expect(protectCount(5)).toEqual({ value: 5, suppressed: false });
    expect(protectCount(4)).toEqual({ value: null, suppressed: true });
    expect(protectCount(0)).toEqual({ value: null, suppressed: true });
  });
});

describe('checkCellLimit', () => {
  it('lets an answer of the limit through and refuses one more cell, naming the argument', () => {
    expect(checkCellLimit(new Array(MAX_STATISTICS_CELLS).fill(0))).toHaveLength(MAX_STATISTICS_CELLS);
    expect(() => checkCellLimit(new Array(MAX_STATISTICS_CELLS + 1).fill(0))).toThrow(
      expect.objectContaining({ extensions: badUserInput('', 'groupBy').extensions }),
    );
  });
});

describe('discloseCounts', () => {
  it('gives counts of at least 5 that differ by at least 5 from the counts already given', () => {
    const given = (counts: number[]) => discloseCounts(counts).map((c) => c.value);
    expect(given([40, 38, 30])).toEqual([40, null, 30]);
    expect(given([12, 12, 5])).toEqual([12, null, 5]);
    expect(given([15, 10, 5])).toEqual([15, 10, 5]);
    expect(given([4, 4, 0])).toEqual([null, null, null]);
    expect(given([11, 8, 5])).toEqual([11, null, 5]);
    expect(given([12, 7, 5])).toEqual([12, 7, null]);
    expect(discloseCounts([3])).toEqual([{ value: null, suppressed: true }]);
  });
});
