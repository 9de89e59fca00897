import type {
  IndicatorTable,
  OrganisationFigureTable,
  OrganisationLeaderTable,
  OrganisationMembershipTable,
  OrganisationTable,
  ProgrammeLegalActTable,
  ProgrammePartnerTable,
  ProgrammeRegionTable,
  ProgrammeServiceTable,
  ProgrammeTable,
  ProjectTable,
} from '../db/types.js';

// Demo data of the `regions` subgraph, taken from the project's source documents (facts only, own wording).

const organisation = (o: Partial<OrganisationTable> & Pick<OrganisationTable, 'id' | 'name' | 'kind'>): OrganisationTable => ({
  acronym: null,
  description: null,
  website: null,
  founded_year: null,
  region_code: null,
  parent_id: null,
  ...o,
});

export const organisations: OrganisationTable[] = [
  organisation({
    id: 'cemr',
    name: 'Council of European Municipalities and Regions',
    acronym: 'CEMR',
    kind: 'NETWORK',
    description: 'European association of national associations of local and regional governments.',
    website: 'https://www.ccre-cemr.org',
    region_code: 'BE100',
  }),
  organisation({
    id: 'eurocities',
    name: 'Eurocities',
    kind: 'NETWORK',
    description: 'Network of major European cities.',
    website: 'https://eurocities.eu',
    region_code: 'BE100',
  }),
  organisation({
    id: 'uclg',
    name: 'United Cities and Local Governments World Secretariat',
    acronym: 'UCLG',
    kind: 'NETWORK',
    description: 'World organisation of local and regional governments; its World Secretariat is in Barcelona.',
    website: 'https://www.uclg.org',
    region_code: 'ES511',
  }),
  organisation({
    id: 'aer',
    name: 'Assembly of European Regions',
    acronym: 'AER',
    kind: 'NETWORK',
    description:
      'The largest independent network of regions in wider Europe, built on cross-border cooperation, so that regions learn from each other.',
    website: 'https://aer.eu',
    founded_year: 1985,
  }),
  organisation({
    id: 'aer-irn',
    name: 'Intercultural Regions Network',
    acronym: 'IRN',
    kind: 'NETWORK',
    description:
      "AER's platform, created from 2018 on at its members' wish, to share knowledge, resources and experience of intercultural integration at regional level.",
    parent_id: 'aer',
  }),
  organisation({
    id: 'art-er',
    name: 'ART-ER Attrattività Ricerca Territorio',
    acronym: 'ART-ER',
    kind: 'AGENCY',
    description: "Emilia-Romagna's agency for attractiveness, research and territory.",
    website: 'https://www.art-er.it',
    region_code: 'ITH55',
  }),
  organisation({
    id: 'emilia-romagna-region',
    name: 'Regione Emilia-Romagna',
    kind: 'REGIONAL_AUTHORITY',
    description: 'The regional government of Emilia-Romagna.',
    website: 'https://www.regione.emilia-romagna.it',
    region_code: 'ITH5',
  }),
  organisation({
    id: 'catalonia-social-rights',
    name: 'Ministry of Social Rights and Inclusion (Government of Catalonia)',
    kind: 'MINISTRY',
    description: "The Catalan government department that runs the ACOL line for labour inclusion.",
    region_code: 'ES51',
  }),
  organisation({
    id: 'donegal-county-council',
    name: 'Donegal County Council',
    kind: 'LOCAL_AUTHORITY',
    description: 'Local authority of County Donegal, Ireland.',
    website: 'https://www.donegalcoco.ie',
    region_code: 'IE041',
  }),
  // The network the three founders form; its work is the programme of the same id (ids of organisations and of
  // programmes are separate namespaces).
  organisation({
    id: 'talent-hub',
    name: 'Talent Hub for Cities and Regions',
    kind: 'NETWORK',
    description:
      'The network founded by CEMR, Eurocities and UCLG World Secretariat through which the three jointly attract, train and retain young professionals in territorial diplomacy for local and regional governments.',
  }),
];

// Direct memberships of networks. The sources give no joining dates.
const membersOf = (network_id: string, memberIds: string[]): OrganisationMembershipTable[] =>
  memberIds.map((member_id) => ({ network_id, member_id, joined_on: null }));

export const memberships: OrganisationMembershipTable[] = [
  // AER gathers regions: the seed's authorities of Emilia-Romagna, Catalonia (the Government of Catalonia's ministry
  // that stands for it here) and Donegal, and AER's own Intercultural Regions Network.
  ...membersOf('aer', ['aer-irn', 'catalonia-social-rights', 'donegal-county-council', 'emilia-romagna-region']),
  // IRN: the regional authorities of the EU-Belong partnership that the seed holds (EU-Belong grew out of IRN).
  ...membersOf('aer-irn', ['catalonia-social-rights', 'donegal-county-council', 'emilia-romagna-region']),
  // The Talent Hub's three founders.
  ...membersOf('talent-hub', ['cemr', 'eurocities', 'uclg']),
];

export const leaders: OrganisationLeaderTable[] = [
  { organisation_id: 'cemr', position: 1, name: 'Fabrizio Rossi', role: 'Secretary General' },
  { organisation_id: 'eurocities', position: 1, name: 'André Sobczak', role: 'Secretary General' },
];

export const keyFigures: OrganisationFigureTable[] = [
  {
    organisation_id: 'aer',
    code: 'member-countries',
    name: 'Countries its member regions come from',
    value: '25',
    unit: 'countries',
    as_of: '2024-10-09',
  },
];

const programme = (p: Partial<ProgrammeTable> & Pick<ProgrammeTable, 'id' | 'name' | 'kind' | 'owner_organisation_id'>): ProgrammeTable => ({
  description: null,
  legal_basis: null,
  period_start: null,
  period_end: null,
  currency: null,
  budget_amount: null,
  max_contribution_amount: null,
  cofinancing_rate: null,
  funding_source: null,
  objectives: [],
  aligned_strategies: [],
  managing_organisation_id: null,
  initiated_by_id: null,
  ...p,
});

export const programmes: ProgrammeTable[] = [
  programme({
    id: 'talent-hub',
    name: 'Talent Hub for Cities and Regions',
    kind: 'INITIATIVE',
    description:
      'A joint human-resources initiative of CEMR, Eurocities and UCLG World Secretariat that trains young professionals in territorial diplomacy, working with public authorities, universities and research centres towards viable career paths.',
    objectives: [
      'Attract new talent and nurture the next generation of leaders in territorial diplomacy.',
      'Develop a pool of talents and knowledge through joint trainings, exchanges and tailored mentoring.',
      'Retain talent across the three organisations.',
    ],
    owner_organisation_id: 'cemr',
  }),
  programme({
    id: 'eu-belong',
    name: 'EU-Belong',
    kind: 'PROJECT',
    description:
      "Develops and tests regional integration strategies with an intercultural, multi-stakeholder approach, to improve migrants' socio-economic inclusion and sense of belonging. It grew out of AER's Intercultural Regions Network.",
    funding_source: 'Asylum, Migration and Integration Fund (AMIF)',
    objectives: [
      "Improve the socio-economic inclusion and the sense of belonging of migrants.",
      'Develop and test regional integration strategies with an intercultural and multi-stakeholder approach.',
    ],
    aligned_strategies: ['Action Plan on Integration and Inclusion (2021-2027)', "Council of Europe's Intercultural Cities Programme (ICC)"],
    managing_organisation_id: 'aer',
    initiated_by_id: 'aer-irn',
    owner_organisation_id: 'aer',
  }),
  programme({
    id: 'emilia-romagna-talents',
    name: 'Emilia-Romagna programme to attract and retain talents',
    kind: 'PROGRAMME',
    description:
      'A pilot programme that funds local projects across Emilia-Romagna, from Piacenza to Rimini, offering services to highly skilled Italian and international talents and their families.',
    legal_basis: 'Regional Law No. 2/2023, implemented by Deliberation No. 1242 of 17 July 2023',
    period_start: '2023-01-01',
    period_end: '2025-12-31',
    currency: 'EUR',
    budget_amount: '2232176.90',
    max_contribution_amount: '1785741.52',
    cofinancing_rate: '0.80',
    funding_source: 'Emilia-Romagna Region',
    objectives: [
      'Attract, retain and make the most of highly skilled talents and their families.',
      "Strengthen the region's global competitiveness through a more international, innovative and inclusive ecosystem.",
      'Give international professionals access to services across the whole region.',
    ],
    aligned_strategies: ['Regional Smart Specialisation Strategy (S3)'],
    managing_organisation_id: 'emilia-romagna-region',
    owner_organisation_id: 'emilia-romagna-region',
  }),
];

export const legalActs: ProgrammeLegalActTable[] = [
  {
    programme_id: 'emilia-romagna-talents',
    position: 1,
    reference: 'Regional Law No. 2/2023',
    role: 'Law on the attraction, retention and valorisation of talents, which the programme implements',
    adopted_on: null,
  },
  {
    programme_id: 'emilia-romagna-talents',
    position: 2,
    reference: 'Deliberation No. 1242/2023',
    role: 'Regional Government deliberation that launches the pilot programme and approves its budget',
    adopted_on: '2023-07-17',
  },
];

export const partners: ProgrammePartnerTable[] = [
  { programme_id: 'talent-hub', organisation_id: 'cemr' },
  { programme_id: 'talent-hub', organisation_id: 'eurocities' },
  { programme_id: 'talent-hub', organisation_id: 'uclg' },
  { programme_id: 'eu-belong', organisation_id: 'aer' },
];

export const programmeRegions: ProgrammeRegionTable[] = [{ programme_id: 'emilia-romagna-talents', region_code: 'ITH5' }];

// The sources give the number of pilot projects (10) and their spread, not their names: these are illustrative.
const pilotSites: [string, string][] = [
  ['piacenza', 'ITH51'],
  ['parma', 'ITH52'],
  ['reggio-emilia', 'ITH53'],
  ['modena', 'ITH54'],
  ['bologna', 'ITH55'],
  ['ferrara', 'ITH56'],
  ['ravenna', 'ITH57'],
  ['forli', 'ITH58'],
  ['cesena', 'ITH58'],
  ['rimini', 'ITH59'],
];

const titleCase = (slug: string) => slug.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

export const projects: ProjectTable[] = pilotSites.map(([site, region], i) => ({
  id: `emilia-romagna-talents-${site}`,
  programme_id: 'emilia-romagna-talents',
  position: i + 1,
  name: `Talent services pilot, ${site === 'forli' ? 'Forlì' : titleCase(site)}`,
  region_code: region,
  // Bologna's project runs 2024-2025; the others follow the programme's 2023-2025 period.
  period_start: site === 'bologna' ? '2024-01-01' : '2023-01-01',
  period_end: '2025-12-31',
  synthetic: true,
}));

export const services: ProgrammeServiceTable[] = [
  'Welcome desks for international talents',
  'Multilingual orientation',
  'Housing and school support',
  'Career and networking support',
  'Digital information platforms',
  'Community integration activities',
].map((name, i) => ({ programme_id: 'emilia-romagna-talents', position: i + 1, name }));

const indicator = (programme_id: string, code: string, name: string, value: string, unit: string, as_of: string): IndicatorTable => ({
  programme_id,
  code,
  name,
  value,
  target: null,
  unit,
  as_of,
});

export const indicators: IndicatorTable[] = [
  indicator('emilia-romagna-talents', 'pilot-projects', 'Pilot projects approved', '10', 'projects', '2024-02-29'),
  indicator('emilia-romagna-talents', 'service-types', 'Types of services implemented', '33', 'service types', '2024-02-29'),
  indicator('emilia-romagna-talents', 'services-delivered', 'Services delivered', '68', 'services', '2024-02-29'),
  indicator('emilia-romagna-talents', 'organisations-reached', 'Organisations reached', '574', 'organisations', '2024-02-29'),
  indicator('emilia-romagna-talents', 'talents-reached', 'Talents reached', '7063', 'talents', '2024-02-29'),
  indicator('eu-belong', 'regional-authority-partners', 'Regional authorities taking part', '10', 'regional authorities', '2024-10-09'),
  indicator('eu-belong', 'partner-countries', 'Countries of the regional authorities', '7', 'countries', '2024-10-09'),
  indicator('eu-belong', 'technical-partners', 'Technical partners', '2', 'organisations', '2024-10-09'),
];
