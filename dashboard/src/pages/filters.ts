import type { EventKind } from '../../generated/operations.js';
import type { Filter } from '../ui.js';

// Filters that two pages share.

const eventKinds: EventKind[] = ['TRAINING', 'MENTORING', 'EXCHANGE', 'WORKSHOP', 'CONFERENCE_SESSION', 'WEBINAR', 'STUDY_VISIT'];
export const kindFilter: Filter = { name: 'kind', label: 'Kind of event', fallback: '', options: [['', 'All kinds'], ...eventKinds.map((k) => [k, k.replace('_', ' ').toLowerCase()] as const)] };
export const regionFilter: Filter = { name: 'region', label: 'Region (NUTS code, with sub-regions)', fallback: '' };

/** A NUTS code typed by a user, checked before it goes to the graph. */
export function regionCode(value: string): string | null {
  const code = value.trim().toUpperCase();
  if (code === '') return null;
  if (!/^[A-Z]{2}[A-Z0-9]{0,3}$/.test(code)) throw new Error(`"${value}" is not a NUTS code (two letters, then up to three letters or digits, e.g. ITH5).`);
  return code;
}

/** A date from the URL (YYYY-MM-DD) as the start of that day in UTC, for DateTime arguments. */
export function dayStart(value: string): string | null {
  if (value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new Error(`"${value}" is not a date (YYYY-MM-DD).`);
  return `${value}T00:00:00Z`;
}
