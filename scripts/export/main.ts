import { createWriteStream, existsSync, openSync, readSync, closeSync, statSync, truncateSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { exportUrlOf, parseExportCommand, usage, type ExportCommand } from './args.js';
import { ExportProgress } from './progress.js';
import { RecordCounter, resumePointOf } from './records.js';

// `npm run export -- talents --format csv --out talents.csv [--filter regionCode=ITH5] [--token …]`: streams an
// export from the gateway (GET /export/<dataset>.<format>) to a file or standard output, gzipped on the wire, with
// progress on stderr. A download cut off says how to resume; `--resume` continues the file after its last complete
// row (the `after` cursor).

/** How many rows the graph counts for the same filters, for the progress bar; null when it has no count. */
async function totalOf(command: ExportCommand): Promise<number | null> {
  const filters = Object.fromEntries(command.filters);
  const queries: Partial<Record<ExportCommand['dataset'], { query: string; variables: Record<string, unknown>; read(data: any): number }>> = {
    talents: {
      query: 'query ($filter: TalentFilter) { talents(filter: $filter, first: 1) { totalCount } }',
      variables: { filter: filters },
      read: (data) => data.talents.totalCount,
    },
    events: {
      query: `query ($kind: EventKind, $attendanceMode: AttendanceMode, $regionCode: ID, $organiserId: ID, $programmeId: ID, $startsFrom: DateTime, $startsBefore: DateTime) {
        events(kind: $kind, attendanceMode: $attendanceMode, regionCode: $regionCode, organiserId: $organiserId, programmeId: $programmeId, startsFrom: $startsFrom, startsBefore: $startsBefore, first: 1) { totalCount } }`,
      variables: filters,
      read: (data) => data.events.totalCount,
    },
  };
  const asked = queries[command.dataset];
  if (!asked) return null;
  try {
    const response = await fetch(command.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(command.token ? { authorization: `Bearer ${command.token}` } : {}) },
      body: JSON.stringify({ query: asked.query, variables: asked.variables }),
    });
    const body = (await response.json()) as { data?: unknown };
    const total = body.data ? asked.read(body.data) : null;
    return typeof total === 'number' ? total : null;
  } catch {
    return null;
  }
}

/** The resume point of --out: its complete records kept, the rest cut off. */
function resumeFile(path: string, command: ExportCommand) {
  if (!existsSync(path)) return { after: null, hasHeader: false };
  const size = statSync(path).size;
  const length = Math.min(size, 1 << 20);
  const tail = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, tail, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const point = resumePointOf(tail, size - length, command.format);
  truncateSync(path, point.keepBytes);
  return point;
}

function get(url: URL, headers: Record<string, string>): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => (url.protocol === 'https:' ? https : http).get(url, { headers }, resolve).on('error', reject));
}

async function main(): Promise<number> {
  let command: ExportCommand;
  try {
    command = parseExportCommand(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const resumed = command.resume ? resumeFile(command.out!, command) : { after: command.after, hasHeader: false };
  const url = exportUrlOf(command, resumed.after);
  const response = await get(url, {
    ...(command.token ? { authorization: `Bearer ${command.token}` } : {}),
    ...(command.gzip ? { 'accept-encoding': 'gzip' } : {}),
  });
  if (response.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let message = text;
    try {
      message = (JSON.parse(text) as { errors: { message: string }[] }).errors[0]!.message;
    } catch {
      // Not the graph's error shape: shown as it came.
    }
    console.error(`The export was refused (${response.statusCode}): ${message}`);
    return 1;
  }

  const total = await totalOf(command);
  const progress = new ExportProgress(command.dataset, process.stderr, Boolean(process.stderr.isTTY), total === null || resumed.after !== null ? null : total);
  if (resumed.after !== null) console.error(`Resuming ${command.out} after ${resumed.after}.`);
  const counter = new RecordCounter(command.format, resumed.hasHeader);
  let bytes = 0;
  counter.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    progress.update(counter.records, bytes);
  });
  const out: Writable = command.out ? createWriteStream(command.out, { flags: command.resume ? 'a' : 'w' }) : process.stdout;
  try {
    if (response.headers['content-encoding'] === 'gzip') await pipeline(response, createGunzip(), counter, out);
    else await pipeline(response, counter, out);
  } catch (error) {
    progress.finish(counter.records, bytes, '  (cut off)');
    const last = counter.lastId ?? resumed.after;
    console.error(
      `The export was cut off: ${(error as Error).message}.` +
        (command.out ? ` Run the same command with --resume to continue${last ? ` after ${last}` : ''}.` : last ? ` Continue with --after ${last}.` : ''),
    );
    return 1;
  }
  progress.finish(counter.records, bytes, command.out ? `  -> ${command.out}` : '');
  return 0;
}

process.exitCode = await main();
