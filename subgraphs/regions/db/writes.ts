import { sql, type Kysely } from 'kysely';
import { SHORT_LIST_MAX } from './repository.js';
import type { RegionsDatabase } from './types.js';

// Writes of the regions mutations: `db` first (the mutation's transaction), one statement each.

type Db = Kysely<RegionsDatabase>;

/** A programme's row, locked until the end of the transaction `trx`, so that writes about it queue up. */
export function lockProgramme(trx: Db, id: string) {
  return trx.selectFrom('programmes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The codes of the indicators a programme reports. */
export async function indicatorCodes(db: Db, programmeId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('indicators')
    .select('code')
    .where('programme_id', '=', programmeId)
    .limit(SHORT_LIST_MAX)
    .execute();
  return new Set(rows.map((r) => r.code));
}

/**
 * New values of some of a programme's indicators, in one statement; returns the codes it changed. `setTarget`
 * false keeps an indicator's target as it is.
 */
export async function updateIndicators(
  db: Db,
  programmeId: string,
  updates: readonly { code: string; value: string; asOf: string; setTarget: boolean; target: string | null }[],
): Promise<string[]> {
  if (updates.length === 0) return [];
  const rows = sql.join(
    updates.map((u) => sql`(${u.code}::text, ${u.value}::numeric, ${u.asOf}::date, ${u.setTarget}::boolean, ${u.target}::numeric)`),
  );
  const result = await sql<{ code: string }>`
    update indicators as i
    set value = u.value, as_of = u.as_of, target = case when u.set_target then u.target else i.target end
    from (values ${rows}) as u (code, value, as_of, set_target, target)
    where i.programme_id = ${programmeId} and i.code = u.code
    returning i.code`.execute(db);
  return result.rows.map((r) => r.code);
}
