import type { FieldProblem } from '@talent-hub/platform/errors';
import { MAX_LEARNING_GOALS, MAX_MENTORSHIP_GOALS } from './db/mentoring.js';
import type { ExchangeKind, ProposeExchangeInput, ProposeMentorshipInput, UpdateTalentInput } from './generated/resolvers.js';

// Reading the inputs of mentoring and exchanges: every problem is collected as `{ field, message }` (a form shows
// each next to its field), and no message repeats the value given. Shapes are checked here; what needs the
// database (known skills) or another subgraph (organisations, programmes) is checked by the mutations after.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NUTS_CODE = /^[A-Z]{2}[A-Z0-9]{0,3}$/;
const ESCO_SKILL_URI = /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const MAX_MENTORING_CAPACITY = 10;
export const MAX_MEETINGS = 1000;
/** The longest exchange: its last day at most this many years after its first. */
export const MAX_EXCHANGE_YEARS = 2;

const UUID_MESSAGE = 'must be a UUID such as "0b9c2a4e-1f3d-4c5b-8a7e-6d5c4b3a2f10" (lowercase).';
const SLUG_MESSAGE = 'must be a slug id such as "eurocities" (lowercase letters, digits and single hyphens).';
const SKILL_MESSAGE = 'must be an ESCO skill URI such as "http://data.europa.eu/esco/skill/<uuid>".';

export const todayUtc = () => new Date().toISOString().slice(0, 10);

const has = <T extends object>(input: T, field: keyof T) => Object.prototype.hasOwnProperty.call(input, field) && input[field] !== undefined;
const isId = (pattern: RegExp, value: string) => value.length <= 200 && pattern.test(value);

/** Skill URIs: shape, each once, and how many; problems at `field[i]`. Returns the URIs whose shape is right. */
function readSkillUris(values: readonly string[], field: string, min: number, max: number, problems: FieldProblem[]): string[] {
  if (values.length < min) problems.push({ field, message: `must hold at least ${min} skill${min === 1 ? '' : 's'}.` });
  if (values.length > max) {
    problems.push({ field, message: `must hold at most ${max} skills.` });
    return [];
  }
  const seen = new Set<string>();
  const wellFormed: string[] = [];
  values.forEach((uri, i) => {
    if (!isId(ESCO_SKILL_URI, uri)) problems.push({ field: `${field}[${i}]`, message: SKILL_MESSAGE });
    else if (seen.has(uri)) problems.push({ field: `${field}[${i}]`, message: 'is listed twice.' });
    else wellFormed.push(uri);
    seen.add(uri);
  });
  return wellFormed;
}

/** A day given as an argument or input field: within the years talent data can have, and not in the future if asked. */
function checkDay(day: string, field: string, problems: FieldProblem[], options: { notFuture?: boolean } = {}): boolean {
  const year = Number(day.slice(0, 4));
  if (year < 1900 || year > 2999) {
    problems.push({ field, message: 'must be a day between 1900 and 2999.' });
    return false;
  }
  if (options.notFuture && day > todayUtc()) {
    problems.push({ field, message: 'must not be in the future.' });
    return false;
  }
  return true;
}

/** The same day `years` years later; 29 February becomes 28 February, as PostgreSQL's `date + interval` does. */
export function addYears(day: string, years: number): string {
  const year = Number(day.slice(0, 4)) + years;
  const month = Number(day.slice(5, 7));
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${day.slice(5, 7)}-${String(Math.min(Number(day.slice(8, 10)), last)).padStart(2, '0')}`;
}

// ---- createTalent / updateTalent ---------------------------------------------------------------------------------

/** The part of a talent's changes (input.ts's TalentChanges) that the mentoring fields write. */
export interface MentoringChanges {
  columns: { mentoring_capacity?: number | null };
  learningGoals?: string[];
}

/**
 * The mentoring fields of CreateTalentInput and UpdateTalentInput (both optional), written into the talent's changes:
 * `mentoringCapacity` 0 to 10 or null (a column), `learningGoalUris` at most 20 ESCO skills, each once (a list that
 * replaces the learning goals; null clears them). Returns the problems, at `input.<field>`.
 */
export function readMentoringFields(input: UpdateTalentInput, changes: MentoringChanges): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (has(input, 'mentoringCapacity')) {
    const value = input.mentoringCapacity ?? null;
    if (value === null || (Number.isInteger(value) && value >= 0 && value <= MAX_MENTORING_CAPACITY)) changes.columns.mentoring_capacity = value;
    else problems.push({ field: 'input.mentoringCapacity', message: `must be from 0 to ${MAX_MENTORING_CAPACITY} (0 or null: not a mentor).` });
  }
  if (has(input, 'learningGoalUris')) {
    // Like skills: the list is kept whatever its items' problems (the mutation refuses it then), so that the unknown
    // skills among the well-formed ones are reported too.
    const values = input.learningGoalUris ?? [];
    readSkillUris(values, 'input.learningGoalUris', 0, MAX_LEARNING_GOALS, problems);
    if (values.length <= MAX_LEARNING_GOALS) changes.learningGoals = [...values];
  }
  return problems;
}

// ---- Mentorships -------------------------------------------------------------------------------------------------

export interface MentorshipProposal {
  mentorId: string;
  menteeId: string;
  organisationId: string | null;
  programmeId: string | null;
  goalUris: string[];
  startsOn: string | null;
}

export function readMentorshipProposal(input: ProposeMentorshipInput): { proposal: MentorshipProposal; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `input.${field}`, message });
  if (!isId(UUID, input.mentorId)) problem('mentorId', UUID_MESSAGE);
  if (!isId(UUID, input.menteeId)) problem('menteeId', UUID_MESSAGE);
  else if (input.menteeId === input.mentorId) problem('menteeId', 'must differ from input.mentorId: a talent does not mentor itself.');
  if (input.organisationId != null && !isId(SLUG, input.organisationId)) problem('organisationId', SLUG_MESSAGE);
  if (input.programmeId != null && !isId(SLUG, input.programmeId)) problem('programmeId', SLUG_MESSAGE);
  readSkillUris(input.goalUris, 'input.goalUris', 1, MAX_MENTORSHIP_GOALS, problems);
  if (input.startsOn != null) checkDay(input.startsOn, 'input.startsOn', problems);
  return {
    proposal: {
      mentorId: input.mentorId,
      menteeId: input.menteeId,
      organisationId: input.organisationId ?? null,
      programmeId: input.programmeId ?? null,
      goalUris: [...input.goalUris],
      startsOn: input.startsOn ?? null,
    },
    problems,
  };
}

/** A day argument of a transition (startsOn, endsOn): today when absent; not in the future. */
export function readTransitionDay(value: string | null | undefined, field: string, problems: FieldProblem[]): string {
  const day = value ?? todayUtc();
  checkDay(day, field, problems, { notFuture: true });
  return day;
}

export function readMeetings(value: number | null | undefined, problems: FieldProblem[]): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_MEETINGS) {
    problems.push({ field: 'meetings', message: `must be from 0 to ${MAX_MEETINGS}.` });
    return null;
  }
  return value;
}

// ---- Exchanges ---------------------------------------------------------------------------------------------------

export interface ExchangeProposal {
  talentId: string;
  hostOrganisationId: string;
  kind: ExchangeKind;
  regionCode: string | null;
  startsOn: string;
  endsOn: string;
  programmeId: string | null;
}

export function readExchangeProposal(input: ProposeExchangeInput): { proposal: ExchangeProposal; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `input.${field}`, message });
  if (!isId(UUID, input.talentId)) problem('talentId', UUID_MESSAGE);
  if (!isId(SLUG, input.hostOrganisationId)) problem('hostOrganisationId', SLUG_MESSAGE);
  if (input.regionCode != null && !NUTS_CODE.test(input.regionCode)) {
    problem('regionCode', 'must be a NUTS 2024 code such as "BE100" (two capital letters, then up to 3 letters or digits).');
  }
  if (input.programmeId != null && !isId(SLUG, input.programmeId)) problem('programmeId', SLUG_MESSAGE);
  const starts = checkDay(input.startsOn, 'input.startsOn', problems);
  const ends = checkDay(input.endsOn, 'input.endsOn', problems);
  if (starts && ends) {
    if (input.endsOn < input.startsOn) problem('endsOn', 'must not be before input.startsOn.');
    else if (input.endsOn > addYears(input.startsOn, MAX_EXCHANGE_YEARS)) problem('endsOn', `must be at most ${MAX_EXCHANGE_YEARS} years after input.startsOn.`);
  }
  return {
    proposal: {
      talentId: input.talentId,
      hostOrganisationId: input.hostOrganisationId,
      kind: input.kind,
      regionCode: input.regionCode ?? null,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      programmeId: input.programmeId ?? null,
    },
    problems,
  };
}
