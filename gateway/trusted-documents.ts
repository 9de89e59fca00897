import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sourceFile } from '@talent-hub/platform/paths';

// Trusted documents: the operations each client ships, in one manifest per client name, in Apollo's persisted query
// manifest format (what @apollo/generate-persisted-query-manifest writes and GraphOS routers read), so that a
// manifest from any client toolchain can be dropped in. `npm run trusted-documents` writes ours from the typed
// client workspace (scripts/trusted-documents.ts); trusted-documents-plugin.ts decides what the gateway does with
// documents that are not in them (TRUSTED_DOCUMENTS=off|log|enforce).

/** Where the committed manifests are (`<client name>.json` each); TRUSTED_DOCUMENTS_PATH replaces it. */
export const defaultTrustedDocumentsPath = sourceFile(import.meta.url, 'trusted-documents');

export const manifestFormat = 'apollo-persisted-query-manifest';

export interface ManifestOperation {
  /** The SHA-256 of `body`, lowercase hex: the same id APQ uses (`extensions.persistedQuery.sha256Hash`). */
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The exact text the client sends, byte for byte. */
  body: string;
}

export interface PersistedQueryManifest {
  format: typeof manifestFormat;
  version: 1;
  operations: ManifestOperation[];
}

/** A document's id: the SHA-256 of its text in lowercase hex, as Apollo Server hashes it for APQ. */
export const documentHash = (body: string) => createHash('sha256').update(body).digest('hex');

/** The manifest of a client's operations, sorted by name then id, so that the file does not depend on the order found. */
export function manifestOf(operations: readonly Omit<ManifestOperation, 'id'>[]): PersistedQueryManifest {
  const withIds = operations.map((operation) => ({ id: documentHash(operation.body), ...operation }));
  withIds.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { format: manifestFormat, version: 1, operations: withIds };
}

/** A manifest as committed: two-space JSON and a final newline. */
export const manifestText = (manifest: PersistedQueryManifest) => `${JSON.stringify(manifest, null, 2)}\n`;

/** A client name as a manifest's file name and a metric label may carry it. */
export const clientNameShape = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

/** One trusted document and the clients whose manifests list it. */
export interface TrustedDocument {
  id: string;
  body: string;
  clients: ReadonlySet<string>;
}

/**
 * Every client's manifest, indexed by document id and by text: one map lookup answers both "which document" and
 * "trusted for whom". The text index lets a request that sends the full text be checked without hashing it (a
 * string key is compared, not digested); Apollo Server then hashes it once, as for any request.
 */
export class TrustedDocuments {
  private readonly byId = new Map<string, { id: string; body: string; clients: Set<string> }>();
  private readonly byText = new Map<string, TrustedDocument>();
  private readonly names = new Set<string>();

  constructor(manifests: Record<string, PersistedQueryManifest>) {
    for (const [client, manifest] of Object.entries(manifests)) {
      this.names.add(client);
      for (const operation of manifest.operations) {
        const known = this.byId.get(operation.id);
        if (known) known.clients.add(client);
        else {
          const document = { id: operation.id, body: operation.body, clients: new Set([client]) };
          this.byId.set(operation.id, document);
          this.byText.set(operation.body, document);
        }
      }
    }
  }

  /** The document of this exact text, in any client's manifest. */
  withText(body: string): TrustedDocument | undefined {
    return this.byText.get(body);
  }

  /** The document of this id, in any client's manifest. */
  get(id: string): TrustedDocument | undefined {
    return this.byId.get(id);
  }

  /** Whether the document of this id is in the manifest of this client. */
  trusts(id: string, client: string | undefined): boolean {
    return client !== undefined && this.byId.get(id)?.clients.has(client) === true;
  }

  /** The client names that have a manifest. */
  get clients(): ReadonlySet<string> {
    return this.names;
  }

  get size(): number {
    return this.byId.size;
  }
}

/**
 * Checks a manifest's shape and that every id is its body's hash (an id naming another text would make the gateway
 * run that text for it). Throws, naming the file and the first problems.
 */
export function parseManifest(text: string, source: string): PersistedQueryManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Trusted documents manifest ${source} is not JSON: ${(error as Error).message}`);
  }
  const manifest = json as Partial<PersistedQueryManifest> | null;
  if (!manifest || typeof manifest !== 'object' || manifest.format !== manifestFormat || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    throw new Error(`Trusted documents manifest ${source} must be {"format": "${manifestFormat}", "version": 1, "operations": [...]}`);
  }
  const problems: string[] = [];
  manifest.operations.forEach((operation: Partial<ManifestOperation>, i) => {
    const at = `operations[${i}]`;
    if (!operation || typeof operation !== 'object') return problems.push(`${at} is not an object`);
    if (typeof operation.body !== 'string' || operation.body === '') return problems.push(`${at}.body must be the operation's text`);
    if (typeof operation.name !== 'string') problems.push(`${at}.name must be a string`);
    if (!['query', 'mutation', 'subscription'].includes(operation.type as string)) problems.push(`${at}.type must be query, mutation or subscription`);
    if (operation.id !== documentHash(operation.body)) problems.push(`${at}.id must be the SHA-256 of its body in lowercase hex (${documentHash(operation.body)})`);
    return undefined;
  });
  if (problems.length > 0) {
    throw new Error(`Trusted documents manifest ${source} is not valid:\n${problems.slice(0, 10).map((p) => `- ${p}`).join('\n')}`);
  }
  return manifest as PersistedQueryManifest;
}

/**
 * The manifests at `location`: a folder of `<client name>.json` files, or one such file. The client name is the
 * file's name without `.json`. Throws when there is none, or when one is not valid: a gateway told to check
 * documents must not start without knowing which are trusted.
 */
export function loadTrustedDocuments(location: string): TrustedDocuments {
  if (!existsSync(location)) throw new Error(`TRUSTED_DOCUMENTS_PATH ${location} does not exist`);
  const files = statSync(location).isDirectory()
    ? readdirSync(location).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(location, name))
    : [location];
  if (files.length === 0) throw new Error(`TRUSTED_DOCUMENTS_PATH ${location} holds no manifest (<client name>.json)`);
  const manifests: Record<string, PersistedQueryManifest> = {};
  for (const file of files) {
    const client = path.basename(file, '.json');
    if (!clientNameShape.test(client)) throw new Error(`Trusted documents manifest ${file}: "${client}" is not a client name (letters, digits, . _ @ -)`);
    manifests[client] = parseManifest(readFileSync(file, 'utf8'), file);
  }
  return new TrustedDocuments(manifests);
}
