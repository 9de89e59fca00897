import { createRandom, SYNTHETIC_TALENT_COUNT, syntheticTalentId, syntheticUuid } from '@talent-hub/subgraph-lib/synthetic';
import { instantFromLocal } from '@talent-hub/subgraph-lib/time';
import type { EventSkillTable, RegistrationTable } from '../db/types.js';
import type { EventKind } from '../generated/enums.js';
import { syntheticTalentOrganisations, type SyntheticTrainings } from './synthetic.js';

// Upcoming synthetic trainings (seed version 2), so that the demo always has events to register for, to find by
// the skills they teach (Skill.events) and to recommend to talents (Talent.recommendedTrainings). Together they
// teach every ESCO skill of the talents subgraph's demo data, a theme each. Made up and marked `synthetic`; the
// same on every run except their dates, which follow the day the seed is written (`from`): the first starts two
// weeks later, the others every eleven days after it, so a freshly seeded demo never has only past events.
// One of them is full (with a waitlist), to show `withSeatsLeft`.

const esco = (id: string) => `http://data.europa.eu/esco/skill/${id}`;

interface Theme {
  kind: EventKind;
  title: string;
  organiser: string;
  programme: string | null;
  /** ESCO skill ids (the end of the URI); the label beside each. */
  skills: string[];
  place?: { region: string; city: string; timeZone: string };
  /** Seats; null for unlimited. */
  capacity: number | null;
  /** Registered talents; a number above the capacity fills it and waitlists the rest. */
  registered: number;
}

const BRUSSELS = { region: 'BE100', city: 'Brussels', timeZone: 'Europe/Brussels' };
const BOLOGNA = { region: 'ITH55', city: 'Bologna', timeZone: 'Europe/Rome' };
const BARCELONA = { region: 'ES511', city: 'Barcelona', timeZone: 'Europe/Madrid' };
const LETTERKENNY = { region: 'IE041', city: 'Letterkenny', timeZone: 'Europe/Dublin' };
const STRASBOURG = { region: 'FRF11', city: 'Strasbourg', timeZone: 'Europe/Paris' };
const MODENA = { region: 'ITH54', city: 'Modena', timeZone: 'Europe/Rome' };

const THEMES: Theme[] = [
  { kind: 'TRAINING', title: 'Joint training: leadership in local government', organiser: 'cemr', programme: 'talent-hub', place: BRUSSELS, capacity: 30, registered: 9,
    skills: ['75d8e5d9-bef3-418b-9011-01bff9f27207', // lead others
      'b00e948c-19be-4951-8cff-60f88f1046e9', // delegate responsibilities
      'd62d2b4c-a6f8-439e-8a1b-4f29ab5f2c47', // make decisions
      'e2d44a9b-f28c-489e-9861-b654b5ded507', // motivate others
      'b19e0820-a96f-4c0a-a724-3c056180c1b3', // build team spirit
      '199f7919-5114-41b6-b6a5-41e0e4896ec1'] }, // assume responsibility
  { kind: 'TRAINING', title: 'Joint training: territorial diplomacy', organiser: 'uclg', programme: 'talent-hub', place: BARCELONA, capacity: 12, registered: 14,
    skills: ['7954861c-86d4-4529-afbb-2c23dab9ac74', // negotiate compromises
      'bf983f2a-e941-4646-811d-cc81060cb53f', // build networks
      'c10d5d87-36cf-42f5-8a12-e560fb5f4af8', // demonstrate intercultural competence
      '2de4572a-4724-4f76-afc2-72a568a264ac', // speak different languages
      '896a5e0c-7ac9-4e59-a9bf-17fdca6b1c37'] }, // promote the principles of democracy and rule of law
  { kind: 'WORKSHOP', title: 'Workshop: project management in cohesion policy', organiser: 'art-er', programme: 'emilia-romagna-talents', place: BOLOGNA, capacity: 25, registered: 6,
    skills: ['cd5efa8c-e44d-4cbc-91c6-796018dbed68', // perform project management
      'e49f4158-9d4c-425d-bf32-dfe89b19840a', // plan
      '1ddc021d-d818-4731-904f-842d7491f419', // manage financial and material resources
      '35ebe444-9ece-4fbc-a55d-e99ea37267ae', // manage quality
      'd9013e0e-e937-43d5-ab71-0e917ee882b8', // manage time
      '113b4428-0a31-4199-8496-070af7854b91'] }, // meet commitments
  { kind: 'WEBINAR', title: 'Webinar: EU funding for cities', organiser: 'eurocities', programme: 'talent-hub', capacity: null, registered: 18,
    skills: ['5f0082ab-2131-49b5-94d6-a1821daf57d6', // apply for research funding
      'b618584f-6bdf-4d8f-89a7-f28c2c95afc2', // comply with regulations
      'be6ab363-3de1-427f-a8ef-85d5b0250822', // report facts
      '518dc04d-092d-4fa1-bd82-88b7a9278ef7', // manage intellectual property rights
      '1ddc021d-d818-4731-904f-842d7491f419'] }, // manage financial and material resources
  { kind: 'TRAINING', title: 'Joint training: welcoming international talents', organiser: 'aer', programme: 'eu-belong', place: LETTERKENNY, capacity: 24, registered: 7,
    skills: ['5ca953f7-541d-4f67-bc55-7721348366cf', // respect the diversity of cultural values and norms
      '77b636e8-fab3-41a8-8022-1e0a354059dc', // show empathy
      '98a999db-72d5-4657-a0b0-2f850afd4368', // appreciate diverse cultural and artistic expression
      'fd89f784-88dc-4d35-abd7-86aa073cab12', // keep an open mind
      '045f71e6-0699-4169-8a54-9c6b96f3174d', // advise others
      'c10d5d87-36cf-42f5-8a12-e560fb5f4af8'] }, // demonstrate intercultural competence
  { kind: 'WORKSHOP', title: 'Workshop: digital public services', organiser: 'eurocities', programme: 'talent-hub', place: STRASBOURG, capacity: 20, registered: 5,
    skills: ['bf4d884f-c848-402a-b130-69c266b04164', // apply basic programming skills
      'f4346299-e22a-4686-8e61-2c9b0cd51c7d', // apply digital security measures
      'd822b4b2-26c7-4bd9-970d-229c6504f615', // create digital content
      'bc0b0b5d-f6be-405a-b224-b6902a4dbe97', // manage digital identity
      'b080a008-a35d-4bd0-92e9-edf3773bb2b7', // use communication and collaboration software
      'ba93b71b-c433-4a01-8246-ed2daa85a9a2'] }, // conduct web searches
  { kind: 'MENTORING', title: 'Mentoring circle: growing as a professional', organiser: 'cemr', programme: 'talent-hub', capacity: 15, registered: 4,
    skills: ['a584a638-a2c0-4b3c-bdf3-a64f87225be9', // mentor individuals
      '699e7c26-6502-4e78-a823-3656ff5a5b8b', // instruct others
      '05aa7c09-46e7-433f-a81b-92841f4551e7', // accept criticism and guidance
      '409a0245-0e6c-4aac-ba16-0920ecb76a8d', // exercise self-reflection
      'a8d24a95-47b3-4f88-92e7-06600bcd3612', // manage personal professional development
      '468135b7-5757-48c3-9509-fde0e13ec5be'] }, // manage personal progression
  { kind: 'TRAINING', title: 'Joint training: skills for the green transition', organiser: 'aer', programme: 'eu-belong', place: BRUSSELS, capacity: 35, registered: 11,
    skills: ['4c3ab565-747c-4db3-8c47-79e8d6f98cf4', // adopt ways to reduce negative impact of consumption
      '0d75a128-bd88-4c1b-b70d-8e963aeb490c', // adopt ways to reduce pollution
      '7f321b88-3d16-4e30-8163-5494ca8ce978', // engage others in environment friendly behaviours
      '2aaad52d-599e-4e77-a681-bbc236825821', // evaluate environmental impact of personal behaviour
      'd56e2c2f-3e01-4b76-a7bb-ecb6d430172f'] }, // think holistically
  { kind: 'WORKSHOP', title: 'Workshop: facilitating citizen participation', organiser: 'uclg', programme: 'talent-hub', place: BARCELONA, capacity: 20, registered: 6,
    skills: ['5b46f572-7ced-4efd-b270-a81a164d521c', // moderate a discussion
      '7d9bace0-63d0-4848-ac87-350a98082c12', // participate actively in civic life
      'f4bcdb75-df28-441d-a52b-9730904f36a1', // exercise rights and responsibilities
      '96de2e86-e287-41f2-88ab-15a2343afc6f', // resolve conflicts
      '609a8ac1-9d29-4237-9886-596dbbe7ca8a', // address an audience
      '7954861c-86d4-4529-afbb-2c23dab9ac74'] }, // negotiate compromises
  { kind: 'STUDY_VISIT', title: 'Study visit: research and innovation in Emilia-Romagna', organiser: 'art-er', programme: 'emilia-romagna-talents', place: MODENA, capacity: 18, registered: 5,
    skills: ['872a1632-f1db-4feb-bb27-0a6a359b7591', // promote open innovation in research
      '988f4ac3-a37c-4b0a-a40f-4e0e56b5919e', // promote the transfer of knowledge
      '4d39b27a-b34f-4c89-8d46-df844d42f728', // increase the impact of science on policy and society
      'cc61f9e5-d4fc-470e-8606-1ce865ff8386', // develop professional network with researchers and scientists
      '20a8fe89-d4eb-4698-8521-8881c13377e0', // interact professionally in research and professional environments
      'fa642fc3-5cc5-41cf-8926-6617a8b976a7'] }, // promote the participation of citizens in scientific and research activities
  { kind: 'TRAINING', title: 'Joint training: evidence for policy', organiser: 'eurocities', programme: 'talent-hub', place: BRUSSELS, capacity: 28, registered: 8,
    skills: ['4707da90-9cfc-46ca-8de0-38a0b7bfb137', // think analytically
      '7dd94ad3-13d6-43fe-8b94-51fcbf67ced9', // think critically
      'db33c0f3-43ee-4ba3-ba47-9269ac837697', // critically evaluate information and its sources
      'f715be1d-5fc4-49d3-82a5-0b8090d12849', // synthesise information
      '6fc6f757-6baa-49fe-9a82-6ba6a52f2e13', // interpret mathematical information
      '6b305973-8993-475f-bd8a-daf037c61401'] }, // organise information
  { kind: 'WORKSHOP', title: 'Workshop: research data and publications', organiser: 'art-er', programme: 'emilia-romagna-talents', place: BOLOGNA, capacity: 20, registered: 4,
    skills: ['08b04e53-ed25-41a2-9f90-0b9cd939ba3d', // manage research data
      '4f5c1208-62fd-4e5a-a51e-306c06947e11', // manage findable accessible interoperable and reusable data
      '00b9a3aa-7070-4bb5-8020-f228a97cf42f', // draft scientific or academic papers and technical documentation
      '2b1e2927-3542-48da-9063-02925e7562c1', // disseminate results to the scientific community
      'a8b3957f-08b4-4a76-927d-0b2e3d0dbd39', // synthesise research publications
      '39f67488-cfd3-4370-8d7e-da98163102d9'] }, // evaluate research activities
  { kind: 'WEBINAR', title: 'Webinar: communicating public policy', organiser: 'cemr', programme: 'talent-hub', capacity: 300, registered: 21,
    skills: ['ff64e9fc-36dd-4035-872a-83aa41dc1ad9', // communicate with a non-scientific audience
      'df5e3d02-9f0f-44ee-91c2-85c62f161868', // promote ideas
      '669b75d8-671c-4a1c-8e0b-6466c513c27d', // show confidence
      'bcf002ce-90f8-42e5-ac1b-5dba208639b0', // demonstrate trustworthiness
      'e37d64dc-0f05-4ee8-b065-bf76f70d8f5c'] }, // respect confidentiality obligations
  { kind: 'TRAINING', title: 'Joint training: innovation and entrepreneurship in cities', organiser: 'uclg', programme: 'talent-hub', place: BARCELONA, capacity: 30, registered: 10,
    skills: ['c624c6a3-b0ba-4a31-a296-0d433fe47e41', // think creatively
      'c2a0c52c-0b4b-4180-a918-92650ea3b458', // think innovatively
      'bdcf429c-5ccf-4c3d-bb61-4c987573a35e', // show entrepreneurial spirit
      '001115fb-569f-4ee6-8381-c6807ef2527f', // show initiative
      'adc6dc11-3376-467b-96c5-9b0a21edc869', // solve problems
      'a628d2d1-f40a-4c37-a357-2801726f2996'] }, // identify problems
  { kind: 'WORKSHOP', title: 'Workshop: resilience at work', organiser: 'aer', programme: 'eu-belong', capacity: 40, registered: 9,
    skills: ['7a147904-22b3-498a-b4d9-7bceeb86b45d', // cope with stress
      '5cd1930c-278d-4929-b413-27352f5b3687', // cope with uncertainty
      '49de9958-2aa4-4eef-a89d-fe5d5bcd28c4', // adapt to change
      'c29aa9d2-4da8-4bdd-831c-8d4a2fb51730', // work independently
      '60c78287-22eb-4103-9c8c-28deaa460da0'] }, // work in teams
  { kind: 'TRAINING', title: 'Joint training: research methods for local government', organiser: 'cemr', programme: 'talent-hub', place: STRASBOURG, capacity: 25, registered: 5,
    skills: ['f7b071bf-4882-4cfc-ae0a-7e0e0ab94c61', // conduct research across disciplines
      '4fabca9a-7435-4f33-b1da-3cdb00340fdc', // perform scientific research
      'deb3c1bc-d48a-42e6-b0cc-cb238534ec28', // apply knowledge of social sciences and humanities
      'cd50d616-1f8b-481e-983f-68d2674ff82d', // integrate gender dimension in research
      '9a58cd26-58eb-4a1c-b1b6-64037fe9cfa1'] }, // think abstractly
  { kind: 'TRAINING', title: "Joint training: trainers' academy", organiser: 'eurocities', programme: 'talent-hub', place: BRUSSELS, capacity: 20, registered: 6,
    skills: ['4cd85845-f31c-4306-994d-e12d45114d83', // teach in academic or vocational contexts
      'b363bb5f-2c79-40af-94da-33e06f9dee9f', // apply blended learning
      '429062f1-a958-43ea-83dd-4e1af078c156', // demonstrate curiosity
      '9bf266a6-188b-4d17-a22f-2f266d76832b', // demonstrate willingness to learn
      '699e7c26-6502-4e78-a823-3656ff5a5b8b'] }, // instruct others
];

const DAY_MS = 86_400_000;

/** The upcoming demo trainings for a seed written at `from`. */
export function upcomingTrainings(from: Date, seed = 2027): SyntheticTrainings {
  const random = createRandom(seed);
  const out: SyntheticTrainings = { events: [], skills: [], registrations: [] };
  const talentIds = Array.from({ length: SYNTHETIC_TALENT_COUNT }, (_, i) => syntheticTalentId(i));
  const organisationOf = syntheticTalentOrganisations();
  const today = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  THEMES.forEach((theme, i) => {
    const online = theme.place === undefined;
    const timeZone = theme.place?.timeZone ?? 'Europe/Brussels';
    let day = today + (14 + 11 * i) * DAY_MS;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 6) day += 2 * DAY_MS;
    if (weekday === 0) day += DAY_MS;
    const hours = theme.kind === 'WEBINAR' || theme.kind === 'MENTORING' ? 2 : theme.kind === 'WORKSHOP' ? 4 : 7;
    const startsAt = instantFromLocal(`${new Date(day).toISOString().slice(0, 10)}T${online ? '14:00' : '09:30'}`, timeZone);
    const id = `demo-${theme.kind.toLowerCase().replace('_', '-')}-${String(25 + i).padStart(2, '0')}`;
    out.events.push({
      id,
      title: theme.title,
      kind: theme.kind,
      description: 'Synthetic demo event.',
      series: null,
      attendance_mode: online ? 'ONLINE' : 'ONSITE',
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + hours * 3_600_000),
      time_zone: timeZone,
      venue_name: online ? null : `${theme.place!.city} training centre`,
      venue_room: null,
      venue_address: null,
      venue_city: online ? null : theme.place!.city,
      region_code: online ? null : theme.place!.region,
      organiser_id: theme.organiser,
      programme_id: theme.programme,
      languages: ['en'],
      capacity: theme.capacity,
      registration_deadline: new Date(startsAt.getTime() - (online ? 3_600_000 : 3 * DAY_MS)),
      synthetic: true,
    });
    for (const skill of theme.skills) out.skills.push({ event_id: id, skill_uri: esco(skill) } satisfies EventSkillTable);
    random.sample(talentIds, theme.registered).forEach((talentId, n) => {
      const registeredAt = new Date(today - (theme.registered - n) * 3_600_000 * 7 - random.int(0, 3_599) * 1000);
      out.registrations.push({
        id: syntheticUuid('upcoming-registration', out.registrations.length),
        event_id: id,
        talent_id: talentId,
        status: theme.capacity === null || n < theme.capacity ? 'REGISTERED' : 'WAITLISTED',
        registered_at: registeredAt,
        updated_at: registeredAt,
        synthetic: true,
        attended_on: null,
        completed_on: null,
        talent_organisation_id: organisationOf.get(talentId)!,
      } satisfies RegistrationTable);
    });
  });
  return out;
}
