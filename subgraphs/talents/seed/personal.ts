import { createRandom } from '@talent-hub/subgraph-lib/synthetic';
import type { TalentConsentTable, TalentPersonalColumns, TalentTable } from '../db/types.js';

// Synthetic personal data for the demo talents (seed version 2): names that agree with each display name, e-mail
// addresses at example.org (reserved for examples, RFC 2606), birth years and phone numbers in the range that
// Ofcom reserves for drama (+44 20 7946 0xxx). It is made up and marked as such by `synthetic`: these are not people.
// Its own random sequence, so the profiles generated before it (synthetic.ts) stay exactly as they were.

/** Family names by initial, so that "Marta K." is Marta K-something. */
const FAMILY_NAMES: Record<string, readonly string[]> = {
  A: ['Albescu', 'Arregi'], B: ['Bianchi', 'Byrne'], C: ['Costa', 'Carvalho'], D: ['Dubois', 'Dimitriou'],
  E: ['Eriksen', 'Esposito'], F: ['Ferrari', 'Fitzgerald'], G: ['Garcia', 'Gallo'], H: ['Horvath', 'Hansen'],
  I: ['Ivanova', 'Iglesias'], J: ['Janssens', 'Jovanovic'], K: ['Kowalska', 'Kelly'], L: ['Lopez', 'Lombardi'],
  M: ['Moreau', 'Murphy'], N: ['Novak', 'Nielsen'], O: ["Olsen", 'Ortega'], P: ['Popescu', 'Papadopoulou'],
  Q: ['Quinn', 'Quintana'], R: ['Rossi', 'Ruiz'], S: ['Schmidt', 'Santos'], T: ['Tanaka', 'Torres'],
  U: ['Ulrich', 'Urbano'], V: ['Vidal', 'Varga'], W: ['Walsh', 'Weber'], X: ['Xirau', 'Xenaki'],
  Y: ['Yilmaz', 'Young'], Z: ['Zielinska', 'Zanetti'],
};

/** Lowercase ASCII for an e-mail local part: "Inês" -> "ines", "Léa" -> "lea". */
const asciiLower = (s: string) =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');

export function syntheticPersonalData(talents: readonly Pick<TalentTable, 'id' | 'display_name'>[], seed = 4051): Map<string, TalentPersonalColumns> {
  const random = createRandom(seed);
  const out = new Map<string, TalentPersonalColumns>();
  talents.forEach((talent, i) => {
    const [given = 'Alex', initial = 'A.'] = talent.display_name.split(' ');
    const family = random.pick(FAMILY_NAMES[initial.charAt(0)] ?? FAMILY_NAMES.A!);
    out.set(talent.id, {
      given_name: given,
      family_name: family,
      email: `${asciiLower(given)}.${asciiLower(family)}.${i}@example.org`,
      birth_year: random.int(1972, 2004),
      phone: `+44 20 7946 0${String(random.int(0, 999)).padStart(3, '0')}`,
    });
  });
  return out;
}

/**
 * Consents of the demo talents, deterministic by position, so that tests have talents shared with another
 * organisation and talents shared with none: every fourth Eurocities talent shares with CEMR, every fifth UCLG
 * talent with Eurocities and with ART-ER. CEMR talents share with nobody.
 */
export function syntheticConsents(talents: readonly Pick<TalentTable, 'id' | 'organisation_id'>[]): Omit<TalentConsentTable, 'granted_at'>[] {
  const consents: Omit<TalentConsentTable, 'granted_at'>[] = [];
  const seen = new Map<string, number>();
  for (const talent of talents) {
    const n = seen.get(talent.organisation_id) ?? 0;
    seen.set(talent.organisation_id, n + 1);
    if (talent.organisation_id === 'eurocities' && n % 4 === 1) consents.push({ talent_id: talent.id, organisation_id: 'cemr' });
    if (talent.organisation_id === 'uclg' && n % 5 === 2) {
      consents.push({ talent_id: talent.id, organisation_id: 'eurocities' }, { talent_id: talent.id, organisation_id: 'art-er' });
    }
  }
  return consents;
}
