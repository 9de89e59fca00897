import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { SEAT_HOLDING } from './repository.js';
import type { EventRow, EventTable, RegistrationRow, TrainingsDatabase } from './types.js';
import type { RegistrationStatus } from '../generated/enums.js';

// Write-side repository functions of the `trainings` subgraph: `db` first (the mutation's transaction), one SQL
// statement each unless said otherwise. The mutations (mutations.ts) decide; these only read, lock and write.
//
// Locking order, the same in every mutation so that concurrent ones cannot deadlock: the talent's advisory lock
// (registration and erasure only), then event rows (in id order when several), then registration rows.

type Db = Kysely<TrainingsDatabase>;

/** The database's clock at the time of the read, so that "has it started" does not depend on a server's clock. */
export type LockedEvent = EventRow & { now: Date };

/**
 * Reads an event and locks its row until the transaction ends: every change to an event's registrations takes
 * this lock first, so they are decided one at a time per event (which is what keeps capacity under concurrency).
 */
export function lockEvent(db: Db, id: string): Promise<LockedEvent | undefined> {
  return db
    .selectFrom('events')
    .selectAll()
    .select(sql<Date>`clock_timestamp()`.as('now'))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Serialises the changes about one talent between registration (shared: registrations of different talents,
 * and of one talent for different events, run side by side) and erasure (exclusive), so that a registration
 * cannot slip in while the talent's data is being erased. A transaction-level advisory lock on a hash of the id:
 * it needs no row, and a collision between two ids only makes one wait a little.
 */
export async function lockTalent(db: Db, talentId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const key = sql`hashtextextended(${`trainings.talent:${talentId}`}, 0)`;
  await (mode === 'shared' ? sql`select pg_advisory_xact_lock_shared(${key})` : sql`select pg_advisory_xact_lock(${key})`).execute(db);
}

export async function isErased(db: Db, talentId: string): Promise<boolean> {
  const row = await db.selectFrom('erased_talents').select('talent_id').where('talent_id', '=', talentId).executeTakeFirst();
  return row !== undefined;
}

/** Inserts an event; false when the id is taken (nothing written). */
export async function insertEvent(db: Db, event: EventTable): Promise<boolean> {
  const inserted = await db
    .insertInto('events')
    .values(event)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function updateEvent(db: Db, id: string, changes: Partial<Omit<EventTable, 'id' | 'organiser_id'>>): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('events').set(changes).where('id', '=', id).execute();
}

/** Replaces an event's partner organisations (two statements: delete, then insert when any). */
export async function replacePartners(db: Db, eventId: string, organisationIds: readonly string[]): Promise<void> {
  await db.deleteFrom('event_partners').where('event_id', '=', eventId).execute();
  if (organisationIds.length === 0) return;
  await db.insertInto('event_partners').values(organisationIds.map((organisation_id) => ({ event_id: eventId, organisation_id }))).execute();
}

/** Replaces the skills an event teaches (two statements: delete, then insert when any). */
export async function replaceSkills(db: Db, eventId: string, skillUris: readonly string[]): Promise<void> {
  await db.deleteFrom('event_skills').where('event_id', '=', eventId).execute();
  if (skillUris.length === 0) return;
  await db.insertInto('event_skills').values(skillUris.map((skill_uri) => ({ event_id: eventId, skill_uri }))).execute();
}

export async function markEventCancelled(db: Db, id: string): Promise<void> {
  await db.updateTable('events').set({ cancelled_at: sql<Date>`clock_timestamp()` }).where('id', '=', id).execute();
}

/** Cancels the REGISTERED and WAITLISTED registrations of an event; attended and completed ones are history. */
export async function cancelOpenRegistrations(db: Db, eventId: string): Promise<number> {
  const result = await db
    .updateTable('registrations')
    .set({ status: 'CANCELLED', updated_at: sql<Date>`clock_timestamp()` })
    .where('event_id', '=', eventId)
    .where('status', 'in', ['REGISTERED', 'WAITLISTED'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A talent's registration for an event, locked until the transaction ends. */
export function lockRegistration(db: Db, eventId: string, talentId: string): Promise<RegistrationRow | undefined> {
  return db
    .selectFrom('registrations')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('talent_id', '=', talentId)
    .forUpdate()
    .executeTakeFirst();
}

/** A registration by its id, without a lock (to find the event whose lock comes first). */
export function findRegistrationById(db: Db, id: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A registration by its id, locked until the transaction ends (after its event's lock: see the locking order). */
export function lockRegistrationById(db: Db, id: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('registrations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Sets a registration's status and days of attendance and completion; returns it as it is then. */
export function recordAttendance(
  db: Db,
  id: string,
  values: { status: 'ATTENDED' | 'COMPLETED'; attended_on: string; completed_on: string | null },
): Promise<RegistrationRow> {
  return db
    .updateTable('registrations')
    .set({ ...values, updated_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** How many registrations of an event hold a seat, and how many wait for one. */
export async function seatState(db: Db, eventId: string): Promise<{ taken: number; waiting: number }> {
  const { rows } = await sql<{ taken: number; waiting: number }>`
    select count(*) filter (where status in (${sql.join(SEAT_HOLDING)})) as taken,
           count(*) filter (where status = 'WAITLISTED') as waiting
    from registrations where event_id = ${eventId}`.execute(db);
  return rows[0]!;
}

/**
 * The instant of a new arrival in an event's line: the database's clock, but always at least a millisecond after
 * the event's latest registration. Arrivals are decided one at a time under the event's lock, and instants are
 * kept to the millisecond, so without this two arrivals in the same millisecond would be ordered by their random
 * ids instead of by arrival.
 */
const arrival = (eventId: string) => sql<Date>`(
  select greatest(date_trunc('milliseconds', clock_timestamp()), max(registered_at) + interval '1 millisecond')
  from registrations where event_id = ${eventId})`;

/** A talent's registration for an event, without a lock. */
export function findRegistration(db: Db, eventId: string, talentId: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('registrations').selectAll().where('event_id', '=', eventId).where('talent_id', '=', talentId).executeTakeFirst();
}

/**
 * Registers a talent arriving now (see `arrival`), in one statement: a new registration, or a CANCELLED one made
 * new again (a new arrival, for the organisation given). Its status is decided in the same statement: REGISTERED
 * while the event's seat-holding registrations are fewer than its capacity (or it has none), WAITLISTED
 * otherwise. Returns nothing when the talent already holds a registration that is not cancelled.
 *
 * The caller must hold the event's lock, taken by an earlier statement: in READ COMMITTED each statement sees
 * what was committed before it started, so this count includes every registration decided before the lock was
 * granted (a count in the statement that takes the lock would see only what was committed when it began waiting).
 */
export async function registerArrival(
  db: Db,
  registration: { eventId: string; talentId: string; organisationId: string; talentOrganisationId: string },
): Promise<(RegistrationRow & { inserted: boolean }) | undefined> {
  const { eventId, talentId, organisationId, talentOrganisationId } = registration;
  const { rows } = await sql<RegistrationRow & { inserted: boolean }>`
    insert into registrations as r (id, event_id, talent_id, status, registered_at, updated_at, registered_by_organisation_id, talent_organisation_id)
    select cast(${randomUUID()} as uuid), e.id, cast(${talentId} as uuid),
      case when e.capacity is null or (
        select count(*) from registrations s where s.event_id = e.id and s.status in (${sql.join(SEAT_HOLDING)})
      ) < e.capacity then 'REGISTERED' else 'WAITLISTED' end,
      a.at, a.at, cast(${organisationId} as text), cast(${talentOrganisationId} as text)
    from events e cross join (select ${arrival(eventId)} as at) a
    where e.id = ${eventId}
    on conflict (event_id, talent_id) do update set
      status = excluded.status, registered_at = excluded.registered_at, updated_at = excluded.updated_at,
      registered_by_organisation_id = excluded.registered_by_organisation_id,
      talent_organisation_id = coalesce(r.talent_organisation_id, excluded.talent_organisation_id)
      where r.status = 'CANCELLED'
    returning r.*, (r.xmax = 0) as inserted`.execute(db);
  return rows[0];
}

export function setRegistrationStatus(db: Db, id: string, status: RegistrationStatus): Promise<RegistrationRow> {
  return db
    .updateTable('registrations')
    .set({ status, updated_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Fills the free seats of events from their waitlists, first in line first, in one statement; returns how many
 * registrations it moved to REGISTERED. Free seats: capacity minus seat-holding registrations (all the waitlist
 * when the capacity is unlimited). Only for scheduled events that have not started: a seat that frees up at a
 * cancelled or running event goes to nobody. The caller holds the events' locks.
 */
export async function promoteWaitlisted(db: Db, eventIds: readonly string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const result = await sql`
    update registrations as r set status = 'REGISTERED', updated_at = clock_timestamp()
    from (
      select w.id
      from events e
      cross join lateral (
        select count(*) as taken from registrations s
        where s.event_id = e.id and s.status in (${sql.join(SEAT_HOLDING)})
      ) t
      cross join lateral (
        select q.id from registrations q
        where q.event_id = e.id and q.status = 'WAITLISTED'
        order by q.registered_at, q.id
        limit case when e.capacity is null then null else greatest(e.capacity - t.taken, 0) end
      ) w
      where e.id in (${sql.join([...eventIds])}) and e.cancelled_at is null and e.starts_at > clock_timestamp()
    ) as p
    where r.id = p.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Locks the events a talent holds registrations for, in id order (see the locking order above). */
export async function lockEventsOfTalent(db: Db, talentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('id')
    .where('id', 'in', (eb) => eb.selectFrom('registrations').select('event_id').where('talent_id', '=', talentId))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes a talent's registrations; returns the event and former status of each. */
export function deleteRegistrationsOfTalent(db: Db, talentId: string): Promise<{ event_id: string; status: string }[]> {
  return db.deleteFrom('registrations').where('talent_id', '=', talentId).returning(['event_id', 'status']).execute();
}

/** Records that a talent was erased (once; a second erasure keeps the first instant). */
export async function recordErasure(db: Db, talentId: string): Promise<void> {
  await db.insertInto('erased_talents').values({ talent_id: talentId }).onConflict((oc) => oc.column('talent_id').doNothing()).execute();
}

// ---- Reconciliation of registrations made before talents were checked (reconcile.ts, migration 0006) ----------

/** Whether a registration of this status holds a seat. */
export const holdsSeat = (status: string) => (SEAT_HOLDING as string[]).includes(status);

/** Up to `limit` talent ids that have registrations not verified yet, in id order (the partial index of 0006). */
export async function unverifiedTalentIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('registrations')
    .select('talent_id')
    .distinct()
    .where('talent_organisation_id', 'is', null)
    .orderBy('talent_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.talent_id);
}

/** Gives the unverified registrations of talents their owning organisation, in one statement; returns how many. */
export async function setTalentOrganisations(db: Db, owners: readonly { talentId: string; organisationId: string }[]): Promise<number> {
  if (owners.length === 0) return 0;
  const result = await sql`
    update registrations as r set talent_organisation_id = v.organisation_id
    from unnest(cast(${owners.map((o) => o.talentId)} as uuid[]), cast(${owners.map((o) => o.organisationId)} as text[])) as v (talent_id, organisation_id)
    where r.talent_id = v.talent_id and r.talent_organisation_id is null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The exclusive advisory locks of several talents (see lockTalent), in id order, in one statement. */
export async function lockTalents(db: Db, talentIds: readonly string[]): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('trainings.talent:' || t.id, 0))
    from unnest(cast(${[...talentIds].sort()} as text[])) as t (id) order by t.id`.execute(db);
}

/** Locks, in id order, the events where these talents hold unverified registrations. */
export async function lockEventsOfUnverified(db: Db, talentIds: readonly string[]): Promise<void> {
  await db
    .selectFrom('events')
    .select('id')
    .where('id', 'in', (eb) =>
      eb.selectFrom('registrations').select('event_id').where('talent_id', 'in', [...talentIds]).where('talent_organisation_id', 'is', null),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Deletes the unverified registrations of these talents; returns each one's id, event and former status. */
export function deleteUnverifiedRegistrations(db: Db, talentIds: readonly string[]): Promise<{ id: string; event_id: string; status: string }[]> {
  return db
    .deleteFrom('registrations')
    .where('talent_id', 'in', [...talentIds])
    .where('talent_organisation_id', 'is', null)
    .returning(['id', 'event_id', 'status'])
    .execute();
}
