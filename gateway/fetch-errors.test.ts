import { describe, expect, it } from 'vitest';
import { fieldErrorsOfFailedFetch, maxFieldErrorsPerFetch } from './fetch-errors.js';

const down = { message: 'Subgraph "trainings" could not be reached (ECONNREFUSED).', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'trainings' } };

describe('fieldErrorsOfFailedFetch', () => {
  it('puts the error at each root field of a root fetch, aliases by their response name', () => {
    const errors = fieldErrorsOfFailedFetch(down, '{ __typename event(id: "x") { title } later: events { totalCount } }', undefined);
    expect(errors.map((e) => e.path)).toEqual([['event'], ['later']]);
    expect(errors[0]).toMatchObject(down);
  });

  it('puts it at each field of each entity, by the fragment on the entity own type', () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Talent { registrations(first: 2) { nodes { id } } ...Extra }
      ... on Region { events { totalCount } }
    } } fragment Extra on Talent { completed: completedTrainings { totalCount } }`;
    const representations = [{ __typename: 'Talent', id: 'a' }, { __typename: 'Region', code: 'ITH5' }, { __typename: 'Talent', id: 'b' }];
    expect(fieldErrorsOfFailedFetch(down, query, representations).map((e) => e.path)).toEqual([
      ['_entities', 0, 'registrations'],
      ['_entities', 0, 'completed'],
      ['_entities', 1, 'events'],
      ['_entities', 2, 'registrations'],
      ['_entities', 2, 'completed'],
    ]);
  });

  it('stops at the limit, and keeps the error without a path when there is no field to name', () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Talent { a b } } }';
    const many = Array.from({ length: maxFieldErrorsPerFetch }, (_, i) => ({ __typename: 'Talent', id: String(i) }));
    expect(fieldErrorsOfFailedFetch(down, query, many)).toHaveLength(maxFieldErrorsPerFetch);
    expect(fieldErrorsOfFailedFetch(down, '{ __typename }', undefined)).toEqual([down]);
  });
});
