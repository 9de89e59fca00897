import { Transform, type TransformCallback } from 'node:stream';
import type { ExportFormat } from '@talent-hub/platform/export-paths';

// What the CLI knows of the bytes it writes: how many records went by and the id of the last complete one (the
// cursor to resume after). Every row starts with its `id`, never quoted (UUIDs and slugs); a CSV record ends with a
// line break outside quotes, an NDJSON one with a line break.

const idOfCsv = /^([0-9A-Za-z][0-9A-Za-z-]*),/;
const idOfJson = /^\{\s*"id"\s*:\s*"([^"\\]*)"/;

/** The id a record starts with, or null (a header, a statistics row). */
export function idOfRecord(head: string, format: ExportFormat): string | null {
  return (format === 'csv' ? idOfCsv : idOfJson).exec(head)?.[1] ?? null;
}

/**
 * Passes the bytes through, counting records and noting the id of the last complete one. With `skipHeader`
 * (appending to a file that has it), the first CSV record is dropped.
 */
export class RecordCounter extends Transform {
  records = 0;
  lastId: string | null = null;
  private quoted = false;
  private head = '';
  /** The CSV header is still to come and be written (it is no record). */
  private headerPending: boolean;
  /** The CSV header is still to come and be dropped. */
  private dropping: boolean;

  constructor(
    private readonly format: ExportFormat,
    skipHeader: boolean,
  ) {
    super();
    this.dropping = skipHeader && format === 'csv';
    this.headerPending = !skipHeader && format === 'csv';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    let keepFrom = this.dropping ? -1 : 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.format === 'csv' && byte === 0x22) this.quoted = !this.quoted;
      else if (byte === 0x0a && !this.quoted) {
        if (this.head.length < 120) this.head += chunk.toString('utf8', start, Math.min(i, start + 120));
        if (this.dropping) {
          this.dropping = false;
          keepFrom = i + 1;
        } else {
          if (this.headerPending) this.headerPending = false;
          else {
            this.records += 1;
            this.lastId = idOfRecord(this.head, this.format) ?? this.lastId;
          }
        }
        this.head = '';
        start = i + 1;
      }
    }
    if (this.head.length < 120 && start < chunk.length) this.head += chunk.toString('utf8', start, Math.min(chunk.length, start + 120));
    done(null, keepFrom < 0 ? Buffer.alloc(0) : keepFrom === 0 ? chunk : chunk.subarray(keepFrom));
  }
}

/** Where a download cut off can continue: the bytes to keep (complete records) and the id of the last one. */
export interface ResumePoint {
  /** Bytes of the file that hold complete records (and the header); what follows is cut off and dropped. */
  keepBytes: number;
  /** The id of the last complete row; null when the file holds none (then the export starts again). */
  after: string | null;
  /** The file has its CSV header already (a resumed CSV response's header is then dropped). */
  hasHeader: boolean;
}

/**
 * Reads the end of a file an export was writing (`tail`, its last bytes, starting at byte `offset` of the file).
 * A record ends with CRLF (CSV) or LF (NDJSON); the last complete one gives the cursor.
 */
export function resumePointOf(tail: Buffer, offset: number, format: ExportFormat): ResumePoint {
  const text = tail.toString('latin1');
  const terminator = format === 'csv' ? '\r\n' : '\n';
  const end = text.lastIndexOf(terminator);
  if (end < 0) return { keepBytes: 0, after: null, hasHeader: false };
  const keepBytes = offset + end + terminator.length;
  // Records start after a terminator (or at the file's start); the last that starts with an id is the cursor.
  let from = end;
  for (;;) {
    const previous = from === 0 ? -1 : text.lastIndexOf(terminator, from - 1);
    const start = previous < 0 ? 0 : previous + terminator.length;
    const head = Buffer.from(text.slice(start, start + 120), 'latin1').toString('utf8');
    // The first line of a CSV file is its header (`id,…`), no row.
    const isHeader = format === 'csv' && offset === 0 && start === 0;
    const id = isHeader ? null : idOfRecord(head, format);
    if (id !== null) return { keepBytes, after: id, hasHeader: format === 'csv' };
    if (previous < 0) return { keepBytes, after: null, hasHeader: format === 'csv' };
    from = previous;
  }
}
