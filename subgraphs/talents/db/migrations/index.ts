import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_talent_filters.js';
import * as m0003 from './0003_personal_data_consent_audit.js';
import * as m0004 from './0004_mentoring_exchanges.js';
import * as m0005 from './0005_affiliations.js';
import * as m0006 from './0006_disclosure_public_profiles.js';
import * as m0007 from './0007_statistics_rollups.js';

/** Every migration of this subgraph, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_talent_filters': m0002,
  '0003_personal_data_consent_audit': m0003,
  '0004_mentoring_exchanges': m0004,
  '0005_affiliations': m0005,
  '0006_disclosure_public_profiles': m0006,
  '0007_statistics_rollups': m0007,
};
