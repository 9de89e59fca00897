import { sql, type Kysely } from 'kysely';
import type { Identity } from '@talent-hub/platform/identity';

// Every write leaves one audit row in the same transaction: who (the caller's subject and organisation), what (an
// action and the entity's type and id), when, and the request id to find the request's log lines. Never personal
// data: no names, e-mails or input values. Each subgraph's migrations create its own `audit_log` table:
//
//   create table audit_log (
//     id bigint generated always as identity primary key,
//     at timestamptz not null default now(),
//     actor_subject text not null,
//     actor_organisation_id text not null,
//     action text not null,
//     entity_type text not null,
//     entity_id text not null,
//     request_id text
//   )

export interface AuditEntry {
  /** What was done, `<entity>.<verb>`, e.g. `talent.update`. */
  action: string;
  entityType: string;
  entityId: string;
}

export interface AuditTable {
  audit_log: {
    id: number;
    at: Date;
    actor_subject: string;
    actor_organisation_id: string;
    action: string;
    entity_type: string;
    entity_id: string;
    request_id: string | null;
  };
}

/** Writes one audit row with `db`, which should be the mutation's transaction. */
export async function writeAudit(
  db: Kysely<any>,
  actor: { identity: Identity; requestId?: string },
  entry: AuditEntry,
): Promise<void> {
  await sql`insert into audit_log (actor_subject, actor_organisation_id, action, entity_type, entity_id, request_id)
    values (${actor.identity.subject}, ${actor.identity.organisationId}, ${entry.action}, ${entry.entityType},
            ${entry.entityId}, ${actor.requestId ?? null})`.execute(db);
}
