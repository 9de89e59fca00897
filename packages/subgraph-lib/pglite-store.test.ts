import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  extractTar,
  installedPgliteVersion,
  openPGlite,
  packTar,
  readClusterTemplate,
  templateFolder,
  unpackClusterTemplate,
  type TemplateManifest,
} from './pglite-store.js';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'pglite-store-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function committedTemplate(): { tar: Buffer } {
  const read = readClusterTemplate();
  if (!('tar' in read)) throw new Error(read.refused);
  return read;
}

describe('the committed cluster template', () => {
  it('was made by the installed PGlite (else run `npm run pglite:template` and commit what it writes)', () => {
    const manifest = JSON.parse(readFileSync(path.join(templateFolder, 'cluster.json'), 'utf8')) as TemplateManifest;
    expect(manifest.pglite).toBe(installedPgliteVersion());
    expect(readClusterTemplate()).toHaveProperty('tar');
  });

  it('is refused when another PGlite version made it, or when its tarball does not match its manifest', () => {
    const copy = path.join(scratch, 'template');
    cpSync(templateFolder, copy, { recursive: true });
    expect(readClusterTemplate(copy, '0.0.1')).toEqual({ refused: expect.stringContaining('installed is 0.0.1') });

    const manifestFile = path.join(copy, 'cluster.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as TemplateManifest;
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, sha256: '0'.repeat(64) }));
    expect(readClusterTemplate(copy)).toEqual({ refused: expect.stringContaining('does not match') });
  });
});

describe('a data folder', () => {
  it('is made from the template when new, and a later start resumes it: data stays, nothing is unpacked again', async () => {
    const dataDir = path.join(scratch, 'talents');
    let pg = await openPGlite({ dataDir });
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    // The memory settings apply (a start parameter: nothing written into the folder's postgresql.conf).
    expect((await pg.query<{ shared_buffers: string }>('show shared_buffers')).rows[0]!.shared_buffers).toBe('16MB');
    await pg.exec('create table kept (id int primary key); insert into kept values (1);');
    await pg.close();
    expect(readFileSync(path.join(dataDir, 'postgresql.conf'), 'utf8')).not.toContain('16MB');

    // A template that would fail if it were unpacked: a start of a folder with a cluster must not touch it.
    pg = await openPGlite({ dataDir, template: { tar: Buffer.from('not a tarball') } });
    expect((await pg.query('select id from kept')).rows).toEqual([{ id: 1 }]);
    await pg.close();
  });

  it('that holds anything is never overwritten by the template', () => {
    const dataDir = path.join(scratch, 'regions');
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'someone-elses-file'), 'keep me');
    expect(unpackClusterTemplate(dataDir, committedTemplate())).toBe(false);
    expect(readdirSync(dataDir)).toEqual(['someone-elses-file']);
  });

  it('is unpacked whole or not at all: nothing is left beside it', () => {
    const dataDir = path.join(scratch, 'trainings');
    expect(() => unpackClusterTemplate(dataDir, { tar: tarOf({ '../outside': 'x' }) })).toThrow(/outside its folder/);
    expect(readdirSync(scratch)).toEqual([]);
    expect(unpackClusterTemplate(dataDir, committedTemplate())).toBe(true);
    expect(readdirSync(scratch)).toEqual(['trainings']);
  });

  it('in memory (tests) starts from the template too', async () => {
    const pg = await openPGlite({ dataDir: undefined });
    expect((await pg.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await pg.close();
  });
});

describe('tarballs', () => {
  it('unpack what was packed', () => {
    const from = path.join(scratch, 'from');
    mkdirSync(path.join(from, 'base', '1'), { recursive: true });
    writeFileSync(path.join(from, 'PG_VERSION'), '17\n');
    writeFileSync(path.join(from, 'base', '1', '1247'), Buffer.alloc(8192 + 3, 7));
    const to = path.join(scratch, 'to');
    extractTar(packTar(from), to);
    expect(readFileSync(path.join(to, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(readFileSync(path.join(to, 'base', '1', '1247'))).toEqual(Buffer.alloc(8192 + 3, 7));
  });
});

/** A tarball of the given files under any name, even one no folder can hold (`../outside`). */
function tarOf(files: Record<string, string>): Buffer {
  const from = mkdtempSync(path.join(os.tmpdir(), 'pglite-tar-'));
  try {
    const names = Object.keys(files);
    names.forEach((name, i) => writeFileSync(path.join(from, `f${i}`), files[name]!));
    const tar = packTar(from);
    // Rename the entries in place: the header's name field, then its checksum.
    names.forEach((name, i) => {
      const offset = tar.indexOf(Buffer.from(`f${i}\0`));
      tar.fill(0, offset, offset + 100);
      tar.write(name, offset, 100, 'utf8');
      tar.fill(' ', offset + 148, offset + 156);
      const sum = tar.subarray(offset, offset + 512).reduce((s, b) => s + b, 0);
      tar.write(sum.toString(8).padStart(6, '0') + '\0', offset + 148, 7, 'latin1');
    });
    return tar;
  } finally {
    rmSync(from, { recursive: true, force: true });
  }
}
