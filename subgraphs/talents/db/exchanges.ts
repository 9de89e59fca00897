import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Page } from '@talent-hub/subgraph-lib/pagination';
import type { ExchangeStatus } from '../generated/enums.js';
import type { ExchangeTable, TalentsDatabase } from './types.js';

// Repository and writes of exchanges: `db` first, one SQL statement each, every list bounded.

type Db = Kysely<TalentsDatabase>;

/** Statuses of an exchange that still holds the talent's period (no other may overlap it). */
export const HOLDING_EXCHANGE_STATUSES = ['PROPOSED', 'ACCEPTED'] as const satisfies readonly ExchangeStatus[];

/** An exchange's sort key in the lists (earliest start first), as its cursor carries it. */
export const exchangeKey = (e: ExchangeTable) => [e.starts_on, e.id];

/** Rows strictly after a cursor in (starts_on, id) order: a row-value comparison an index on both can seek. */
const afterExchange = (after: readonly (string | number)[] | null): RawBuilder<unknown> =>
  after === null ? sql`` : sql`and (e.starts_on, e.id) > (cast(${after[0]} as date), cast(${after[1]} as uuid))`;

export function findExchanges(db: Db, ids: readonly string[]): Promise<ExchangeTable[]> {
  return db.selectFrom('exchanges').selectAll().where('id', 'in', [...ids]).execute();
}

export interface TalentExchangeFilter {
  status: ExchangeStatus | null;
  /** Only the exchanges this organisation hosts; all when null. */
  hostOrganisationId: string | null;
}

export type ExchangeOf = ExchangeTable & { parent_key: string };

function talentConditions(filter: TalentExchangeFilter): RawBuilder<unknown> {
  const parts = [
    filter.status === null ? null : sql`e.status = ${filter.status}`,
    filter.hostOrganisationId === null ? null : sql`e.host_organisation_id = ${filter.hostOrganisationId}`,
  ].filter((p) => p !== null);
  return parts.length === 0 ? sql`` : sql`and ${sql.join(parts, sql` and `)}`;
}

/** A page of exchanges per talent, earliest start first. */
export function listExchangesOfTalentsQuery(keys: readonly string[], filter: TalentExchangeFilter, page: Page) {
  return sql<ExchangeOf>`
    select p.*, k.key as parent_key
    from (select unnest(cast(${[...keys]} as text[])) as key) k
    cross join lateral (
      select e.* from exchanges e
      where e.talent_id = cast(k.key as uuid) ${talentConditions(filter)} ${afterExchange(page.after)}
      order by e.starts_on, e.id limit ${page.size + 1}
    ) p`;
}

export function listExchangesOfTalents(db: Db, keys: readonly string[], filter: TalentExchangeFilter, page: Page): Promise<ExchangeOf[]> {
  return listExchangesOfTalentsQuery(keys, filter, page).execute(db).then((r) => r.rows);
}

export function countExchangesOfTalents(db: Db, keys: readonly string[], filter: TalentExchangeFilter) {
  return sql<{ parent_key: string; count: number }>`
    select k.key as parent_key,
           (select cast(count(*) as integer) from exchanges e where e.talent_id = cast(k.key as uuid) ${talentConditions(filter)}) as count
    from (select unnest(cast(${[...keys]} as text[])) as key) k`
    .execute(db)
    .then((r) => r.rows);
}

/** Which exchanges an organisation's hosted list shows: overlapping a period (either end open), of a status. */
export interface HostedExchangeFilter {
  from: string | null;
  to: string | null;
  status: ExchangeStatus | null;
}

function hostedConditions(filter: HostedExchangeFilter): RawBuilder<unknown> {
  const parts = [
    filter.from === null ? null : sql`e.ends_on >= cast(${filter.from} as date)`,
    filter.to === null ? null : sql`e.starts_on <= cast(${filter.to} as date)`,
    filter.status === null ? null : sql`e.status = ${filter.status}`,
  ].filter((p) => p !== null);
  return parts.length === 0 ? sql`` : sql`and ${sql.join(parts, sql` and `)}`;
}

/**
 * A page of the exchanges each organisation hosts, earliest start first. The host index (host, start, id) gives the
 * order and bounds the start (`to`); the end (`from`) and the status are read from the index too.
 */
export function listHostedExchangesQuery(keys: readonly string[], filter: HostedExchangeFilter, page: Page) {
  return sql<ExchangeOf>`
    select p.*, k.key as parent_key
    from (select unnest(cast(${[...keys]} as text[])) as key) k
    cross join lateral (
      select e.* from exchanges e
      where e.host_organisation_id = k.key ${hostedConditions(filter)} ${afterExchange(page.after)}
      order by e.starts_on, e.id limit ${page.size + 1}
    ) p`;
}

export function listHostedExchanges(db: Db, keys: readonly string[], filter: HostedExchangeFilter, page: Page): Promise<ExchangeOf[]> {
  return listHostedExchangesQuery(keys, filter, page).execute(db).then((r) => r.rows);
}

export function countHostedExchangesQuery(keys: readonly string[], filter: HostedExchangeFilter) {
  return sql<{ parent_key: string; count: number }>`
    select k.key as parent_key,
           (select cast(count(*) as integer) from exchanges e where e.host_organisation_id = k.key ${hostedConditions(filter)}) as count
    from (select unnest(cast(${[...keys]} as text[])) as key) k`;
}

export function countHostedExchanges(db: Db, keys: readonly string[], filter: HostedExchangeFilter) {
  return countHostedExchangesQuery(keys, filter).execute(db).then((r) => r.rows);
}

/** The organisations hosting an exchange of each talent, distinct: what the list's policy needs. */
export function listHostOrganisationsQuery(talentIds: readonly string[]) {
  const ids = [...talentIds];
  // Per talent, one range of exchanges_talent_idx (the limit keeps it a per-talent probe rather than a join that
  // may read the whole table): never a scan of the table, however many talents.
  return sql<{ talent_id: string; host_organisation_id: string }>`
    select distinct k.key as talent_id, e.host_organisation_id
    from (select unnest(cast(${ids} as text[])) as key) k
    cross join lateral (select x.host_organisation_id from exchanges x where x.talent_id = cast(k.key as uuid) limit 1000) e
    order by 1, 2
    limit ${100 * ids.length}`;
}

export function listHostOrganisations(db: Db, talentIds: readonly string[]): Promise<{ talent_id: string; host_organisation_id: string }[]> {
  return listHostOrganisationsQuery(talentIds).execute(db).then((r) => r.rows);
}

// ---- Writes (in the mutation's transaction) ----------------------------------------------------------------------

/** Whether another PROPOSED or ACCEPTED exchange of the talent overlaps the days from `startsOn` to `endsOn`. */
export async function overlappingExchangeExists(db: Db, talentId: string, startsOn: string, endsOn: string): Promise<boolean> {
  const row = await db
    .selectFrom('exchanges')
    .select('id')
    .where('talent_id', '=', talentId)
    .where('status', 'in', [...HOLDING_EXCHANGE_STATUSES])
    .where('starts_on', '<=', endsOn)
    .where('ends_on', '>=', startsOn)
    .executeTakeFirst();
  return row !== undefined;
}

export function insertExchange(db: Db, row: ExchangeTable): Promise<ExchangeTable> {
  return db.insertInto('exchanges').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findExchange(db: Db, id: string): Promise<ExchangeTable | undefined> {
  return db.selectFrom('exchanges').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockExchange(db: Db, id: string): Promise<ExchangeTable | undefined> {
  return db.selectFrom('exchanges').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function setExchangeStatus(db: Db, id: string, status: ExchangeStatus): Promise<ExchangeTable> {
  return db.updateTable('exchanges').set({ status }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
