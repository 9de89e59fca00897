import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chunks, copyStatement, type Writer } from './writer.js';

/** Text handed to the COPY stream at a time; large enough that per-chunk overhead vanishes. */
const CHUNK_CHARS = 256 * 1024;

/** A writer on PostgreSQL: one client (so one transaction), COPY FROM STDIN fed by a stream of generated text. */
export async function openPostgresWriter(url: string): Promise<Writer> {
  const client = new pg.Client({ connectionString: url, application_name: 'talent-hub data:generate' });
  await client.connect();
  return {
    store: 'postgres',
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await client.query(text, [...params]);
      return result.rows as Row[];
    },
    async copy(load, progress, signal) {
      // The readable pulls the next chunk only when the COPY stream has room: memory stays at a few chunks.
      await pipeline(Readable.from(chunks(load, progress, CHUNK_CHARS, signal)), client.query(copyFrom(copyStatement(load, 'stdin'))));
    },
    async vacuumAnalyze() {
      await client.query('vacuum analyze');
    },
    async close() {
      await client.end();
    },
  };
}
