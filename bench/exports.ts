import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { projectRoot } from '@talent-hub/platform/paths';
import type { ExportFormat } from '@talent-hub/platform/export-paths';
import { openDatabase } from '@talent-hub/subgraph-lib/db';
import { exportQuery, inlineParameters, type KeysetSource } from '@talent-hub/subgraph-lib/export';
import { exports as talentExports } from '@talent-hub/talents/exports';
import type { Context } from '@talent-hub/talents/context';
import { partnerToken } from './guards.js';
import { benchPartner } from './partner.js';
import { freePort, type Services } from './services.js';

// Streaming exports (`npm run bench -- --exports-only`, and after the rounds of a full run): every talent as CSV
// and as NDJSON through our gateway (GET /export/talents.csv|.ndjson as the bench partner, a CEMR viewer, so the
// personal columns and their policy are part of the work), beside a bare `COPY (<the same SELECT>) TO STDOUT` read
// by this process straight from PostgreSQL: the least any export of these rows could cost. Each round runs every
// variant once, in turn; medians of the rounds are reported.

export interface ExportBenchContext {
  services: Services;
  /** `<NAME>_URL` of each subgraph, for the gateway. */
  urlEnv: Record<string, string | undefined>;
  secrets: { INTERNAL_TOKEN_SECRET: string; AUTH_JWT_SECRET: string };
  supergraphPath: string;
  talentsDatabaseUrl: string;
  rounds: number;
  stamp: string;
  log(message: string): void;
}

export interface ExportFigure {
  rows: number;
  bytes: number;
  ms: number;
  rowsPerS: number;
}

const variants = ['copy csv', 'gateway csv', 'gateway csv gzip', 'copy ndjson', 'gateway ndjson'] as const;
type Variant = (typeof variants)[number];

export interface ExportBenchResults {
  rounds: number;
  /** Median of the rounds, per variant. */
  medians: Record<Variant, ExportFigure>;
  /** Gateway rate over bare COPY rate, per format. */
  ratios: { csv: number; ndjson: number };
}

/** Reads a stream to its end, counting bytes and line feeds (one per row, plus the CSV header). */
async function drain(stream: Readable): Promise<{ bytes: number; lines: number }> {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return { bytes, lines };
}

/** The SELECT the talents subgraph runs for the bench partner, as SQL with its values written in. */
async function exportSql(databaseUrl: string, format: ExportFormat): Promise<string> {
  const database = await openDatabase<any>({ kind: 'postgres', url: databaseUrl });
  try {
    const source = (await talentExports.talents!.open({ db: database.db, identity: benchPartner } as Context, new Map(), null)) as KeysetSource;
    return inlineParameters(exportQuery(database.db, source, format, null).compile());
  } finally {
    await database.close();
  }
}

async function bareCopy(client: pg.Client, select: string, format: ExportFormat) {
  // The COPY options of packages/subgraph-lib/export.ts.
  const options = format === 'csv' ? `FORMAT csv, HEADER true` : `FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'`;
  return drain(client.query(copyStreams.to(`COPY (${select}) TO STDOUT WITH (${options})`)));
}

function download(url: string, headers: Record<string, string>): Promise<{ bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
          return;
        }
        drain(res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res).then(resolve, reject);
      })
      .on('error', reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchExports(context: ExportBenchContext): Promise<ExportBenchResults> {
  const { log } = context;
  const port = await freePort();
  const env = {
    ...context.urlEnv,
    ...context.secrets,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SUPERGRAPH_PATH: context.supergraphPath,
    LOG_LEVEL: 'warn',
    RESPONSE_CACHE: 'off',
    RATE_LIMIT: 'off',
    TRUSTED_DOCUMENTS: 'off',
    GATEWAY_PORT: String(port),
  };
  const gateway = await context.services.start('exports-gateway', ['gateway/dist/main.js'], env, `http://127.0.0.1:${port}/`);
  const headers = { authorization: `Bearer ${await partnerToken(context.secrets.AUTH_JWT_SECRET)}` };
  const selects = { csv: await exportSql(context.talentsDatabaseUrl, 'csv'), ndjson: await exportSql(context.talentsDatabaseUrl, 'ndjson') };
  const client = new pg.Client({ connectionString: context.talentsDatabaseUrl });
  await client.connect();
  const run: Record<Variant, () => Promise<{ bytes: number; lines: number }>> = {
    'copy csv': () => bareCopy(client, selects.csv, 'csv'),
    'gateway csv': () => download(`${gateway.url}export/talents.csv`, headers),
    'gateway csv gzip': () => download(`${gateway.url}export/talents.csv`, { ...headers, 'accept-encoding': 'gzip' }),
    'copy ndjson': () => bareCopy(client, selects.ndjson, 'ndjson'),
    'gateway ndjson': () => download(`${gateway.url}export/talents.ndjson`, headers),
  };
  const samples = Object.fromEntries(variants.map((v) => [v, [] as ExportFigure[]])) as Record<Variant, ExportFigure[]>;
  try {
    // One untimed pass of each: caches warm, the gateway's and subgraph's code compiled.
    for (const variant of variants) await run[variant]();
    for (let round = 1; round <= context.rounds; round++) {
      for (const variant of variants) {
        const started = performance.now();
        const { bytes, lines } = await run[variant]();
        const ms = performance.now() - started;
        const rows = variant.endsWith('ndjson') ? lines : lines - 1;
        samples[variant].push({ rows, bytes, ms, rowsPerS: (rows * 1000) / ms });
        log(`exports round ${round}: ${variant} ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms: ${Math.round((rows * 1000) / ms)} rows/s`);
      }
    }
  } finally {
    await client.end();
  }
  const medians = Object.fromEntries(
    variants.map((v) => {
      const byRate = [...samples[v]].sort((a, b) => a.rowsPerS - b.rowsPerS);
      return [v, { ...byRate[Math.floor(byRate.length / 2)]!, rowsPerS: median(samples[v].map((s) => s.rowsPerS)) }];
    }),
  ) as Record<Variant, ExportFigure>;
  const results: ExportBenchResults = {
    rounds: context.rounds,
    medians,
    ratios: {
      csv: medians['gateway csv'].rowsPerS / medians['copy csv'].rowsPerS,
      ndjson: medians['gateway ndjson'].rowsPerS / medians['copy ndjson'].rowsPerS,
    },
  };
  mkdirSync(path.join(projectRoot, 'bench', 'results'), { recursive: true });
  const file = path.join(projectRoot, 'bench', 'results', `exports-${context.stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v), 1)}\n`);
  console.log(exportsTable(results));
  log(`export results in ${path.relative(projectRoot, file)}`);
  return results;
}

export function exportsTable(results: ExportBenchResults): string {
  const row = (variant: Variant) => {
    const f = results.medians[variant];
    return `| ${variant} | ${f.rows.toLocaleString('en')} | ${(f.bytes / 1e6).toFixed(1)} | ${Math.round(f.ms).toLocaleString('en')} | ${Math.round(f.rowsPerS).toLocaleString('en')} |`;
  };
  return [
    `### Exports: every talent, median of ${results.rounds} round(s)`,
    '',
    '| variant | rows | MB | ms | rows/s |',
    '|---|--:|--:|--:|--:|',
    ...variants.map(row),
    '',
    `Gateway over bare COPY: CSV ${(results.ratios.csv * 100).toFixed(0)}%, NDJSON ${(results.ratios.ndjson * 100).toFixed(0)}%.`,
  ].join('\n');
}
