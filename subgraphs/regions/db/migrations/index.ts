import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_programme_filters.js';
import * as m0003 from './0003_audit_log.js';
import * as m0004 from './0004_networks.js';

/** Every migration of this subgraph, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_programme_filters': m0002,
  '0003_audit_log': m0003,
  '0004_networks': m0004,
};
