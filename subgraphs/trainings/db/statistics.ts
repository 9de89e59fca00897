import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MAX_STATISTICS_CELLS } from '@talent-hub/subgraph-lib/disclosure';
import { filteredEvents, type EventFilter } from './repository.js';
import type { EventTable, TrainingsDatabase } from './types.js';

// Repository functions of the registration aggregates: `db` first, one SQL statement each, bounded results. They
// return raw counts; statistics.ts protects them (small-cell suppression) before anything leaves the subgraph.

type Db = Kysely<TrainingsDatabase>;

/** How registration statistics are grouped: by event kind, by region at a NUTS level (0 to 3), by start month. */
export interface StatisticsGrouping {
  eventKind: boolean;
  /** The NUTS level to group regions at; null when not grouped by region. */
  regionLevel: number | null;
  month: boolean;
}

/** One cell of registration statistics, before small-cell suppression (see statistics.ts). */
export interface RegistrationStatisticsRow {
  /** The cell's values of the grouped dimensions; null for a dimension not grouped by. */
  event_kind: EventTable['kind'] | null;
  region_code: string | null;
  month: string | null;
  /** Events in the cell, and the sum of the capacities of those that have one (null when none has). */
  events: number;
  capacity: number | null;
  /** Registrations of every status; attended = ATTENDED + COMPLETED; completed = COMPLETED. */
  registrations: number;
  attended: number;
  completed: number;
  /** Seat-holding registrations (REGISTERED, ATTENDED, COMPLETED) at the events that have a capacity. */
  seats_taken: number;
  /** completed / attended and seats_taken / capacity, exact decimals rounded to 4 places; null when undefined. */
  completion_rate: string | null;
  capacity_utilisation: string | null;
  /**
   * The key sums of registrations, attended, completed and seats_taken for the cell key method: per event, the
   * registrations counted in a status get one keyed hash of (salt, event, status, count) as the sum of their record
   * keys; a cell adds its events'. So the same events with the same counts always give the same answer, and one
   * registration more or less gives an independent perturbation.
   */
  registrations_key: number;
  attended_key: number;
  completed_key: number;
  seats_taken_key: number;
}

/** A grouping dimension's value, or null in every cell when not grouped by it (typed as the dimension's values). */
const dimension = <T,>(grouped: boolean, value: RawBuilder<T>) => (grouped ? sql<T | null>`${value}` : sql<T | null>`cast(null as text)`);

/**
 * Registration statistics of the events matching a filter, grouped; one statement. It reads the per-event
 * counts kept by triggers (event_registration_counts), one row per event, never the registrations themselves.
 * Returns at most `limit` cells, ordered by the grouped dimensions.
 */
export function registrationStatistics(
  db: Db,
  grouping: StatisticsGrouping,
  filter: EventFilter,
  salt: string,
  limit = MAX_STATISTICS_CELLS + 1,
): Promise<RegistrationStatisticsRow[]> {
  // hashtext is not a cryptographic hash, but keyed with a secret salt of 64 hex digits its values cannot be
  // computed by a caller; `& 255` keeps a record key's range (0..255).
  const keyOf = (label: string, count: RawBuilder<number>, where: RawBuilder<unknown> = sql`true`) =>
    sql<number>`coalesce(sum(case when coalesce(${count}, 0) = 0 or not (${where}) then 0
      else hashtext(${salt} || ':' || events.id || ${`:${label}:`} || (${count})::text) & 255 end), 0)`;
  const codeLength = grouping.regionLevel === null ? null : sql.lit(2 + grouping.regionLevel);
  const total = sql<number>`c.n_registered + c.n_waitlisted + c.n_attended + c.n_completed + c.n_cancelled`;
  const attended = sql<number>`c.n_attended + c.n_completed`;
  const seated = sql<number>`c.n_registered + c.n_attended + c.n_completed`;
  // Aliases differ from column names: GROUP BY would take `region_code` for the column, not the alias.
  const dimensions = [
    grouping.eventKind ? 'cell_kind' : null,
    codeLength ? 'cell_region' : null,
    grouping.month ? 'cell_month' : null,
  ].filter((d) => d !== null);
  return filteredEvents(db, filter)
    .leftJoin('event_registration_counts as c', 'c.event_id', 'events.id')
    .select([
      dimension(grouping.eventKind, sql<EventTable['kind']>`events.kind`).as('cell_kind'),
      // An event whose region is coarser than the level asked for (or that has none) has no region there.
      dimension(
        codeLength !== null,
        sql<string | null>`case when length(events.region_code) >= ${codeLength} then left(events.region_code, ${codeLength}) end`,
      ).as('cell_region'),
      dimension(grouping.month, sql<string>`to_char(events.starts_at at time zone 'UTC', 'YYYY-MM')`).as('cell_month'),
      sql<number>`count(*)`.as('events'),
      sql<number | null>`sum(events.capacity)`.as('capacity'),
      sql<number>`coalesce(sum(${total}), 0)`.as('registrations'),
      sql<number>`coalesce(sum(${attended}), 0)`.as('attended'),
      sql<number>`coalesce(sum(c.n_completed), 0)`.as('completed'),
      sql<number>`coalesce(sum(${seated}) filter (where events.capacity is not null), 0)`.as('seats_taken'),
      keyOf('registrations', total).as('registrations_key'),
      keyOf('attended', attended).as('attended_key'),
      keyOf('completed', sql<number>`c.n_completed`).as('completed_key'),
      keyOf('seats', seated, sql`events.capacity is not null`).as('seats_taken_key'),
      sql<string | null>`round(sum(c.n_completed)::numeric / nullif(sum(${attended}), 0), 4)`.as('completion_rate'),
      sql<string | null>`round(coalesce(sum(${seated}) filter (where events.capacity is not null), 0)::numeric
        / nullif(sum(events.capacity), 0), 4)`.as('capacity_utilisation'),
    ])
    .$if(dimensions.length > 0, (q) =>
      dimensions.reduce((acc, d) => acc.groupBy(sql.ref(d)).orderBy(sql.ref(d), (o) => o.nullsLast()), q),
    )
    .limit(limit)
    .execute()
    .then((rows) =>
      rows.map(({ cell_kind, cell_region, cell_month, ...counts }) => ({
        event_kind: cell_kind,
        region_code: cell_region,
        month: cell_month,
        ...counts,
      })),
    );
}
