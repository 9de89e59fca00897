import { describe, expect, it } from 'vitest';
import { parseCountryCode, parseEscoSkillUri, parseNutsCode, parseSlug, parseUuid } from './validate.js';

describe('identifier shapes', () => {
  it('accepts well-shaped ids', () => {
    expect(parseNutsCode('ITH5')).toBe('ITH5');
    expect(parseNutsCode('IE041')).toBe('IE041');
    expect(parseSlug('eu-belong')).toBe('eu-belong');
    expect(parseUuid('0b9c2a4e-1f3d-4c5b-8a7e-6d5c4b3a2f10')).toBe('0b9c2a4e-1f3d-4c5b-8a7e-6d5c4b3a2f10');
    expect(parseCountryCode('EL')).toBe('EL');
    expect(parseEscoSkillUri('http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8')).toMatch(/^http/);
  });

  it('refuses malformed ids with a message naming the argument and the expected shape', () => {
    expect(() => parseNutsCode('italy')).toThrow('Argument "code" must be a NUTS 2024 code');
    expect(() => parseNutsCode('ITH555')).toThrow(/NUTS 2024 code/);
    expect(() => parseSlug('EU Belong')).toThrow(/lowercase slug/);
    expect(() => parseUuid('123', 'talentId')).toThrow(/Argument "talentId" must be a UUID/);
    expect(() => parseEscoSkillUri('http://example.org/skill/1')).toThrow(/ESCO skill URI/);
    expect(() => parseNutsCode('X'.repeat(10_000))).toThrow(/got "X{40}…"/);
  });
});
