import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '@talent-hub/platform/paths';
import { maxKeyDepth, stableJson } from './cache/response-cache.js';
import { actualCost, costTableFromSdl, costTableOf, estimateOnce, estimateOperationCost, registerCostTable } from './cost.js';

// The cost table read from the supergraph, the per-request memo the rate limiter relies on, the actual cost of an
// answer, and the bound on the response cache's key.

const schema = buildSchema(readFileSync(path.join(projectRoot, 'schema', 'api.graphql'), 'utf8'));
registerCostTable(schema, costTableFromSdl(readFileSync(path.join(projectRoot, 'schema', 'supergraph.graphql'), 'utf8')));

const operationOf = (text: string) => {
  const document = parse(text);
  return { document, operation: document.definitions[0] as OperationDefinitionNode };
};

describe('costTableFromSdl', () => {
  it('reads @cost and @listSize from the supergraph, under the names its @link gives them', () => {
    const table = costTableOf(schema);
    expect(table.fields.get('Query.talents')).toEqual({ assumedSize: 20, slicingArguments: ['first'], sizedFields: ['nodes', 'edges'] });
    expect(table.fields.get('Query.talentStatistics')).toEqual({ weight: 100 });
    expect(table.fields.get('Region.children')).toEqual({ assumedSize: 500 });
    const renamed = costTableFromSdl(`
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/cost/v0.1", as: "price") { query: Query }
      type Query @price(weight: 3) { items: [Int] @price__listSize(assumedSize: 7) @price(weight: 2) }`);
    expect(renamed.fields.get('Query.items')).toEqual({ weight: 2, assumedSize: 7 });
    expect(renamed.types.get('Query')).toBe(3);
  });

  it('reads them from a schema\'s own AST when no table was registered (a subgraph-style SDL)', () => {
    const plain = buildSchema(`
      directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
      directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT
      type Query { items: [Item!]! @listSize(assumedSize: 4) }
      type Item @cost(weight: 5) { id: ID! }`);
    const { document, operation } = operationOf('{ items { id } }');
    expect(estimateOnce(plain, document, operation, undefined).cost).toBe(4 * 5);
  });
});

describe('estimateOperationCost', () => {
  it('walks once per request: same schema, operation node and variables object', () => {
    const { document, operation } = operationOf('query ($n: Int) { talents(first: $n) { nodes { id } } }');
    const variables = { n: 40 };
    const request = { schema, document, operation, request: { variables } };
    expect(estimateOperationCost(request)).toBe(1 + 40);
    expect(estimateOnce(schema, document, operation, variables)).toBe(estimateOnce(schema, document, operation, variables));
    // Another request (another variables object) is measured on its own.
    expect(estimateOperationCost({ ...request, request: { variables: { n: 3 } } })).toBe(1 + 3);
    expect(estimateOperationCost({ ...request, request: {} })).toBe(1 + 20);
  });
});

describe('actualCost', () => {
  it('counts the objects the data holds, with the weights of the estimate, through aliases and fragments', () => {
    const { document, operation } = operationOf(`
      { a: talents(first: 50) { nodes { ...T } } talentStatistics(groupBy: [REGION]) { cells { talents } } }
      fragment T on Talent { id residenceRegion { code } }`);
    const data = {
      a: { nodes: [{ id: '1', residenceRegion: { code: 'IT' } }, { id: '2', residenceRegion: null }] },
      talentStatistics: { cells: [{ talents: 5 }, { talents: null }, { talents: 7 }] },
    };
    // a 1 + 2 talents + 1 region; talentStatistics 100 (its @cost) + 3 cells
    expect(actualCost(schema, document, operation, data)).toBe(1 + 2 + 1 + 100 + 3);
    expect(actualCost(schema, document, operation, null)).toBe(0);
    const mutation = operationOf('mutation { cancelRegistration(id: "x") { status } }');
    expect(actualCost(schema, mutation.document, mutation.operation, { cancelRegistration: { status: 'CANCELLED' } })).toBe(10 + 1);
  });

  it('measures each answer of the same operation by its own data (the shape read from the document is kept)', () => {
    const { document, operation } = operationOf('{ talents(first: 50) { nodes { id residenceRegion { code } } } }');
    const talents = (regions: (string | null)[]) => ({ talents: { nodes: regions.map((code, i) => ({ id: String(i), residenceRegion: code && { code } })) } });
    expect(actualCost(schema, document, operation, talents(['IT', null]))).toBe(1 + 2 + 1);
    expect(actualCost(schema, document, operation, talents(['IT', 'BE', 'FR', null]))).toBe(1 + 4 + 3);
    expect(actualCost(schema, document, operation, { talents: { nodes: [] } })).toBe(1);
    // Another document with the same text is another operation node: measured from its own fragments.
    const other = operationOf('{ talents(first: 50) { nodes { ...R } } } fragment R on Talent { id }');
    expect(actualCost(schema, other.document, other.operation, talents(['IT', 'BE']))).toBe(1 + 2);
  });
});

describe('stableJson (response cache key)', () => {
  it('gives up on a value nesting past maxKeyDepth instead of exhausting the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(stableJson({ deep })).toBeUndefined();
    let atLimit: unknown = 1;
    for (let i = 0; i < maxKeyDepth - 1; i++) atLimit = { a: atLimit };
    expect(stableJson({ atLimit })).toBe(JSON.stringify({ atLimit }));
  });
});
