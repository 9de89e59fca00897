import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { plainCopy } from './plain-exports.js';

describe('plain exports of @apollo/federation-internals', () => {
  it('hands @apollo/gateway the package with every export a plain value, the same values as the package', () => {
    const fromGateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
    const seen = fromGateway('@apollo/federation-internals') as object;
    const getters = Reflect.ownKeys(seen).filter((key) => Object.getOwnPropertyDescriptor(seen, key)!.get);
    expect(getters).toEqual([]);
    const names = Reflect.ownKeys(seen);
    expect(names.length).toBeGreaterThan(100);
    // The same functions and classes (instanceof and identity checks across the packages still hold).
    const original = createRequire(import.meta.url)('@apollo/federation-internals/dist/index.js') as Record<string, unknown>;
    expect((seen as Record<string, unknown>).Schema).toBe(original.Schema);
  });

  it('copies getters as their values and data properties as they are', () => {
    const source = Object.defineProperty({ plain: 1 }, 'got', { enumerable: true, get: () => 'value' });
    expect(plainCopy(source)).toEqual({ plain: 1, got: 'value' });
    expect(Object.getOwnPropertyDescriptor(plainCopy(source), 'got')!.get).toBeUndefined();
  });
});
