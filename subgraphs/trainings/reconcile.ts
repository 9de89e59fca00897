import { writeAudit } from '@talent-hub/subgraph-lib/audit';
import type { Logger } from '@talent-hub/platform/logging';
import type { Identity } from '@talent-hub/platform/identity';
import type { Peers } from '@talent-hub/subgraph-lib/peers';
import * as writes from './db/writes.js';
import type { TrainingsDatabase } from './db/types.js';
import { PeerUnavailable, talentRights } from './peer-checks.js';
import type { Kysely } from 'kysely';

// Registrations written before registerForEvent asked the talents subgraph (migration 0006 left their
// `talent_organisation_id` null) are reconciled here: talents is asked about their talent ids in batches; rows of
// talents that exist get the owning organisation, and rows of ids no talent has (made-up ids registered before the
// check; an erased talent whose erasure has not reached trainings yet) are removed: they stop counting against
// capacity, the waitlists move up and one audit row per removed registration records it. Rows made since carry the
// organisation from the start, so once the old rows are done there is nothing left to reconcile.

type Db = Kysely<TrainingsDatabase>;

/** The actor of the reconciliation's audit rows: this subgraph itself. */
const RECONCILIATION: Identity = { subject: 'trainings-reconciliation', organisationId: '', roles: ['service'] };

export interface ReconcileResult {
  /** Registrations whose talent exists, now carrying its organisation. */
  verified: number;
  /** Registrations of ids no talent has, removed. */
  removed: number;
  /** Waitlisted registrations given the seats the removed ones held. */
  promoted: number;
}

/**
 * Reconciles every unverified registration, `batch` talent ids per call to talents (one SQL statement to find
 * them, one to fill the verified ones, and a short transaction for the phantoms of each batch). Throws
 * PeerUnavailable when talents does not answer: what was done stays done, the rest waits for the next attempt.
 */
export async function reconcileRegistrations(db: Db, peers: Peers, options: { batch?: number } = {}): Promise<ReconcileResult> {
  const batch = options.batch ?? 500;
  const result: ReconcileResult = { verified: 0, removed: 0, promoted: 0 };
  for (;;) {
    const ids = await writes.unverifiedTalentIds(db, batch);
    if (ids.length === 0) return result;
    const rights = await talentRights(peers, ids, []);
    const owners = ids.flatMap((id) => {
      const right = rights.get(id);
      return right?.exists && right.organisationId ? [{ talentId: id, organisationId: right.organisationId }] : [];
    });
    // An id talents did not mention is left alone: only a clear "no such talent" removes anything.
    const phantoms = ids.filter((id) => rights.get(id)?.exists === false);
    result.verified += await writes.setTalentOrganisations(db, owners);
    if (phantoms.length > 0) {
      const { removed, promoted } = await removePhantoms(db, phantoms);
      result.removed += removed;
      result.promoted += promoted;
    }
    // Ids that neither got an owner nor were removed would be found again forever: stop instead.
    if (owners.length + phantoms.length < ids.length) return result;
  }
}

async function removePhantoms(db: Db, talentIds: string[]): Promise<{ removed: number; promoted: number }> {
  return db.transaction().execute(async (trx) => {
    // The locking order of every write here: talents' locks, then events in id order, then registrations.
    await writes.lockTalents(trx, talentIds);
    await writes.lockEventsOfUnverified(trx, talentIds);
    const deleted = await writes.deleteUnverifiedRegistrations(trx, talentIds);
    const freed = [...new Set(deleted.filter((r) => writes.holdsSeat(r.status)).map((r) => r.event_id))];
    const promoted = await writes.promoteWaitlisted(trx, freed);
    for (const row of deleted) {
      await writeAudit(trx, { identity: RECONCILIATION }, { action: 'registration.remove-unknown-talent', entityType: 'Registration', entityId: row.id });
    }
    return { removed: deleted.length, promoted };
  });
}

export interface ReconciliationOptions {
  logger: Logger;
  /** First wait after talents did not answer; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  batch?: number;
}

/**
 * Runs the reconciliation when the subgraph starts, in the background: at once, then again after a growing wait
 * while talents does not answer (it may start after trainings), until no unverified registration is left. A store
 * without any (every one made since migration 0006, the demo seed's) costs one statement.
 */
export function startReconciliation(db: Db, peers: Peers, options: ReconciliationOptions): { stop(): Promise<void> } {
  const maxRetryMs = options.maxRetryMs ?? 300_000;
  let waitMs = options.retryMs ?? 5_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const attempt = () => {
    running = reconcileRegistrations(db, peers, { batch: options.batch })
      .then((result) => {
        if (result.verified + result.removed > 0) options.logger.info({ ...result }, 'registrations reconciled with the talents subgraph');
      })
      .catch((error: unknown) => {
        if (stopped) return;
        const reason = error instanceof PeerUnavailable ? 'the talents subgraph did not answer' : (error as Error).message;
        options.logger.warn({ reason, retryInMs: waitMs }, 'registration reconciliation not finished; will retry');
        timer = setTimeout(attempt, waitMs);
        waitMs = Math.min(waitMs * 2, maxRetryMs);
      });
  };
  attempt();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
