import { describe, expect, it } from 'vitest';
import { readTracingConfig, statementText } from './tracing.js';

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
