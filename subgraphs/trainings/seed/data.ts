import { instantFromLocal } from '@talent-hub/subgraph-lib/time';
import type { AgendaItemTable, AgendaSpeakerTable, EventSkillTable, EventTable } from '../db/types.js';

// The AER session at the European Week of Regions and Cities 2024, from the project's source documents (facts
// only, own wording). Times are as announced, Brussels local time.

const EVENT = 'ewrc-2024-eu-belong';
const TZ = 'Europe/Brussels';
const at = (time: string) => instantFromLocal(`2024-10-09T${time}`, TZ);

export const events: EventTable[] = [
  {
    id: EVENT,
    title: 'Skills: (EU)Belong here: How intercultural strategies can boost talent attraction and retention',
    kind: 'WORKSHOP',
    description:
      "How an intercultural approach helps regions become more diverse and attract and retain the talent they need for the green, digital and demographic transitions, drawing on AER's Intercultural Regions Network and the AMIF-funded EU-Belong project, with practical examples from Emilia-Romagna, Catalonia and Donegal.",
    series: 'European Week of Regions and Cities 2024',
    attendance_mode: 'ONSITE',
    starts_at: at('14:30'),
    ends_at: at('15:30'),
    time_zone: TZ,
    venue_name: 'Albert Borschette Conference Centre',
    venue_room: 'AB-4A',
    venue_address: null,
    venue_city: 'Brussels',
    region_code: 'BE10',
    organiser_id: 'aer',
    programme_id: 'eu-belong',
    languages: ['en'],
    capacity: null,
    registration_deadline: null,
    synthetic: false,
  },
];

const item = (position: number, start: string, end: string, title: string, description: string | null): AgendaItemTable => ({
  event_id: EVENT,
  position,
  starts_at: at(start),
  ends_at: at(end),
  title,
  description,
});

export const agendaItems: AgendaItemTable[] = [
  item(1, '14:30', '14:40', 'Setting the scene: the AER intercultural integration journey', null),
  item(2, '14:40', '15:10', 'Regional intercultural integration strategies in practice',
    'Three regional examples: Emilia-Romagna, Catalonia and Donegal.'),
  item(3, '15:10', '15:25', 'Q&A', 'Questions and discussion with the attendees.'),
  item(4, '15:25', '15:30', 'Looking ahead: empowering European regions', null),
];

const pisano = { name: 'Emanuela Pisanò', role: 'European Project Manager', affiliation: 'Assembly of European Regions', organisation_id: 'aer' };

export const speakers: AgendaSpeakerTable[] = [
  { event_id: EVENT, item_position: 1, position: 1, ...pisano, topic: null },
  {
    event_id: EVENT,
    item_position: 2,
    position: 1,
    name: 'Lara Porciatti',
    role: 'Project manager',
    affiliation: 'ART-ER Attrattività Ricerca Territorio',
    organisation_id: 'art-er',
    topic: 'International Talents Emilia-Romagna: a regional multi-stakeholder approach to attract and retain global talents',
  },
  {
    event_id: EVENT,
    item_position: 2,
    position: 2,
    name: 'Guadalupe Moreno Iturriaga',
    role: 'Deputy Director General of Migration and Asylum',
    affiliation: 'Ministry of Social Rights and Inclusion',
    organisation_id: 'catalonia-social-rights',
    topic: "Catalonia's ACOL line: a work and training programme for labour inclusion",
  },
  {
    event_id: EVENT,
    item_position: 2,
    position: 3,
    name: 'Andrew Mc Nulty',
    role: 'Arts & Cultural Diversity Officer',
    affiliation: 'Donegal County Council',
    organisation_id: 'donegal-county-council',
    topic: "Donegal's intercultural arts approach: empowering diverse artists in remote areas",
  },
  { event_id: EVENT, item_position: 4, position: 1, ...pisano, topic: null },
];

const esco = (id: string) => `http://data.europa.eu/esco/skill/${id}`;

export const skills: EventSkillTable[] = [
  { event_id: EVENT, skill_uri: esco('c10d5d87-36cf-42f5-8a12-e560fb5f4af8') }, // demonstrate intercultural competence
  { event_id: EVENT, skill_uri: esco('5ca953f7-541d-4f67-bc55-7721348366cf') }, // respect the diversity of cultural values and norms
];
