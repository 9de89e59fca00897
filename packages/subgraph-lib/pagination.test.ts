import { describe, expect, it } from 'vitest';
import { afterKey, decodeCursor, encodeCursor, fitsColumn, readPage, toConnection } from './pagination.js';

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

describe('cursor values against their columns', () => {
  it('take only what PostgreSQL would cast: uuid, integer, timestamptz, text without NUL', () => {
    expect(fitsColumn('uuid', '0b6c2f4e-9d5a-4c1e-8f3a-2b7d9e1c4a60')).toBe(true);
    expect(fitsColumn('uuid', 'not-a-uuid')).toBe(false);
    expect(fitsColumn('uuid', 42)).toBe(false);
    expect(fitsColumn('integer', 7)).toBe(true);
    expect(fitsColumn('integer', 2 ** 31)).toBe(false);
    expect(fitsColumn('integer', 1.5)).toBe(false);
    expect(fitsColumn('integer', '7')).toBe(false);
    expect(fitsColumn('timestamptz', '2024-10-09T12:30:00.000Z')).toBe(true);
    expect(fitsColumn('timestamptz', '2024-10-09T12:30:00+02:00')).toBe(true);
    expect(fitsColumn('timestamptz', '2024-02-30T00:00:00Z')).toBe(false);
    expect(fitsColumn('timestamptz', '2024-02-29T24:00:00Z')).toBe(false);
    expect(fitsColumn('timestamptz', 'yesterday')).toBe(false);
    expect(fitsColumn('text', 'ewrc-2024')).toBe(true);
    expect(fitsColumn('text', 'a\u0000b')).toBe(false);
    expect(fitsColumn('text', 3)).toBe(false);
  });

  it('afterKey refuses a decoded key that does not fit, naming the list, before any SQL is built', () => {
    const key = decodeCursor('talents', encodeCursor('talents', ['not-a-uuid']), 1);
    expect(() => afterKey([{ column: 'id', type: 'uuid' }], key)).toThrow('Argument "after" is not a cursor of this list (talents); pass an endCursor it returned.');
    expect(() => afterKey([{ column: 'id', type: 'uuid' }], ['0b6c2f4e-9d5a-4c1e-8f3a-2b7d9e1c4a60'])).not.toThrow();
  });
});
