import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreConfig } from '@talent-hub/subgraph-lib/db';
import { caller, errorCodes, startTestSubgraph, type TestSubgraph } from '@talent-hub/subgraph-lib/testing/subgraph';
import { latestAllowedDay, MAX_INDICATOR_UPDATES } from './input.js';
import type { RegionsDatabase } from './db/types.js';
import { regionsSubgraph } from './server.js';
import { createTestDatabase } from '@talent-hub/subgraph-lib/testing/database';

// Mutation.updateProgrammeIndicators: who may, what it checks, what it writes. Emilia-Romagna's programme is
// managed by `emilia-romagna-region`; the Talent Hub (`talent-hub`) has no managing organisation. On PGlite, and on
// PostgreSQL too when TEST_DATABASE_URL is set (the row lock and the multi-row update are PostgreSQL's).

const demoOrganisations = ['cemr', 'eurocities', 'uclg', 'aer', 'aer-irn', 'art-er', 'emilia-romagna-region',
  'catalonia-social-rights', 'donegal-county-council'];
const programmeId = 'emilia-romagna-talents';
const manager = 'emilia-romagna-region';

const mutation = `mutation Update($programmeId: ID!, $indicators: [IndicatorUpdateInput!]!) {
  updateProgrammeIndicators(programmeId: $programmeId, indicators: $indicators) {
    id
    indicators { code value target asOf }
    kpis { talentsReached talentsReachedAsOf costPerTalentReached { amount currency } indicators { code progress } }
  }
}`;

let subgraph: TestSubgraph<RegionsDatabase>;

/** Every indicator row of the programme and every audit row, to show that a refused call changed nothing. */
async function snapshot() {
  const db = subgraph.database.db;
  const indicators = await db.selectFrom('indicators').selectAll().where('programme_id', '=', programmeId).orderBy('code').execute();
  const audit = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  return { indicators, audit };
}


const stores = process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(stores)('Mutation.updateProgrammeIndicators on %s', (kind) => {
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    let store: StoreConfig = { kind: 'pglite', dataDir: undefined };
    if (kind === 'postgres') ({ store, drop } = await createTestDatabase(process.env.TEST_DATABASE_URL!, 'regions_indicators'));
    subgraph = await startTestSubgraph(regionsSubgraph, store);
  });
  afterAll(async () => {
    await subgraph.stop();
    await drop?.();
  });

  it('lets an editor of the managing organisation change values and targets, with one audit row per indicator', async () => {
    const before = await snapshot();
    const identity = caller(manager, 'editor', 'editor-42');
    const result = await subgraph.query(
      mutation,
      {
        programmeId,
        indicators: [
          { code: 'talents-reached', value: '8000', asOf: '2024-06-30', target: '10000' },
          { code: 'pilot-projects', value: '11', asOf: '2024-06-30' },
        ],
      },
      identity,
    );
    expect(result.errors).toBeUndefined();
    const programme = result.data.updateProgrammeIndicators;
    const byCode = Object.fromEntries(programme.indicators.map((i: any) => [i.code, i]));
    expect(byCode['talents-reached']).toEqual({ code: 'talents-reached', value: '8000', target: '10000', asOf: '2024-06-30' });
    expect(byCode['pilot-projects']).toEqual({ code: 'pilot-projects', value: '11', target: null, asOf: '2024-06-30' });
    // Untouched indicators keep their values.
    expect(byCode['services-delivered']).toEqual(before.indicators.map((i) => ({ code: i.code, value: i.value, target: i.target, asOf: i.as_of })).find((i) => i.code === 'services-delivered'));
    // KPIs follow: 2,232,176.90 EUR / 8,000 talents = 279.02 EUR; progress 8000 / 10000.
    expect(programme.kpis.talentsReached).toBe('8000');
    expect(programme.kpis.talentsReachedAsOf).toBe('2024-06-30');
    expect(programme.kpis.costPerTalentReached).toEqual({ amount: '279.02', currency: 'EUR' });
    expect(programme.kpis.indicators.find((i: any) => i.code === 'talents-reached').progress).toBe('0.8000');

    const after = await snapshot();
    const added = after.audit.slice(before.audit.length);
    // The order of the rows follows the update's, which SQL does not fix: compare them sorted.
    const rows = added.map((a) => [a.action, a.entity_type, a.entity_id, a.actor_subject, a.actor_organisation_id]);
    expect(rows.sort((a, b) => a[2]!.localeCompare(b[2]!))).toEqual([
      ['indicator.update', 'indicator', `${programmeId}/pilot-projects`, 'editor-42', manager],
      ['indicator.update', 'indicator', `${programmeId}/talents-reached`, 'editor-42', manager],
    ]);
    expect(added.every((a) => a.request_id !== null && a.at instanceof Date)).toBe(true);
  });

  it('keeps a target when it is left out and removes it when it is null; an admin may too', async () => {
    const admin = caller(manager, 'admin');
    const set = await subgraph.query(mutation, { programmeId, indicators: [{ code: 'service-types', value: '34', asOf: '2024-07-01', target: '40' }] }, admin);
    expect(set.errors).toBeUndefined();
    const kept = await subgraph.query(mutation, { programmeId, indicators: [{ code: 'service-types', value: '35', asOf: '2024-07-02' }] }, admin);
    expect(kept.data.updateProgrammeIndicators.indicators.find((i: any) => i.code === 'service-types')).toMatchObject({ value: '35', target: '40' });
    const removed = await subgraph.query(mutation, { programmeId, indicators: [{ code: 'service-types', value: '35', asOf: '2024-07-02', target: null }] }, admin);
    expect(removed.data.updateProgrammeIndicators.indicators.find((i: any) => i.code === 'service-types')).toMatchObject({ value: '35', target: null });
  });

  it('refuses an anonymous caller (UNAUTHENTICATED) and a viewer of the managing organisation (FORBIDDEN)', async () => {
    const before = await snapshot();
    const variables = { programmeId, indicators: [{ code: 'talents-reached', value: '1', asOf: '2024-06-30' }] };
    const anonymous = await subgraph.query(mutation, variables);
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data).toBeNull();
    const viewer = await subgraph.query(mutation, variables, caller(manager, 'viewer'));
    expect(errorCodes(viewer)).toEqual(['FORBIDDEN']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an editor and an admin of every other demo organisation, and changes nothing', async () => {
    const before = await snapshot();
    const others = demoOrganisations.filter((o) => o !== manager);
    expect(others).toHaveLength(8);
    for (const organisation of others) {
      for (const role of ['editor', 'admin'] as const) {
        const result = await subgraph.query(
          mutation,
          { programmeId, indicators: [{ code: 'talents-reached', value: '1', asOf: '2024-06-30', target: '2' }] },
          caller(organisation, role),
        );
        expect(errorCodes(result), `${role} of ${organisation}`).toEqual(['FORBIDDEN']);
        expect(result.errors![0]!.message).toBe("Only an editor or admin of the owning organisation may update this programme's indicators.");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses every caller on a programme without a managing organisation, even its owner', async () => {
    const before = await snapshot();
    const result = await subgraph.query(mutation, { programmeId: 'talent-hub', indicators: [{ code: 'x', value: '1', asOf: '2024-06-30' }] }, caller('cemr', 'admin'));
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(await snapshot()).toEqual(before);
  });

  it('lists every problem of a bad input in one BAD_USER_INPUT and writes nothing', async () => {
    const before = await snapshot();
    const result = await subgraph.query(
      mutation,
      {
        programmeId,
        indicators: [
          { code: 'talents-reached', value: '-5', asOf: '2024-06-30' },
          { code: 'no-such-indicator', value: '1', asOf: '2024-06-30' },
          { code: 'talents-reached', value: '2', asOf: '2024-06-30' },
          { code: 'pilot-projects', value: '3', asOf: '2999-01-01', target: '-1.5' },
          { code: 'services-delivered', value: '-0', asOf: '2024-06-30' },
        ],
      },
      caller(manager, 'editor'),
    );
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.fields).toEqual([
      { field: 'indicators.0.value', message: 'must be zero or more; got -5' },
      {
        field: 'indicators.1.code',
        message: 'the programme reports no indicator "no-such-indicator" (it reports: organisations-reached, pilot-projects, service-types, services-delivered, talents-reached)',
      },
      { field: 'indicators.2.code', message: 'indicator "talents-reached" is given more than once' },
      { field: 'indicators.3.target', message: 'must be zero or more; got -1.5' },
      { field: 'indicators.3.asOf', message: 'must not be in the future; got 2999-01-01' },
    ]);
    expect(result.errors![0]!.message).toMatch(/^Invalid input: indicators\.0\.value: must be zero or more; got -5; indicators\.1\.code: /);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an empty list, too long a list, a malformed decimal, an unknown or malformed programme', async () => {
    const before = await snapshot();
    const editor = caller(manager, 'editor');
    const empty = await subgraph.query(mutation, { programmeId, indicators: [] }, editor);
    expect(empty.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'indicators', message: 'give at least one indicator to update' }] });

    const many = Array.from({ length: MAX_INDICATOR_UPDATES + 1 }, () => ({ code: 'talents-reached', value: '1', asOf: '2024-06-30' }));
    const tooMany = await subgraph.query(mutation, { programmeId, indicators: many }, editor);
    expect((tooMany.errors![0]!.extensions!.fields as unknown[])[0]).toEqual({ field: 'indicators', message: `at most ${MAX_INDICATOR_UPDATES} indicators per call; got ${MAX_INDICATOR_UPDATES + 1}` });

    const float = await subgraph.query(mutation, { programmeId, indicators: [{ code: 'talents-reached', value: 1.5, asOf: '2024-06-30' }] }, editor);
    expect(errorCodes(float)).toEqual(['BAD_USER_INPUT']);
    expect(float.errors![0]!.message).toContain('Decimal must be a string like');

    const unknown = await subgraph.query(mutation, { programmeId: 'no-such-programme', indicators: [{ code: 'a', value: '1', asOf: '2024-06-30' }] }, editor);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'programmeId' });

    const malformed = await subgraph.query(mutation, { programmeId: "x'; drop table indicators; --", indicators: [{ code: 'a', value: '1', asOf: '2024-06-30' }] }, editor);
    expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'programmeId' });

    const hugeCode = 'é'.repeat(100_000);
    const huge = await subgraph.query(mutation, { programmeId, indicators: [{ code: hugeCode, value: '1', asOf: '2024-06-30' }] }, editor);
    expect(huge.errors![0]!.message.length).toBeLessThan(400);
    expect(await snapshot()).toEqual(before);
  });

  it('applies concurrent calls one after the other, each with its audit row', async () => {
    const before = await snapshot();
    const editor = caller(manager, 'editor');
    const values = Array.from({ length: 8 }, (_, i) => String(100 + i));
    const results = await Promise.all(
      values.map((value) => subgraph.query(mutation, { programmeId, indicators: [{ code: 'organisations-reached', value, asOf: '2024-08-01' }] }, editor)),
    );
    expect(results.map((r) => r.errors)).toEqual(values.map(() => undefined));
    const after = await snapshot();
    expect(after.audit.length - before.audit.length).toBe(values.length);
    // Each call committed whole (one audit row each); the value left is one of those sent.
    const stored = after.indicators.find((i) => i.code === 'organisations-reached')!.value;
    expect(values).toContain(stored);
    expect(after.audit.at(-1)!.entity_id).toBe(`${programmeId}/organisations-reached`);
  });
});

describe('latestAllowedDay', () => {
  it('accepts a value measured today anywhere (UTC+14), not tomorrow there', () => {
    const noonUtc = Date.parse('2024-06-30T12:00:00Z');
    expect(latestAllowedDay(noonUtc)).toBe('2024-07-01');
    expect(latestAllowedDay(Date.parse('2024-06-30T09:59:59Z'))).toBe('2024-06-30');
  });
});
