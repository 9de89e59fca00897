import type { StoreConfig } from '@talent-hub/subgraph-lib/db';
import { prepareDatabase, type AnySubgraph } from '@talent-hub/subgraph-lib/subgraph';
import { exchangeIdRange, mentorshipIdRange, registrationIdRange, talentIdRange, GENERATED_EVENT_PREFIX } from './ids.js';
import { openPgliteWriter } from './pglite-writer.js';
import { openPostgresWriter } from './postgres-writer.js';
import type { Writer } from './writer.js';

/** Migrates the subgraph's database (so indexes added by later migrations exist) and loads its demo seed if missing. */
export async function prepare(subgraph: AnySubgraph, store: StoreConfig): Promise<void> {
  const database = await prepareDatabase(subgraph, store, { seed: true });
  await database.close();
}

export const openWriter = (store: StoreConfig): Promise<Writer> =>
  store.kind === 'postgres' ? openPostgresWriter(store.url) : openPgliteWriter(store.dataDir);

/** Starts the load's transaction; fails at once if another generator is loading the same database. */
export async function begin(writer: Writer, name: string): Promise<void> {
  await writer.query('begin');
  const [lock] = await writer.query<{ locked: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as locked', [
    `talent-hub:data-generate:${name}`,
  ]);
  if (!lock?.locked) throw new Error(`Another data:generate run is loading the ${name} database; wait for it to finish.`);
}

/**
 * Talents: the statistics rollups (migration 0007) are not maintained row by row during the load; the triggers only
 * mark them stale (readers use the raw statement meanwhile), and finishLoad rebuilds them once.
 */
export async function deferRollups(writer: Writer, name: string): Promise<void> {
  if (name === 'talents') await writer.query("set local talent_hub.rollups = 'deferred'");
}

/** The last step of a load before its commit: talents rebuilds the statistics rollups deferred by deferRollups. */
export async function finishLoad(writer: Writer, name: string): Promise<void> {
  if (name === 'talents') await writer.query('select talent_statistics_rebuild()');
}

export interface Counted {
  name: 'talents' | 'trainings';
  table: string;
  rows: number;
}

// Generated rows are found by their id scheme only (ids.ts): a demo-seed row never matches.
const talentRange = `between '${talentIdRange[0]}' and '${talentIdRange[1]}'`;
const registrationRange = `between '${registrationIdRange[0]}' and '${registrationIdRange[1]}'`;
const mentorshipRange = `between '${mentorshipIdRange[0]}' and '${mentorshipIdRange[1]}'`;
const exchangeRange = `between '${exchangeIdRange[0]}' and '${exchangeIdRange[1]}'`;

/**
 * Talents: children before parents, so that no cascade has to find them row by row.
 * Trainings: events first; their registrations, partners, skills, agenda and counts go by cascade. That is the
 * path the registration-count triggers (migration 0002) are written for: they skip registrations of deleted
 * events. The registration range comes last, for any registration not found that way (normally none).
 */
const REMOVALS: Record<'talents' | 'trainings', [table: string, where: string][]> = {
  talents: [
    ['affiliations', `talent_id ${talentRange}`],
    ['mentorship_goals', `mentorship_id ${mentorshipRange}`],
    ['mentorships', `id ${mentorshipRange}`],
    ['exchanges', `id ${exchangeRange}`],
    ['talent_learning_goals', `talent_id ${talentRange}`],
    ['residence_periods', `talent_id ${talentRange}`],
    ['talent_languages', `talent_id ${talentRange}`],
    ['talent_skills', `talent_id ${talentRange}`],
    ['talents', `id ${talentRange}`],
  ],
  trainings: [
    ['events', `left(id, ${GENERATED_EVENT_PREFIX.length}) = '${GENERATED_EVENT_PREFIX}'`],
    ['registrations', `id ${registrationRange}`],
  ],
};

/** How many generated rows the database holds, by main table. */
export async function countGenerated(writer: Writer, name: 'talents' | 'trainings'): Promise<Counted[]> {
  const tables = name === 'talents' ? ['talents'] : ['events', 'registrations'];
  const counted: Counted[] = [];
  for (const [table, where] of REMOVALS[name]) {
    if (!tables.includes(table)) continue;
    const [row] = await writer.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`);
    counted.push({ name, table, rows: row?.n ?? 0 });
  }
  return counted;
}

/** Deletes the generated rows, inside the load's transaction. */
export async function removeGenerated(writer: Writer, name: 'talents' | 'trainings'): Promise<void> {
  for (const [table, where] of REMOVALS[name]) await writer.query(`delete from ${table} where ${where}`);
}
