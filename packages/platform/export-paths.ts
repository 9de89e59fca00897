// Streaming exports (`GET /export/<dataset>.<format>?<filters>`): the names both the gateway and the subgraphs
// read, so that the gateway's proxy and the subgraph's route agree on datasets, formats and the resume parameter.

/** Where exports are served, at the gateway and (behind the internal token) at the owning subgraph. */
export const exportPrefix = '/export';

/** Each dataset and the subgraph that owns its rows (and streams them). */
export const exportDatasets = {
  talents: 'talents',
  statistics: 'talents',
  registrations: 'trainings',
  events: 'trainings',
} as const satisfies Record<string, string>;

export type ExportDataset = keyof typeof exportDatasets;

export const exportFormats = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Content types of the formats: CSV per RFC 4180 (with its header line), NDJSON one JSON object per line. */
export const exportContentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * The resume parameter: rows come in key order (the `id` column, first in every row), and `after=<id>` returns the
 * rows after that one. The cursor of a download is the `id` of its last complete row.
 */
export const cursorParameter = 'after';

/** The dataset and format an export path names, or why it names none (404: no such dataset, 400: no such format). */
export type ExportPath = { dataset: ExportDataset; format: ExportFormat } | { status: 400 | 404; message: string };

const isDataset = (name: string): name is ExportDataset => Object.hasOwn(exportDatasets, name);
const isFormat = (name: string): name is ExportFormat => (exportFormats as readonly string[]).includes(name);

/** Reads `/export/<dataset>.<format>` (the query string already cut off). */
export function parseExportPath(path: string): ExportPath {
  const name = path.startsWith(`${exportPrefix}/`) ? path.slice(exportPrefix.length + 1) : '';
  const dot = name.lastIndexOf('.');
  const dataset = dot > 0 ? name.slice(0, dot) : name;
  const format = dot > 0 ? name.slice(dot + 1) : '';
  const known = Object.keys(exportDatasets).join(', ');
  if (!isDataset(dataset)) {
    const shown = dataset.length > 40 ? `${dataset.slice(0, 40)}…` : dataset;
    return { status: 404, message: `No export named "${shown}": exports are ${known}, at ${exportPrefix}/<dataset>.csv or .ndjson.` };
  }
  if (!isFormat(format)) {
    return { status: 400, message: `Export ${dataset} comes as ${exportFormats.map((f) => `${exportPrefix}/${dataset}.${f}`).join(' or ')}.` };
  }
  return { dataset, format };
}
