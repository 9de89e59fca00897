import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '@talent-hub/subgraph-lib/csv';
import { sourceFile } from '@talent-hub/platform/paths';
import { readEscoSkills } from './index.js';
import { RESIDENCE_REGIONS, syntheticTalents } from './synthetic.js';

describe('demo talents', () => {
  const skills = readEscoSkills();
  const demo = syntheticTalents(skills.map((s) => s.uri));

  it('are the same on every run', () => {
    expect(syntheticTalents(skills.map((s) => s.uri))).toEqual(demo);
  });

  it('live in real NUTS 2024 regions and have ESCO skills from the shipped list', () => {
    const nuts = new Set(parseCsv(readFileSync(sourceFile(import.meta.url, '../../regions/seed/nuts-2024.csv'), 'utf8')).map((r) => r.code));
    for (const code of RESIDENCE_REGIONS) expect(nuts.has(code), code).toBe(true);
    for (const r of demo.residences) expect(nuts.has(r.region_code)).toBe(true);
    const uris = new Set(skills.map((s) => s.uri));
    expect(demo.skills.every((s) => uris.has(s.skill_uri))).toBe(true);
    expect(skills).toHaveLength(91);
  });

  it('have residence histories without overlaps, ending in the current residence', () => {
    for (const t of demo.talents) {
      const periods = demo.residences.filter((r) => r.talent_id === t.id);
      expect(periods.at(-1)).toMatchObject({ region_code: t.residence_region_code, ended_on: null });
      for (let i = 1; i < periods.length; i++) expect(periods[i - 1]!.ended_on! < periods[i]!.started_on).toBe(true);
    }
    expect(demo.talents.every((t) => t.synthetic)).toBe(true);
  });
});
