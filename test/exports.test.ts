import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '@talent-hub/subgraph-lib/csv';
import { exportStream, pageSize, type KeysetSource } from '@talent-hub/subgraph-lib/export';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseExportCommand, exportUrlOf } from '../scripts/export/args.js';
import { RecordCounter, resumePointOf } from '../scripts/export/records.js';
import { startStack, storeKinds, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// Streaming exports through the gateway, on each store: the rows and values are the graph's for the same filters
// and the same caller; personal columns only for entitled callers; suppressed counts never as numbers; gzip;
// resuming after a row gives the rest exactly once; bad requests get 400/404 with the reason; registrations
// need a signed-in caller; the subgraphs' export routes only take the gateway's internal token; rows are read as
// the reader asks for them.

interface Download {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET through node:http (fetch would undo gzip), with a bearer token and headers when given. */
function get(url: string, options: { token?: string; headers?: Record<string, string> } = {}): Promise<Download> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const TALENT_FIELDS = `id displayName category citizenship residenceRegion { code } originRegion { code } organisation { id }
  educationLevel careerStage interests status joinedOn mentoringCapacity publicProfile synthetic`;

describe.each(storeKinds)('exports (%s)', (kind) => {
  let stack: Stack;
  let exportUrl: (path: string) => string;
  beforeAll(async () => {
    stack = await startStack(kind);
    exportUrl = (path) => new URL(path, stack.gatewayUrl).toString();
  });
  afterAll(() => stack?.stop());

  /** Every talent the graph lists for a caller and filter, page after page. */
  async function graphTalents(filter: Record<string, unknown>, token?: string, personal = false): Promise<any[]> {
    const nodes: any[] = [];
    let after: string | null = null;
    for (;;) {
      const fields = personal ? `${TALENT_FIELDS} givenName familyName email birthYear phone` : TALENT_FIELDS;
      const { body }: { body: any } = await stack.query(
        `query ($filter: TalentFilter, $after: String) { talents(filter: $filter, first: 500, after: $after) { nodes { ${fields} } pageInfo { hasNextPage endCursor } } }`,
        { filter, after },
        token ? { token } : {},
      );
      expect(body.data, JSON.stringify(body.errors?.[0])).toBeTruthy();
      nodes.push(...body.data.talents.nodes);
      if (!body.data.talents.pageInfo.hasNextPage) return nodes;
      after = body.data.talents.pageInfo.endCursor;
    }
  }

  /** A graph talent as an export row writes it (CSV text). */
  const asCsvRow = (t: any) => ({
    id: t.id,
    displayName: t.displayName,
    category: t.category,
    citizenship: t.citizenship,
    residenceRegionCode: t.residenceRegion?.code ?? '',
    originRegionCode: t.originRegion?.code ?? '',
    organisationId: t.organisation.id,
    educationLevel: t.educationLevel === null ? '' : String(t.educationLevel),
    careerStage: t.careerStage ?? '',
    interests: t.interests.join(';'),
    status: t.status,
    joinedOn: t.joinedOn,
    mentoringCapacity: t.mentoringCapacity === null ? '' : String(t.mentoringCapacity),
    publicProfile: String(t.publicProfile),
    synthetic: String(t.synthetic),
  });

  it('talents.csv: the graph\'s talents for the same filter, RFC 4180 with CRLF, no personal columns for anonymous callers', async () => {
    for (const [query, filter] of [
      ['', {}],
      ['?regionCode=ITH5', { regionCode: 'ITH5' }],
      ['?category=RESEARCHER&joinedFrom=2020-01-01', { category: 'RESEARCHER', joinedFrom: '2020-01-01' }],
    ] as const) {
      const download = await get(exportUrl(`/export/talents.csv${query}`));
      expect(download.status, download.body.toString()).toBe(200);
      expect(download.headers['content-type']).toMatch(/^text\/csv/);
      const text = download.body.toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replaceAll('\r\n', '').includes('\n') && !text.includes('"')).toBe(false);
      const rows = parseCsv(text);
      const expected = (await graphTalents(filter)).map(asCsvRow);
      expect(expected.length).toBeGreaterThan(0);
      expect(rows).toEqual(expected);
      expect(text.slice(0, text.indexOf('\r\n'))).not.toMatch(/givenName|email/);
    }
  });

  it('talents.ndjson: typed values equal to the graph\'s', async () => {
    const download = await get(exportUrl('/export/talents.ndjson?regionCode=IT'));
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = download.body.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    const rows = lines.map((line) => JSON.parse(line));
    const expected = (await graphTalents({ regionCode: 'IT' })).map((t) => ({
      id: t.id,
      displayName: t.displayName,
      category: t.category,
      citizenship: t.citizenship,
      residenceRegionCode: t.residenceRegion?.code ?? null,
      originRegionCode: t.originRegion?.code ?? null,
      organisationId: t.organisation.id,
      educationLevel: t.educationLevel,
      careerStage: t.careerStage,
      interests: t.interests,
      status: t.status,
      joinedOn: t.joinedOn,
      mentoringCapacity: t.mentoringCapacity,
      publicProfile: t.publicProfile,
      synthetic: t.synthetic,
    }));
    expect(expected.length).toBeGreaterThan(0);
    expect(rows).toEqual(expected);
  });

  it('personal columns: filled exactly where the graph shows them to the caller, empty elsewhere', async () => {
    for (const organisation of ['cemr', 'eurocities']) {
      const token = await mintToken(organisation, 'viewer');
      const rows = parseCsv((await get(exportUrl('/export/talents.csv'), { token })).body.toString('utf8'));
      const graph = await graphTalents({}, token, true);
      expect(rows.map((r) => r.id)).toEqual(graph.map((t) => t.id));
      let filled = 0;
      for (const [i, t] of graph.entries()) {
        const row = rows[i]!;
        for (const field of ['givenName', 'familyName', 'email', 'phone'] as const) expect(row[field], `${t.id} ${field}`).toBe(t[field] ?? '');
        expect(row.birthYear).toBe(t.birthYear === null ? '' : String(t.birthYear));
        if (row.givenName !== '') filled += 1;
      }
      // Both cases occur: the caller's own talents with names, other organisations' published ones without.
      expect(filled).toBeGreaterThan(0);
      expect(filled).toBeLessThan(rows.length);
    }
  });

  it('statistics: the cells of talentStatistics, suppressed cells never as numbers', async () => {
    const { body } = await stack.query('{ talentStatistics(groupBy: [REGION, CATEGORY], regionLevel: 1) { cells { region { code } category talents suppressed } } }');
    const cells = body.data.talentStatistics.cells as any[];
    expect(cells.some((c) => c.suppressed)).toBe(true);
    const csv = parseCsv((await get(exportUrl('/export/statistics.csv?groupBy=REGION,CATEGORY&regionLevel=1'))).body.toString('utf8'));
    expect(csv).toEqual(
      cells.map((c) => ({ regionCode: c.region?.code ?? '', category: c.category ?? '', talents: c.suppressed ? '' : String(c.talents), suppressed: String(c.suppressed) })),
    );
    const lines = (await get(exportUrl('/export/statistics.ndjson?groupBy=REGION,CATEGORY&regionLevel=1'))).body.toString('utf8').trim().split('\n');
    const json = lines.map((l) => JSON.parse(l));
    expect(json).toEqual(cells.map((c) => ({ regionCode: c.region?.code ?? null, category: c.category, talents: c.talents, suppressed: c.suppressed })));
    for (const cell of json) if (cell.suppressed) expect(cell.talents).toBeNull();
    const refused = await get(exportUrl('/export/statistics.csv?groupBy=REGION&after=x'));
    expect(refused.status).toBe(400);
  });

  it('events: the graph\'s events for the same filter (instants in UTC)', async () => {
    const { body } = await stack.query('{ events(kind: TRAINING, first: 100) { nodes { id title kind status startsAt endsAt region { code } organiser { id } capacity } pageInfo { hasNextPage } } }');
    expect(body.data.events.pageInfo.hasNextPage).toBe(false);
    const graph = [...(body.data.events.nodes as any[])].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(graph.length).toBeGreaterThan(0);
    const rows = parseCsv((await get(exportUrl('/export/events.csv?kind=TRAINING'))).body.toString('utf8'));
    expect(rows.map((r) => r.id)).toEqual(graph.map((e) => e.id));
    for (const [i, e] of graph.entries()) {
      const row = rows[i]!;
      expect([row.title, row.kind, row.status, row.regionCode, row.organiserId, row.capacity]).toEqual([
        e.title, e.kind, e.status, e.region?.code ?? '', e.organiser.id, e.capacity === null ? '' : String(e.capacity),
      ]);
      expect(Date.parse(row.startsAt!)).toBe(Date.parse(e.startsAt));
      expect(Date.parse(row.endsAt!)).toBe(Date.parse(e.endsAt));
    }
  });

  it('registrations: signed-in callers only, the rows Event.registrations shows them', async () => {
    const anonymous = await get(exportUrl('/export/registrations.csv'));
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body.toString()).errors[0].message).toMatch(/sign in/);
    const organiser = 'aer';
    const token = await mintToken(organiser, 'viewer');
    const rows = (await get(exportUrl(`/export/registrations.ndjson?organiserId=${organiser}`), { token })).body
      .toString('utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    const { body } = await stack.query(
      `{ events(organiserId: "${organiser}", first: 100) { nodes { id registrations(first: 100) { nodes { id status talent { id } } pageInfo { hasNextPage } } } } }`,
      {},
      { token },
    );
    const graph = (body.data.events.nodes as any[]).flatMap((e) => {
      expect(e.registrations.pageInfo.hasNextPage).toBe(false);
      return e.registrations.nodes.map((r: any) => ({ id: r.id, eventId: e.id, status: r.status, talentId: r.talent?.id }));
    });
    expect(graph.length).toBeGreaterThan(0);
    const shown = rows.map((r) => ({ id: r.id, eventId: r.eventId, status: r.status, talentId: r.talentId }));
    expect(shown).toEqual(graph.sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('gzip on Accept-Encoding: gzip, the same bytes once inflated', async () => {
    const plain = await get(exportUrl('/export/talents.csv'));
    const zipped = await get(exportUrl('/export/talents.csv'), { headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    const refused = await get(exportUrl('/export/talents.csv'), { headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('resumes after the id of a row: the rest, exactly once', async () => {
    for (const format of ['csv', 'ndjson'] as const) {
      const read = async (query: string) => {
        const text = (await get(exportUrl(`/export/talents.${format}${query}`))).body.toString('utf8');
        return format === 'csv' ? parseCsv(text).map((r) => r.id) : text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l).id as string);
      };
      const all = await read('');
      const cut = Math.floor(all.length / 3);
      const rest = await read(`?after=${all[cut - 1]}`);
      expect([...all.slice(0, cut), ...rest]).toEqual(all);
      expect(await read(`?after=${all[all.length - 1]}`)).toEqual([]);
    }
  });

  it('bad requests: 404 for an unknown dataset, 400 naming the parameter, 401 for a bad token', async () => {
    const message = async (path: string, status: number, token?: string) => {
      const answer = await get(exportUrl(path), token ? { token } : {});
      expect(answer.status, answer.body.toString()).toBe(status);
      return JSON.parse(answer.body.toString()).errors[0].message as string;
    };
    expect(await message('/export/salaries.csv', 404)).toMatch(/No export named "salaries".*talents, statistics, registrations, events/);
    expect(await message('/export/talents.xlsx', 400)).toMatch(/talents\.csv or .*talents\.ndjson/);
    expect(await message('/export/talents.csv?regionCode=italy', 400)).toMatch(/Parameter "regionCode" must be a NUTS 2024 code/);
    expect(await message('/export/talents.csv?category=PILOT', 400)).toMatch(/Parameter "category".*must be one of/);
    expect(await message('/export/talents.csv?joinedFrom=2023-02-29', 400)).toMatch(/Parameter "joinedFrom"/);
    expect(await message('/export/talents.csv?joinedFrom=2024-01-01&joinedTo=2023-01-01', 400)).toMatch(/"joinedFrom" must not be after "joinedTo"/);
    expect(await message('/export/talents.csv?minLanguageLevel=B2', 400)).toMatch(/needs "language"/);
    expect(await message('/export/talents.csv?colour=red', 400)).toMatch(/takes no parameter "colour"/);
    expect(await message('/export/talents.csv?after=nope', 400)).toMatch(/Parameter "after" must be a UUID/);
    expect(await message('/export/statistics.csv?groupBy=REGION,SHOE_SIZE', 400)).toMatch(/Unknown dimension SHOE_SIZE/);
    expect(await message('/export/events.csv?startsFrom=yesterday', 400)).toMatch(/Parameter "startsFrom"/);
    expect(await message('/export/talents.csv', 401, 'not.a.token')).toMatch(/bearer token was refused/);
  });

  it('the subgraphs\' export routes take only the gateway\'s internal token', async () => {
    const direct = await get(new URL('/export/talents.csv', stack.subgraphUrls.talents).toString());
    expect(direct.status).toBe(401);
    const forged = await get(new URL('/export/talents.csv', stack.subgraphUrls.talents).toString(), { headers: { 'x-talent-hub-identity': 'a.b.c' } });
    expect(forged.status).toBe(401);
  });

  it('reads rows as the reader asks: an unread stream holds a bounded part of the rows, and gives every row when read', async () => {
    const db = stack.databases.talents!.db;
    // PGlite reads keyset pages (each re-running the series here, so fewer rows); PostgreSQL one COPY.
    const total = kind === 'pglite' ? 5 * pageSize + 7 : 300_000;
    const key = sql<string>`lpad(g::text, 8, '0')`;
    const source: KeysetSource = {
      kind: 'keyset',
      columns: [{ name: 'id', value: key }, { name: 'label', value: sql`'row ' || g` }],
      key,
      rows: (after) => db.selectFrom(sql`generate_series(1, ${sql.lit(total)})`.as('g')).$if(after !== null, (q) => q.where(key, '>', after!)),
    };
    const stream = await exportStream(db, source, 'csv', null);
    try {
      const chunks: Buffer[] = [];
      const take = (chunk: Buffer) => chunks.push(chunk);
      await new Promise<void>((resolve) =>
        stream.once('data', (chunk: Buffer) => {
          take(chunk);
          stream.pause();
          resolve();
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Paused after the first chunk: what was read sits in the stream's buffers, a small part of the whole.
      const whole = total * 18;
      expect(chunks[0]!.length + stream.readableLength).toBeLessThan(whole / 4);
      stream.on('data', take);
      stream.resume();
      await new Promise((resolve, reject) => stream.once('end', resolve).once('error', reject));
      const lines = Buffer.concat(chunks).toString('utf8').split('\r\n');
      expect(lines.length).toBe(total + 2);
      expect(lines[0]).toBe('id,label');
      expect(lines[total]).toBe(`${String(total).padStart(8, '0')},row ${total}`);
    } finally {
      stream.destroy();
    }
  });

  it('a reader that leaves half-way frees what the export held (the stack still stops, the store still answers)', async () => {
    await new Promise<void>((resolve, reject) => {
      http.get(exportUrl('/export/talents.ndjson'), (res) => {
        res.once('data', () => {
          res.destroy();
          resolve();
        });
      }).on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await get(exportUrl('/export/talents.csv?category=STUDENT'));
    expect(again.status).toBe(200);
  });

  it('the CLI writes what the endpoint serves, with progress on stderr, and --resume completes a cut-off file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'export-cli-'));
    try {
      const file = path.join(dir, 'talents.csv');
      const cli = (...args: string[]) =>
        promisify(execFile)(process.execPath, ['--conditions=@talent-hub/source', '--import', 'tsx', 'scripts/export/main.ts', ...args, '--gateway', stack.gatewayUrl], {
          env: { ...process.env, TALENT_HUB_TOKEN: '' },
        });
      const { stderr } = await cli('talents', '--format', 'csv', '--out', file);
      const served = (await get(exportUrl('/export/talents.csv'))).body;
      expect(readFileSync(file).equals(served)).toBe(true);
      const rows = parseCsv(served.toString('utf8')).length;
      expect(stderr).toMatch(new RegExp(`talents \\[#+\\] 100%  ${rows.toLocaleString('en')}/${rows.toLocaleString('en')} rows`));
      // Cut in the middle of a row, as a dropped connection leaves it; --resume keeps the complete rows and fetches the rest.
      truncateSync(file, Math.floor(served.length / 2));
      const resumed = await cli('talents', '--out', file, '--resume');
      expect(resumed.stderr).toMatch(/Resuming .* after [0-9a-f-]{36}/);
      expect(readFileSync(file).equals(served)).toBe(true);
      const refused = await cli('talents', '--filter', 'regionCode=italy').then(() => ({ code: 0, stderr: '' }), (error: { stderr: string; code: number }) => error);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/refused \(400\): Parameter "regionCode"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('export CLI arguments', () => {
  it('reads the dataset, format, filters, cursor and gateway, with defaults from the environment', () => {
    const command = parseExportCommand(['talents', '--format', 'ndjson', '--out', 't.ndjson', '--filter', 'regionCode=ITH5', '--filter', 'category=STUDENT'], {
      GATEWAY_URL: 'http://gw.example:4000',
      TALENT_HUB_TOKEN: 'a.b.c',
    });
    expect(command).toEqual({
      dataset: 'talents', format: 'ndjson', out: 't.ndjson', filters: [['regionCode', 'ITH5'], ['category', 'STUDENT']],
      after: null, resume: false, gateway: 'http://gw.example:4000', token: 'a.b.c', gzip: true,
    });
    expect(exportUrlOf(command, 'x-1').toString()).toBe('http://gw.example:4000/export/talents.ndjson?regionCode=ITH5&category=STUDENT&after=x-1');
    expect(parseExportCommand(['events', '--no-gzip']).gateway).toBe('http://localhost:4000/');
    expect(parseExportCommand(['events', '--no-gzip']).gzip).toBe(false);
  });

  it('refuses what it cannot run, saying why', () => {
    expect(() => parseExportCommand([])).toThrow(/Name the dataset/);
    expect(() => parseExportCommand(['salaries'])).toThrow(/Unknown dataset "salaries"/);
    expect(() => parseExportCommand(['talents', '--format', 'xlsx'])).toThrow(/--format must be csv or ndjson/);
    expect(() => parseExportCommand(['talents', '--filter', 'ITH5'])).toThrow(/--filter takes name=value/);
    expect(() => parseExportCommand(['talents', '--resume'])).toThrow(/give it with --out/);
    expect(() => parseExportCommand(['talents', '--colour', 'red'])).toThrow(/Unknown option '--colour'/);
    expect(() => parseExportCommand(['talents', '--gateway', 'nowhere'])).toThrow(/--gateway must be a URL/);
  });

  it('finds the last complete row of a cut-off file, and counts records across chunks', () => {
    const csv = Buffer.from('id,name\r\nb-1,"x\r\ny"\r\nc-2,z\r\nd-3,"par');
    expect(resumePointOf(csv, 0, 'csv')).toEqual({ keepBytes: csv.indexOf('d-3'), after: 'c-2', hasHeader: true });
    expect(resumePointOf(Buffer.from('id,name\r\n'), 0, 'csv')).toEqual({ keepBytes: 9, after: null, hasHeader: true });
    const ndjson = Buffer.from('{"id":"a"}\n{"id":"b"}\n{"id":"c","na');
    expect(resumePointOf(ndjson, 0, 'ndjson')).toEqual({ keepBytes: ndjson.indexOf('{"id":"c"'), after: 'b', hasHeader: false });
    const counter = new RecordCounter('csv', true);
    const out: Buffer[] = [];
    counter.on('data', (c: Buffer) => out.push(c));
    for (const part of ['id,na', 'me\r\nb-1,"x\r', '\ny"\r\nc-', '2,z\r\n']) counter.write(Buffer.from(part));
    expect(counter.records).toBe(2);
    expect(counter.lastId).toBe('c-2');
    expect(Buffer.concat(out).toString()).toBe('b-1,"x\r\ny"\r\nc-2,z\r\n');
  });
});
