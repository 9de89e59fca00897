import { sql, type SqlBool } from 'kysely';

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

/**
 * `column LIKE prefix || '%'` for a prefix taken from another column (a parent key): true when the column's
 * value starts with it. Keys compared this way are validated codes without LIKE wildcards.
 */
export function startsWith(column: string, prefixColumn: string) {
  return sql<SqlBool>`${sql.ref(column)} like (${sql.ref(prefixColumn)} || '%')`;
}
