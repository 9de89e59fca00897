import { createRandom } from '@talent-hub/subgraph-lib/synthetic';

export type Random = ReturnType<typeof createRandom>;

// Every generated entity draws from its own generator, seeded from (seed, kind, index). Talent 7 is then the same
// whatever the other counts are, and each table can regenerate the entities it needs instead of holding them all.

/** FNV-1a: a stable 32-bit hash of a short string. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** The murmur3 finaliser: spreads nearby inputs (index 7 and 8) far apart. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function randomFor(seed: number, kind: string, index: number): Random {
  return createRandom(mix(mix(seed ^ hashString(kind)) + index));
}

/** Picks from weighted items; `weights` parallels `items`. */
export function weightedPicker<T>(items: readonly T[], weights: readonly number[]): (random: Random) => T {
  if (items.length === 0 || items.length !== weights.length) throw new Error('weightedPicker needs one weight per item');
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of weights) cumulative.push((sum += weight));
  return (random) => {
    const target = random.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/** Picks from `[item, weight]` pairs. */
export const weighted = <T>(pairs: readonly (readonly [T, number])[]) =>
  weightedPicker(pairs.map(([item]) => item), pairs.map(([, weight]) => weight));

/** `count` distinct integers from 0 to n - 1 (Floyd's algorithm: O(count), whatever n is). */
export function sampleIndexes(random: Random, n: number, count: number): number[] {
  if (count > n) throw new Error(`cannot pick ${count} distinct items from ${n}`);
  const chosen = new Set<number>();
  for (let j = n - count; j < n; j++) {
    const t = random.int(0, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen];
}

/** `count` distinct items (the lib's `sample` shuffles the whole list, which costs a draw per item). */
export const sampleItems = <T>(random: Random, items: readonly T[], count: number): T[] =>
  sampleIndexes(random, items.length, count).map((i) => items[i]!);
