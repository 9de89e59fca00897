import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSchema, getIntrospectionQuery, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import { readGatewayConfig, readHttpLimits, readQueryLimits } from './config.js';
import { knownOperations } from './known-operations.js';
import {
  defaultPageSize,
  defaultQueryLimits,
  formatGatewayError,
  limitError,
  maskedMessage,
  measureOperation,
  shortListItems,
} from './limits.js';

// The measures behind the gateway's limits, on the client-facing schema, and the defaults against what the
// partner apps, the end-to-end tests and the README send.

const schema = buildSchema(readFileSync(path.join(projectRoot, 'schema', 'api.graphql'), 'utf8'));

function measure(text: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const document = parse(text);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  )!;
  return measureOperation(schema, document, operation, variables);
}

describe('measureOperation', () => {
  it('counts depth from the root field, leaves included', () => {
    expect(measure('{ region(code: "ITH5") { name } }').depth).toBe(2);
    expect(measure('{ region(code: "ITH5") { parent { parent { code } } } }').depth).toBe(4);
    expect(measure('{ __typename }').depth).toBe(1);
  });

  it('multiplies a connection\'s items by `first` (literal, variable, or the default page size) and nothing else', () => {
    // 1 (talents) + 100 × (1 nodes + 1 id) ... nodes counted once per item as the field that holds them.
    expect(measure('{ talents(first: 100) { nodes { id } } }').cost).toBe(1 + (1 + 100 * 1));
    expect(measure('query ($n: Int) { talents(first: $n) { nodes { id } } }', { n: 7 }).cost).toBe(1 + (1 + 7));
    expect(measure('query ($n: Int) { talents(first: $n) { nodes { id } } }').cost).toBe(1 + (1 + defaultPageSize));
    expect(measure('{ talents { nodes { id displayName } } }').cost).toBe(1 + (1 + defaultPageSize * 2));
    // pageInfo and totalCount once, whatever the page size.
    expect(measure('{ talents(first: 100) { totalCount pageInfo { hasNextPage endCursor } } }').cost).toBe(1 + 1 + 3);
    // edges { node } are items too.
    expect(measure('{ talents(first: 10) { edges { cursor node { id } } } }').cost).toBe(1 + (1 + 10 * (1 + 2)));
  });

  it('multiplies nested connections and counts a plain list as a few items', () => {
    const nested = measure('{ talents(first: 50) { nodes { registrations(first: 10) { nodes { id } } } } }');
    // talents 1 + nodes (1 + 50 × (registrations 1 + nodes (1 + 10 × 1)))
    expect(nested.cost).toBe(1 + 1 + 50 * (1 + 1 + 10));
    expect(measure('{ region(code: "IT") { children { code } } }').cost).toBe(1 + 1 + shortListItems);
  });

  it('counts a `first` past the largest page as the largest page, so the subgraph says what is wrong', () => {
    expect(measure('{ talents(first: 100000) { nodes { id } } }').cost).toBe(1 + 1 + 500);
    expect(measure('query ($n: Int) { talents(first: $n) { nodes { id } } }', { n: 1e12 }).cost).toBe(1 + 1 + 500);
    expect(measure('query ($n: Int) { talents(first: $n) { nodes { id } } }', { n: -5 }).cost).toBe(1 + 1);
    expect(measure('query ($n: Int) { talents(first: $n) { nodes { id } } }', { n: 'many' }).cost).toBe(1 + 1 + defaultPageSize);
  });

  it('expands fragments and inline fragments where they are spread, into connections too', () => {
    const plain = measure('{ talents(first: 30) { nodes { id displayName residenceRegion { code name } } } }');
    const withFragments = measure(`
      query { talents(first: 30) { ...Page } }
      fragment Page on TalentConnection { nodes { ...Talent } }
      fragment Talent on Talent { id ... on Talent { displayName residenceRegion { ...Region } } }
      fragment Region on Region { code name }`);
    expect(withFragments).toEqual({ ...plain, aliases: 0 });
    expect(withFragments.depth).toBe(4);
  });

  it('counts aliases as written and root fields through fragments', () => {
    const aliased = measure(`
      query { a: region(code: "ITH5") { n: name } b: region(code: "ES51") { ...R } ...Roots }
      fragment R on Region { n: name c: code }
      fragment Roots on Query { c: organisation(id: "aer") { id } skills(first: 1) { nodes { uri } } }`);
    expect(aliased.aliases).toBe(6);
    expect(aliased.rootFields).toBe(4);
  });

  it('ends on fragment cycles and stays linear on fragments spread many times', () => {
    const cyclic = parse(`
      query { region(code: "ITH5") { ...A } }
      fragment A on Region { code parent { ...B } }
      fragment B on Region { name parent { ...A } }`);
    expect(validate(schema, cyclic).length).toBeGreaterThan(0); // a client cannot send it; the measure must still end
    const operation = cyclic.definitions[0] as OperationDefinitionNode;
    // region > parent > (name, parent > the cut cycle)
    expect(measureOperation(schema, cyclic, operation).depth).toBe(3);

    // 30 fragments, each spreading the next twice: 2^30 leaves if expanded naively; execution merges the two
    // spreads, and so does the measure.
    const chain = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Region { code parent { ...F${i + 1} ...F${i + 1} } }`);
    chain.push('fragment F30 on Region { code }');
    const merged = measure(`query { region(code: "ITH5") { ...F0 } } ${chain.join('\n')}`);
    expect(merged.depth).toBe(32);
    expect(merged.cost).toBe(1 + 30 * 2 + 1);

    // A real bomb: each level selects the next through two different fields, and one of them a list. The estimate
    // grows as the work would (11^30), and is still computed in a walk linear in the document.
    const bomb = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Region { code parent { ...F${i + 1} } children { ...F${i + 1} } }`);
    bomb.push('fragment F30 on Region { code }');
    const started = performance.now();
    const exploded = measure(`query { region(code: "ITH5") { ...F0 } } ${bomb.join('\n')}`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(exploded.cost).toBeGreaterThan(11 ** 29);
    expect(limitError(exploded, defaultQueryLimits)?.extensions.code).toBe('QUERY_TOO_DEEP');
  });

  it('measures a schema of graphql\'s other build (the gateway\'s schema comes from its CommonJS build)', () => {
    const commonJs = createRequire(import.meta.url)('graphql') as typeof import('graphql');
    const otherSchema = commonJs.buildSchema(readFileSync(path.join(projectRoot, 'schema', 'api.graphql'), 'utf8'));
    const document = parse('{ talents(first: 50) { nodes { registrations(first: 10) { nodes { id } } } } region(code: "IT") { children { code } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(measureOperation(otherSchema, document, operation)).toEqual(measureOperation(schema, document, operation));
  });

  it('measures 1,000 levels of nesting', () => {
    const deep = `{ region(code: "ITH5") { ${'parent { '.repeat(1000)}code${' }'.repeat(1000)} } }`;
    expect(measure(deep).depth).toBe(1002);
  });
});

describe('defaults', () => {
  it('let every known operation through at its largest page, and introspection', () => {
    const measured: Record<string, unknown> = {};
    for (const operation of knownOperations) {
      for (const variables of [operation.variables, { ...operation.variables, first: 500 }]) {
        const m = measure(operation.query, variables);
        expect(limitError(m, defaultQueryLimits), operation.name).toBeUndefined();
        measured[`${operation.name} ${JSON.stringify(variables)}`] = m.cost;
      }
    }
    expect(measured).toEqual({
      'TalentsWithRegistrations {"first":100}': 12_005,
      'TalentsWithRegistrations {"first":500}': 60_005,
      'TalentDashboard {"groupBy":["REGION","CATEGORY"],"regionLevel":2}': 53,
      'TalentDashboard {"groupBy":["REGION","CATEGORY"],"regionLevel":2,"first":500}': 53,
      'TalentPage {"id":"00000000-0000-4000-8000-000000000000"}': 400,
      'TalentPage {"id":"00000000-0000-4000-8000-000000000000","first":500}': 400,
      'TalentExport {}': 5_005,
      'TalentExport {"first":500}': 5_005,
    });
    const introspection = measure(getIntrospectionQuery());
    expect(introspection.depth).toBe(15);
    expect(limitError(introspection, defaultQueryLimits)).toBeUndefined();
  });

  it('let the README\'s example queries through', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const queries = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const query of queries) expect(limitError(measure(query), defaultQueryLimits), query).toBeUndefined();
  });
});

describe('limitError', () => {
  const within = { depth: 3, aliases: 0, rootFields: 1, cost: 10 };
  it('names the limit with its own code, the limit and the measured value, and HTTP 400', () => {
    const cases = [
      [{ ...within, depth: 16 }, 'QUERY_TOO_DEEP', 15, 16],
      [{ ...within, aliases: 31 }, 'TOO_MANY_ALIASES', 30, 31],
      [{ ...within, rootFields: 11 }, 'TOO_MANY_ROOT_FIELDS', 10, 11],
      [{ ...within, cost: 100_001 }, 'QUERY_TOO_COSTLY', 100_000, 100_001],
    ] as const;
    for (const [m, code, limit, measured] of cases) {
      const error = limitError(m, defaultQueryLimits)!;
      expect(error.extensions).toEqual({ code, limit, measured, http: { status: 400 } });
      expect(error.message).toContain(String(limit));
    }
    expect(limitError({ depth: 15, aliases: 30, rootFields: 10, cost: 100_000 }, defaultQueryLimits)).toBeUndefined();
  });
});

describe('formatGatewayError', () => {
  const internal = { message: 'relation "talents" does not exist at /srv/app/db.ts:12', path: ['talent'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'talents', exception: { stacktrace: ['at x'] } } };
  it('masks unexpected errors in production, keeping their code and subgraph', () => {
    expect(formatGatewayError(true)(internal, undefined)).toEqual({ message: maskedMessage, path: ['talent'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'talents' } });
    expect(formatGatewayError(true)({ message: 'TypeError: x is undefined' }, undefined)).toEqual({ message: maskedMessage, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('keeps the messages written for clients, and everything outside production (with a code)', () => {
    for (const code of ['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED', 'QUERY_TOO_COSTLY', 'SUBGRAPH_TIMEOUT']) {
      const error = { message: `a ${code} message`, extensions: { code, serviceName: 'regions', fields: [] } };
      expect(formatGatewayError(true)(error, undefined)).toBe(error);
    }
    expect(formatGatewayError(false)(internal, undefined)).toBe(internal);
    expect(formatGatewayError(false)({ message: 'no code' }, undefined)).toEqual({ message: 'no code', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});

describe('configuration of the limits', () => {
  it('reads every limit, with the defaults when unset', () => {
    expect(readQueryLimits({})).toEqual(defaultQueryLimits);
    expect(readQueryLimits({ GATEWAY_MAX_DEPTH: '8', GATEWAY_MAX_ALIASES: '0', GATEWAY_MAX_ROOT_FIELDS: '3', GATEWAY_MAX_COST: '5000', GATEWAY_MAX_TOKENS: '2000' })).toEqual({
      maxDepth: 8, maxAliases: 0, maxRootFields: 3, maxCost: 5000, maxTokens: 2000,
    });
    expect(readHttpLimits({})).toEqual({ maxBodyBytes: 1024 * 1024, maxBatch: 10, corsOrigins: '*' });
    expect(readHttpLimits({ GATEWAY_MAX_BODY_BYTES: '65536', GATEWAY_MAX_BATCH: '1', CORS_ORIGINS: 'https://a.example.org, http://localhost:3000' })).toEqual({
      maxBodyBytes: 65536, maxBatch: 1, corsOrigins: ['https://a.example.org', 'http://localhost:3000'],
    });
  });

  it('stops at start on a malformed value, naming the variable', () => {
    expect(() => readQueryLimits({ GATEWAY_MAX_DEPTH: '0' })).toThrow(/GATEWAY_MAX_DEPTH must be a whole number from 1 to 100/);
    expect(() => readQueryLimits({ GATEWAY_MAX_COST: '1e6' })).not.toThrow();
    expect(() => readQueryLimits({ GATEWAY_MAX_COST: 'lots' })).toThrow(/GATEWAY_MAX_COST/);
    expect(() => readHttpLimits({ GATEWAY_MAX_BATCH: '0' })).toThrow(/GATEWAY_MAX_BATCH/);
    expect(() => readHttpLimits({ GATEWAY_MAX_BODY_BYTES: '10' })).toThrow(/GATEWAY_MAX_BODY_BYTES/);
    for (const bad of ['https://a.example.org/', 'a.example.org', 'https://a.example.org/path', 'ftp://a.example.org', 'https://a.example.org,']) {
      expect(() => readHttpLimits({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS must be \* or comma-separated origins/);
    }
  });

  it('closes introspection, CORS and error details in production unless told otherwise', () => {
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), INTERNAL_TOKEN_SECRET: 'y'.repeat(32) };
    const config = readGatewayConfig(production);
    expect([config.introspection, config.maskErrors, config.httpLimits.corsOrigins]).toEqual([false, true, []]);
    const opened = readGatewayConfig({ ...production, GATEWAY_INTROSPECTION: 'true', CORS_ORIGINS: '*' });
    expect([opened.introspection, opened.maskErrors, opened.httpLimits.corsOrigins]).toEqual([true, true, '*']);
    const development = readGatewayConfig({});
    expect([development.introspection, development.maskErrors, development.httpLimits.corsOrigins]).toEqual([true, false, '*']);
  });
});
