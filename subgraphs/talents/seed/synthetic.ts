import { createHash } from 'node:crypto';
import { createRandom, SYNTHETIC_TALENT_COUNT, syntheticTalentId, syntheticTalentOrganisation } from '@talent-hub/subgraph-lib/synthetic';
import type { AffiliationTable, ResidencePeriodTable, TalentLanguageTable, TalentSkillTable, TalentTable } from '../db/types.js';
import { affiliationHistory } from './affiliations.js';

// Synthetic demo talents: made up, marked `synthetic`, and the same on every run (fixed seed), so that every
// cross-subgraph field has data to show. They are not people.

/** Real NUTS 2024 level-3 codes the demo talents live in; Emilia-Romagna and the event regions come first. */
export const RESIDENCE_REGIONS = [
  'ITH51', 'ITH52', 'ITH53', 'ITH54', 'ITH55', 'ITH56', 'ITH57', 'ITH58', 'ITH59',
  'ES511', 'ES512', 'ES513', 'ES514', 'IE041', 'BE100',
  'FRF11', 'FR101', 'DE300', 'AT130', 'CZ010', 'DK011', 'EL303', 'ES300', 'FI1B1', 'HU110', 'PL911', 'RO321', 'SE110',
];
const CATEGORIES = ['YOUNG_PROFESSIONAL', 'INTERNATIONAL_TALENT', 'RETURNEE', 'RESEARCHER', 'STUDENT'] as const;
// ISO 3166-1 alpha-2: Greece is GR here (EL is only NUTS's code for it).
const CITIZENSHIPS = ['IT', 'ES', 'IE', 'BE', 'FR', 'DE', 'AT', 'PL', 'PT', 'GR', 'RO', 'NL', 'SE', 'UA', 'MA', 'IN', 'BR', 'CO', 'TR', 'NG'];
const LANGUAGES = ['en', 'fr', 'it', 'es', 'de', 'pl', 'pt', 'ca', 'ga', 'nl', 'el', 'ro', 'uk', 'ar'];
const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
const SKILL_LEVELS = ['BASIC', 'INTERMEDIATE', 'ADVANCED', 'EXPERT'] as const;
const STAGES = ['EARLY_CAREER', 'MID_CAREER', 'SENIOR'] as const;
const INTERESTS = ['territorial diplomacy', 'cohesion policy', 'migration and integration', 'climate action', 'smart cities',
  'culture', 'research and innovation', 'youth participation', 'international cooperation', 'public procurement'];
const FIRST_NAMES = ['Marta', 'Luca', 'Aoife', 'Jordi', 'Elena', 'Tomasz', 'Inês', 'Sofia', 'Karim', 'Niamh', 'Matteo', 'Léa',
  'Andreas', 'Zeynep', 'Ana', 'Pieter', 'Ioana', 'Oksana', 'Chidi', 'Priya', 'Giulia', 'Pau', 'Eoin', 'Katarzyna'];

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => isoDate(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));

export interface SyntheticTalents {
  talents: TalentTable[];
  skills: TalentSkillTable[];
  languages: TalentLanguageTable[];
  residences: ResidencePeriodTable[];
}

/**
 * Whether a synthetic talent published its profile: about 70%, decided by the id alone (not the random stream, so
 * adding it changed no other demo value), the same in the seed and in the data generator.
 */
export function syntheticPublicProfile(id: string): boolean {
  return createHash('sha256').update(`public-profile:${id}`).digest().readUInt8(0) < 180;
}

/**
 * A synthetic talent's record key for the cell key method, from its id, so that the demo's published statistics
 * (the README's answers) are the same on every machine. Real profiles get a random key from the database.
 */
export function syntheticRecordKey(id: string): number {
  return createHash('sha256').update(`record-key:${id}`).digest().readUInt8(0);
}

export function syntheticTalents(skillUris: readonly string[], count = SYNTHETIC_TALENT_COUNT, seed = 2024): SyntheticTalents {
  const random = createRandom(seed);
  const out: SyntheticTalents = { talents: [], skills: [], languages: [], residences: [] };
  for (let i = 0; i < count; i++) {
    const id = syntheticTalentId(i);
    // About a third live in Emilia-Romagna, so its region pages have data to page through.
    const residence = random.chance(0.35) ? random.pick(RESIDENCE_REGIONS.slice(0, 9)) : random.pick(RESIDENCE_REGIONS);
    const moved = random.chance(0.6);
    const origin = moved ? random.pick(RESIDENCE_REGIONS.filter((r) => r !== residence)) : residence;
    const joined = addDays('2023-01-01', random.int(0, 900));
    out.talents.push({
      id,
      display_name: `${random.pick(FIRST_NAMES)} ${String.fromCharCode(65 + random.int(0, 25))}.`,
      category: random.pick(CATEGORIES),
      citizenship: random.pick(CITIZENSHIPS),
      residence_region_code: residence,
      origin_region_code: origin,
      organisation_id: syntheticTalentOrganisation(i),
      education_level: random.int(5, 8),
      career_stage: random.pick(STAGES),
      interests: random.sample(INTERESTS, random.int(1, 3)),
      status: random.chance(0.85) ? 'ACTIVE' : random.pick(['ALUMNI', 'INACTIVE'] as const),
      joined_on: joined,
      synthetic: true,
      public_profile: syntheticPublicProfile(id),
    });
    for (const uri of random.sample(skillUris, random.int(2, 5))) {
      out.skills.push({ talent_id: id, skill_uri: uri, level: random.pick(SKILL_LEVELS) });
    }
    const [native, ...others] = random.sample(LANGUAGES, random.int(1, 3));
    out.languages.push({ talent_id: id, language: native!, level: 'C2' });
    for (const language of others) out.languages.push({ talent_id: id, language, level: random.pick(CEFR) });
    // A move before joining gives the residence history (and later the retention figures) something to show.
    if (moved) {
      const arrived = addDays(joined, -random.int(30, 700));
      out.residences.push({ talent_id: id, region_code: origin, started_on: addDays(arrived, -random.int(365, 3000)), ended_on: addDays(arrived, -1) });
      out.residences.push({ talent_id: id, region_code: residence, started_on: arrived, ended_on: null });
    } else {
      out.residences.push({ talent_id: id, region_code: residence, started_on: addDays(joined, -random.int(365, 5000)), ended_on: null });
    }
  }
  return out;
}

/** The day the demo affiliation histories are drawn as of: no period of theirs ends later. */
export const DEMO_AS_OF = '2026-11-30';

/** Affiliation histories of the demo talents, from a random stream of their own (other demo data stays as it was). */
export function syntheticAffiliations(talents: readonly TalentTable[], seed = 2025): AffiliationTable[] {
  const random = createRandom(seed);
  return talents.flatMap((t) =>
    affiliationHistory(random.next, { talentId: t.id, organisationId: t.organisation_id, joinedOn: t.joined_on, status: t.status, asOf: DEMO_AS_OF }),
  );
}
