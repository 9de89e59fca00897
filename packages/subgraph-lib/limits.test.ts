import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { defaultSubgraphLimits, limitError, measureOperation } from './limits.js';

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(document, operation, variables);
}

describe('measureOperation', () => {
  it('measures depth, aliases and root fields through fragments, each spread counted', () => {
    expect(measure('{ a: talents { nodes { id b: displayName } } c: talents { ...F } } fragment F on TalentConnection { nodes { d: id } }')).toEqual({
      depth: 3,
      aliases: 4,
      rootFields: 2,
      representations: 0,
    });
    expect(measure('query { ...R ...R } fragment R on Query { x: a { b } }')).toMatchObject({ aliases: 2, rootFields: 2, depth: 2 });
  });

  it('counts representations of every _entities field, from variables or literals, and not those fields as root fields or aliases', () => {
    const merged = `query ($_0_r: [_Any!]!, $_1_r: [_Any!]!) {
      _0__entities: _entities(representations: $_0_r) { ... on Region { name } }
      _1__entities: _entities(representations: $_1_r) { ... on Region { name } }
      _2__entities: _entities(representations: [{ __typename: "Region", code: "ITH5" }]) { ... on Region { n: name } }
    }`;
    expect(measure(merged, { _0_r: new Array(7).fill({}), _1_r: new Array(3).fill({}) })).toEqual({ depth: 2, aliases: 1, rootFields: 0, representations: 11 });
  });

  it('ends on a fragment spread inside itself, and walks a fragment once however often it is spread', () => {
    expect(measure('{ ...A } fragment A on Query { a { ...A } }')).toMatchObject({ depth: 1 });
    // 2^40 root fields if each spread were walked again.
    let fragments = 'fragment F40 on Query { x: a }';
    for (let i = 39; i >= 0; i--) fragments += ` fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`;
    expect(measure(`{ ...F0 } ${fragments}`).rootFields).toBe(2 ** 40);
  });
});

describe('limitError', () => {
  it('names the first limit exceeded, with the limit and the measure', () => {
    const ok = { depth: 20, aliases: 60, rootFields: 20, representations: 10_000 };
    expect(limitError(ok, defaultSubgraphLimits)).toBeNull();
    expect(limitError({ ...ok, representations: 10_001 }, defaultSubgraphLimits)?.extensions).toEqual({
      code: 'TOO_MANY_REPRESENTATIONS',
      limit: 10_000,
      measured: 10_001,
      http: { status: 400 },
    });
    expect(limitError({ ...ok, depth: 21 }, defaultSubgraphLimits)?.extensions.code).toBe('QUERY_TOO_DEEP');
    expect(limitError({ ...ok, aliases: 61 }, defaultSubgraphLimits)?.extensions.code).toBe('TOO_MANY_ALIASES');
    expect(limitError({ ...ok, rootFields: 21 }, defaultSubgraphLimits)?.extensions.code).toBe('TOO_MANY_ROOT_FIELDS');
  });
});
