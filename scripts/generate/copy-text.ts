// Rows in PostgreSQL's COPY text format: tab-separated columns, \N for null, one row per line.

export type CopyValue = string | number | boolean | Date | null | readonly string[];

// COPY text format: a backslash, tab, newline or carriage return inside a value is written as an escape.
const SPECIAL = /[\\\t\n\r]/;
const escapeText = (text: string) =>
  SPECIAL.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;

/** An array literal with every element quoted, so commas, braces and spaces inside elements are safe. */
const arrayLiteral = (items: readonly string[]) =>
  `{${items.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

export function encodeValue(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString();
  return escapeText(arrayLiteral(value));
}

/** One line (with its newline) for a row, taking the columns in order. */
export function encodeRow<Row extends Record<keyof Row, CopyValue>>(row: Row, columns: readonly (keyof Row)[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += '\t';
    line += encodeValue(row[columns[i]!]);
  }
  return `${line}\n`;
}
