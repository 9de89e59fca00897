import { CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, DummyDriver } from 'kysely';
import { describe, expect, it } from 'vitest';
import { readTracingConfig } from './config.js';
import { statementKind } from './db.js';
import { statementText } from './tracing.js';

describe('statement text on spans', () => {
  it('keeps placeholders and masks string literals', () => {
    expect(statementText(`select * from talents where id = $1 and kind = 'STUDENT' and note = 'it''s'`)).toBe(
      `select * from talents where id = $1 and kind = '?' and note = '?'`,
    );
  });

  it('folds white space and cuts a long statement', () => {
    expect(statementText('select\n   1')).toBe('select 1');
    expect(statementText(`select ${'x, '.repeat(2_000)}1`).length).toBeLessThanOrEqual(2_003);
  });
});

describe('statement kinds', () => {
  const db = new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

  it('come from the query tree, or from the first word of raw SQL', () => {
    expect(statementKind(db.selectFrom('t').selectAll().compile())).toBe('select');
    expect(statementKind(db.insertInto('t').values({ a: 1 }).compile())).toBe('insert');
    expect(statementKind(db.updateTable('t').set({ a: 1 }).compile())).toBe('update');
    expect(statementKind(db.deleteFrom('t').compile())).toBe('delete');
    expect(statementKind(CompiledQuery.raw('  (select 1)'))).toBe('select');
    expect(statementKind(CompiledQuery.raw('begin'))).toBe('other');
    expect(statementKind(CompiledQuery.raw('with x as (select 1) select * from x'))).toBe('other');
  });
});

describe('tracing configuration', () => {
  it('is off without the OTEL variables', () => {
    expect(readTracingConfig('talents', {})).toEqual({ enabled: false, serviceName: 'talents' });
  });

  it('is on with an OTLP endpoint or an exporter, off with none', () => {
    expect(readTracingConfig('talents', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled).toBe(true);
    expect(readTracingConfig('talents', { OTEL_TRACES_EXPORTER: 'console' }).enabled).toBe(true);
    expect(readTracingConfig('talents', { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).enabled).toBe(false);
    expect(readTracingConfig('talents', { OTEL_SERVICE_NAME: 'talents-eu' }).serviceName).toBe('talents-eu');
  });

  it('fails fast on a malformed value', () => {
    expect(() => readTracingConfig('talents', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => readTracingConfig('talents', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });
});
