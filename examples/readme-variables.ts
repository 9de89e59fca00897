import type {
  CreateEventMutationVariables,
  EventWithAgendaQueryVariables,
  HostedExchangesQueryVariables,
  MentorMatchesQueryVariables,
  NetworkRetentionQueryVariables,
  OrganisationKeyFiguresQueryVariables,
  OrganisationLeadersQueryVariables,
  ProgrammeFinancesQueryVariables,
  ProgrammeObjectivesQueryVariables,
  ProgrammeOriginQueryVariables,
  RegionNameQueryVariables,
  RegionTalentsAndEventsQueryVariables,
  RegionWithParentQueryVariables,
  SkillEventsQueryVariables,
  TalentDashboardQueryVariables,
  TalentNamesQueryVariables,
} from './generated/operations.js';

// The values the project README writes into each example operation (as literals), by operation name: sent as
// variables they give the README's answers, and inlined they give the README's text (test/examples.test.ts).
// RegisterForEvent and CancelRegistration are only described in the README's prose, with no values.
export const readmeVariables = {
  RegionWithParent: { code: 'ITH5' } satisfies RegionWithParentQueryVariables,
  EventWithAgenda: { id: 'ewrc-2024-eu-belong' } satisfies EventWithAgendaQueryVariables,
  ProgrammeFinances: { id: 'emilia-romagna-talents' } satisfies ProgrammeFinancesQueryVariables,
  RegionTalentsAndEvents: { code: 'ITH5' } satisfies RegionTalentsAndEventsQueryVariables,
  RegionName: { code: 'Emilia' } satisfies RegionNameQueryVariables,
  OrganisationLeaders: { id: 'cemr' } satisfies OrganisationLeadersQueryVariables,
  OrganisationKeyFigures: { id: 'aer' } satisfies OrganisationKeyFiguresQueryVariables,
  ProgrammeOrigin: { id: 'eu-belong' } satisfies ProgrammeOriginQueryVariables,
  ProgrammeObjectives: { id: 'talent-hub' } satisfies ProgrammeObjectivesQueryVariables,
  TalentDashboard: { filter: { category: 'STUDENT' }, programmeId: 'emilia-romagna-talents' } satisfies TalentDashboardQueryVariables,
  CreateEvent: {
    input: {
      title: 'Mentoring for returnees',
      kind: 'MENTORING',
      attendanceMode: 'ONLINE',
      startsAt: '2031-03-04T10:00:00+01:00',
      endsAt: '2031-03-04T12:00:00+01:00',
      timeZone: 'Europe/Brussels',
      capacity: 2,
    },
  } satisfies CreateEventMutationVariables,
  TalentNames: { organisationId: 'cemr' } satisfies TalentNamesQueryVariables,
  MentorMatches: { menteeId: '163c8637-1711-4b5c-b3c2-a7481812aa08', first: 3 } satisfies MentorMatchesQueryVariables,
  HostedExchanges: { organisationId: 'eurocities', from: '2025-01-01', to: '2025-12-31', first: 3 } satisfies HostedExchangesQueryVariables,
  NetworkRetention: { networkId: 'talent-hub', fromQuarter: '2024-Q1', toQuarter: '2024-Q4', asOf: '2026-11-30' } satisfies NetworkRetentionQueryVariables,
  SkillEvents: { uri: 'http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8', first: 3 } satisfies SkillEventsQueryVariables,
};
