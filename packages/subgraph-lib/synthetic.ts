import { createHash } from 'node:crypto';

// Deterministic synthetic demo data. Subgraphs never read each other's databases, so the `talents` and
// `trainings` seeds agree on talent ids by deriving them from the same index here.

/** How many synthetic talents the demo seed holds. */
export const SYNTHETIC_TALENT_COUNT = 300;

/** A stable UUID (version 4 layout) for the n-th synthetic record of a kind. */
export function syntheticUuid(kind: string, index: number): string {
  const hex = createHash('sha256').update(`talent-hub:${kind}:${index}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const syntheticTalentId = (index: number) => syntheticUuid('talent', index);

/** The networks that own the synthetic talents, in turn: the talents seed writes them, trainings stores them on registrations. */
export const SYNTHETIC_TALENT_NETWORKS = ['cemr', 'eurocities', 'uclg'] as const;

/** The organisation that owns the n-th synthetic talent. */
export const syntheticTalentOrganisation = (index: number): string => SYNTHETIC_TALENT_NETWORKS[index % SYNTHETIC_TALENT_NETWORKS.length]!;

/** A small, fast, seedable pseudo-random generator (mulberry32): the same seed gives the same data. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    /** `count` distinct items, in a random order. */
    sample: <T>(items: readonly T[], count: number): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, count);
    },
  };
}
