import { describe, expect, it } from 'vitest';
import { MemoryBuckets, chargeOf, takeFrom, tokensAt, type BucketCheck, type BucketState } from './rate-limit-bucket.js';

const org: BucketCheck = { key: 'org:a', level: 'organisation', budget: { capacity: 1_000, refillPerSecond: 100 } };
const client: BucketCheck = { key: 'client:a:x', level: 'client', budget: { capacity: 300, refillPerSecond: 10 } };
const otherClient: BucketCheck = { ...client, key: 'client:a:y' };

/** Buckets on a clock the test moves by hand. */
function clocked() {
  let now = 1_000_000;
  const buckets = new MemoryBuckets(1_000, () => now);
  return { buckets, advance: (ms: number) => (now += ms) };
}

describe('token bucket arithmetic', () => {
  it('starts full, refills at its rate and never past its capacity', () => {
    const budget = { capacity: 100, refillPerSecond: 10 };
    expect(tokensAt(undefined, budget, 0)).toBe(100);
    const state: BucketState = { tokens: 20, updatedAt: 1_000 };
    expect(tokensAt(state, budget, 1_000)).toBe(20);
    expect(tokensAt(state, budget, 2_500)).toBe(35);
    expect(tokensAt(state, budget, 60_000)).toBe(100);
    // A clock that went back gives nothing and takes nothing.
    expect(tokensAt(state, budget, 500)).toBe(20);
  });

  it('charges at least 1 and at most a full bucket', () => {
    const budget = { capacity: 100, refillPerSecond: 10 };
    expect(chargeOf(0, budget)).toBe(1);
    expect(chargeOf(12.2, budget)).toBe(13);
    expect(chargeOf(5_000, budget)).toBe(100);
  });

  it('charges every bucket or none, and says which one refused and for how long', () => {
    const states = new Map<string, BucketState>();
    expect(takeFrom(states, [org, client], 250, 0)).toEqual({ allowed: true, charged: 250 });
    expect(states.get('org:a')!.tokens).toBe(750);
    expect(states.get('client:a:x')!.tokens).toBe(50);
    // The client lacks 50 units at 10 a second: 5 s. The organisation is not charged.
    expect(takeFrom(states, [org, client], 100, 0)).toEqual({ allowed: false, level: 'client', retryAfterMs: 5_000 });
    expect(states.get('org:a')!.tokens).toBe(750);
    expect(takeFrom(states, [org, client], 100, 5_000)).toEqual({ allowed: true, charged: 100 });
  });

  it('names the budget with the longest wait when several are spent', () => {
    const states = new Map<string, BucketState>([
      ['org:a', { tokens: 0, updatedAt: 0 }],
      ['client:a:x', { tokens: 0, updatedAt: 0 }],
    ]);
    // Organisation: 200 units at 100/s = 2 s; client: 200 units at 10/s = 20 s.
    expect(takeFrom(states, [org, client], 200, 0)).toEqual({ allowed: false, level: 'client', retryAfterMs: 20_000 });
    expect(takeFrom(states, [org, { ...client, budget: { capacity: 300, refillPerSecond: 1_000 } }], 200, 0)).toEqual({
      allowed: false,
      level: 'organisation',
      retryAfterMs: 2_000,
    });
  });
});

describe('MemoryBuckets', () => {
  it('refuses a client past its budget and lets it in again once refilled, without sleeping', async () => {
    const { buckets, advance } = clocked();
    for (let i = 0; i < 3; i++) expect((await buckets.take([org, client], 100)).allowed).toBe(true);
    const refused = await buckets.take([org, client], 100);
    expect(refused).toEqual({ allowed: false, level: 'client', retryAfterMs: 10_000 });
    advance(9_999);
    expect((await buckets.take([org, client], 100)).allowed).toBe(false);
    advance(1);
    expect((await buckets.take([org, client], 100)).allowed).toBe(true);
  });

  it('keeps clients apart within their organisation, and the organisation bounds them together', async () => {
    const { buckets } = clocked();
    const bigClients = (key: string): BucketCheck => ({ key, level: 'client', budget: { capacity: 600, refillPerSecond: 10 } });
    expect((await buckets.take([org, client], 300)).allowed).toBe(true);
    expect((await buckets.take([org, client], 1)).allowed).toBe(false);
    expect((await buckets.take([org, otherClient], 300)).allowed).toBe(true);
    // The organisation holds 400 now: a third client with room of its own is refused by the organisation.
    expect(await buckets.take([org, bigClients('client:a:z')], 500)).toEqual({ allowed: false, level: 'organisation', retryAfterMs: 1_000 });
  });

  it('stays bounded, dropping the least recently charged buckets (which come back full)', async () => {
    let now = 0;
    const buckets = new MemoryBuckets(3, () => now);
    const anon = (n: number): BucketCheck => ({ key: `anon:${n}`, level: 'anonymous', budget: { capacity: 10, refillPerSecond: 1 } });
    await buckets.take([anon(1)], 10);
    for (let n = 2; n <= 5; n++) await buckets.take([anon(n)], 10);
    expect(buckets.size).toBe(3);
    // 1 was dropped: full again. 5 was kept: still empty.
    expect((await buckets.take([anon(1)], 10)).allowed).toBe(true);
    expect((await buckets.take([anon(5)], 10)).allowed).toBe(false);
    now += 10_000;
    expect((await buckets.take([anon(5)], 10)).allowed).toBe(true);
  });
});
