import { format, seconds } from '../generate/progress.js';

// The export's progress on stderr (standard output may be the export itself): rows, bytes, rate, and a bar when the
// total is known. On a terminal one line is redrawn in place; elsewhere (CI, a log) a plain line every few seconds.

export interface ProgressOutput {
  write(text: string): unknown;
}

const REDRAW_MS = 100;
const LINE_EVERY_MS = 5_000;
const BAR_WIDTH = 20;

export class ExportProgress {
  private readonly started: number;
  private shownAt: number;

  constructor(
    private readonly label: string,
    private readonly output: ProgressOutput,
    private readonly interactive: boolean,
    /** Rows expected (the graph's totalCount for the same filters), or null when unknown. */
    private readonly total: number | null,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    this.shownAt = this.started;
  }

  update(rows: number, bytes: number): void {
    const at = this.now();
    if (at - this.shownAt < (this.interactive ? REDRAW_MS : LINE_EVERY_MS)) return;
    this.shownAt = at;
    this.output.write(this.interactive ? `\r${this.render(rows, bytes, false)}\x1b[K` : `${this.render(rows, bytes, false)}\n`);
  }

  finish(rows: number, bytes: number, note = ''): void {
    this.output.write(`${this.interactive ? '\r' : ''}${this.render(rows, bytes, true)}${note}${this.interactive ? '\x1b[K' : ''}\n`);
  }

  render(rows: number, bytes: number, done: boolean): string {
    const elapsed = Math.max(1, this.now() - this.started);
    const rate = Math.round((rows * 1000) / elapsed);
    const share = this.total ? Math.min(1, rows / this.total) : null;
    const bar = share === null ? '' : `[${'#'.repeat(Math.round(share * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}] ${String(Math.floor(share * 100)).padStart(3)}%  `;
    const counted = this.total ? `${format(rows)}/${format(this.total)} rows` : `${format(rows)} rows`;
    return `${this.label} ${bar}${counted}  ${(bytes / 1e6).toFixed(1)} MB  ${format(rate)} rows/s  ${done ? 'in ' : ''}${seconds(elapsed)}`;
  }
}
