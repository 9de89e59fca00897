import type { CheckReport } from './check.js';
import { formatLocation, type Finding, type Level } from './findings.js';

// The check's report as text for a terminal and a CI log: errors, then warnings, then information, each as a
// header line (level, schema, element, what) with the message, the `file:line` locations and notes indented below;
// then a short list of the safe changes, and a one-line verdict.

export interface FormatOptions {
  /** ANSI colours for the level labels (a terminal, not a log file). */
  color?: boolean;
  /** List every safe change, not only the first ones. */
  verbose?: boolean;
}

const safeListed = 20;

const labels: Record<Exclude<Level, 'safe'>, { text: string; color: string }> = {
  error: { text: 'ERROR', color: '\u001b[31m' },
  warning: { text: 'WARNING', color: '\u001b[33m' },
  info: { text: 'INFO', color: '\u001b[36m' },
};

export function formatReport(report: CheckReport, options: FormatOptions = {}): string {
  const paint = (text: string, color: string) => (options.color ? `${color}${text}\u001b[0m` : text);
  const lines = [`Schema check of ${report.subgraphs.join(', ')} and the API schema against ${report.baseLabel}`, ''];

  for (const level of ['error', 'warning', 'info'] as const) {
    for (const item of report.findings.filter((f) => f.level === level)) {
      lines.push(`${paint(labels[level].text, labels[level].color)} ${headline(item)}`);
      for (const line of messageLines(item, options.verbose === true)) lines.push(`    ${line}`);
      if (item.locations.length > 0) lines.push(`    at ${item.locations.map(formatLocation).join(', ')}`);
      for (const note of item.notes) lines.push(`    ${note}`);
      lines.push('');
    }
  }

  const safe = report.findings.filter((f) => f.level === 'safe');
  if (safe.length > 0) {
    lines.push(`Safe changes (${safe.length}):`);
    const shown = options.verbose ? safe : safe.slice(0, safeListed);
    for (const item of shown) {
      const where = item.locations[0] ? `  ${formatLocation(item.locations[0])}` : '';
      lines.push(`  [${item.schema}] ${item.code} ${item.coordinate ?? ''}${where}`.trimEnd());
    }
    if (shown.length < safe.length) lines.push(`  ... and ${safe.length - shown.length} more (--verbose lists them all)`);
    lines.push('');
  }

  const count = (level: Level, one: string, many: string) => {
    const n = report.findings.filter((f) => f.level === level).length;
    return `${n} ${n === 1 ? one : many}`;
  };
  const totals = [count('error', 'error', 'errors'), count('warning', 'warning', 'warnings'), count('info', 'info', 'info'), count('safe', 'safe change', 'safe changes')].join(', ');
  lines.push(report.failed ? paint(`schema:check failed: ${totals}`, labels.error.color) : `schema:check passed: ${totals}`);
  return `${lines.join('\n')}\n`;
}

/** `[talents] Talent.email: FIELD_REMOVED (breaking change)`: the schema, the element, what is wrong. */
function headline(item: Finding): string {
  const what = (() => {
    switch (item.kind) {
      case 'change':
        return item.criticality ? `${item.code} (${item.criticality} change)` : item.code;
      case 'lint':
        return `lint: ${item.code}`;
      case 'hint':
        return `composition hint ${item.code}`;
      case 'composition':
        return `composition error ${item.code}`;
      default:
        return item.code;
    }
  })();
  return `[${item.schema}]${item.coordinate ? ` ${item.coordinate}` : ''}: ${what}`;
}

/** A composition hint can quote whole descriptions; unless verbose, its first line says enough. */
function messageLines(item: Finding, verbose: boolean): string[] {
  const lines = item.message.split('\n').map((line) => line.trimEnd());
  if (verbose || item.kind !== 'hint' || lines.length <= 3) return lines;
  return [lines[0]!, `(${lines.length - 1} more lines: --verbose shows the whole hint)`];
}
