import path from 'node:path';
import type { StoreConfig } from './db.js';
import { readBoolean, readPort, readSecret, readString, readUrl, type Env } from './env.js';
import { developmentInternalSecret } from './identity.js';
import { projectRoot } from './paths.js';

/** Everything a subgraph process reads from its environment. Each subgraph's config.ts calls this once. */
export interface SubgraphConfig {
  name: string;
  host: string;
  port: number;
  store: StoreConfig;
  seedDemoData: boolean;
  /** Verifies the identity tokens the gateway sends (shared with the gateway). */
  internalTokenSecret: string;
  /** Where the subgraphs of this graph answer, for calls between them (see peers.ts). */
  subgraphUrls: Record<SubgraphName, string>;
}

export type SubgraphName = 'talents' | 'trainings' | 'regions';

/** Where each subgraph listens unless its `<NAME>_PORT` says otherwise. */
export const defaultSubgraphPorts: Record<SubgraphName, number> = { talents: 4001, trainings: 4002, regions: 4003 };

/**
 * `TALENTS_URL`, `TRAININGS_URL`, `REGIONS_URL`: where each subgraph answers (default
 * `http://127.0.0.1:4001/graphql`, 4002, 4003). Read by the gateway and by subgraphs that call each other.
 */
export function readSubgraphUrls(env: Env): Record<SubgraphName, string> {
  const url = (name: SubgraphName) =>
    readUrl(env, `${name.toUpperCase()}_URL`, ['http:', 'https:']) ?? `http://127.0.0.1:${defaultSubgraphPorts[name]}/graphql`;
  return { talents: url('talents'), trainings: url('trainings'), regions: url('regions') };
}

/**
 * Variables (NAME is the subgraph's name in capitals, e.g. TALENTS):
 * - `NAME_PORT`: port to listen on.
 * - `NAME_DATABASE_URL`: a postgres:// URL; when absent the subgraph uses embedded PGlite.
 * - `DATA_DIR`: folder for embedded databases (default `.data` in the project); each subgraph uses a sub-folder.
 * - `HOST`: interface to listen on (default 127.0.0.1; use 0.0.0.0 in a container).
 * - `SEED_DEMO_DATA`: load the demo data on start when the database lacks it (default true).
 * - `INTERNAL_TOKEN_SECRET`: the secret the gateway signs callers' identities with, at least 32 characters;
 *   required in production (NODE_ENV=production), a fixed development secret otherwise.
 * - `TALENTS_URL`, `TRAININGS_URL`, `REGIONS_URL`: see readSubgraphUrls.
 */
export function readSubgraphConfig(name: string, defaultPort: number, env: Env = process.env): SubgraphConfig {
  const prefix = name.toUpperCase();
  const url = readUrl(env, `${prefix}_DATABASE_URL`, ['postgres:', 'postgresql:']);
  const dataDir = path.resolve(readString(env, 'DATA_DIR', path.join(projectRoot, '.data')), name);
  return {
    name,
    host: readString(env, 'HOST', '127.0.0.1'),
    port: readPort(env, `${prefix}_PORT`, defaultPort),
    store: url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir },
    seedDemoData: readBoolean(env, 'SEED_DEMO_DATA', true),
    internalTokenSecret: readSecret(env, 'INTERNAL_TOKEN_SECRET', developmentInternalSecret),
    subgraphUrls: readSubgraphUrls(env),
  };
}
