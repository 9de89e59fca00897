import { describe, expect, it } from 'vitest';
import { maxDocumentNesting, nestsDeeperThan, queryTexts } from './document-nesting.js';

describe('nestsDeeperThan', () => {
  it('counts braces, parentheses and brackets', () => {
    expect(nestsDeeperThan('{ a { b } }', 2)).toBe(false);
    expect(nestsDeeperThan('{ a { b { c } } }', 2)).toBe(true);
    expect(nestsDeeperThan('{ a(x: [[1]]) }', 3)).toBe(true);
    expect(nestsDeeperThan('{ a } { b } { c }', 1)).toBe(false);
  });

  it('ignores what strings, block strings and comments hold', () => {
    expect(nestsDeeperThan(`{ a(s: "${'{'.repeat(50)}\\"{{{") }`, 3)).toBe(false);
    expect(nestsDeeperThan(`{ a(s: """${'{['.repeat(50)}""") }`, 3)).toBe(false);
    expect(nestsDeeperThan(`{ a # ${'('.repeat(50)}\n }`, 3)).toBe(false);
  });

  it('finds a text nested 100,000 deep without recursion, and passes a real operation', () => {
    expect(nestsDeeperThan(`${'{ a '.repeat(100_000)}${'}'.repeat(100_000)}`, maxDocumentNesting)).toBe(true);
    expect(nestsDeeperThan('query Q($n: Int = 5) { talents(first: $n) { nodes { id registrations(first: 10) { nodes { event { id } } } } } }', maxDocumentNesting)).toBe(false);
  });
});

describe('queryTexts', () => {
  it('reads the body, each operation of a batch, and a GET query string', () => {
    expect(queryTexts({ query: '{ a }' }, '')).toEqual(['{ a }']);
    expect(queryTexts([{ query: '{ a }' }, { extensions: {} }, { query: '{ b }' }], '')).toEqual(['{ a }', '{ b }']);
    expect(queryTexts(undefined, '?query=%7B%20c%20%7D')).toEqual(['{ c }']);
    expect(queryTexts(null, '')).toEqual([]);
  });
});
