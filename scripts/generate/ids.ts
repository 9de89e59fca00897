// Ids of generated rows. They follow their own scheme, distinct from the demo seed's hashed ids, so that a re-run
// can find and remove exactly the generated rows (by primary-key range) and never touch the demo seed.
//
// Generated UUIDs are sequential within a fixed prefix rather than hashed: COPY then appends to the primary-key
// index instead of writing all over it, which loads 1M registrations about 1.6x faster on PostgreSQL.

/** First group of every generated UUID; no demo-seed id starts with it (a test checks). */
export const GENERATED_UUID_PREFIX = '9e4e7a7e';
/** Every generated event id starts with this; demo events are `demo-…` or named after the real event. */
export const GENERATED_EVENT_PREFIX = 'generated-';

const TALENT_KIND = '0001';
const REGISTRATION_KIND = '0002';
const MENTORSHIP_KIND = '0003';
const EXCHANGE_KIND = '0004';

const uuid = (kind: string, index: number) =>
  `${GENERATED_UUID_PREFIX}-${kind}-4000-8000-${index.toString(16).padStart(12, '0')}`;

/** The id of the n-th generated talent (version 4 layout, lowercase, as the subgraphs expect). */
export const generatedTalentId = (index: number) => uuid(TALENT_KIND, index);
export const generatedRegistrationId = (index: number) => uuid(REGISTRATION_KIND, index);
export const generatedMentorshipId = (index: number) => uuid(MENTORSHIP_KIND, index);
export const generatedExchangeId = (index: number) => uuid(EXCHANGE_KIND, index);
/** Zero-padded so that ids sort in generation order (registrations are loaded event by event). */
export const generatedEventId = (index: number) => `${GENERATED_EVENT_PREFIX}${String(index + 1).padStart(7, '0')}`;

/** Inclusive bounds of a kind's ids, for `between` on the primary key. */
const range = (kind: string): [string, string] => [
  `${GENERATED_UUID_PREFIX}-${kind}-4000-8000-000000000000`,
  `${GENERATED_UUID_PREFIX}-${kind}-4000-8000-ffffffffffff`,
];
export const talentIdRange = range(TALENT_KIND);
export const registrationIdRange = range(REGISTRATION_KIND);
export const mentorshipIdRange = range(MENTORSHIP_KIND);
export const exchangeIdRange = range(EXCHANGE_KIND);
