import { describe, expect, it } from 'vitest';
import { protectShare } from './share-suppression.js';

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
