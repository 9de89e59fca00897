import { readFileSync } from 'node:fs';
import path from 'node:path';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { talentsWithRegistrations } from '@talent-hub/gateway/known-operations';
import { GatewayMetrics } from '@talent-hub/gateway/metrics';
import { listenGateway, type RunningGateway } from '@talent-hub/gateway/server';
import { defaultTrustedDocumentsPath, documentHash, loadTrustedDocuments } from '@talent-hub/gateway/trusted-documents';
import type { TrustedDocumentsMode } from '@talent-hub/gateway/trusted-documents-plugin';
import { projectRoot } from '@talent-hub/platform/paths';
import * as examples from '../examples/generated/operations.js';
import { generateTrustedManifests, trustedDocumentsFolder } from '../scripts/trusted-documents.js';
import { startStack, type Stack } from './harness.js';

// Trusted documents through real gateways over the three subgraphs: the committed manifests are current, the typed
// client's documents are in its manifest byte for byte, and what off, log and enforce do with trusted and unknown
// documents sent by id and by text.

describe('committed trusted documents manifests', () => {
  it.each(Object.entries(generateTrustedManifests()))('of %s are current (run `npm run trusted-documents` or `npm run codegen`)', (client, text) => {
    expect(readFileSync(path.join(projectRoot, trustedDocumentsFolder, `${client}.json`), 'utf8')).toBe(text);
  });

  it('hold every document of the typed client as its client sends it (print of the generated document)', () => {
    const documents = loadTrustedDocuments(defaultTrustedDocumentsPath);
    const generated = Object.entries(examples).filter(([name]) => name.endsWith('Document'));
    expect(generated.length).toBeGreaterThan(10);
    for (const [name, document] of generated) {
      expect(documents.trusts(documentHash(print(document as Parameters<typeof print>[0])), 'talent-hub-examples'), name).toBe(true);
    }
  });
});

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };
const regionWithParent = print(examples.RegionWithParentDocument);
const regionAnswer = JSON.parse(readFileSync(path.join(projectRoot, 'examples', 'operations', 'region-with-parent.expected.json'), 'utf8'));
const unknownQuery = '{ region(code: "ITH5") { name parent { name } } }';

interface Started {
  gateway: RunningGateway;
  metrics: GatewayMetrics;
  warnings: unknown[];
}

let stack: Stack;
const gateways: Partial<Record<TrustedDocumentsMode, Started>> = {};

async function startGateway(mode: TrustedDocumentsMode): Promise<Started> {
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  const warnings: unknown[] = [];
  const gateway = await listenGateway({
    supergraphPath: path.join(projectRoot, 'schema', 'supergraph.graphql'),
    subgraphUrls: stack.subgraphUrls,
    watch: false,
    host: '127.0.0.1',
    port: 0,
    logger: { ...quietLogger, warn: (message) => warnings.push(message) },
    metrics,
    // As production: no introspection, so untrusted documents are refused unparsed.
    introspection: false,
    trustedDocuments: { mode, path: defaultTrustedDocumentsPath },
  });
  return { gateway, metrics, warnings };
}

beforeAll(async () => {
  stack = await startStack('pglite');
  gateways.log = await startGateway('log');
  gateways.enforce = await startGateway('enforce');
});
afterAll(async () => {
  for (const started of Object.values(gateways)) await started?.gateway.stop();
  await stack?.stop();
});

async function post(url: string, body: unknown, client?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(client ? { 'apollographql-client-name': client } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

async function untrustedCount(started: Started, client: string, action: string): Promise<number> {
  const text = await started.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`gateway_untrusted_documents_total{client="${client}",action="${action}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('TRUSTED_DOCUMENTS=off', () => {
  it('runs any document, as before', async () => {
    const response = await post(stack.gatewayUrl, { query: unknownQuery });
    expect(response.status).toBe(200);
    expect(response.json.data.region.name).toBe('Emilia-Romagna');
  });
});

describe('TRUSTED_DOCUMENTS=log', () => {
  it('runs an unknown document, counts it and logs its client and hash, never its text', async () => {
    const log = gateways.log!;
    const response = await post(log.gateway.url, { query: unknownQuery }, 'talent-hub-examples');
    expect(response.status).toBe(200);
    expect(response.json.data.region.parent.name).toBeTruthy();
    expect(await untrustedCount(log, 'talent-hub-examples', 'logged')).toBe(1);
    expect(log.warnings).toContainEqual({ msg: 'untrusted document', client: 'talent-hub-examples', documentId: documentHash(unknownQuery), mode: 'log' });
    expect(JSON.stringify(log.warnings)).not.toContain('parent');
  });

  it('runs a trusted document by id without counting it', async () => {
    const log = gateways.log!;
    const response = await post(log.gateway.url, { documentId: `sha256:${documentHash(regionWithParent)}`, variables: { code: 'ITH5' } }, 'talent-hub-examples');
    expect(response.json).toEqual(regionAnswer);
    expect(await untrustedCount(log, 'talent-hub-examples', 'logged')).toBe(1);
  });
});

describe('TRUSTED_DOCUMENTS=enforce', () => {
  it('kept the warm-up of the known operations working (nothing refused at start)', async () => {
    expect(gateways.enforce!.warnings).toEqual([]);
  });

  it('runs a trusted document sent by its documentId', async () => {
    const response = await post(gateways.enforce!.gateway.url, { documentId: `sha256:${documentHash(regionWithParent)}`, variables: { code: 'ITH5' } }, 'talent-hub-examples');
    expect(response).toEqual({ status: 200, json: regionAnswer });
  });

  it('runs a trusted document sent by its APQ hash, and by its full text', async () => {
    const url = gateways.enforce!.gateway.url;
    const byHash = await post(url, { variables: { code: 'ITH5' }, extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(regionWithParent) } } }, 'talent-hub-examples');
    expect(byHash).toEqual({ status: 200, json: regionAnswer });
    const byText = await post(url, { query: regionWithParent, variables: { code: 'ITH5' }, operationName: 'RegionWithParent' }, 'talent-hub-examples');
    expect(byText).toEqual({ status: 200, json: regionAnswer });
    // The partner apps' flagship, by the other client's manifest.
    const flagship = await post(url, { query: talentsWithRegistrations.query, variables: { first: 2 } }, 'talent-hub-partner-apps');
    expect(flagship.status).toBe(200);
    expect(flagship.json.data.talents.nodes).toHaveLength(2);
  });

  it('refuses an unknown document with DOCUMENT_NOT_TRUSTED and 400 before any subgraph is called, and counts it', async () => {
    const enforce = gateways.enforce!;
    const before = stack.statements();
    const response = await post(enforce.gateway.url, { query: unknownQuery }, 'talent-hub-examples');
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    expect(response.json.errors).toHaveLength(1);
    expect(response.json.errors[0].extensions).toEqual({ code: 'DOCUMENT_NOT_TRUSTED', documentId: documentHash(unknownQuery) });
    expect(response.json.errors[0].message).toMatch(/This gateway runs only trusted documents\. Send an operation your client ships in its trusted documents manifest/);
    expect(stack.statements()).toBe(before);
    expect(await untrustedCount(enforce, 'talent-hub-examples', 'refused')).toBe(1);
  });

  it('refuses a trusted document sent under another client name, or none', async () => {
    const url = gateways.enforce!.gateway.url;
    const other = await post(url, { query: regionWithParent, variables: { code: 'ITH5' } }, 'talent-hub-partner-apps');
    expect(other.status).toBe(400);
    expect(other.json.errors[0].message).toMatch(/is not trusted for client "talent-hub-partner-apps"/);
    const anonymous = await post(url, { query: regionWithParent, variables: { code: 'ITH5' } });
    expect(anonymous.json.errors[0].extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
    expect(await untrustedCount(gateways.enforce!, 'none', 'refused')).toBe(1);
  });

  it('refuses an unknown id, and introspection (off here)', async () => {
    const url = gateways.enforce!.gateway.url;
    const unknownId = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, 'talent-hub-examples');
    expect(unknownId.status).toBe(400);
    expect(unknownId.json.errors[0].extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
    const introspection = await post(url, { query: '{ __schema { queryType { name } } }' }, 'talent-hub-examples');
    expect(introspection.json.errors[0].extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
  });

  it('answers each operation of a batch on its own', async () => {
    const response = await post(
      gateways.enforce!.gateway.url,
      [
        { query: regionWithParent, variables: { code: 'ITH5' } },
        { query: unknownQuery },
      ],
      'talent-hub-examples',
    );
    expect(response.json[0]).toEqual(regionAnswer);
    expect(response.json[1].errors[0].extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
  });
});
