// Generated from schema/api.graphql and dashboard/operations/*.graphql by scripts/examples-codegen.ts
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

/** Which events to count. Filters combine (all must hold); they mean what the arguments of `Query.events` mean. */
export type EventFilter = {
  /** Only events attended this way. */
  attendanceMode?: AttendanceMode | null | undefined;
  /** Only events of this kind. */
  kind?: EventKind | null | undefined;
  /** Only events organised by this organisation (slug id). */
  organiserId?: string | number | null | undefined;
  /** Only events of this programme (slug id). */
  programmeId?: string | number | null | undefined;
  /** Only events held in this NUTS 2024 region or one of its sub-regions. */
  regionCode?: string | number | null | undefined;
  /** Only events starting before this instant; must be later than `startsFrom`. */
  startsBefore?: string | null | undefined;
  /** Only events starting at or after this instant. */
  startsFrom?: string | null | undefined;
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

export type EventsWithSeatsQueryVariables = Exact<{
  kind?: EventKind | null | undefined;
  regionCode?: string | number | null | undefined;
  startsFrom?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type EventsWithSeatsQuery = { events: { totalCount: number, nodes: Array<{ id: string, title: string, kind: EventKind, status: EventStatus, startsAt: string, capacity: number | null, seatsLeft: number | null, region: { code: string, name: string } | null, organiser: { name: string } | null }> } };

export type ProgrammeKpisQueryVariables = Exact<{
  id: string | number;
}>;


export type ProgrammeKpisQuery = { programmes: { nodes: Array<{ id: string, name: string }> }, programme: { id: string, name: string, period: { start: string, end: string | null } | null, managingOrganisation: { name: string } | null, kpis: { talentsReached: string | null, talentsReachedAsOf: string | null, budget: { amount: string, currency: string } | null, maxContribution: { amount: string, currency: string } | null, costPerTalentReached: { amount: string, currency: string } | null, indicators: Array<{ code: string, name: string, unit: string, value: string, target: string | null, progress: string | null, asOf: string | null }> } } | null };

export type RegistrationsByMonthQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
}>;


export type RegistrationsByMonthQuery = { registrationStatistics: Array<{ month: string | null, eventKind: EventKind | null, events: number, suppressed: boolean, registrations: { value: number | null, suppressed: boolean }, attended: { value: number | null, suppressed: boolean }, completed: { value: number | null, suppressed: boolean } }> };

export type RetentionQueryVariables = Exact<{
  regionCode: string | number;
  networkId: string | number;
  fromQuarter?: string | null | undefined;
  toQuarter?: string | null | undefined;
  asOf?: string | null | undefined;
}>;


export type RetentionQuery = { talentRetention: { asOf: string, threshold: number, region: { code: string, name: string } | null, cohorts: Array<{ quarter: string, arrivals: number | null, suppressed: boolean, retained6Months: string | null, retained6MonthsStatus: RetentionStatus, retained12Months: string | null, retained12MonthsStatus: RetentionStatus }> }, networkRetention: { asOf: string, threshold: number, network: { id: string, name: string } | null, members: Array<{ id: string, name: string } | null>, cohorts: Array<{ quarter: string, joiners: number | null, suppressed: boolean, retained6Months: string | null, retained6MonthsStatus: RetentionStatus, retained12Months: string | null, retained12MonthsStatus: RetentionStatus, retained24Months: string | null, retained24MonthsStatus: RetentionStatus }>, flows: Array<{ leftNetwork: boolean, talents: number | null, suppressed: boolean, from: { id: string, name: string } | null, to: { id: string, name: string } | null }> } | null };

export type TalentsByRegionQueryVariables = Exact<{
  regionLevel: number;
  filter?: TalentFilter | null | undefined;
}>;


export type TalentsByRegionQuery = { talentStatistics: { threshold: number, cells: Array<{ talents: number | null, suppressed: boolean, region: { code: string, name: string } | null }> } };


export const EventsWithSeatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EventsWithSeats"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EventKind"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"regionCode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"startsFrom"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}},{"kind":"Argument","name":{"kind":"Name","value":"regionCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"regionCode"}}},{"kind":"Argument","name":{"kind":"Name","value":"startsFrom"},"value":{"kind":"Variable","name":{"kind":"Name","value":"startsFrom"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"region"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"organiser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"seatsLeft"}}]}}]}}]}}]} as unknown as DocumentNode<EventsWithSeatsQuery, EventsWithSeatsQueryVariables>;
export const ProgrammeKpisDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProgrammeKpis"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"programmes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"programme"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"period"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"managingOrganisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"maxContribution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"talentsReached"}},{"kind":"Field","name":{"kind":"Name","value":"talentsReachedAsOf"}},{"kind":"Field","name":{"kind":"Name","value":"costPerTalentReached"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"indicators"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"progress"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ProgrammeKpisQuery, ProgrammeKpisQueryVariables>;
export const RegistrationsByMonthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RegistrationsByMonth"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registrationStatistics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"MONTH"},{"kind":"EnumValue","value":"EVENT_KIND"}]}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"eventKind"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"registrations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"attended"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"completed"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]}}]}}]} as unknown as DocumentNode<RegistrationsByMonthQuery, RegistrationsByMonthQueryVariables>;
export const RetentionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Retention"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"regionCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"networkId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fromQuarter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"toQuarter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"talentRetention"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"regionCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"regionCode"}}},{"kind":"Argument","name":{"kind":"Name","value":"fromQuarter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fromQuarter"}}},{"kind":"Argument","name":{"kind":"Name","value":"toQuarter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"toQuarter"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"cohorts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quarter"}},{"kind":"Field","name":{"kind":"Name","value":"arrivals"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"retained6Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained6MonthsStatus"}},{"kind":"Field","name":{"kind":"Name","value":"retained12Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained12MonthsStatus"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"networkRetention"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"networkId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"networkId"}}},{"kind":"Argument","name":{"kind":"Name","value":"fromQuarter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fromQuarter"}}},{"kind":"Argument","name":{"kind":"Name","value":"toQuarter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"toQuarter"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"network"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"cohorts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quarter"}},{"kind":"Field","name":{"kind":"Name","value":"joiners"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"retained6Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained6MonthsStatus"}},{"kind":"Field","name":{"kind":"Name","value":"retained12Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained12MonthsStatus"}},{"kind":"Field","name":{"kind":"Name","value":"retained24Months"}},{"kind":"Field","name":{"kind":"Name","value":"retained24MonthsStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"flows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"leftNetwork"}},{"kind":"Field","name":{"kind":"Name","value":"talents"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]}}]}}]} as unknown as DocumentNode<RetentionQuery, RetentionQueryVariables>;
export const TalentsByRegionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TalentsByRegion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"regionLevel"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TalentFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"talentStatistics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"REGION"}]}},{"kind":"Argument","name":{"kind":"Name","value":"regionLevel"},"value":{"kind":"Variable","name":{"kind":"Name","value":"regionLevel"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"cells"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"region"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"talents"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]}}]}}]} as unknown as DocumentNode<TalentsByRegionQuery, TalentsByRegionQueryVariables>;
