import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTrustedDocumentsConfig } from './config.js';
import { defaultTrustedDocumentsPath, documentHash, loadTrustedDocuments, manifestOf, manifestText, parseManifest, TrustedDocuments } from './trusted-documents.js';

const hello = 'query Hello { hello }';
const bye = 'query Bye { bye }';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'talent-hub-trusted-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}

describe('manifests', () => {
  it('are Apollo persisted query manifests whose ids are the SHA-256 of the body, as APQ hashes it', () => {
    const manifest = manifestOf([{ name: 'Hello', type: 'query', body: hello }]);
    expect(manifest).toEqual({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: '3f710a83decac3d21ddeae7bd265d8c5a48749226d23327b5dfd7031f406a987', name: 'Hello', type: 'query', body: hello }],
    });
    // The hash of the exact bytes (Apollo Server's computeQueryHash): a space more is another document.
    expect(documentHash(`${hello} `)).not.toBe(documentHash(hello));
  });

  it('are refused when an id is not its body\'s hash, or the format is another', () => {
    const forged = JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: documentHash(hello), name: 'Bye', type: 'query', body: bye }] });
    expect(() => parseManifest(forged, 'x.json')).toThrow(/operations\[0\]\.id must be the SHA-256 of its body/);
    expect(() => parseManifest('{"format":"other","version":1,"operations":[]}', 'x.json')).toThrow(/must be \{"format": "apollo-persisted-query-manifest"/);
    expect(() => parseManifest('{', 'x.json')).toThrow(/x\.json is not JSON/);
    const badType = JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: documentHash(hello), name: 'Hello', type: 'fetch', body: hello }] });
    expect(() => parseManifest(badType, 'x.json')).toThrow(/type must be query, mutation or subscription/);
  });

  it('load from a folder, one client per file, each document trusted only for the clients that list it', () => {
    const folder = folderWith({
      'web.json': manifestText(manifestOf([{ name: 'Hello', type: 'query', body: hello }])),
      'dashboards.json': manifestText(manifestOf([{ name: 'Hello', type: 'query', body: hello }, { name: 'Bye', type: 'query', body: bye }])),
      'notes.txt': 'not a manifest',
    });
    const documents = loadTrustedDocuments(folder);
    expect([...documents.clients]).toEqual(['dashboards', 'web']);
    expect(documents.size).toBe(2);
    expect(documents.get(documentHash(bye))?.body).toBe(bye);
    expect(documents.trusts(documentHash(hello), 'web')).toBe(true);
    expect(documents.trusts(documentHash(bye), 'web')).toBe(false);
    expect(documents.trusts(documentHash(bye), 'dashboards')).toBe(true);
    expect(documents.trusts(documentHash(bye), undefined)).toBe(false);
    expect(documents.trusts(documentHash('{ other }'), 'dashboards')).toBe(false);
  });

  it('load from one file, the client named after it', () => {
    const folder = folderWith({ 'web.json': manifestText(manifestOf([{ name: 'Hello', type: 'query', body: hello }])) });
    expect([...loadTrustedDocuments(path.join(folder, 'web.json')).clients]).toEqual(['web']);
  });

  it('refuse to load nothing: a missing path, an empty folder, an invalid file', () => {
    expect(() => loadTrustedDocuments(path.join(os.tmpdir(), 'talent-hub-no-such-folder'))).toThrow(/does not exist/);
    expect(() => loadTrustedDocuments(folderWith({}))).toThrow(/holds no manifest/);
    expect(() => loadTrustedDocuments(folderWith({ 'web.json': '[]' }))).toThrow(/web\.json must be/);
    expect(() => loadTrustedDocuments(folderWith({ 'web client.json': manifestText(manifestOf([])) }))).toThrow(/is not a client name/);
  });

  it('in memory, take manifests by client name', () => {
    const documents = new TrustedDocuments({ web: manifestOf([{ name: 'Hello', type: 'query', body: hello }]) });
    expect(documents.get(documentHash(hello))?.clients).toEqual(new Set(['web']));
  });
});

describe('TRUSTED_DOCUMENTS', () => {
  it('is off by default, log in production, and reads the manifests from the committed folder', () => {
    expect(readTrustedDocumentsConfig({})).toEqual({ mode: 'off', path: defaultTrustedDocumentsPath });
    expect(readTrustedDocumentsConfig({ NODE_ENV: 'production' }).mode).toBe('log');
    expect(readTrustedDocumentsConfig({ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'off' }).mode).toBe('off');
    expect(readTrustedDocumentsConfig({ TRUSTED_DOCUMENTS: ' Enforce ', TRUSTED_DOCUMENTS_PATH: 'x/y.json' })).toEqual({ mode: 'enforce', path: path.resolve('x/y.json') });
  });

  it('refuses another mode', () => {
    expect(() => readTrustedDocumentsConfig({ TRUSTED_DOCUMENTS: 'strict' })).toThrow(/TRUSTED_DOCUMENTS must be off, log or enforce; got "strict"/);
  });

  it('default folder holds valid manifests of the repository\'s clients', () => {
    expect([...loadTrustedDocuments(defaultTrustedDocumentsPath).clients].sort()).toEqual(['talent-hub-dashboard', 'talent-hub-examples', 'talent-hub-partner-apps']);
  });
});
