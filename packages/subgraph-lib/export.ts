import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { sql, type CompiledQuery, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { stringify } from 'csv-stringify/sync';
import type { ExportFormat } from '@talent-hub/platform/export-paths';
import { postgresPoolOf } from './db.js';

// Streaming a dataset as CSV (RFC 4180) or NDJSON, with memory bounded whatever the number of rows:
// - on PostgreSQL, one `COPY (<select>) TO STDOUT` through pg-copy-streams: the server serialises every row (CSV
//   by COPY's own CSV writer, NDJSON as `row_to_json(...)::text`, one per line) and the stream is piped with
//   backpressure, so a slow reader pauses the socket to the database;
// - on PGlite (one embedded session, no COPY to a client), keyset pages of `pageSize` rows in key order, written
//   by csv-stringify (CSV) or as they come (NDJSON); the next page is read only when the reader wants more.
// Both run the same SELECT, so both stores give the same bytes. Rows come in key order (`id`, the first column,
// whose value is the key),
// so a download cut off can resume after the `id` of its last complete row.

/** One column: its name (CSV header, NDJSON key) and SQL value. */
export interface ExportColumn {
  name: string;
  /** The value: NDJSON takes it as JSON (numbers, booleans, arrays stay typed); CSV as text. */
  value: Expression<unknown>;
  /** The CSV text when `value::text` does not fit (e.g. an array as `a;b`). */
  csv?: Expression<unknown>;
}

/** Rows read in key order, resumable: the rows of `rows(after)` (strictly after that key), ordered by `key`. */
export interface KeysetSource {
  kind: 'keyset';
  columns: readonly ExportColumn[];
  /** Unique per row; the value of the column named `id` (NDJSON orders by that column). */
  key: RawBuilder<string>;
  rows(after: string | null): SelectQueryBuilder<any, any, {}>;
}

/** A small dataset computed in memory (bounded, e.g. at most 10,000 statistics cells); not resumable. */
export interface RowsSource {
  kind: 'rows';
  columns: readonly string[];
  rows(): Promise<readonly Record<string, unknown>[]>;
}

export type ExportSource = KeysetSource | RowsSource;

/** Rows per keyset page on PGlite: one statement each, and the most a page holds in memory. */
export const pageSize = 2_000;

/** The stream of a dataset in a format, from `after` on (null: from the start). */
export async function exportStream(db: Kysely<any>, source: ExportSource, format: ExportFormat, after: string | null): Promise<Readable> {
  if (source.kind === 'rows') return Readable.from(rowsText(source, format), { objectMode: false });
  const pool = postgresPoolOf(db);
  return pool ? copyStream(pool, db, source, format, after) : Readable.from(keysetPages(db, source, format, after), { objectMode: false });
}

// CSV has no null: an empty field is both null and the empty string (COPY writes `""` for the latter; csv-stringify
// nothing), so both become an empty field.
const csvSelect = (source: KeysetSource) =>
  source.columns.map((c) => sql<string | null>`nullif((${c.csv ?? c.value})::text, '')`.as(c.name));

const valueSelect = (source: KeysetSource) => source.columns.map((c) => sql`${c.value}`.as(c.name));

/**
 * The SELECT of one format, in key order, from `after` on; with `cursor`, each row also has the key as `__cursor`
 * (for the next keyset page). NDJSON lines are `row_to_json` of the row's columns: compact JSON made by PostgreSQL
 * (json_build_object would add spaces around every colon). The row is a subquery, which the planner flattens, so
 * the order by `id` still reads the key's index.
 */
export function exportQuery(
  db: Kysely<any>,
  source: KeysetSource,
  format: ExportFormat,
  after: string | null,
  cursor = false,
): SelectQueryBuilder<any, any, Record<string, unknown>> {
  if (format === 'csv') {
    const rows: SelectQueryBuilder<any, any, Record<string, unknown>> = source.rows(after).select(csvSelect(source));
    return (cursor ? rows.select(source.key.as('__cursor')) : rows).orderBy(source.key);
  }
  const rows = db.selectFrom(source.rows(after).select(valueSelect(source)).as('r')).select(sql<string>`row_to_json(r)::text`.as('line'));
  return (cursor ? rows.select(sql<string>`r.id::text`.as('__cursor')) : rows).orderBy(sql`r.id`);
}

const csvOptions = {
  record_delimiter: 'windows' as const,
  // RFC 4180: a field with a line break is quoted too (csv-stringify quotes only the record delimiter itself).
  quoted_match: /[\r\n]/,
};

async function* rowsText(source: RowsSource, format: ExportFormat): AsyncGenerator<string> {
  const rows = await source.rows();
  if (format === 'ndjson') {
    for (const row of rows) yield `${JSON.stringify(row)}\n`;
    return;
  }
  yield stringify([[...source.columns]], csvOptions);
  yield stringify(
    rows.map((row) => source.columns.map((c) => csvText(row[c]))),
    csvOptions,
  );
}

/** A value as CSV text, as PostgreSQL's ::text writes it: booleans `true`/`false`, null and '' empty. */
function csvText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

/** PGlite: keyset pages, each read when the stream's reader asks for more. */
async function* keysetPages(db: Kysely<any>, source: KeysetSource, format: ExportFormat, after: string | null): AsyncGenerator<string> {
  const names = source.columns.map((c) => c.name);
  if (format === 'csv') yield stringify([names], csvOptions);
  let cursor = after;
  for (;;) {
    const page = await exportQuery(db, source, format, cursor, true).limit(pageSize).execute();
    if (page.length === 0) return;
    cursor = (page[page.length - 1] as { __cursor: string }).__cursor;
    if (format === 'csv') yield stringify(page.map((row: Record<string, unknown>) => names.map((n) => row[n] as string | null)), csvOptions);
    else yield page.map((row: Record<string, unknown>) => `${row.line as string}\n`).join('');
    if (page.length < pageSize) return;
  }
}

/** PostgreSQL: one COPY TO STDOUT on a connection of the store's pool, given back when the stream ends or fails. */
async function copyStream(pool: pg.Pool, db: Kysely<any>, source: KeysetSource, format: ExportFormat, after: string | null): Promise<Readable> {
  const select = inlineParameters(exportQuery(db, source, format, after).compile());
  // NDJSON: one text column per row, written by COPY's CSV mode with a delimiter and a quote that JSON text never
  // holds raw (JSON escapes control characters), so each line is the JSON as Postgres made it, unquoted. (COPY's
  // text mode would double every backslash of the JSON.)
  const options = format === 'csv' ? `FORMAT csv, HEADER true` : `FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'`;
  const client = await pool.connect();
  let released = false;
  const release = (failed: boolean) => {
    if (released) return;
    released = true;
    // A COPY stopped half-way leaves the connection mid-protocol: it is closed rather than reused.
    client.release(failed ? true : undefined);
  };
  let copy: Readable;
  try {
    copy = client.query(copyStreams.to(`COPY (${select}) TO STDOUT WITH (${options})`));
  } catch (error) {
    release(true);
    throw error;
  }
  copy.once('end', () => release(false));
  copy.once('error', () => release(true));
  copy.once('close', () => release(!copy.readableEnded));
  if (format === 'ndjson') return copy;
  // pipeline: a failed COPY fails the output, and an output closed early (the reader left) stops the COPY.
  const lines = new CrlfLines();
  pipeline(copy, lines, () => {});
  return lines;
}

/**
 * Ends CSV records with CRLF (RFC 4180) where COPY writes LF: a LF outside quotes ends a record; one inside a quoted
 * field is data and stays as it is. COPY quotes every field that holds `"`, CR or LF and doubles inner quotes, so
 * counting quotes tells inside from outside, across chunk boundaries too.
 */
export class CrlfLines extends Transform {
  private quoted = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // As latin1 text (one character per byte, so UTF-8 sequences come back unchanged): V8's indexOf and replaceAll
    // do the scanning, several times faster than a loop over the bytes in JavaScript. Text between two quotes
    // alternates between outside and inside quoted fields.
    const text = chunk.toString('latin1');
    let quote = text.indexOf('"');
    if (quote < 0 && !this.quoted) return done(null, Buffer.from(text.replaceAll('\n', '\r\n'), 'latin1'));
    let out = '';
    let from = 0;
    for (; quote >= 0; quote = text.indexOf('"', quote + 1)) {
      const part = text.slice(from, quote + 1);
      out += this.quoted ? part : part.replaceAll('\n', '\r\n');
      this.quoted = !this.quoted;
      from = quote + 1;
    }
    const rest = text.slice(from);
    out += this.quoted ? rest : rest.replaceAll('\n', '\r\n');
    done(null, Buffer.from(out, 'latin1'));
  }
}

/**
 * The SQL of a compiled query with its parameters written as literals: COPY takes no parameters. Values are the
 * checked filters (strings, numbers, booleans, dates); strings are escaped by pg's escapeLiteral, and placeholders
 * are replaced only outside quoted literals and identifiers.
 */
export function inlineParameters(query: CompiledQuery): string {
  const { sql: text, parameters } = query;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = closingQuote(text, i, ch);
      out += text.slice(i, end);
      i = end;
    } else if (ch === '$' && /\d/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && /\d/.test(text[j]!)) j++;
      const index = Number(text.slice(i + 1, j)) - 1;
      if (index < 0 || index >= parameters.length) throw new Error(`The query names parameter $${index + 1}, which it lacks`);
      out += literal(parameters[index]);
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function closingQuote(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  throw new Error('The query ends inside a quoted literal');
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('A query parameter is not a finite number');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return `${pg.escapeLiteral(value.toISOString())}::timestamptz`;
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  throw new Error(`A query parameter of type ${typeof value} cannot be written as a literal`);
}
