import type { Tally } from '@talent-hub/subgraph-lib/disclosure';
import type { Kysely } from 'kysely';
import type { TalentsDatabase } from '../db/types.js';

// Test fixture (not a test file): the talent filters and statistics re-implemented in plain JavaScript over the
// raw tables, so tests can check the SQL against an independent computation.

export const DIMENSIONS = ['REGION', 'CATEGORY', 'CITIZENSHIP', 'SKILL', 'CAREER_STAGE'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Filter {
  regionCode?: string;
  skillUri?: string;
  language?: string;
  minLanguageLevel?: string;
  category?: string;
  citizenship?: string;
  organisationId?: string;
  joinedFrom?: string;
  joinedTo?: string;
}

/** Reads the talents tables as they are now, and returns the filter and the grouping over them. */
export async function loadOracle(db: Kysely<TalentsDatabase>) {
  const talents = await db.selectFrom('talents').selectAll().execute();
  const skills = await db.selectFrom('talent_skills').select(['talent_id', 'skill_uri']).execute();
  const languages = await db.selectFrom('talent_languages').selectAll().execute();
  const skillsOf = new Map<string, string[]>();
  for (const s of skills) skillsOf.set(s.talent_id, [...(skillsOf.get(s.talent_id) ?? []), s.skill_uri]);
  const languagesOf = new Map<string, { language: string; level: string }[]>();
  for (const l of languages) languagesOf.set(l.talent_id, [...(languagesOf.get(l.talent_id) ?? []), l]);
  const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

  const matches = (t: (typeof talents)[number], f: Filter) =>
    (f.regionCode === undefined || (t.residence_region_code ?? '').startsWith(f.regionCode)) &&
    (f.skillUri === undefined || (skillsOf.get(t.id) ?? []).includes(f.skillUri)) &&
    (f.language === undefined ||
      (languagesOf.get(t.id) ?? []).some(
        (l) =>
          (l.language === f.language || (!f.language!.includes('-') && l.language.startsWith(`${f.language}-`))) &&
          (f.minLanguageLevel === undefined || CEFR.indexOf(l.level) >= CEFR.indexOf(f.minLanguageLevel)),
      )) &&
    (f.category === undefined || t.category === f.category) &&
    (f.citizenship === undefined || t.citizenship === f.citizenship) &&
    (f.organisationId === undefined || t.organisation_id === f.organisationId) &&
    (f.joinedFrom === undefined || t.joined_on >= f.joinedFrom) &&
    (f.joinedTo === undefined || t.joined_on <= f.joinedTo);

  // The record keys are not part of the row type (never selected into answers); `selectAll` reads them anyway.
  const recordKey = (t: (typeof talents)[number]) => Number((t as unknown as { record_key: number }).record_key);

  /** Real counts per cell key, the key being the grouped dimensions' values joined with '|'. */
  const cells = (f: Filter, groupBy: readonly Dimension[], regionLevel: number) => tallies(f, groupBy, regionLevel, (tally) => tally.count);

  /** Real counts with their record-key sums (the input of the cell key method) per cell. */
  const tallies = <T,>(f: Filter, groupBy: readonly Dimension[], regionLevel: number, as: (tally: Tally) => T) => {
    const counts = new Map<string, Tally>();
    for (const t of talents.filter((t) => matches(t, f))) {
      const skillValues = groupBy.includes('SKILL') ? ((skillsOf.get(t.id) ?? []).length ? skillsOf.get(t.id)! : [null]) : [null];
      for (const skill of skillValues) {
        const value: Record<Dimension, string | null> = {
          REGION: t.residence_region_code === null ? null : t.residence_region_code.slice(0, regionLevel + 2),
          CATEGORY: t.category,
          CITIZENSHIP: t.citizenship,
          SKILL: skill,
          CAREER_STAGE: t.career_stage,
        };
        const key = groupBy.map((d) => value[d]).join('|');
        const tally = counts.get(key) ?? { count: 0, keySum: 0 };
        counts.set(key, { count: tally.count + 1, keySum: tally.keySum + recordKey(t) });
      }
    }
    return new Map([...counts].map(([key, tally]) => [key, as(tally)]));
  };
  const consents = await db.selectFrom('talent_consents').select(['talent_id', 'organisation_id']).execute();
  /** Whether a viewer (an organisation, or null: anonymous) may see the profile: published, owned or consented. */
  const visible = (t: (typeof talents)[number], organisationId: string | null) =>
    t.public_profile ||
    (organisationId !== null && (t.organisation_id === organisationId || consents.some((c) => c.talent_id === t.id && c.organisation_id === organisationId)));
  return { talents, matches, visible, cells, tallies: (f: Filter, groupBy: readonly Dimension[], regionLevel: number) => tallies(f, groupBy, regionLevel, (t) => t) };
}

