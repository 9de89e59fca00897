import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StoreConfig } from '../db.js';

// Fresh PostgreSQL databases for tests (one per test file or stack), created on the server TEST_DATABASE_URL names
// and dropped afterwards. Names carry the process id and random bytes, so parallel test workers never collide.

export interface TestDatabase {
  store: StoreConfig;
  /** Drops the database; call it after closing every pool on it. */
  drop(): Promise<void>;
}

async function admin(baseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named after `label` (lowercase letters, digits and underscores). */
export async function createTestDatabase(baseUrl: string, label: string): Promise<TestDatabase> {
  if (!/^[a-z0-9_]{1,30}$/.test(label)) throw new Error(`A test database label must be lowercase letters, digits or _; got "${label}"`);
  const name = `talent_hub_test_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin(baseUrl, `create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // A closed pool's connections may still be ending on the server; dropping with force at once would terminate
  // them mid-goodbye, an error the closed pool can no longer handle. So wait for them a little first.
  const drop = async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        return await admin(baseUrl, `drop database if exists ${name}`);
      } catch (error) {
        if ((error as { code?: string }).code !== '55006') throw error; // 55006: still in use
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await admin(baseUrl, `drop database if exists ${name} with (force)`);
  };
  return { store: { kind: 'postgres', url: url.toString() }, drop };
}
