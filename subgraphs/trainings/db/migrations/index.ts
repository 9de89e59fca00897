import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_event_filters_and_registration_counts.js';
import * as m0003 from './0003_writes_waitlist_audit_erasure.js';
import * as m0004 from './0004_attendance_completion.js';
import * as m0006 from './0006_registration_talent_organisation.js';

/** Every migration of this subgraph, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_event_filters_and_registration_counts': m0002,
  '0003_writes_waitlist_audit_erasure': m0003,
  '0004_attendance_completion': m0004,
  '0006_registration_talent_organisation': m0006,
};
