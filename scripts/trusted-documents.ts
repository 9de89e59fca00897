import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getOperationAST, parse, print } from 'graphql';
import { projectRoot } from '@talent-hub/platform/paths';
import { knownOperations } from '@talent-hub/gateway/known-operations';
import { manifestOf, manifestText, type ManifestOperation } from '@talent-hub/gateway/trusted-documents';
import { clientName as examplesClient } from '@talent-hub/examples/client';
import { dashboardClientName } from '../dashboard/src/client-name.js';
import { dashboardOperations, exampleOperations, operationFiles, type OperationSet } from './examples-codegen.js';

// `npm run trusted-documents` (and `npm run codegen`): the trusted documents manifests of the clients this
// repository ships, one `<client name>.json` per client in gateway/trusted-documents/ (committed; the gateway reads
// them with TRUSTED_DOCUMENTS=log or enforce). test/trusted-documents.test.ts fails when a committed one is stale.
//
// A manifest lists each operation's text exactly as its client sends it, since the id is the hash of those bytes:
// - talent-hub-examples: the typed client workspace (examples/operations/*.graphql, typed by examples-codegen.ts).
//   Its client sends `print(document)` of the generated TypedDocumentNode, which is `print(parse(file))`.
// - talent-hub-dashboard: the dashboard (dashboard/operations/*.graphql), sent the same way through the same client.
// - talent-hub-partner-apps: the partner apps' and dashboards' main queries that the gateway warms and the
//   benchmark sends (gateway/known-operations.ts), as written there.
// Another client's manifest, made by its own toolchain (e.g. @apollo/generate-persisted-query-manifest), is dropped
// into the folder beside these under its client name; this script leaves files it does not write alone.

export const trustedDocumentsFolder = path.join('gateway', 'trusted-documents');

type Operation = Omit<ManifestOperation, 'id'>;

/** The operation of one GraphQL text, as its client sends it. */
function operationOf(body: string, source: string): Operation {
  const operation = getOperationAST(parse(body));
  if (!operation?.name) throw new Error(`${source}: must hold exactly one named operation`);
  return { name: operation.name.value, type: operation.operation, body };
}

/** Every manifest this repository generates, by client name, for the project under `root`. */
export function generateTrustedManifests(root: string = projectRoot): Record<string, string> {
  const typed = (set: OperationSet) =>
    operationFiles(set, root).map((file) => operationOf(print(parse(readFileSync(file, 'utf8'))), path.relative(root, file)));
  const partnerApps = knownOperations.map((known) => operationOf(known.query, `gateway/known-operations.ts (${known.name})`));
  return {
    [examplesClient]: manifestText(manifestOf(typed(exampleOperations))),
    [dashboardClientName]: manifestText(manifestOf(typed(dashboardOperations))),
    'talent-hub-partner-apps': manifestText(manifestOf(partnerApps)),
  };
}

/** Writes the generated manifests under `root`; returns their paths. */
export function writeTrustedManifests(root: string = projectRoot): string[] {
  const folder = path.join(root, trustedDocumentsFolder);
  mkdirSync(folder, { recursive: true });
  const manifests = generateTrustedManifests(root);
  return Object.entries(manifests).map(([client, text]) => {
    const file = path.join(folder, `${client}.json`);
    writeFileSync(file, text);
    return file;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    for (const file of writeTrustedManifests()) console.log(`wrote ${path.relative(projectRoot, file)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
