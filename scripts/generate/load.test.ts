import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type StoreConfig } from '@talent-hub/subgraph-lib/db';
import { readStores } from './config.js';
import { exchangeIdRange, GENERATED_EVENT_PREFIX, mentorshipIdRange, registrationIdRange, talentIdRange } from './ids.js';
import type { GenerateOptions } from './options.js';
import { Progress } from './progress.js';
import { ExistingDataError, generateData, type RunContext, type Stores } from './run.js';

// Loads into real databases: embedded PGlite in a temporary DATA_DIR, and PostgreSQL when TEST_DATABASE_URL is
// set (fresh databases, dropped afterwards). Counts stay small: this machine is shared.

const small: GenerateOptions = { talents: 60, events: 6, registrations: 150, seed: 42, replace: false };

const generatedTalent = `between '${talentIdRange[0]}' and '${talentIdRange[1]}'`;
const generatedEvent = (column: string) => `left(${column}, ${GENERATED_EVENT_PREFIX.length}) = '${GENERATED_EVENT_PREFIX}'`;

/** Which rows of each table the generator owns; everything else belongs to the demo seed. */
const OWNED: Record<'talents' | 'trainings', Record<string, string>> = {
  talents: {
    talents: `id ${generatedTalent}`,
    talent_skills: `talent_id ${generatedTalent}`,
    talent_languages: `talent_id ${generatedTalent}`,
    residence_periods: `talent_id ${generatedTalent}`,
    affiliations: `talent_id ${generatedTalent}`,
    talent_learning_goals: `talent_id ${generatedTalent}`,
    mentorships: `id between '${mentorshipIdRange[0]}' and '${mentorshipIdRange[1]}'`,
    mentorship_goals: `mentorship_id between '${mentorshipIdRange[0]}' and '${mentorshipIdRange[1]}'`,
    exchanges: `id between '${exchangeIdRange[0]}' and '${exchangeIdRange[1]}'`,
  },
  trainings: {
    events: generatedEvent('id'),
    event_partners: generatedEvent('event_id'),
    event_skills: generatedEvent('event_id'),
    agenda_items: generatedEvent('event_id'),
    agenda_speakers: generatedEvent('event_id'),
    registrations: `id between '${registrationIdRange[0]}' and '${registrationIdRange[1]}'`,
  },
};

interface Part {
  rows: number;
  hash: string;
}
type Snapshot = Record<string, { generated: Part; demo: Part }>;

/** Row counts and hashes of every table, generated rows and demo rows apart. */
async function snapshot(stores: Stores): Promise<Snapshot> {
  const out: Snapshot = {};
  const parts: [keyof Stores, string, string][] = [
    ...Object.entries(OWNED.talents).map(([t, w]) => ['talents', t, w] as [keyof Stores, string, string]),
    ...Object.entries(OWNED.trainings).map(([t, w]) => ['trainings', t, w] as [keyof Stores, string, string]),
    ...['regions', 'organisations', 'programmes', 'indicators'].map((t) => ['regions', t, 'false'] as [keyof Stores, string, string]),
  ];
  for (const name of ['talents', 'trainings', 'regions'] as const) {
    const database = await openDatabase<unknown>(stores[name]);
    try {
      await database.db.connection().execute(async (db) => {
        await sql`set timezone to 'UTC'`.execute(db);
        for (const [owner, table, where] of parts) {
          if (owner !== name) continue;
          const part = async (condition: string) => {
            // Record keys (talents, migration 0006) are drawn at random by the database for every row, on purpose:
            // they are not part of what the generator writes.
            const { rows } = await sql<Part>`select count(*)::int as rows,
                coalesce(md5(string_agg((to_jsonb(t) - 'record_key')::text, E'\n' order by (to_jsonb(t) - 'record_key')::text)), '') as hash
              from ${sql.table(table)} t where ${sql.raw(condition)}`.execute(db);
            return rows[0]!;
          };
          out[table] = { generated: await part(where), demo: await part(`not (${where})`) };
        }
      });
    } finally {
      await database.close();
    }
  }
  return out;
}

/**
 * The statistics rollups after a load that deferred them (migration 0007): rebuilt (ready), and the category shape's
 * cells equal to counting the talents by category.
 */
async function rollupsAgree(stores: Stores): Promise<{ ready: boolean; differing: number }> {
  const database = await openDatabase<unknown>(stores.talents);
  try {
    const { rows } = await sql<{ ready: boolean; differing: number }>`
      with shape as (
        select id from talent_statistics_shapes
        where region_level is null and has_category and not has_citizenship and not has_career_stage and not has_skill
      ),
      rollup as (select category, talents::bigint as talents, key_sum from talent_statistics_rollup where shape = (select id from shape)),
      counted as (select category, count(*) as talents, sum(record_key) as key_sum from talents group by category),
      differing as (select * from rollup except select * from counted union all (select * from counted except select * from rollup))
      select (select bool_and(ready) from talent_statistics_shapes) as ready, (select count(*)::int from differing) as differing`.execute(database.db);
    return rows[0]!;
  } finally {
    await database.close();
  }
}

const parts = (shot: Snapshot, which: 'generated' | 'demo') =>
  Object.fromEntries(Object.entries(shot).map(([table, p]) => [table, p[which]]));

function quiet(signal?: AbortSignal): RunContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (line) => lines.push(line),
    progress: new Progress({ output: { write: (text: string) => lines.push(text) }, interactive: false }),
    ...(signal ? { signal } : {}),
  };
}

/** Aborts the run (as Ctrl-C does) when the given table starts loading. */
function abortAt(table: string): RunContext {
  const controller = new AbortController();
  const context = quiet(controller.signal);
  const progress = context.progress;
  const start = progress.start.bind(progress);
  progress.start = (t, unit, total) => {
    if (t === table) controller.abort(new Error('stopped by the test'));
    return start(t, unit, total);
  };
  return context;
}

let pgliteGenerated: Snapshot | undefined;

// Each run migrates, seeds and vacuums three embedded databases: seconds each on a busy machine.
describe('loading into PGlite', { timeout: 120_000 }, () => {
  let dir: string;
  let stores: Stores;
  let first: Snapshot;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'talent-hub-generate-'));
    stores = readStores({ DATA_DIR: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the stores as the subgraphs do', () => {
    expect(stores.talents).toEqual({ kind: 'pglite', dataDir: path.join(dir, 'talents') });
    expect(readStores({ DATA_DIR: dir, TRAININGS_DATABASE_URL: 'postgres://u@h/db' }).trainings).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(() => readStores({ TALENTS_DATABASE_URL: 'mysql://x' })).toThrow(/TALENTS_DATABASE_URL must start with postgres:/);
  });

  it('migrates, seeds the demo data and loads the generated rows beside it', async () => {
    const context = quiet();
    const result = await generateData(small, stores, context);
    first = await snapshot(stores);
    pgliteGenerated = first;
    expect(first.talents!.generated.rows).toBe(small.talents);
    expect(first.events!.generated.rows).toBe(small.events);
    expect(first.registrations!.generated.rows).toBe(small.registrations);
    expect(first.talents!.demo.rows).toBe(300);
    expect(await rollupsAgree(stores)).toEqual({ ready: true, differing: 0 });
    expect(first.events!.demo.rows).toBeGreaterThan(1);
    expect(first.registrations!.demo.rows).toBeGreaterThan(100);
    expect(first.regions!.demo.rows).toBeGreaterThan(1700);
    expect(result.tables.map((t) => t.table)).toContain('residence_periods');
    expect(result.tables.find((t) => t.table === 'registrations')!.rows).toBe(small.registrations);
    expect(context.lines.join('')).toMatch(/registrations .*150\/150 registrations .* rows\/s +in /);
  });

  it('refuses to run again over generated data without --replace, changing nothing', async () => {
    const refusal = await generateData(small, stores, quiet()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ExistingDataError);
    expect((refusal as Error).message).toMatch(/already hold generated data \(60 talents, .*\)\. Nothing was changed\. Run again with --replace/);
    expect(await snapshot(stores)).toEqual(first);
  });

  it('replaces only the generated rows, with the same rows for the same options', async () => {
    const context = quiet();
    await generateData({ ...small, replace: true }, stores, context);
    expect(await snapshot(stores)).toEqual(first);
    expect(context.lines).toContain('talents: removed the earlier generated 60 talents');
  });

  it('leaves the previous data set whole when a run stops part-way (both databases roll back)', async () => {
    // Talents have loaded in their open transaction when registrations start: they must roll back too.
    await expect(generateData({ ...small, seed: 7, replace: true }, stores, abortAt('registrations'))).rejects.toThrow('stopped by the test');
    expect(await snapshot(stores)).toEqual(first);
  });

  it('removes the generated data set with zero counts and --replace, keeping the demo seed', async () => {
    await generateData({ talents: 0, events: 0, registrations: 0, seed: 7, replace: true }, stores, quiet());
    const none = await snapshot(stores);
    expect(parts(none, 'demo')).toEqual(parts(first, 'demo'));
    expect(Object.values(none).every((p) => p.generated.rows === 0)).toBe(true);
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;

describe.runIf(serverUrl)('loading into PostgreSQL with COPY', { timeout: 120_000 }, () => {
  const names: string[] = [];
  let stores: Stores;

  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    const store = async (subgraph: string): Promise<StoreConfig> => {
      const name = `talent_hub_generate_${subgraph}_${process.pid}`;
      await admin(`drop database if exists ${name}`);
      await admin(`create database ${name}`);
      names.push(name);
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      return { kind: 'postgres', url: url.toString() };
    };
    stores = { talents: await store('talents'), trainings: await store('trainings'), regions: await store('regions') };
  });
  afterAll(async () => {
    for (const name of names) await admin(`drop database if exists ${name} with (force)`);
  });

  it('loads the same rows as on PGlite, and replaces them', async () => {
    await generateData(small, stores, quiet());
    const loaded = await snapshot(stores);
    expect(loaded.registrations!.generated.rows).toBe(small.registrations);
    expect(loaded.talents!.demo.rows).toBe(300);
    if (pgliteGenerated) expect(parts(loaded, 'generated')).toEqual(parts(pgliteGenerated, 'generated'));
    await expect(generateData(small, stores, quiet())).rejects.toThrow(ExistingDataError);
    await generateData({ ...small, replace: true }, stores, quiet());
    expect(await snapshot(stores)).toEqual(loaded);
  });
});
