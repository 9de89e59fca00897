import { DEFAULT_MIGRATION_TABLE, sql, type Kysely, type Migration } from 'kysely';
import type { ReadinessReport } from '@talent-hub/platform/http-front';

// Readiness of a subgraph: may a load balancer send it requests? Only when its database answers and holds the
// schema this build expects. Liveness (GET /health) asks nothing of the database: a database outage must take
// replicas out of rotation, not make the orchestrator restart them all.

export type Readiness =
  | { ready: true }
  | { ready: false; reason: string; pendingMigrations?: string[] };

export interface ReadinessCheck {
  (): Promise<Readiness>;
}

/**
 * Checks that the database answers `select 1` within `timeoutMs`, and that every migration of this build has
 * been applied. Migrations applied that this build does not know do not make it unready: during a rolling
 * deployment the new version migrates first (adding, never breaking, as migrations here do) while the old
 * replicas still serve. Concurrent probes share one check, so a slow database is not sent a pile of them.
 */
export function createReadinessCheck(db: Kysely<any>, migrations: Record<string, Migration>, options: { timeoutMs: number }): ReadinessCheck {
  const expected = Object.keys(migrations).sort();
  let running: Promise<Readiness> | undefined;

  const check = async (): Promise<Readiness> => {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      return { ready: false, reason: `database did not answer: ${messageOf(error)}` };
    }
    let applied: Set<string>;
    try {
      const rows = await db.selectFrom(DEFAULT_MIGRATION_TABLE).select('name').execute();
      applied = new Set(rows.map((row: { name: string }) => row.name));
    } catch (error) {
      return { ready: false, reason: `applied migrations could not be read: ${messageOf(error)}` };
    }
    const pending = expected.filter((name) => !applied.has(name));
    if (pending.length > 0) {
      return { ready: false, reason: `database schema is behind: ${pending.length} migration(s) not applied`, pendingMigrations: pending };
    }
    return { ready: true };
  };

  return () =>
    (running ??= withTimeout(check(), options.timeoutMs).finally(() => {
      running = undefined;
    }));
}

function withTimeout(check: Promise<Readiness>, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `database did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // A driver's message, cut short: enough to tell a refused connection from a closed pool, nothing more.
  return message.length > 200 ? `${message.slice(0, 200)}...` : message;
}

/** A readiness check's result as the HTTP front reports it on GET /ready. */
export function readinessReport(readiness: Readiness): ReadinessReport {
  if (readiness.ready) return { ready: true, reasons: [] };
  return { ready: false, reasons: [readiness.reason], ...(readiness.pendingMigrations ? { details: { pendingMigrations: readiness.pendingMigrations } } : {}) };
}
