import { badUserInput } from '@talent-hub/platform/errors';

// Shapes of the identifiers the graph accepts. A value of the wrong shape is a client error (BAD_USER_INPUT);
// a well-shaped value that matches nothing is simply not found (null).

const NUTS_CODE = /^[A-Z]{2}[A-Z0-9]{0,3}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ESCO_SKILL_URI = /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;

function check(value: string, pattern: RegExp, argument: string, expected: string): string {
  if (value.length > 200 || !pattern.test(value)) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw badUserInput(`Argument "${argument}" must be ${expected}; got "${shown}".`, argument);
  }
  return value;
}

/** A NUTS 2024 code: two capital letters (country) and up to three more characters, e.g. ITH5 or IE041. */
export const parseNutsCode = (value: string, argument = 'code') =>
  check(value, NUTS_CODE, argument, 'a NUTS 2024 code such as "ITH5" (two capital letters, then up to 3 letters or digits)');

/** A slug id such as "cemr" or "eu-belong". */
export const parseSlug = (value: string, argument = 'id') =>
  check(value, SLUG, argument, 'a lowercase slug such as "eu-belong" (letters, digits and single hyphens)');

/** A lowercase UUID, the form of talent and registration ids. */
export const parseUuid = (value: string, argument = 'id') =>
  check(value, UUID, argument, 'a UUID such as "0b9c2a4e-1f3d-4c5b-8a7e-6d5c4b3a2f10" (lowercase)');

/** An ESCO skill URI. */
export const parseEscoSkillUri = (value: string, argument = 'uri') =>
  check(value, ESCO_SKILL_URI, argument, 'an ESCO skill URI such as "http://data.europa.eu/esco/skill/<uuid>"');

/** An ISO 3166-1 alpha-2 country code as NUTS writes it (EL for Greece). */
export const parseCountryCode = (value: string, argument = 'countryCode') =>
  check(value, COUNTRY_CODE, argument, 'an ISO 3166-1 alpha-2 code such as "IT" (NUTS uses "EL" for Greece)');

/** True for a lowercase UUID; for checks that must not throw, such as entity references from the gateway. */
export const isUuid = (value: string) => UUID.test(value);

/** Refuses a range whose start is not before its end; either end may be open. */
export function checkRange<T extends Date | string>(
  from: T | null | undefined,
  to: T | null | undefined,
  fromArgument: string,
  toArgument: string,
): void {
  if (from == null || to == null) return;
  const start = from instanceof Date ? from.getTime() : from;
  const end = to instanceof Date ? to.getTime() : to;
  if (start > end) throw badUserInput(`Argument "${fromArgument}" must not be after "${toArgument}".`, fromArgument);
}
