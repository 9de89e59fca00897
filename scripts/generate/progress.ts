// Progress on stderr, one table at a time: rows done of the total, rate and time left. On a terminal one line is
// redrawn in place; elsewhere (CI, a log file) a plain line is printed every few seconds, and one when a table is done.

export interface ProgressOutput {
  write(text: string): unknown;
}

export interface ProgressOptions {
  output: ProgressOutput;
  /** Redraw in place (a terminal) rather than print lines. */
  interactive: boolean;
  /** How often a non-interactive output gets a line. */
  lineEveryMs?: number;
  now?: () => number;
}

export interface TableResult {
  table: string;
  rows: number;
  ms: number;
}

export interface TableProgress {
  /** Records work handed to the database: `units` of the table's total, `rows` rows written. */
  add(units: number, rows: number): void;
  finish(): TableResult;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 20;

export class Progress {
  private readonly now: () => number;
  private readonly lineEveryMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.lineEveryMs = options.lineEveryMs ?? 5_000;
  }

  /** Starts a table whose work is `total` units (talents, events or registrations). */
  start(table: string, unit: string, total: number): TableProgress {
    const { output, interactive } = this.options;
    const started = this.now();
    let units = 0;
    let rows = 0;
    let shownAt = started;
    const render = (done: boolean) => {
      const elapsed = Math.max(1, this.now() - started);
      const rate = (rows * 1000) / elapsed;
      const share = total > 0 ? Math.min(1, units / total) : 1;
      const filled = Math.round(share * BAR_WIDTH);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
      const counted = `${format(units)}/${format(total)} ${unit}${unit === 'rows' || rows === units ? '' : `, ${format(rows)} rows`}`;
      // Once every row is handed over, the database may still be at work (indexes, triggers at the end of a COPY).
      const eta = done ? `in ${seconds(elapsed)}`
        : units >= total ? 'finishing…'
        : units > 0 ? `ETA ${seconds(((total - units) * elapsed) / units)}`
        : 'ETA …';
      return `${table.padEnd(18)} ${bar} ${String(Math.floor(share * 100)).padStart(3)}%  ${counted}  ${format(Math.round(rate))} rows/s  ${eta}`;
    };
    if (interactive) output.write(render(false));
    return {
      add: (moreUnits, moreRows) => {
        units += moreUnits;
        rows += moreRows;
        const at = this.now();
        const last = units >= total;
        if (interactive && (at - shownAt >= REDRAW_MS || last)) {
          shownAt = at;
          output.write(`\r${render(false)}\x1b[K`);
        } else if (!interactive && at - shownAt >= this.lineEveryMs) {
          shownAt = at;
          output.write(`${render(false)}\n`);
        }
      },
      finish: () => {
        output.write(interactive ? `\r${render(true)}\x1b[K\n` : `${render(true)}\n`);
        return { table, rows, ms: this.now() - started };
      },
    };
  }
}

export const format = (n: number) => n.toLocaleString('en');

export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 120) return `${Math.round(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}
