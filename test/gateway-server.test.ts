import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { visit, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { composeSubgraphs } from '../scripts/compose.js';
import type { Database } from '@talent-hub/subgraph-lib/db';
import { developmentInternalSecret } from '@talent-hub/platform/identity';
import { listenSubgraph, prepareDatabase, type RunningSubgraph } from '@talent-hub/subgraph-lib/subgraph';
import type { RegionsDatabase } from '@talent-hub/regions/db/types';
import { regionsSubgraph } from '@talent-hub/regions/server';
import { listenGateway, type Logger, type RunningGateway } from '@talent-hub/gateway/server';

// The supergraph names an address where nothing answers: queries that work prove the configured URL is used.
const unreachableUrl = 'http://127.0.0.1:9/graphql';

const supergraphOf = (typeDefs: DocumentNode) =>
  composeSubgraphs([{ name: 'regions', url: unreachableUrl, typeDefs }]).supergraphSdl;

/** The regions SDL without `Region.countryCode`: the "before" version of a schema change. */
const withoutCountryCode = visit(regionsSubgraph.typeDefs, {
  ObjectTypeDefinition: (node) =>
    node.name.value === 'Region' ? { ...node, fields: node.fields?.filter((f) => f.name.value !== 'countryCode') } : undefined,
});

interface Result {
  data?: { region: { name?: string; countryCode?: string } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function query(url: string, document: string): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document }),
  });
  return (await response.json()) as Result;
}

describe('gateway', () => {
  let folder: string;
  let supergraphPath: string;
  let database: Database<RegionsDatabase> | undefined;
  let regions: RunningSubgraph | undefined;
  let gateway: RunningGateway | undefined;
  const logged: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (message) => logged.push(String(message)),
    warn: (message) => logged.push(String(message)),
    error: (message) => logged.push(String(message)),
  };
  const write = (text: string) => writeFileSync(supergraphPath, text);

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'gateway-test-'));
    supergraphPath = path.join(folder, 'supergraph.graphql');
    write(supergraphOf(withoutCountryCode));
    database = await prepareDatabase(regionsSubgraph, { kind: 'pglite', dataDir: undefined }, { seed: true });
    regions = await listenSubgraph(regionsSubgraph, database.db, { host: '127.0.0.1', port: 0, internalTokenSecret: developmentInternalSecret });
    gateway = await listenGateway({
      supergraphPath,
      subgraphUrls: { regions: regions.url },
      watch: true,
      logger,
      host: '127.0.0.1',
      port: 0,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await regions?.stop();
    await database?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('listens on the free port it was given and answers through the configured subgraph URL', async () => {
    expect(new URL(gateway!.url).port).not.toBe('0');
    expect(await query(gateway!.url, '{ region(code: "ITH5") { name } }')).toEqual({
      data: { region: { name: 'Emilia-Romagna' } },
    });
    const missing = await query(gateway!.url, '{ region(code: "ITH5") { countryCode } }');
    expect(missing.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('reloads the supergraph when its file changes', async () => {
    write(supergraphOf(regionsSubgraph.typeDefs));
    await vi.waitFor(
      async () => expect((await query(gateway!.url, '{ region(code: "ITH5") { countryCode } }')).data).toEqual({
        region: { countryCode: 'IT' },
      }),
      { timeout: 5_000, interval: 100 },
    );
    expect(logged.some((line) => line.startsWith('Supergraph reloaded'))).toBe(true);
  });

  it.each([
    ['a file that does not parse', 'type Query {'],
    ['a schema that is not a supergraph', 'type Query { hello: String }\n'],
  ])('keeps serving the previous supergraph after %s', async (_, text) => {
    logged.length = 0;
    write(text);
    await vi.waitFor(() => expect(logged.some((line) => line.includes('still serving the previous one'))).toBe(true), {
      timeout: 5_000,
      interval: 50,
    });
    expect(await query(gateway!.url, '{ region(code: "ITH5") { name countryCode } }')).toEqual({
      data: { region: { name: 'Emilia-Romagna', countryCode: 'IT' } },
    });
  });

  it('stops watching the file when stopped', async () => {
    await gateway!.stop();
    gateway = undefined;
    logged.length = 0;
    write(supergraphOf(withoutCountryCode));
    // Longer than the watcher's settling delay: a watcher left open would have logged by then.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(logged).toEqual([]);
  });
});
