import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { talentsWithRegistrations } from '@talent-hub/gateway/known-operations';
import { startStack, type Stack } from './harness.js';
import { mintToken } from './tokens.js';

// One trace across the gateway and the three subgraphs, with a tracer provider of the test's own that keeps spans
// in memory. The subgraphs run in this process too, so the test proves that their spans hang off the gateway's
// fetch spans through the `traceparent` header (a remote parent), not through in-process context.

type Span = tracing.ReadableSpan;

describe('tracing through the gateway and the subgraphs', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  let stack: Stack;

  beforeAll(async () => {
    // Registers the provider, an AsyncLocalStorage context manager and the W3C trace context propagator.
    provider.register();
    stack = await startStack('pglite');
  });
  afterAll(async () => {
    await stack?.stop();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('makes one trace: gateway request, execution, fetches, subgraph requests, SQL statements', async () => {
    exporter.reset();
    const { body } = await stack.query(talentsWithRegistrations.query, { first: 5 }, { token: await mintToken('cemr', 'viewer') });
    expect(body.errors).toBeUndefined();
    expect(body.data.talents.nodes.some((t: any) => t.registrations.nodes.some((r: any) => r.event.region))).toBe(true);
    // Server spans end when their response has gone out, which the client may see first.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: Span) => span.parentSpanContext?.spanId;
    const named = (name: string) => spans.filter((span) => span.name === name);

    // The root: the gateway's request span, the only span without a parent, and one trace id for everything.
    const roots = spans.filter((span) => !span.parentSpanContext);
    expect(roots.map((span) => span.name)).toEqual(['gateway.request']);
    const traceId = roots[0]!.spanContext().traceId;
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([traceId]));

    // The execution under the request (and the plan, when the plan was not cached: the gateway warms it); every
    // fetch under the execution.
    const [execute] = named('gateway.execute');
    expect(parentOf(execute!)).toBe(roots[0]!.spanContext().spanId);
    for (const plan of named('gateway.plan')) expect(parentOf(plan)).toBe(roots[0]!.spanContext().spanId);
    const fetches = named('gateway.fetch');
    expect(new Set(fetches.map((f) => f.attributes.service))).toEqual(new Set(['talents', 'trainings', 'regions']));
    for (const fetch of fetches) expect(parentOf(fetch)).toBe(execute!.spanContext().spanId);

    // Each subgraph request: a server span whose parent is a fetch span to that subgraph, known only from the
    // header (a remote parent: the request came over a socket, not through this process's async context).
    const requests = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(new Set(requests.map((r) => r.attributes['subgraph.name']))).toEqual(new Set(['talents', 'trainings', 'regions']));
    for (const request of requests) {
      expect(request.parentSpanContext?.isRemote).toBe(true);
      const fetch = byId.get(parentOf(request)!);
      expect(fetch?.name).toBe('gateway.fetch');
      expect(fetch?.attributes.service).toBe(request.attributes['subgraph.name']);
      expect(request.attributes['http.response.status_code']).toBe(200);
      expect(request.name).toMatch(/^POST \/graphql$|^POST \/$/);
    }

    // Every SQL statement under a subgraph's request span, with its text but never a parameter's value.
    const statements = spans.filter((span) => span.attributes['db.system'] === 'postgresql');
    expect(statements.length).toBeGreaterThanOrEqual(4);
    const requestIds = new Set(requests.map((r) => r.spanContext().spanId));
    for (const statement of statements) {
      expect(statement.kind).toBe(SpanKind.CLIENT);
      expect(requestIds.has(parentOf(statement)!)).toBe(true);
      expect(statement.name).toBe('SELECT');
      expect(statement.attributes['db.statement']).toMatch(/^select /);
    }
    for (const subgraph of ['talents', 'trainings', 'regions']) {
      const ids = new Set(requests.filter((r) => r.attributes['subgraph.name'] === subgraph).map((r) => r.spanContext().spanId));
      expect(statements.some((s) => ids.has(parentOf(s)!))).toBe(true);
    }
    // The regions codes and talent ids of this answer are parameters: no span attribute carries one.
    const values = new Set<string>();
    for (const talent of body.data.talents.nodes) {
      values.add(talent.id);
      if (talent.residenceRegion) values.add(`'${talent.residenceRegion.code}'`);
    }
    const attributes = JSON.stringify(spans.map((span) => span.attributes));
    for (const value of values) expect(attributes).not.toContain(value);
  });

  it('starts a subgraph request span under the traceparent it was sent, from any caller', async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const response = await fetch(new URL('graphql', stack.subgraphUrls.regions), {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${parentId}-01` },
      body: JSON.stringify({ query: '{ region(code: "ITH5") { name } }' }),
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext).toMatchObject({ spanId: parentId, isRemote: true });
    const statements = spans.filter((span) => span.parentSpanContext?.spanId === server?.spanContext().spanId);
    expect(statements.length).toBeGreaterThan(0);
    // The code asked for is a parameter of the statement, never in its text.
    for (const statement of statements) expect(String(statement.attributes['db.statement'])).not.toContain('ITH5');
  });
});
