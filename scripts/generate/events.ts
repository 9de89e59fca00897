import type {
  AgendaItemTable,
  AgendaSpeakerTable,
  EventPartnerTable,
  EventSkillTable,
  EventTable,
} from '@talent-hub/trainings/db/types';
import type { EventKind } from '@talent-hub/trainings/generated/enums';
import { dayNumber, EVENTS_FROM_DAY, EVENTS_TO_DAY, isoDay, zonedInstant } from './dates.js';
import { generatedEventId } from './ids.js';
import { CITIES, cityTimeZone, COUNTRY_LANGUAGE, isoCountry, type City } from './places.js';
import { randomFor, sampleItems, weighted} from './random.js';
import { requireOrganisation, requireProgramme, type Reference } from './reference.js';

// Generated events: each organised by an organisation of the regions seed, in a real city with its NUTS 2024
// region and time zone, often funded by the organiser's programme (and then inside the programme's period).

export interface GeneratedEvent {
  event: EventTable & { capacity: number; registration_deadline: Date };
  partners: EventPartnerTable[];
  skills: EventSkillTable[];
  agenda: AgendaItemTable[];
  speakers: AgendaSpeakerTable[];
  /** How much registrations want this event, relative to others: log-normal, so a few events are oversubscribed. */
  popularity: number;
}

interface KindProfile {
  label: string;
  weight: number;
  capacity: [number, number];
  hours: [number, number];
  agendaItems: number;
}

/** Capacities are sized so that 5,000 events take 1M registrations with room to spare (see registrations.ts). */
const KINDS: Record<EventKind, KindProfile> = {
  TRAINING: { label: 'Joint training', weight: 18, capacity: [20, 120], hours: [3, 7], agendaItems: 4 },
  WORKSHOP: { label: 'Workshop', weight: 17, capacity: [20, 150], hours: [2, 4], agendaItems: 3 },
  WEBINAR: { label: 'Webinar', weight: 25, capacity: [100, 1500], hours: [1, 2], agendaItems: 2 },
  CONFERENCE_SESSION: { label: 'Conference session', weight: 15, capacity: [80, 600], hours: [1, 2], agendaItems: 3 },
  MENTORING: { label: 'Mentoring circle', weight: 8, capacity: [8, 25], hours: [1, 2], agendaItems: 2 },
  EXCHANGE: { label: 'Staff exchange', weight: 7, capacity: [5, 30], hours: [6, 8], agendaItems: 2 },
  STUDY_VISIT: { label: 'Study visit', weight: 10, capacity: [10, 40], hours: [4, 8], agendaItems: 3 },
};
const pickKind = weighted((Object.keys(KINDS) as EventKind[]).map((kind) => [kind, KINDS[kind].weight] as const));

interface Organiser {
  id: string;
  weight: number;
  /** The programme that funds most of its events, if any. */
  programme?: string;
  /** Where its onsite events take place (NUTS prefix); anywhere when absent. */
  regionPrefix?: string;
  /** Where its online events are scheduled from. */
  timeZone: string;
}

const ORGANISERS: Organiser[] = [
  { id: 'cemr', weight: 20, programme: 'talent-hub', timeZone: 'Europe/Brussels' },
  { id: 'eurocities', weight: 20, programme: 'talent-hub', timeZone: 'Europe/Brussels' },
  { id: 'uclg', weight: 15, programme: 'talent-hub', timeZone: 'Europe/Madrid' },
  { id: 'aer', weight: 15, programme: 'eu-belong', timeZone: 'Europe/Brussels' },
  { id: 'aer-irn', weight: 5, programme: 'eu-belong', timeZone: 'Europe/Brussels' },
  { id: 'art-er', weight: 10, programme: 'emilia-romagna-talents', regionPrefix: 'ITH5', timeZone: 'Europe/Rome' },
  { id: 'emilia-romagna-region', weight: 5, programme: 'emilia-romagna-talents', regionPrefix: 'ITH5', timeZone: 'Europe/Rome' },
  { id: 'catalonia-social-rights', weight: 5, regionPrefix: 'ES51', timeZone: 'Europe/Madrid' },
  { id: 'donegal-county-council', weight: 5, regionPrefix: 'IE041', timeZone: 'Europe/Dublin' },
];
const pickOrganiser = weighted(ORGANISERS.map((o) => [o, o.weight] as const));

const TOPICS = ['territorial diplomacy', 'EU funding for cities', 'intercultural integration', 'welcoming international talents',
  'negotiation for city networks', 'project management in cohesion policy', 'city-to-city cooperation',
  'leadership in local government', 'attracting and retaining talents', 'smart specialisation strategies',
  'housing for newcomers', 'skills for the green transition', 'digital public services', 'youth participation'];
const VENUES = ['Congress Centre', 'City Hall', 'Innovation Hub', 'University Campus', 'Chamber of Commerce', 'Regional House'];
const ITEM_TITLES = ['Welcome and introduction', 'Keynote', 'Case studies from the regions', 'Group work', 'Q&A', 'Wrap-up'];
const SPEAKER_NAMES = ['Anna Ferrari', 'Marc Dubois', 'Laura García', 'Jan Kowalski', 'Sinead Byrne', 'Klaus Weber',
  'Eleni Papadopoulou', 'Joana Silva', 'Mikael Lindqvist', 'Ivana Horvat', 'Tamás Nagy', 'Ruta Kazlauskiene'];
const SPEAKER_ROLES = ['Project Manager', 'Policy Officer', 'Head of Unit', 'Researcher', 'Director', 'Mayor'];

export type EventGenerator = (index: number) => GeneratedEvent;

export function createEventGenerator(reference: Reference, seed: number): EventGenerator {
  const organisationIds = [...reference.organisations.keys()];
  const windows = new Map<string, [number, number]>();
  for (const organiser of ORGANISERS) {
    requireOrganisation(reference, organiser.id);
    if (!organiser.programme) continue;
    // A programme's events fall inside its period, where it has one.
    const programme = requireProgramme(reference, organiser.programme);
    const from = programme.period_start ? Math.max(EVENTS_FROM_DAY, dayNumber(programme.period_start)) : EVENTS_FROM_DAY;
    const to = programme.period_end ? Math.min(EVENTS_TO_DAY, dayNumber(programme.period_end)) : EVENTS_TO_DAY;
    windows.set(organiser.programme, [from, to]);
  }
  const citiesFor = (prefix: string | undefined): City[] => {
    const cities = prefix ? CITIES.filter((c) => c.region.startsWith(prefix)) : [...CITIES];
    if (cities.length === 0) throw new Error(`No generator city lies in ${prefix}`);
    return cities;
  };
  const cityLists = new Map(ORGANISERS.map((o) => [o.id, citiesFor(o.regionPrefix)]));

  return (index) => {
    const random = randomFor(seed, 'event', index);
    const id = generatedEventId(index);
    const kind = pickKind(random);
    const profile = KINDS[kind]!;
    const organiser = pickOrganiser(random);
    const programme = organiser.programme && random.chance(0.7) ? organiser.programme : null;
    const mode = kind === 'WEBINAR' ? 'ONLINE' : random.chance(0.1) ? 'ONLINE' : random.chance(0.22) ? 'HYBRID' : 'ONSITE';
    const city = mode === 'ONLINE' ? null : random.pick(cityLists.get(organiser.id)!);
    const timeZone = city ? cityTimeZone(city) : organiser.timeZone;

    const [from, to] = (programme && windows.get(programme)) || [EVENTS_FROM_DAY, EVENTS_TO_DAY];
    const day = weekday(random.int(from, to), from, to);
    const hours = random.int(...profile.hours);
    const startHour = random.int(9, Math.max(9, 18 - hours));
    const startsAt = zonedInstant(day, startHour * 60 + random.pick([0, 30]), timeZone);
    const endsAt = new Date(startsAt.getTime() + hours * 3_600_000);
    // Online events close registration an hour before, the others two days before (travel).
    const deadline = new Date(startsAt.getTime() - (mode === 'ONLINE' ? 3_600_000 : 2 * 86_400_000));
    const localLanguage = city ? COUNTRY_LANGUAGE[isoCountry(city.region.slice(0, 2))] : undefined;
    const languages = localLanguage && !localLanguage.startsWith('en') && random.chance(0.5) ? ['en', localLanguage] : ['en'];

    const event: GeneratedEvent['event'] = {
      id,
      title: `${profile.label}: ${random.pick(TOPICS)}`,
      kind,
      description: 'Synthetic event made by the data generator (npm run data:generate).',
      series: kind === 'CONFERENCE_SESSION' ? `Talent Hub Forum ${isoDay(day).slice(0, 4)}` : null,
      attendance_mode: mode,
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: timeZone,
      venue_name: city ? `${city.name} ${random.pick(VENUES)}` : null,
      venue_room: city && random.chance(0.5) ? `Room ${random.int(1, 12)}` : null,
      venue_address: null,
      venue_city: city ? city.name : null,
      region_code: city ? city.region : null,
      organiser_id: organiser.id,
      programme_id: programme,
      languages,
      capacity: random.int(...profile.capacity),
      registration_deadline: deadline,
      synthetic: true,
    };

    const partners = sampleItems(random, organisationIds.filter((o) => o !== organiser.id), random.int(0, 2))
      .map((organisation_id): EventPartnerTable => ({ event_id: id, organisation_id }));
    const skills = sampleItems(random, reference.skillUris, random.int(1, 3))
      .map((skill_uri): EventSkillTable => ({ event_id: id, skill_uri }));

    // The agenda splits the event into equal items; every item but the Q&A has one speaker.
    const agenda: AgendaItemTable[] = [];
    const speakers: AgendaSpeakerTable[] = [];
    const itemMs = (endsAt.getTime() - startsAt.getTime()) / profile.agendaItems;
    const affiliations = [organiser.id, ...partners.map((p) => p.organisation_id)];
    for (let position = 1; position <= profile.agendaItems; position++) {
      const title = position === profile.agendaItems ? 'Q&A' : ITEM_TITLES[position - 1]!;
      agenda.push({
        event_id: id,
        position,
        starts_at: new Date(startsAt.getTime() + (position - 1) * itemMs),
        ends_at: new Date(startsAt.getTime() + position * itemMs),
        title,
        description: null,
      });
      if (title === 'Q&A') continue;
      const organisation = reference.organisations.get(random.pick(affiliations))!;
      speakers.push({
        event_id: id,
        item_position: position,
        position: 1,
        name: random.pick(SPEAKER_NAMES),
        role: random.pick(SPEAKER_ROLES),
        affiliation: organisation.name,
        organisation_id: organisation.id,
        topic: null,
      });
    }
    // Box-Muller: a normal draw, exponentiated.
    const normal = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    return { event, partners, skills, agenda, speakers, popularity: Math.exp(0.9 * normal) };
  };
}

/** Moves a Saturday or Sunday to a weekday inside [from, to]. */
function weekday(day: number, from: number, to: number): number {
  const dow = (day + 4) % 7; // 1970-01-01 was a Thursday (4); 0 is Sunday
  const shifted = dow === 6 ? day + 2 : dow === 0 ? day + 1 : day;
  if (shifted <= to) return shifted;
  return dow === 6 ? day - 1 : day - 2;
}
