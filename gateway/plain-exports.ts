import Module from 'node:module';

// @apollo/gateway and its query planner reach @apollo/federation-internals through the package's index, whose
// exports are getters (how TypeScript compiles `export * from`): every use of any of its names, in the innermost
// loops of planning and of shaping an answer, is a function call that V8 does not inline (5 to 6% of the gateway's
// CPU on a large answer, in a CPU profile). Once the package has loaded, requires of it get a copy of its exports
// as plain values: the same functions, classes and objects, read without a call. Imported before @apollo/gateway
// (first import of server.ts); loaded later it changes nothing, and nothing breaks.

const packages = new Set(['@apollo/federation-internals']);
const copies = new Map<string, object>();
// Node's CommonJS loader internals (stable since Node 0.x; what require hooks have always used).
const moduleWithLoad = Module as unknown as {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown): string;
  _cache: Record<string, { loaded: boolean } | undefined>;
};
const load = moduleWithLoad._load;

moduleWithLoad._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
  const exports = load.call(this, request, parent, isMain);
  if (!packages.has(request) || !exports || typeof exports !== 'object') return exports;
  // By file: two copies of the package (different versions) keep apart.
  const file = moduleWithLoad._resolveFilename(request, parent);
  const known = copies.get(file);
  if (known) return known;
  // Still loading (a require in a circle): its exports are not all there yet, so no copy is made of them.
  if (!moduleWithLoad._cache[file]?.loaded) return exports;
  const copy = plainCopy(exports);
  copies.set(file, copy);
  return copy;
};

/** The exports' values as data properties (reading each getter once, after the package has loaded). */
export function plainCopy(exports: object): object {
  const copy: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(exports)) {
    const descriptor = Object.getOwnPropertyDescriptor(exports, key)!;
    copy[key] = descriptor.get ? (exports as Record<string | symbol, unknown>)[key] : descriptor.value;
  }
  return copy;
}
