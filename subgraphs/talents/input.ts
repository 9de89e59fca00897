import type { FieldProblem } from '@talent-hub/platform/errors';
import type { TalentLanguageTable, TalentMentoringColumns, TalentPersonalColumns, TalentSkillTable, TalentTable } from './db/types.js';
import type { UpdateTalentInput } from './generated/resolvers.js';
import { readMentoringFields } from './mentoring-input.js';

// Reading the inputs of createTalent and updateTalent: every problem is collected (a form shows each next to its
// field), and no message repeats the value given, since it may be personal data (a name, an e-mail address).

const NUTS_CODE = /^[A-Z]{2}[A-Z0-9]{0,3}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const ESCO_SKILL_URI = /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
// The same shapes as the checks of migration 0003, so that what passes here is stored.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]*[0-9]$/;
// Control characters have no place in a name and break logs and exports.
const CONTROL = /[\u0000-\u001f\u007f]/;

export const MAX_INTERESTS = 20;
export const MAX_SKILLS = 50;
export const MAX_LANGUAGES = 20;

/**
 * The fields of CreateTalentInput and UpdateTalentInput as GraphQL hands them over (enums and dates checked):
 * the update input, every field optional, which a create input also is.
 */
export type TalentInput = UpdateTalentInput;

type ProfileColumns = Omit<TalentTable, 'id' | 'organisation_id' | 'synthetic'> & TalentPersonalColumns & TalentMentoringColumns;

/** What a valid input changes: columns to set, and the lists to replace (absent: unchanged). */
export interface TalentChanges {
  columns: Partial<ProfileColumns>;
  skills?: Omit<TalentSkillTable, 'talent_id'>[];
  languages?: Omit<TalentLanguageTable, 'talent_id'>[];
  /** Replaces the learning goals: ESCO skill URIs (mentoring-input.ts). */
  learningGoals?: string[];
}

export const todayUtc = () => new Date().toISOString().slice(0, 10);

/**
 * Checks an input; `mode` create requires the required fields and fills defaults, update takes only the fields
 * present and refuses to clear a required one. Returns the changes and every problem found.
 */
export function readTalentInput(input: TalentInput, mode: 'create' | 'update'): { changes: TalentChanges; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const columns: Partial<ProfileColumns> = {};
  const changes: TalentChanges = { columns };
  const problem = (field: string, message: string) => problems.push({ field: `input.${field}`, message });
  const has = (field: keyof TalentInput) => Object.prototype.hasOwnProperty.call(input, field) && input[field] !== undefined;

  /** A required field: must be present on create, may be absent but not null on update. */
  const required = <K extends keyof TalentInput>(field: K): NonNullable<TalentInput[K]> | undefined => {
    if (!has(field)) {
      if (mode === 'create') problem(field, 'is required.');
      return undefined;
    }
    if (input[field] === null) {
      problem(field, mode === 'create' ? 'is required.' : 'cannot be cleared: it is required.');
      return undefined;
    }
    return input[field] as NonNullable<TalentInput[K]>;
  };

  const text = (field: string, value: string, max: number): string | undefined => {
    const trimmed = value.trim();
    if (trimmed.length === 0) problem(field, `must not be empty${mode === 'update' ? ' (send null to clear it)' : ''}.`);
    else if (trimmed.length > max) problem(field, `must be at most ${max} characters long.`);
    else if (CONTROL.test(trimmed)) problem(field, 'must not contain control characters.');
    else return trimmed;
    return undefined;
  };

  const displayName = required('displayName');
  if (displayName !== undefined) {
    const value = text('displayName', displayName, 120);
    if (value !== undefined) columns.display_name = value;
  }
  const category = required('category');
  if (category !== undefined) columns.category = category;
  const citizenship = required('citizenship');
  if (citizenship !== undefined) {
    if (COUNTRY_CODE.test(citizenship)) columns.citizenship = citizenship;
    else problem('citizenship', 'must be an ISO 3166-1 alpha-2 code such as "IT".');
  }
  const status = mode === 'create' && !has('status') ? 'ACTIVE' : required('status');
  if (status !== undefined) columns.status = status;
  const joinedOn = mode === 'create' && !has('joinedOn') ? todayUtc() : required('joinedOn');
  if (joinedOn !== undefined) {
    if (joinedOn > todayUtc()) problem('joinedOn', 'must not be in the future.');
    else if (joinedOn < '1950-01-01') problem('joinedOn', 'must not be before 1950-01-01.');
    else columns.joined_on = joinedOn;
  }

  for (const [field, column] of [['residenceRegionCode', 'residence_region_code'], ['originRegionCode', 'origin_region_code']] as const) {
    if (!has(field)) continue;
    const value = input[field];
    if (value === null) columns[column] = null;
    else if (NUTS_CODE.test(value!)) columns[column] = value!;
    else problem(field, 'must be a NUTS 2024 code such as "ITH55" (two capital letters, then up to 3 letters or digits).');
  }
  if (has('educationLevel')) {
    const value = input.educationLevel!;
    if (value === null || (value >= 0 && value <= 8)) columns.education_level = value;
    else problem('educationLevel', 'must be an ISCED 2011 level from 0 to 8.');
  }
  if (has('careerStage')) columns.career_stage = input.careerStage ?? null;
  if (has('interests')) {
    const values = input.interests ?? [];
    if (values.length > MAX_INTERESTS) problem('interests', `must hold at most ${MAX_INTERESTS} items.`);
    else {
      const cleaned: string[] = [];
      values.forEach((v, i) => {
        const value = text(`interests[${i}]`, v, 100);
        if (value !== undefined && !cleaned.includes(value)) cleaned.push(value);
      });
      columns.interests = cleaned;
    }
  } else if (mode === 'create') columns.interests = [];
  // Private unless published: a profile created without saying so is not shown to other organisations.
  const publicProfile = mode === 'create' && !has('publicProfile') ? false : has('publicProfile') ? required('publicProfile') : undefined;
  if (publicProfile !== undefined) columns.public_profile = publicProfile;

  if (has('skills')) {
    const values = input.skills ?? [];
    if (values.length > MAX_SKILLS) problem('skills', `must hold at most ${MAX_SKILLS} items.`);
    else {
      const seen = new Set<string>();
      values.forEach((s, i) => {
        if (!ESCO_SKILL_URI.test(s.skillUri)) problem(`skills[${i}].skillUri`, 'must be an ESCO skill URI such as "http://data.europa.eu/esco/skill/<uuid>".');
        else if (seen.has(s.skillUri)) problem(`skills[${i}].skillUri`, 'is listed twice.');
        seen.add(s.skillUri);
      });
      changes.skills = values.map((s) => ({ skill_uri: s.skillUri, level: s.level }));
    }
  }
  if (has('languages')) {
    const values = input.languages ?? [];
    if (values.length > MAX_LANGUAGES) problem('languages', `must hold at most ${MAX_LANGUAGES} items.`);
    else {
      const seen = new Set<string>();
      values.forEach((l, i) => {
        if (l.language.length > 35 || !LANGUAGE_TAG.test(l.language)) problem(`languages[${i}].language`, 'must be a BCP 47 tag such as "it" or "pt-BR".');
        else if (seen.has(l.language)) problem(`languages[${i}].language`, 'is listed twice.');
        seen.add(l.language);
      });
      changes.languages = values.map((l) => ({ language: l.language, level: l.level }));
    }
  }

  for (const [field, column] of [['givenName', 'given_name'], ['familyName', 'family_name']] as const) {
    if (!has(field)) continue;
    const value = input[field];
    if (value === null) columns[column] = null;
    else {
      const cleaned = text(field, value!, 100);
      if (cleaned !== undefined) columns[column] = cleaned;
    }
  }
  if (has('email')) {
    const value = input.email?.trim();
    if (value == null) columns.email = null;
    else if (value.length > 254 || !EMAIL.test(value)) problem('email', 'must be an e-mail address such as "name@example.org", at most 254 characters.');
    else columns.email = value;
  }
  if (has('birthYear')) {
    const value = input.birthYear!;
    const year = new Date().getUTCFullYear();
    if (value === null || (value >= 1900 && value <= year)) columns.birth_year = value;
    else problem('birthYear', `must be a year from 1900 to ${year}.`);
  }
  if (has('phone')) {
    const value = input.phone?.trim();
    if (value == null) columns.phone = null;
    else if (value.length < 6 || value.length > 32 || !PHONE.test(value)) {
      problem('phone', 'must be a phone number in international form such as "+39 051 123456" (digits, spaces, hyphens, parentheses; 6 to 32 characters).');
    } else columns.phone = value;
  }
  problems.push(...readMentoringFields(input, changes));
  return { changes, problems };
}
