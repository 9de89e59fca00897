import { createRandom, SYNTHETIC_TALENT_COUNT, syntheticTalentId, syntheticTalentOrganisation, syntheticUuid } from '@talent-hub/subgraph-lib/synthetic';
import { formatInstant, instantFromLocal } from '@talent-hub/subgraph-lib/time';
import type { EventSkillTable, EventTable, RegistrationTable } from '../db/types.js';
import type { EventKind, RegistrationStatus } from '../generated/enums.js';

// Synthetic demo events and registrations: made up, marked `synthetic`, the same on every run (fixed seed).
// Registrations point at the synthetic talents of the `talents` seed through the shared id scheme.

/** Where synthetic onsite events take place: real NUTS 2024 codes, with their city and time zone. */
const PLACES = [
  { region: 'BE100', city: 'Brussels', timeZone: 'Europe/Brussels' },
  { region: 'ITH55', city: 'Bologna', timeZone: 'Europe/Rome' },
  { region: 'ITH54', city: 'Modena', timeZone: 'Europe/Rome' },
  { region: 'ITH59', city: 'Rimini', timeZone: 'Europe/Rome' },
  { region: 'ES511', city: 'Barcelona', timeZone: 'Europe/Madrid' },
  { region: 'IE041', city: 'Letterkenny', timeZone: 'Europe/Dublin' },
  { region: 'FRF11', city: 'Strasbourg', timeZone: 'Europe/Paris' },
  { region: 'PL911', city: 'Warsaw', timeZone: 'Europe/Warsaw' },
];

const ORGANISERS = [
  { id: 'cemr', programme: 'talent-hub' },
  { id: 'eurocities', programme: 'talent-hub' },
  { id: 'uclg', programme: 'talent-hub' },
  { id: 'aer', programme: 'eu-belong' },
  { id: 'art-er', programme: 'emilia-romagna-talents' },
];

const KINDS: [EventKind, string][] = [
  ['TRAINING', 'Joint training'],
  ['MENTORING', 'Mentoring circle'],
  ['EXCHANGE', 'Staff exchange'],
  ['WORKSHOP', 'Workshop'],
  ['WEBINAR', 'Webinar'],
  ['STUDY_VISIT', 'Study visit'],
];

const TOPICS = ['territorial diplomacy', 'EU funding for cities', 'intercultural integration', 'welcoming international talents',
  'negotiation for city networks', 'project management in cohesion policy', 'city-to-city cooperation', 'leadership in local government'];

const SKILLS = ['bf983f2a-e941-4646-811d-cc81060cb53f', '75d8e5d9-bef3-418b-9011-01bff9f27207', 'a584a638-a2c0-4b3c-bdf3-a64f87225be9',
  '7954861c-86d4-4529-afbb-2c23dab9ac74', 'cd5efa8c-e44d-4cbc-91c6-796018dbed68', 'c10d5d87-36cf-42f5-8a12-e560fb5f4af8']
  .map((id) => `http://data.europa.eu/esco/skill/${id}`);

/** Registrations before this day count as past events (attended, completed); fixed so the data never drifts. */
const AS_OF = Date.parse('2025-06-30T00:00:00Z');
const AS_OF_DAY = '2025-06-30';

const DAY_MS = 86_400_000;
/** A day in a time zone, `YYYY-MM-DD`. */
export const dayIn = (instant: Date, timeZone: string) => formatInstant(instant, timeZone).slice(0, 10);
/** A day `n` days after another. */
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The organisation of each synthetic talent, by id, as the talents seed writes it: seeded registrations are verified. */
export function syntheticTalentOrganisations(): Map<string, string> {
  return new Map(Array.from({ length: SYNTHETIC_TALENT_COUNT }, (_, i) => [syntheticTalentId(i), syntheticTalentOrganisation(i)]));
}

export interface SyntheticTrainings {
  events: EventTable[];
  skills: EventSkillTable[];
  registrations: RegistrationTable[];
}

export function syntheticTrainings(count = 24, seed = 1985): SyntheticTrainings {
  const random = createRandom(seed);
  // Days of completion draw from a generator of their own, so that everything else is what it was before they were
  // part of the seed (seed version 1).
  const completions = createRandom(seed + 1);
  const out: SyntheticTrainings = { events: [], skills: [], registrations: [] };
  const talentIds = Array.from({ length: SYNTHETIC_TALENT_COUNT }, (_, i) => syntheticTalentId(i));
  const organisationOf = syntheticTalentOrganisations();
  for (let i = 0; i < count; i++) {
    const [kind, label] = KINDS[i % KINDS.length]!;
    const organiser = ORGANISERS[i % ORGANISERS.length]!;
    const online = kind === 'WEBINAR';
    const place = organiser.id === 'art-er' ? PLACES[1 + (i % 3)]! : random.pick(PLACES);
    const day = new Date(Date.UTC(2024, 0, 15) + i * 30 * 86_400_000 + random.int(0, 20) * 86_400_000).toISOString().slice(0, 10);
    const startHour = random.int(9, 15);
    const hours = kind === 'STUDY_VISIT' ? 3 : random.int(1, 2);
    const timeZone = online ? 'Europe/Brussels' : place.timeZone;
    const startsAt = instantFromLocal(`${day}T${String(startHour).padStart(2, '0')}:00`, timeZone);
    const capacity = random.int(15, 40);
    const id = `demo-${kind.toLowerCase().replace('_', '-')}-${String(i + 1).padStart(2, '0')}`;
    out.events.push({
      id,
      title: `${label}: ${random.pick(TOPICS)}`,
      kind,
      description: 'Synthetic demo event.',
      series: null,
      attendance_mode: online ? 'ONLINE' : random.chance(0.3) ? 'HYBRID' : 'ONSITE',
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + hours * 3_600_000),
      time_zone: timeZone,
      venue_name: online ? null : `${place.city} training centre`,
      venue_room: null,
      venue_address: null,
      venue_city: online ? null : place.city,
      region_code: online ? null : place.region,
      organiser_id: organiser.id,
      programme_id: organiser.programme,
      languages: ['en'],
      capacity,
      registration_deadline: new Date(startsAt.getTime() - 3 * 86_400_000),
      synthetic: true,
    });
    for (const uri of random.sample(SKILLS, random.int(1, 2))) out.skills.push({ event_id: id, skill_uri: uri });

    // Never more seat-holding registrations than seats; the rest wait or have cancelled. At past events the seated
    // talents attended, on the event's day; most completed, that day or within three weeks (an assessment).
    const past = startsAt.getTime() < AS_OF;
    const eventDay = dayIn(startsAt, timeZone);
    let seated = 0;
    for (const talentId of random.sample(talentIds, random.int(8, capacity + 5))) {
      const registeredAt = new Date(startsAt.getTime() - random.int(4, 60) * 86_400_000 - random.int(0, 86_399) * 1000);
      let status: RegistrationStatus;
      if (random.chance(0.08)) status = 'CANCELLED';
      else if (seated >= capacity) status = 'WAITLISTED';
      else {
        seated++;
        status = past ? (random.chance(0.7) ? 'COMPLETED' : 'ATTENDED') : 'REGISTERED';
      }
      const attended = status === 'ATTENDED' || status === 'COMPLETED';
      const completedOn = status === 'COMPLETED' ? addDays(eventDay, completions.chance(0.5) ? 0 : completions.int(1, 21)) : null;
      out.registrations.push({
        id: syntheticUuid('registration', out.registrations.length),
        event_id: id,
        talent_id: talentId,
        status,
        registered_at: registeredAt,
        updated_at: registeredAt,
        synthetic: true,
        attended_on: attended ? eventDay : null,
        completed_on: completedOn !== null && completedOn > AS_OF_DAY ? AS_OF_DAY : completedOn,
        talent_organisation_id: organisationOf.get(talentId)!,
      });
    }
  }
  return out;
}
