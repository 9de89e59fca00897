import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, readPage, toConnection } from './pagination.js';

const limits = { defaultSize: 2, maxSize: 5 };

describe('cursors', () => {
  it('round-trip a sort key and stay opaque (URL-safe)', () => {
    const cursor = encodeCursor('events', ['2024-10-09T12:30:00.000Z', 'ewrc-2024-eu-belong']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('events', cursor, 2)).toEqual(['2024-10-09T12:30:00.000Z', 'ewrc-2024-eu-belong']);
  });

  it('refuse a cursor of another list, of the wrong length, or not base64url JSON', () => {
    const foreign = encodeCursor('talents', ['x']);
    for (const bad of [foreign, encodeCursor('events', ['only-one']), 'not a cursor', '', 'e30', 'x'.repeat(600)]) {
      expect(() => decodeCursor('events', bad, 2)).toThrow(/not a cursor of this list \(events\)/);
    }
  });
});

describe('readPage', () => {
  it('applies the default size and the hard maximum', () => {
    expect(readPage('l', {}, limits)).toEqual({ size: 2, after: null });
    expect(readPage('l', { first: 5 }, limits).size).toBe(5);
    expect(() => readPage('l', { first: 6 }, limits)).toThrow('Argument "first" must be an integer from 0 to 5; got 6.');
    expect(() => readPage('l', { first: -1 }, limits)).toThrow(/from 0 to 5/);
  });
});

describe('toConnection', () => {
  it('uses the extra row only to say a next page exists', () => {
    const page = readPage('l', { first: 2 }, limits);
    const connection = toConnection('l', [{ id: 'a' }, { id: 'b' }, { id: 'c' }], page, (r) => [r.id]);
    expect(connection.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor('l', connection.pageInfo.endCursor!, 1)).toEqual(['b']);
    const last = toConnection('l', [{ id: 'c' }], readPage('l', { first: 2, after: connection.pageInfo.endCursor }, limits), (r) => [r.id]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
