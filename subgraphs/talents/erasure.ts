import { sql, type Kysely } from 'kysely';
import type { Logger } from '@talent-hub/platform/logging';
import type { Peers } from '@talent-hub/subgraph-lib/peers';
import type { TalentsDatabase } from './db/types.js';

// Erasure across subgraphs. eraseTalent deletes the talent here and, in the same transaction, writes one outbox row
// per subgraph below; after the commit it delivers them at once (deliverErasures), and the background loop
// (startErasureDelivery) retries whatever could not be delivered, with backoff, until each subgraph confirms.
// Outbox rows are claimed with a lease (`next_attempt_at`, `for update skip locked`), so replicas and the loop
// never call for the same row at the same time; a call may still repeat after a crash, which the receiving
// mutation tolerates (erasing what is already gone changes nothing).

/** The subgraphs that hold data about talents and must forget an erased one: the one list to extend. */
export const ERASURE_SUBGRAPHS: readonly string[] = ['trainings'];

/** The operation each of them serves (`@inaccessible`, for the `service` role only). */
export const ERASE_OPERATION = 'mutation ($id: ID!) { eraseTalentData(talentId: $id) }';

/** How long a claimed row is left to its caller before another may try: well above a peer call's timeout. */
const LEASE_SECONDS = 60;
/** Backoff after the n-th failed attempt: 5 s, 10 s, 20 s ... at most an hour. Erasure never gives up. */
export const backoffSeconds = (attempts: number) => Math.min(5 * 2 ** Math.max(0, attempts - 1), 3600);

export interface DeliveryResult {
  talentId: string;
  subgraph: string;
  delivered: boolean;
  attempts: number;
}

type Db = Kysely<TalentsDatabase>;

/** Claims due outbox rows (of one talent, or any), at most `limit`, and leases them to this caller. */
async function claim(db: Db, limit: number, talentId?: string) {
  const talent = talentId === undefined ? sql`` : sql`and talent_id = ${talentId}::uuid`;
  const { rows } = await sql<{ talent_id: string; subgraph: string; attempts: number }>`
    update erasure_outbox o set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
    where (o.talent_id, o.subgraph) in (
      select talent_id, subgraph from erasure_outbox
      where delivered_at is null and next_attempt_at <= now() ${talent}
      order by next_attempt_at, talent_id, subgraph
      limit ${limit}
      for update skip locked)
    returning o.talent_id, o.subgraph, o.attempts`.execute(db);
  return rows;
}

class Stopped extends Error {}

/** Resolves with the call, or rejects with Stopped as soon as `signal` aborts (the lease then lapses and a later round retries). */
function unlessStopped<T>(call: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return call;
  if (signal.aborted) return Promise.reject(new Stopped());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Delivers due outbox rows: claims them, calls each subgraph, and records the outcome (delivered, or the error
 * and the time of the next attempt). Returns what it tried; stops without recording once `signal` aborts.
 */
export async function deliverErasures(
  db: Db,
  peers: Peers,
  options: { limit: number; talentId?: string; signal?: AbortSignal },
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (const row of await claim(db, options.limit, options.talentId)) {
    if (options.signal?.aborted) break;
    try {
      await unlessStopped(peers.call(row.subgraph, ERASE_OPERATION, { id: row.talent_id }), options.signal);
      await db
        .updateTable('erasure_outbox')
        .set({ delivered_at: new Date(), last_error: null })
        .where('talent_id', '=', row.talent_id)
        .where('subgraph', '=', row.subgraph)
        .execute();
      results.push({ talentId: row.talent_id, subgraph: row.subgraph, delivered: true, attempts: row.attempts });
    } catch (error) {
      if (error instanceof Stopped) break;
      await db
        .updateTable('erasure_outbox')
        .set({
          last_error: String((error as Error).message ?? error).slice(0, 500),
          next_attempt_at: sql<Date>`now() + make_interval(secs => ${backoffSeconds(row.attempts)})`,
        })
        .where('talent_id', '=', row.talent_id)
        .where('subgraph', '=', row.subgraph)
        .execute();
      results.push({ talentId: row.talent_id, subgraph: row.subgraph, delivered: false, attempts: row.attempts });
    }
  }
  return results;
}

/** When the next pending row falls due, or null when nothing is pending. */
async function nextDue(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('erasure_outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('due'))
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return row?.due ? new Date(row.due as unknown as string | Date) : null;
}

// Mutations of this process tell its loop that an immediate delivery failed, so that the loop looks again soon
// instead of at its next full check. Only a hint: other replicas' rows are found by the periodic check.
const hints = new WeakMap<object, () => void>();
export function notePendingErasure(db: Db): void {
  hints.get(db)?.();
}

export interface ErasureDeliveryOptions {
  logger: Pick<Logger, 'info' | 'warn'>;
  /** How often the loop wakes up (a few seconds). */
  tickMs?: number;
  /** How often it reads the outbox when it knows of nothing due (finds rows other replicas left). */
  checkMs?: number;
  /** Most rows one round attempts. */
  batch?: number;
}

/**
 * The background delivery loop: every `tickMs` it delivers the rows that are due, at most `batch` per round. It
 * reads the outbox at start, when a row it knows of falls due, when a mutation hints, and every `checkMs`
 * otherwise, so an idle subgraph sends no statement every few seconds. `stop()` ends it promptly: an in-flight
 * call is abandoned (its lease lapses and a later round retries it).
 */
export function startErasureDelivery(db: Db, peers: Peers, options: ErasureDeliveryOptions): { stop(): Promise<void> } {
  const tickMs = options.tickMs ?? 3_000;
  const checkMs = options.checkMs ?? 60_000;
  const batch = options.batch ?? 20;
  const abort = new AbortController();
  let dueAt = 0; // when to read the outbox next (ms since epoch); 0: at once
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  hints.set(db, () => {
    dueAt = 0;
  });

  const round = async () => {
    if (Date.now() < dueAt) return;
    try {
      const results = await deliverErasures(db, peers, { limit: batch, signal: abort.signal });
      if (abort.signal.aborted) return;
      for (const r of results.filter((r) => !r.delivered)) {
        // The id alone, never anything about the person.
        options.logger.warn({ talentId: r.talentId, subgraph: r.subgraph, attempts: r.attempts }, 'talent erasure not delivered yet; will retry');
      }
      const delivered = results.filter((r) => r.delivered).length;
      if (delivered > 0) options.logger.info({ delivered }, 'talent erasures delivered');
      if (results.length >= batch) dueAt = 0; // more may be due: next tick
      else {
        const next = await nextDue(db);
        dueAt = Math.min(next ? next.getTime() : Infinity, Date.now() + checkMs);
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      options.logger.warn({ error: (error as Error).message }, 'talent erasure delivery round failed; will retry');
      dueAt = Date.now() + tickMs;
    }
  };
  const tick = () => {
    running = round().finally(() => {
      if (!abort.signal.aborted) timer = setTimeout(tick, tickMs);
    });
  };
  tick();
  return {
    async stop() {
      abort.abort();
      clearTimeout(timer);
      hints.delete(db);
      await running;
    },
  };
}
