import type { AffiliationTable, ResidencePeriodTable, TalentLanguageTable, TalentSkillTable, TalentTable } from '@talent-hub/talents/db/types';
import { affiliationHistory } from '@talent-hub/talents/seed/affiliations';
import { syntheticPublicProfile } from '@talent-hub/talents/seed/synthetic';
import { AS_OF_DAY, isoDay, JOINED_FROM_DAY, MOVES_FROM_DAY } from './dates.js';
import { generatedTalentId } from './ids.js';
import { COUNTRY_LANGUAGE, EU_COUNTRIES, INTERNATIONAL_CITIZENSHIPS, isoCountry, nutsCountry } from './places.js';
import { randomFor, sampleItems, weighted, type Random } from './random.js';
import type { Reference } from './reference.js';

// Generated talents: synthetic profiles with a residence history. The history is what the retention figures
// are computed from, so its shape is deliberate: most talents move at least once inside the window; of those
// who arrive in a region, a region-dependent 75-90% are still there 6 months later and 55-80% after 12 months;
// the others move on (and arrive somewhere else, which counts there).

export interface GeneratedTalent {
  talent: TalentTable;
  skills: TalentSkillTable[];
  languages: TalentLanguageTable[];
  residences: ResidencePeriodTable[];
  /** Periods with partner organisations, from a random stream of their own (see talents/seed/affiliations.ts). */
  affiliations: AffiliationTable[];
}

const EU = new Set(EU_COUNTRIES.map(([code]) => code));
const pickCategory = weighted([
  ['YOUNG_PROFESSIONAL', 30], ['INTERNATIONAL_TALENT', 25], ['RETURNEE', 10], ['RESEARCHER', 15], ['STUDENT', 20],
] as const);
const pickEuCountry = weighted(EU_COUNTRIES);
const pickInternational = weighted(INTERNATIONAL_CITIZENSHIPS);
const pickNetwork = weighted([['cemr', 35], ['eurocities', 35], ['uclg', 20], ['aer', 10]] as const);
const pickStatus = weighted([['ACTIVE', 80], ['ALUMNI', 12], ['INACTIVE', 8]] as const);
const pickSkillLevel = weighted([['BASIC', 20], ['INTERMEDIATE', 40], ['ADVANCED', 30], ['EXPERT', 10]] as const);
const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
const SECOND_LANGUAGES = ['fr', 'de', 'es', 'it', 'pt', 'nl', 'pl'];
const INTERESTS = ['territorial diplomacy', 'cohesion policy', 'migration and integration', 'climate action',
  'smart cities', 'culture', 'research and innovation', 'youth participation', 'international cooperation',
  'public procurement', 'housing', 'digital transition', 'mobility', 'social inclusion'];
const FIRST_NAMES = ['Marta', 'Luca', 'Aoife', 'Jordi', 'Elena', 'Tomasz', 'Inês', 'Sofia', 'Karim', 'Niamh', 'Matteo',
  'Léa', 'Andreas', 'Zeynep', 'Ana', 'Pieter', 'Ioana', 'Oksana', 'Chidi', 'Priya', 'Giulia', 'Pau', 'Eoin',
  'Katarzyna', 'Jonas', 'Eva', 'Mateus', 'Amira', 'Lukas', 'Nora', 'Dimitris', 'Petra', 'Arjun', 'Mei', 'Youssef',
  'Camille', 'Hugo', 'Lina', 'Tiago', 'Emma', 'Mihai', 'Sara', 'Jakub', 'Ingrid', 'Diego', 'Fatima', 'Olga', 'Rui'];

/** Stays are drawn clear of the 6- and 12-month marks, so that "still there after 6 months" is never a rounding call. */
const SHORT_STAY: [number, number] = [30, 170];
const MEDIUM_STAY: [number, number] = [200, 350];
const LONG_STAY: [number, number] = [380, 2600];
const SHORT_SHARE = 0.17;
const MEDIUM_SHARE = 0.13;
const MAX_MOVES = 6;

export type TalentGenerator = (index: number) => GeneratedTalent;

export function createTalentGenerator(reference: Reference, seed: number): TalentGenerator {
  // Some regions keep their newcomers better than others: a per-region factor (0.6-1.4) scales the leaving shares.
  const stickiness = new Map<string, number>();
  const leavingFactor = (region: string) => {
    let factor = stickiness.get(region);
    if (factor === undefined) {
      factor = 0.6 + 0.8 * randomFor(seed, `region:${region}`, 0).next();
      stickiness.set(region, factor);
    }
    return factor;
  };

  const regionsIn = (country: string) => reference.regionsByCountry.get(country) ?? [];
  const euRegionsIn = (country: string | undefined) => (country && EU.has(country) ? regionsIn(country) : []);

  // Where a move goes: often a focus region, else within the same EU country, near home, or anywhere in the EU.
  const destination = (random: Random, previous: string | undefined, home: string | undefined): string => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const r = random.next();
      const candidates =
        r < 0.4 ? reference.focusRegions
        : r < 0.65 ? euRegionsIn(previous?.slice(0, 2))
        : r < 0.75 ? euRegionsIn(home)
        : reference.euRegions;
      const region = random.pick(candidates.length > 0 ? candidates : reference.euRegions);
      if (region !== previous) return region;
    }
    return random.pick(reference.euRegions.filter((r) => r !== previous));
  };

  const stay = (random: Random, region: string) => {
    const factor = leavingFactor(region);
    const r = random.next();
    const [lo, hi] = r < SHORT_SHARE * factor ? SHORT_STAY : r < (SHORT_SHARE + MEDIUM_SHARE) * factor ? MEDIUM_STAY : LONG_STAY;
    return random.int(lo, hi);
  };

  return (index) => {
    const random = randomFor(seed, 'talent', index);
    const id = generatedTalentId(index);
    const category = pickCategory(random);
    const international = category === 'INTERNATIONAL_TALENT';
    const citizenship = international ? pickInternational(random) : isoCountry(pickEuCountry(random));
    // NUTS covers the EU and a few neighbours; a talent from elsewhere has no origin region.
    const homeRegions = regionsIn(nutsCountry(citizenship));
    const origin = homeRegions.length > 0 ? random.pick(homeRegions) : null;
    const home = origin ? origin.slice(0, 2) : undefined;

    // Residence history: a period at the origin since long before the window, then moves inside the window.
    const residences: ResidencePeriodTable[] = [];
    const periods: { region: string; from: number }[] = [];
    if (origin) periods.push({ region: origin, from: MOVES_FROM_DAY - random.int(365, 9000) });
    const mover = international || !origin || random.chance(0.75);
    if (mover) {
      let day = random.int(MOVES_FROM_DAY, AS_OF_DAY - 30);
      for (let move = 0; move < MAX_MOVES; move++) {
        const previous = periods.at(-1)?.region;
        // Returnees leave home first and often come back later.
        const homeward = category === 'RETURNEE' && move > 0 && random.chance(0.6) ? euRegionsIn(home) : [];
        const back = homeward.length > 0 ? random.pick(homeward) : undefined;
        const region = back && back !== previous ? back : destination(random, previous, home);
        periods.push({ region, from: day });
        const next = day + stay(random, region);
        if (next > AS_OF_DAY) break;
        day = next;
      }
    }
    periods.forEach((period, i) => {
      const following = periods[i + 1];
      residences.push({
        talent_id: id,
        region_code: period.region,
        started_on: isoDay(period.from),
        ended_on: following ? isoDay(following.from - 1) : null,
      });
    });
    const residence = periods.at(-1)?.region ?? null;

    const nativeTag = COUNTRY_LANGUAGE[citizenship] ?? 'en';
    // One entry per language: `es` is not added again to a native `es-CO` speaker.
    const spoken = new Set<string>([nativeTag.split('-')[0]!]);
    const languages: TalentLanguageTable[] = [{ talent_id: id, language: nativeTag, level: 'C2' }];
    const addLanguage = (tag: string, minLevel: number, maxLevel: number) => {
      const base = tag.split('-')[0]!;
      if (spoken.has(base)) return;
      spoken.add(base);
      languages.push({ talent_id: id, language: tag, level: CEFR[random.int(minLevel, maxLevel)]! });
    };
    if (random.chance(0.85)) addLanguage('en', 2, 5);
    const residenceCountry = residence ? isoCountry(residence.slice(0, 2)) : undefined;
    if (residenceCountry && random.chance(0.6)) addLanguage(COUNTRY_LANGUAGE[residenceCountry] ?? 'en', 1, 4);
    if (random.chance(0.25)) addLanguage(random.pick(SECOND_LANGUAGES), 0, 3);

    const skills = sampleItems(random, reference.skillUris, random.int(2, 6))
      .map((uri): TalentSkillTable => ({ talent_id: id, skill_uri: uri, level: pickSkillLevel(random) }));

    const education =
      category === 'STUDENT' ? random.int(3, 6) : category === 'RESEARCHER' ? random.int(7, 8) : random.int(5, 8);
    const stage =
      category === 'STUDENT' ? 'EARLY_CAREER'
      : category === 'RESEARCHER' ? random.pick(['EARLY_CAREER', 'MID_CAREER', 'SENIOR'] as const)
      : random.pick(['EARLY_CAREER', 'EARLY_CAREER', 'MID_CAREER', 'SENIOR'] as const);

    const talent: TalentTable = {
      id,
      display_name: `${random.pick(FIRST_NAMES)} ${String.fromCharCode(65 + random.int(0, 25))}.`,
      category,
      citizenship,
      residence_region_code: residence,
      origin_region_code: origin,
      organisation_id: pickNetwork(random),
      education_level: education,
      career_stage: stage,
      interests: sampleItems(random, INTERESTS, random.int(1, 3)),
      status: pickStatus(random),
      joined_on: isoDay(random.int(JOINED_FROM_DAY, AS_OF_DAY)),
      synthetic: true,
      public_profile: syntheticPublicProfile(id),
    };
    const affiliations = affiliationHistory(randomFor(seed, 'affiliation', index).next, {
      talentId: id, organisationId: talent.organisation_id, joinedOn: talent.joined_on, status: talent.status, asOf: isoDay(AS_OF_DAY),
    });
    return { talent, skills, languages, residences, affiliations };
  };
}
