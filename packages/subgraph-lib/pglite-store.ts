import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import { PGlite, type ParserOptions } from '@electric-sql/pglite';
import { sourceFile } from '@talent-hub/platform/paths';

// How a subgraph opens its embedded PostgreSQL (PGlite), measured on `npm run bench:start` (bench/start.ts):
//
// - Memory. PGlite is PostgreSQL compiled to WebAssembly: its shared buffers live in the process's WebAssembly
//   memory, which never shrinks. With PostgreSQL's default 128 MB of shared buffers each subgraph held ~430 MB
//   once idle; the demo databases are 10 to 30 MB of tables, so a smaller cache costs little (a page not cached
//   is a read from the operating system's file cache) and three subgraphs then fit the 800 MB budget of issue 15.
//   These are start parameters, so nothing is written into the data folder and a PostgreSQL server is unaffected.
//
// - A new data folder. PGlite makes a new cluster with initdb, which runs a second PostgreSQL instance inside the
//   process: 3 to 4 s of CPU and ~700 MB of memory that the process keeps afterwards (WebAssembly memory is not
//   given back), in each of the three subgraphs at once on a first start. The cluster initdb makes is always the
//   same for one PGlite version, so it is made once (`npm run pglite:template`) and committed, compressed
//   (pglite-cluster/cluster.tar.br, ~1.5 MB); a new data folder is unpacked from it instead. Migrations and the
//   demo seed still run on it as on any empty database, so the template knows nothing of this project's schema
//   and cannot go stale with it; it can only go stale with PGlite itself, and then it is not used (initdb runs, as
//   before) and the template test fails until it is made again.

/**
 * Start parameters added to PGlite's own: see above. (Smaller wal_buffers or max_connections were tried and gave no
 * measurable memory back; max_connections=10 seemed to slow the migrations.)
 */
export const pgliteMemorySettings: Readonly<Record<string, string>> = { shared_buffers: '16MB' };

export const pgliteStartParams: readonly string[] = [
  ...PGlite.defaultStartParams,
  ...Object.entries(pgliteMemorySettings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
];

/** Where the committed template of an empty cluster lives, and what it was made with. */
export const templateFolder = sourceFile(import.meta.url, 'pglite-cluster');
const templateTarball = 'cluster.tar.br';
const templateManifest = 'cluster.json';

/** What a template was made with: a template is only used by the PGlite version that made it. */
export interface TemplateManifest {
  /** The version of @electric-sql/pglite whose initdb made the cluster. */
  pglite: string;
  /** sha256 of the uncompressed tarball, checked before it is unpacked. */
  sha256: string;
}

/** The installed version of @electric-sql/pglite (its package.json, found from the module Node resolves). */
export function installedPgliteVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('@electric-sql/pglite: package.json not found');
    dir = parent;
  }
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The uncompressed template tarball when it is there, intact and made by the installed PGlite; otherwise the
 * reason it cannot be used (and the caller lets initdb run).
 */
export function readClusterTemplate(folder = templateFolder, pgliteVersion = installedPgliteVersion()): { tar: Buffer } | { refused: string } {
  const manifestFile = path.join(folder, templateManifest);
  if (!existsSync(manifestFile)) return { refused: `no ${manifestFile}` };
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as TemplateManifest;
  if (manifest.pglite !== pgliteVersion) {
    return { refused: `made by PGlite ${manifest.pglite}, installed is ${pgliteVersion} (run npm run pglite:template)` };
  }
  const tar = brotliDecompressSync(readFileSync(path.join(folder, templateTarball)));
  const sha256 = createHash('sha256').update(tar).digest('hex');
  if (sha256 !== manifest.sha256) return { refused: `${templateTarball} does not match ${templateManifest} (run npm run pglite:template)` };
  return { tar };
}

/**
 * Writes a template: the data folder of a new PGlite cluster, made by initdb and shut down cleanly, as a tarball,
 * compressed. (Not PGlite's dumpDataDir: that copies a running cluster, which each new folder then recovers, and
 * the migrations that follow ran twice as slow on it.)
 */
export async function writeClusterTemplate(folder = templateFolder): Promise<TemplateManifest> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pglite-template-'));
  try {
    await (await PGlite.create({ dataDir })).close();
    const tar = packTar(dataDir);
    const manifest: TemplateManifest = { pglite: installedPgliteVersion(), sha256: createHash('sha256').update(tar).digest('hex') };
    mkdirSync(folder, { recursive: true });
    // Brotli with a 16 MB window: the cluster's three databases are near copies of each other (1.5 MB; gzip: 4.3 MB).
    const compressed = brotliCompressSync(tar, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_LGWIN]: 24 } });
    writeFileSync(path.join(folder, templateTarball), compressed);
    writeFileSync(path.join(folder, templateManifest), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A ustar tarball of a folder's sub-folders and plain files, in name order, with no owner and no dates. */
export function packTar(folder: string): Buffer {
  const blocks: Buffer[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        blocks.push(tarHeader(name, '5', 0));
        walk(name);
      } else if (entry.isFile()) {
        const data = readFileSync(path.join(folder, name));
        blocks.push(tarHeader(name, '0', data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
      } else throw new Error(`${name}: only folders and plain files can be packed`);
    }
  };
  walk('');
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function tarHeader(name: string, type: '0' | '5', size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`${name}: name too long for a tarball header`);
  const header = Buffer.alloc(512);
  const octal = (value: number, start: number, length: number) => header.write(value.toString(8).padStart(length - 1, '0') + '\0', start, length, 'latin1');
  header.write(name, 0, 100, 'utf8');
  octal(type === '5' ? 0o700 : 0o600, 100, 8);
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(size, 124, 12);
  octal(0, 136, 12); // mtime
  header.write(type, 156, 1, 'latin1');
  header.write('ustar\0' + '00', 257, 8, 'latin1');
  header.fill(' ', 148, 156); // the checksum counts its own field as spaces
  octal(header.reduce((sum, byte) => sum + byte, 0), 148, 7);
  return header;
}

/**
 * Gives a new data folder its cluster from the template; true when it did. A folder that holds anything at all
 * is left alone (PGlite then resumes the cluster in it, or runs initdb as before), so data is never overwritten.
 * The tarball is unpacked beside the folder and renamed into place, so a start cut short leaves no half cluster.
 */
export function unpackClusterTemplate(dataDir: string, template: { tar: Buffer }): boolean {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  const partial = `${dataDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    extractTar(template.tar, partial);
    if (existsSync(dataDir)) rmdirSync(dataDir); // empty (checked above); rmdir fails if that has changed since
    renameSync(partial, dataDir);
    return true;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Unpacks a ustar tarball of folders and plain files (what dumpDataDir writes) under `into`. */
export function extractTar(tar: Buffer, into: string): void {
  const root = path.resolve(into);
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break; // the end: two zero blocks
    const field = (start: number, length: number) => header.toString('latin1', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const target = path.resolve(root, `.${path.posix.sep}${name.replace(/^\/+/, '')}`);
    if (target !== root && !target.startsWith(root + path.sep)) throw new Error(`tarball entry outside its folder: ${name}`);
    offset += 512;
    if (type === '5') mkdirSync(target, { recursive: true, mode: 0o700 });
    else if (type === '0') {
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, tar.subarray(offset, offset + size), { mode: 0o600 });
    } else throw new Error(`tarball entry of type ${type} not supported: ${name}`);
    offset += Math.ceil(size / 512) * 512;
  }
}

export interface OpenPGliteOptions {
  /** A folder on disk; undefined keeps the database in memory (tests). */
  dataDir: string | undefined;
  parsers?: ParserOptions;
  /** The template to start a new cluster from (default: the committed one; null: always initdb). */
  template?: { tar: Buffer } | null;
}

/** Opens PGlite with the memory settings above, a new cluster coming from the template when there is one. */
export async function openPGlite(options: OpenPGliteOptions): Promise<PGlite> {
  const { dataDir } = options;
  const common = { startParams: [...pgliteStartParams], ...(options.parsers ? { parsers: options.parsers } : {}) };
  const needsCluster = dataDir === undefined || !existsSync(path.join(dataDir, 'PG_VERSION'));
  const template = needsCluster ? (options.template === undefined ? usableTemplate() : options.template) : null;
  if (dataDir === undefined) {
    // In memory: PGlite loads the tarball into its in-memory file system, instead of running initdb.
    return PGlite.create({ ...common, ...(template ? { loadDataDir: new Blob([new Uint8Array(template.tar)]) } : {}) });
  }
  if (template) unpackClusterTemplate(dataDir, template);
  mkdirSync(dataDir, { recursive: true });
  return PGlite.create({ ...common, dataDir });
}

/**
 * The committed template; null (initdb) when it cannot be used, with the reason on stderr. Read each time rather
 * than kept: unpacked it is 38 MB, which a subgraph would hold for nothing once its cluster is made.
 */
function usableTemplate(): { tar: Buffer } | null {
  const read = readClusterTemplate();
  if ('tar' in read) return read;
  process.stderr.write(`PGlite cluster template not used: ${read.refused}; running initdb instead\n`);
  return null;
}
