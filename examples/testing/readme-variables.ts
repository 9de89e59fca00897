import type {
  CreateEventMutationVariables,
  EventWithAgendaQueryVariables,
  OrganisationKeyFiguresQueryVariables,
  OrganisationLeadersQueryVariables,
  ProgrammeFinancesQueryVariables,
  ProgrammeObjectivesQueryVariables,
  ProgrammeOriginQueryVariables,
  RegionNameQueryVariables,
  RegionTalentsAndEventsQueryVariables,
  RegionWithParentQueryVariables,
  TalentDashboardQueryVariables,
  TalentNamesQueryVariables,
} from '../generated/operations.js';

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
};
