import { describe, expect, it } from 'vitest';
import type { Fetcher, FetcherParams } from '@graphiql/toolkit';
import { gatewayFetcher, withMatchingOperationName } from './fetcher.js';

describe('the operation name sent with a document', () => {
  it("replaces a name the document does not define by its only operation's", () => {
    expect(withMatchingOperationName({ query: 'query TalentNames { a }', operationName: 'Typed' })).toEqual({ query: 'query TalentNames { a }', operationName: 'TalentNames' });
    expect(withMatchingOperationName({ query: '{ a }', operationName: 'Typed' })).toEqual({ query: '{ a }', operationName: null });
  });

  it('leaves a matching name, a document of several operations and a document that does not parse alone', () => {
    const requests: FetcherParams[] = [
      { query: 'query A { a } query B { b }', operationName: 'B' },
      { query: 'query A { a } query B { b }', operationName: 'C' },
      { query: 'query A {', operationName: 'B' },
      { query: 'query A { a }' },
    ];
    for (const request of requests) expect(withMatchingOperationName(request)).toBe(request);
  });

  it('is what the gateway fetcher sends', async () => {
    const sent: FetcherParams[] = [];
    const base: Fetcher = async (params) => {
      sent.push(params);
      return { data: {} };
    };
    await gatewayFetcher(base)({ query: 'query Mine { a }', operationName: 'Other', variables: { x: 1 } });
    expect(sent).toEqual([{ query: 'query Mine { a }', operationName: 'Mine', variables: { x: 1 } }]);
  });
});
