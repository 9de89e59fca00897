import { parseArgs } from 'node:util';
import { exportDatasets, exportFormats, type ExportDataset, type ExportFormat } from '@talent-hub/platform/export-paths';

// The command line of `npm run export`: which dataset, in which format, where to, with which filters, as whom.

export const usage = `Usage: npm run export -- <${Object.keys(exportDatasets).join('|')}> [options]
  --format csv|ndjson      default csv
  --out <file>             default: standard output
  --filter <name=value>    a filter of the dataset, repeatable (e.g. --filter regionCode=ITH5 --filter category=STUDENT)
  --after <id>             start after the row with this id
  --resume                 continue --out from its last complete row (appends)
  --gateway <url>          default $GATEWAY_URL or http://localhost:4000/
  --token <jwt>            default $TALENT_HUB_TOKEN (npm run token -- --org cemr); none: anonymous
  --no-gzip                ask for the export uncompressed`;

export interface ExportCommand {
  dataset: ExportDataset;
  format: ExportFormat;
  out: string | null;
  filters: [string, string][];
  after: string | null;
  resume: boolean;
  gateway: string;
  token: string | null;
  gzip: boolean;
}

/** Reads the arguments (after `--`) and the environment; throws with the reason for anything wrong. */
export function parseExportCommand(argv: readonly string[], env: Record<string, string | undefined> = {}): ExportCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      filter: { type: 'string', multiple: true, default: [] },
      after: { type: 'string' },
      resume: { type: 'boolean', default: false },
      gateway: { type: 'string' },
      token: { type: 'string' },
      'no-gzip': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'Name the dataset to export.' : `Name one dataset, not ${positionals.join(' ')}.`);
  const dataset = positionals[0]!;
  if (!Object.hasOwn(exportDatasets, dataset)) throw new Error(`Unknown dataset "${dataset}": exports are ${Object.keys(exportDatasets).join(', ')}.`);
  if (!(exportFormats as readonly string[]).includes(values.format)) throw new Error(`--format must be ${exportFormats.join(' or ')}; got "${values.format}".`);
  const filters = values.filter.map((f): [string, string] => {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new Error(`--filter takes name=value (e.g. regionCode=ITH5); got "${f}".`);
    return [f.slice(0, eq), f.slice(eq + 1)];
  });
  if (values.resume && !values.out) throw new Error('--resume continues a file: give it with --out.');
  if (values.resume && values.after) throw new Error('Give --resume or --after, not both: --resume reads the cursor from the file.');
  const gateway = values.gateway ?? env.GATEWAY_URL ?? 'http://localhost:4000/';
  try {
    new URL(gateway);
  } catch {
    throw new Error(`--gateway must be a URL such as http://localhost:4000/; got "${gateway}".`);
  }
  return {
    dataset: dataset as ExportDataset,
    format: values.format as ExportFormat,
    out: values.out ?? null,
    filters,
    after: values.after ?? null,
    resume: values.resume,
    gateway,
    token: values.token ?? env.TALENT_HUB_TOKEN ?? null,
    gzip: !values['no-gzip'],
  };
}

/** The export's URL at the gateway. */
export function exportUrlOf(command: Pick<ExportCommand, 'dataset' | 'format' | 'filters' | 'gateway'>, after: string | null): URL {
  const url = new URL(`export/${command.dataset}.${command.format}`, command.gateway.endsWith('/') ? command.gateway : `${command.gateway}/`);
  for (const [name, value] of command.filters) url.searchParams.append(name, value);
  if (after !== null) url.searchParams.set('after', after);
  return url;
}
