import { sql, type Expression, type SqlBool } from 'kysely';

// SQL conditions and argument checks shared by the list filters of the subgraphs.

/** A value, or an SQL expression such as `sql.ref('k.key')` (a parent key of a batched, lateral query). */
type TextOperand = string | Expression<string>;

const operand = (value: TextOperand) => (typeof value === 'string' ? sql`cast(${value} as text)` : value);

/**
 * True when `column` holds the NUTS code `code` or the code of one of its sub-regions (`ITH5` matches `ITH5`,
 * `ITH55`...). NUTS codes are letters and digits, so "starts with `code`" is the byte range
 * [`code`, `code` + '~'), written with the text_pattern_ops operators: a B-tree index on the column with
 * `text_pattern_ops` serves it as a range scan even when `code` comes from an outer query (where a `LIKE`
 * pattern built from a column could not use the index).
 */
export function withinRegion(column: string, code: TextOperand): Expression<SqlBool> {
  const ref = sql.ref(column);
  const value = operand(code);
  return sql<SqlBool>`(${ref} ~>=~ ${value} and ${ref} ~<~ (${value} || '~'))`;
}

/**
 * True when the region in `column` overlaps the region `code`: it is `code`, one of its sub-regions, or one of
 * the regions that contain it (`IT`, `ITH` and `ITH5` contain `ITH55`). The containing regions are `code`'s
 * prefixes of 2 to 5 characters, compared by equality, so both halves can use a text_pattern_ops index.
 */
export function overlapsRegion(column: string, code: TextOperand): Expression<SqlBool> {
  const ref = sql.ref(column);
  const value = operand(code);
  const prefixes = sql.join([2, 3, 4, 5].map((n) => sql`left(${value}, ${sql.lit(n)})`));
  return sql<SqlBool>`(${ref} in (${prefixes}) or ${withinRegion(column, code)})`;
}
