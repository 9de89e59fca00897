import { sql } from 'kysely';

/**
 * A one-column table of parent keys, `k(key)`, for batched reads: join a LATERAL subquery to it to fetch a
 * bounded, ordered list for every parent in one statement.
 */
export function parentKeys(keys: readonly string[]) {
  return sql<{ key: string }>`(select unnest(cast(${[...keys]} as text[])) as key)`.as('k');
}

/** Escapes LIKE wildcards so a value can be used as a literal prefix. */
export function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

