import { sql, type Kysely } from 'kysely';
import type { StoreConfig } from '@talent-hub/subgraph-lib/db';
import type { Identity } from '@talent-hub/platform/identity';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';
import type { TrainingsDatabase } from '../db/types.js';

// Support for this subgraph's write tests: the stores to run them on, and checks of the stored state.

export interface TestStore {
  name: 'pglite' | 'postgres';
  create(): Promise<{ store: StoreConfig; drop(): Promise<void> }>;
}

/** PGlite in memory always; PostgreSQL too when TEST_DATABASE_URL is set, in a fresh database dropped after. */
export function testStores(): TestStore[] {
  const stores: TestStore[] = [
    { name: 'pglite', create: async () => ({ store: { kind: 'pglite', dataDir: undefined }, drop: async () => {} }) },
  ];
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) stores.push({ name: 'postgres', create: () => createTestDatabase(serverUrl, 'trainings') });
  return stores;
}

/** The identity the talents subgraph uses when it passes on an erasure. */
export const talentsService: Identity = { subject: 'talents-subgraph', organisationId: '', roles: ['service'] };

/** A talent id for tests: a valid UUID made from a number. */
export const testTalentId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

type Counts = Record<string, number[]>;

/**
 * The registration counts kept by the triggers (migration 0002) and the same counts recounted from the
 * registrations, leaving out events whose counts are all zero; equal when the triggers kept up.
 */
export async function registrationCounts(db: Kysely<TrainingsDatabase>): Promise<{ kept: Counts; recounted: Counts }> {
  const kept = await sql<{ event_id: string; counts: number[] }>`
    select event_id, array[n_registered, n_waitlisted, n_attended, n_completed, n_cancelled] as counts
    from event_registration_counts order by event_id`.execute(db);
  const recounted = await sql<{ event_id: string; counts: number[] }>`
    select event_id, array[
      count(*) filter (where status = 'REGISTERED'), count(*) filter (where status = 'WAITLISTED'),
      count(*) filter (where status = 'ATTENDED'), count(*) filter (where status = 'COMPLETED'),
      count(*) filter (where status = 'CANCELLED')]::int[] as counts
    from registrations group by event_id order by event_id`.execute(db);
  const toMap = (rows: { event_id: string; counts: number[] }[]) =>
    Object.fromEntries(rows.filter((r) => r.counts.some((n) => Number(n) !== 0)).map((r) => [r.event_id, r.counts.map(Number)]));
  return { kept: toMap(kept.rows), recounted: toMap(recounted.rows) };
}

/** Everything the mutations may write, as text, to show that a refused mutation changed nothing. */
export async function snapshot(db: Kysely<TrainingsDatabase>): Promise<string> {
  const tables = ['events', 'event_partners', 'event_skills', 'registrations', 'event_registration_counts', 'erased_talents', 'audit_log'];
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql`select to_jsonb(t)::text as row from ${sql.table(table)} t order by 1`.execute(db);
    parts.push(`${table}: ${rows.map((r: any) => r.row).join('\n')}`);
  }
  return parts.join('\n\n');
}
