// Generated from schema/api.graphql and examples/operations/*.graphql by scripts/examples-codegen.ts
// (generateOperationTypes). Do not edit: change an operation or the schema, then regenerate.
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** How people attend. */
export type AttendanceMode =
  /** In person at a venue and online at once: the event has a venue and a region. */
  | 'HYBRID'
  /** Online only: the event has neither a venue nor a region. */
  | 'ONLINE'
  /** In person, at a venue: the event has a venue and a region. */
  | 'ONSITE';

/** Common European Framework of Reference level for languages. */
export type CefrLevel =
  /** Breakthrough (beginner): familiar everyday expressions and very basic phrases. */
  | 'A1'
  /** Waystage (elementary): simple, routine exchanges on familiar matters. */
  | 'A2'
  /** Threshold (intermediate): the main points of clear input on familiar matters, and most travel situations. */
  | 'B1'
  /** Vantage (upper intermediate): fluent, spontaneous interaction with native speakers; clear, detailed text. */
  | 'B2'
  /** Effective operational proficiency (advanced): flexible, effective use for social, academic and professional purposes. */
  | 'C1'
  /** Mastery (proficient): understands virtually everything heard or read; expresses themselves precisely. */
  | 'C2';

/** A new event or training. See `Mutation.createEvent` for the rules. */
export type CreateEventInput = {
  /** How people attend. */
  attendanceMode: AttendanceMode;
  /** Seats, 1 to 100,000; absent for unlimited. */
  capacity?: number | null | undefined;
  /** What it is about, at most 5,000 characters. */
  description?: string | null | undefined;
  /** End, after the start. */
  endsAt: string;
  /** Slug id, e.g. `talent-hub-training-2027-03`, at most 100 characters; derived from the title when absent. */
  id?: string | number | null | undefined;
  /** What kind of event it is. */
  kind: EventKind;
  /** Languages it is held in (BCP 47, e.g. `en`, `pt-BR`), at most 20, each once. */
  languages?: Array<string> | null | undefined;
  /** Partner organisations (slug ids), at most 50, each once, not the organiser. */
  partnerIds?: Array<string | number> | null | undefined;
  /** The programme that funds it (slug id). */
  programmeId?: string | number | null | undefined;
  /** NUTS 2024 code of where it takes place, e.g. `BE10`: required for ONSITE and HYBRID, absent for ONLINE. */
  regionCode?: string | number | null | undefined;
  /** Last moment to register; not after `startsAt`. */
  registrationDeadline?: string | null | undefined;
  /** The larger event it is part of, at most 300 characters. */
  series?: string | null | undefined;
  /** ESCO skill URIs it teaches, at most 50, each once. */
  skillUris?: Array<string | number> | null | undefined;
  /** Start. */
  startsAt: string;
  /** IANA time zone of the event, e.g. Europe/Brussels: times are shown in it. */
  timeZone: string;
  /** Title as announced, 1 to 300 characters. */
  title: string;
  /** Where it takes place: required for ONSITE and HYBRID events, absent for ONLINE ones. */
  venue?: VenueInput | null | undefined;
};

/** What kind of event or training it is. */
export type EventKind =
  /** A session of a larger conference, e.g. of the European Week of Regions and Cities. */
  | 'CONFERENCE_SESSION'
  /** Participants spending time with a partner organisation to learn from its work. */
  | 'EXCHANGE'
  /** Mentors accompanying talents, e.g. the Talent Hub's tailored mentoring. */
  | 'MENTORING'
  /** A visit to a place or an organisation to see its practice at first hand. */
  | 'STUDY_VISIT'
  /** A course that teaches skills, e.g. one of the Talent Hub's joint trainings. */
  | 'TRAINING'
  /** A seminar held online. */
  | 'WEBINAR'
  /** A hands-on working session in a small group. */
  | 'WORKSHOP';

/** Whether an event is still to take place as planned. */
export type EventStatus =
  /** Cancelled by its organiser: no new registrations; its open registrations were cancelled. */
  | 'CANCELLED'
  /** Planned (or held): registrations are open until it starts or its registration deadline passes. */
  | 'SCHEDULED';

/** What kind of stay an exchange is. */
export type ExchangeKind =
  /** Following a counterpart at the host in their daily work, usually days to weeks. */
  | 'JOB_SHADOWING'
  /** Working at the host organisation for a period, usually weeks to months. */
  | 'SECONDMENT'
  /** A short visit to learn how the host works, usually days. */
  | 'STUDY_VISIT'
  /** A training placement at the host, usually months. */
  | 'TRAINEESHIP';

/**
 * Where an exchange stands. PROPOSED goes to ACCEPTED or DECLINED (the host answers) or CANCELLED (the home
 * organisation calls it off); ACCEPTED goes to COMPLETED (either organisation, once it has begun) or CANCELLED.
 */
export type ExchangeStatus =
  /** Accepted by the host organisation. */
  | 'ACCEPTED'
  /** Called off by the home organisation. Final. */
  | 'CANCELLED'
  /** Took place. Final. */
  | 'COMPLETED'
  /** Declined by the host organisation. Final. */
  | 'DECLINED'
  /** Proposed by the home organisation; the host organisation has not answered yet. */
  | 'PROPOSED';

/** Status of a registration. */
export type RegistrationStatus =
  /** Took part in the event; still holds its seat. */
  | 'ATTENDED'
  /** Cancelled by the organisation that made it or by the organiser, or with the event; holds no seat. */
  | 'CANCELLED'
  /** Took part in the event and completed it; still holds its seat. */
  | 'COMPLETED'
  /** Holds a seat at the event. */
  | 'REGISTERED'
  /** Waits for a seat, in arrival order (see `Registration.waitlistPosition`); gets one when a seat frees up. */
  | 'WAITLISTED';

/** Whether a retention share is given. */
export type RetentionStatus =
  /** The share is given. */
  | 'AVAILABLE'
  /** Not known yet: the horizon has not passed by `asOf` for every arrival of the quarter. */
  | 'NOT_YET_OBSERVABLE'
  /**
   * Withheld for privacy: fewer than 5 arrivals, or fewer than 5 of them stayed, or fewer than 5 left (a share
   * with a known number of arrivals would reveal that small group).
   */
  | 'SUPPRESSED';

/** What brought a talent to the pool. */
export type TalentCategory =
  /** Came from another country to work, study or research in the region. */
  | 'INTERNATIONAL_TALENT'
  /** Works in research, at a university, a research centre or a company. */
  | 'RESEARCHER'
  /** Came back to the region of origin after living or working elsewhere. */
  | 'RETURNEE'
  /** Enrolled in education or training. */
  | 'STUDENT'
  /** Early in working life, e.g. a young professional trained in territorial diplomacy by the Talent Hub. */
  | 'YOUNG_PROFESSIONAL';

/**
 * Which talents a list or a statistic covers. Every field is optional; the given ones must all hold (AND).
 * Malformed values are refused with BAD_USER_INPUT; well-formed values that match nothing give no talents.
 */
export type TalentFilter = {
  /** Of this category. */
  category?: TalentCategory | null | undefined;
  /** With this citizenship, ISO 3166-1 alpha-2 as stored (e.g. `IT`). */
  citizenship?: string | null | undefined;
  /** Joined on or after this day. */
  joinedFrom?: string | null | undefined;
  /** Joined on or before this day; not before `joinedFrom`. */
  joinedTo?: string | null | undefined;
  /**
   * Speaking this language: a BCP 47 tag such as `it` or `pt-BR`. A bare language (`pt`) also matches its regional
   * variants (`pt-BR`).
   */
  language?: string | null | undefined;
  /** With `language`: speaking it at this CEFR level or above (A1 < A2 < B1 < B2 < C1 < C2). Needs `language`. */
  minLanguageLevel?: CefrLevel | null | undefined;
  /** Whose profile this organisation owns, by its slug id, e.g. `cemr`. */
  organisationId?: string | number | null | undefined;
  /** Living in this NUTS 2024 region or any of its sub-regions, e.g. `ITH5` (Emilia-Romagna) or `IT`. */
  regionCode?: string | number | null | undefined;
  /** Having this ESCO skill, by its concept URI, e.g. `http://data.europa.eu/esco/skill/c10d5d87-36cf-42f5-8a12-e560fb5f4af8`. */
  skillUri?: string | number | null | undefined;
};

/** Where an event takes place. */
export type VenueInput = {
  /** Street address, at most 300 characters. */
  address?: string | null | undefined;
  /** City, 1 to 300 characters. */
  city: string;
  /** Name of the place, 1 to 300 characters. */
  name: string;
  /** Room, at most 300 characters. */
  room?: string | null | undefined;
};

export type CancelRegistrationMutationVariables = Exact<{
  eventId: string | number;
  talentId: string | number;
}>;


export type CancelRegistrationMutation = { cancelRegistration: { status: RegistrationStatus, waitlistPosition: number | null } };

export type CreateEventMutationVariables = Exact<{
  input: CreateEventInput;
}>;


export type CreateEventMutation = { createEvent: { id: string, status: EventStatus, capacity: number | null, organiser: { name: string } | null } };

export type EventWithAgendaQueryVariables = Exact<{
  id: string | number;
}>;


export type EventWithAgendaQuery = { event: { title: string, startsAt: string, endsAt: string, timeZone: string, venue: { name: string, room: string | null, city: string } | null, region: { code: string, name: string } | null, organiser: { name: string } | null, agenda: Array<{ startsAt: string, title: string, speakers: Array<{ name: string, affiliation: string | null }> }> } | null };

export type HostedExchangesQueryVariables = Exact<{
  organisationId: string | number;
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type HostedExchangesQuery = { organisation: { name: string, hostedExchanges: { totalCount: number, nodes: Array<{ kind: ExchangeKind, status: ExchangeStatus, startsOn: string, endsOn: string, homeOrganisation: { id: string } | null, talent: { displayName: string } }> } | null } | null };

export type MentorMatchesQueryVariables = Exact<{
  menteeId: string | number;
  first?: number | null | undefined;
}>;


export type MentorMatchesQuery = { mentorMatches: Array<{ score: number, mentor: { displayName: string, organisation: { id: string } | null }, reasons: { commonLanguages: Array<string>, sameRegion: boolean, sameCountry: boolean, sameTimeZone: boolean, remainingCapacity: number, matchedSkills: Array<{ label: string }>, missingSkills: Array<{ label: string }> } }> | null };

export type NetworkRetentionQueryVariables = Exact<{
  networkId: string | number;
  fromQuarter?: string | null | undefined;
  toQuarter?: string | null | undefined;
  asOf?: string | null | undefined;
}>;


export type NetworkRetentionQuery = { networkRetention: { threshold: number, members: Array<{ id: string } | null>, cohorts: Array<{ quarter: string, joiners: number | null, retained6Months: string | null, retained12Months: string | null, retained24Months: string | null, retained24MonthsStatus: RetentionStatus }>, flows: Array<{ leftNetwork: boolean, talents: number | null, suppressed: boolean, from: { id: string } | null, to: { id: string } | null }> } | null };

export type OrganisationKeyFiguresQueryVariables = Exact<{
  id: string | number;
}>;


export type OrganisationKeyFiguresQuery = { organisation: { foundedYear: number | null, keyFigures: Array<{ code: string, value: string }> } | null };

export type OrganisationLeadersQueryVariables = Exact<{
  id: string | number;
}>;


export type OrganisationLeadersQuery = { organisation: { leaders: Array<{ name: string, role: string }> } | null };

export type ProgrammeFinancesQueryVariables = Exact<{
  id: string | number;
}>;


export type ProgrammeFinancesQuery = { programme: { legalBasis: string | null, cofinancingRate: string | null, period: { start: string, end: string | null } | null, budget: { amount: string, currency: string } | null, maxContribution: { amount: string, currency: string } | null, managingOrganisation: { name: string } | null, indicators: Array<{ code: string, value: string, unit: string, asOf: string | null }> } | null };

export type ProgrammeObjectivesQueryVariables = Exact<{
  id: string | number;
}>;


export type ProgrammeObjectivesQuery = { programme: { objectives: Array<string>, partners: Array<{ name: string }> } | null };

export type ProgrammeOriginQueryVariables = Exact<{
  id: string | number;
}>;


export type ProgrammeOriginQuery = { programme: { fundingSource: string | null, initiatedBy: { name: string } | null, indicators: Array<{ code: string, value: string }> } | null };

export type RegionNameQueryVariables = Exact<{
  code: string | number;
}>;


export type RegionNameQuery = { region: { name: string } | null };

export type RegionTalentsAndEventsQueryVariables = Exact<{
  code: string | number;
  talentsAfter?: string | null | undefined;
}>;


export type RegionTalentsAndEventsQuery = { region: { name: string, talents: { nodes: Array<{ displayName: string, category: TalentCategory, residenceRegion: { code: string, name: string } | null, organisation: { acronym: string | null } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null, events: { nodes: Array<{ title: string, startsAt: string }> } | null } | null };

export type RegionWithParentQueryVariables = Exact<{
  code: string | number;
}>;


export type RegionWithParentQuery = { region: { name: string, parent: { code: string } | null } | null };

export type RegisterForEventMutationVariables = Exact<{
  eventId: string | number;
  talentId: string | number;
}>;


export type RegisterForEventMutation = { registerForEvent: { status: RegistrationStatus, waitlistPosition: number | null } };

export type SkillEventsQueryVariables = Exact<{
  uri: string | number;
  first?: number | null | undefined;
}>;


export type SkillEventsQuery = { skill: { label: string, events: { nodes: Array<{ id: string, title: string, startsAt: string, seatsLeft: number | null }> } | null } | null };

export type TalentDashboardQueryVariables = Exact<{
  filter?: TalentFilter | null | undefined;
  programmeId: string | number;
}>;


export type TalentDashboardQuery = { talentStatistics: { cells: Array<{ talents: number | null, suppressed: boolean, region: { code: string, name: string } | null }> }, programme: { kpis: { costPerTalentReached: { amount: string, currency: string } | null } } | null };

export type TalentNamesQueryVariables = Exact<{
  organisationId?: string | number | null | undefined;
}>;


export type TalentNamesQuery = { talents: { nodes: Array<{ displayName: string, givenName: string | null }> } };


export const CancelRegistrationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelRegistration"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"talentId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelRegistration"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"eventId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}}},{"kind":"Argument","name":{"kind":"Name","value":"talentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"talentId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistPosition"}}]}}]}}]} as unknown as DocumentNode<CancelRegistrationMutation, CancelRegistrationMutationVariables>;
export const CreateEventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateEvent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateEventInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createEvent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"organiser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<CreateEventMutation, CreateEventMutationVariables>;
export const EventWithAgendaDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EventWithAgenda"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"event"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"venue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"room"}},{"kind":"Field","name":{"kind":"Name","value":"city"}}]}},{"kind":"Field","name":{"kind":"Name","value":"region"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"organiser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"agenda"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"speakers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"affiliation"}}]}}]}}]}}]}}]} as unknown as DocumentNode<EventWithAgendaQuery, EventWithAgendaQueryVariables>;
export const HostedExchangesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"HostedExchanges"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"organisationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"organisationId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"hostedExchanges"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startsOn"}},{"kind":"Field","name":{"kind":"Name","value":"endsOn"}},{"kind":"Field","name":{"kind":"Name","value":"homeOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"talent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<HostedExchangesQuery, HostedExchangesQueryVariables>;
export const MentorMatchesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MentorMatches"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"menteeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mentorMatches"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"menteeId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"menteeId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mentor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"matchedSkills"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"missingSkills"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commonLanguages"}},{"kind":"Field","name":{"kind":"Name","value":"sameRegion"}},{"kind":"Field","name":{"kind":"Name","value":"sameCountry"}},{"kind":"Field","name":{"kind":"Name","value":"sameTimeZone"}},{"kind":"Field","name":{"kind":"Name","value":"remainingCapacity"}}]}}]}}]}}]} as unknown as DocumentNode<MentorMatchesQuery, MentorMatchesQueryVariables>;
export const NetworkRetentionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NetworkRetention"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"networkId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fromQuarter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"toQuarter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"networkRetention"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"networkId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"networkId"}}},{"kind":"Argument","name":{"kind":"Name","value":"fromQuarter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fromQuarter"}}},{"kind":"Argument","name":{"kind":"Name","value":"toQuarter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"toQuarter"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"cohorts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quarter"}},{"kind":"Field","name":{"kind":"Name","value":"joiners"}},{"kind":"Field","name":{"kind":"Name","value":"retained6Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained12Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained24Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained24MonthsStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"leftNetwork"}},{"kind":"Field","name":{"kind":"Name","value":"talents"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]}}]}}]} as unknown as DocumentNode<NetworkRetentionQuery, NetworkRetentionQueryVariables>;
export const OrganisationKeyFiguresDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrganisationKeyFigures"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"foundedYear"}},{"kind":"Field","name":{"kind":"Name","value":"keyFigures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<OrganisationKeyFiguresQuery, OrganisationKeyFiguresQueryVariables>;
export const OrganisationLeadersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrganisationLeaders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organisation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leaders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<OrganisationLeadersQuery, OrganisationLeadersQueryVariables>;
export const ProgrammeFinancesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProgrammeFinances"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"programme"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"legalBasis"}},{"kind":"Field","name":{"kind":"Name","value":"period"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"maxContribution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cofinancingRate"}},{"kind":"Field","name":{"kind":"Name","value":"managingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"indicators"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]}}]}}]} as unknown as DocumentNode<ProgrammeFinancesQuery, ProgrammeFinancesQueryVariables>;
export const ProgrammeObjectivesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProgrammeObjectives"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"programme"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"objectives"}},{"kind":"Field","name":{"kind":"Name","value":"partners"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ProgrammeObjectivesQuery, ProgrammeObjectivesQueryVariables>;
export const ProgrammeOriginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProgrammeOrigin"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"programme"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fundingSource"}},{"kind":"Field","name":{"kind":"Name","value":"initiatedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"indicators"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<ProgrammeOriginQuery, ProgrammeOriginQueryVariables>;
export const RegionNameDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegionName"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RegionNameQuery, RegionNameQueryVariables>;
export const RegionTalentsAndEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegionTalentsAndEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"talentsAfter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"talents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"2"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"talentsAfter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"residenceRegion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acronym"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"2"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RegionTalentsAndEventsQuery, RegionTalentsAndEventsQueryVariables>;
export const RegionWithParentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegionWithParent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<RegionWithParentQuery, RegionWithParentQueryVariables>;
export const RegisterForEventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterForEvent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"talentId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerForEvent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"eventId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventId"}}},{"kind":"Argument","name":{"kind":"Name","value":"talentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"talentId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistPosition"}}]}}]}}]} as unknown as DocumentNode<RegisterForEventMutation, RegisterForEventMutationVariables>;
export const SkillEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SkillEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"uri"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"skill"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"uri"},"value":{"kind":"Variable","name":{"kind":"Name","value":"uri"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"upcoming"},"value":{"kind":"BooleanValue","value":true}},{"kind":"Argument","name":{"kind":"Name","value":"withSeatsLeft"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"seatsLeft"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SkillEventsQuery, SkillEventsQueryVariables>;
export const TalentDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TalentDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TalentFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"programmeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"talentStatistics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"REGION"}]}},{"kind":"Argument","name":{"kind":"Name","value":"regionLevel"},"value":{"kind":"IntValue","value":"2"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cells"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"talents"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"programme"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"programmeId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"costPerTalentReached"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TalentDashboardQuery, TalentDashboardQueryVariables>;
export const TalentNamesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TalentNames"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"organisationId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"talents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"organisationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"organisationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}}]}}]}}]}}]} as unknown as DocumentNode<TalentNamesQuery, TalentNamesQueryVariables>;
