import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { canMerge, mergeOperations, mergeVariables, splitResponse } from './fetch-batch.js';

const regions = 'query Op__regions__2($representations:[_Any!]!){_entities(representations:$representations){...on Region{name}}}';
const organisations =
  'query Op__regions__3($representations:[_Any!]!){_entities(representations:$representations){...on Organisation{...Org}}}fragment Org on Organisation{name}';

describe('mergeOperations', () => {
  it('merges fetches into one operation with prefixed root fields, variables and fragments', () => {
    const merged = mergeOperations([regions, organisations]);
    expect(merged.operationName).toBe('Op__regions__2__merged_2');
    expect(print(parse(merged.query))).toBe(
      print(
        parse(`query Op__regions__2__merged_2($_0_representations: [_Any!]!, $_1_representations: [_Any!]!) {
          _0__entities: _entities(representations: $_0_representations) { ... on Region { name } }
          _1__entities: _entities(representations: $_1_representations) { ... on Organisation { ..._1_Org } }
        }
        fragment _1_Org on Organisation { name }`),
      ),
    );
    expect(mergeOperations([regions, organisations])).toBe(merged); // cached
    expect(mergeVariables([{ representations: [1] }, { representations: [2] }])).toEqual({
      _0_representations: [1],
      _1_representations: [2],
    });
  });

  it('keeps root fields that have aliases under their aliases', () => {
    const merged = mergeOperations(['{ a: talent(id: "1") { id } talents { totalCount } }', '{ __typename }']);
    expect(merged.fields).toEqual([
      [
        { merged: '_0_a', original: 'a' },
        { merged: '_0_talents', original: 'talents' },
      ],
      [{ merged: '_1___typename', original: '__typename' }],
    ]);
  });

  it('merges only queries whose root selections are fields', () => {
    expect(canMerge(regions)).toBe(true);
    expect(canMerge('mutation { register(eventId: "e") { id } }')).toBe(false);
    expect(canMerge('{ ... on Query { __typename } }')).toBe(false);
    expect(canMerge('query A { a } query B { b }')).toBe(false);
    expect(canMerge('{ not closed')).toBe(false);
  });
});

describe('splitResponse', () => {
  it('gives each fetch its own fields and the errors on its paths; errors without a path go to all', () => {
    const merged = mergeOperations([regions, organisations]);
    const parts = splitResponse(merged, {
      data: { _0__entities: [{ name: 'Emilia-Romagna' }], _1__entities: [null] },
      errors: [
        { message: 'no such organisation', path: ['_1__entities', 0] },
        { message: 'slow database' },
      ],
    });
    expect(parts).toEqual([
      { data: { _entities: [{ name: 'Emilia-Romagna' }] }, errors: [{ message: 'slow database' }] },
      {
        data: { _entities: [null] },
        errors: [{ message: 'no such organisation', path: ['_entities', 0] }, { message: 'slow database' }],
      },
    ]);
  });

  it('passes a null answer on to every fetch', () => {
    const merged = mergeOperations([regions, organisations]);
    const parts = splitResponse(merged, { data: null, errors: [{ message: 'down' }] });
    expect(parts).toEqual([
      { data: null, errors: [{ message: 'down' }] },
      { data: null, errors: [{ message: 'down' }] },
    ]);
  });
});
