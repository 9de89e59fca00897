import { describe, expect, it } from 'vitest';
import { loadAtRate } from './open-loop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('loadAtRate', () => {
  it('sends on schedule whatever the answers, and measures latency from the scheduled time', async () => {
    const sentAt: number[] = [];
    const started = performance.now();
    // Each request takes 150 ms at 50 req/s: a closed loop of one would send 7 a second, the open loop sends 50.
    const sample = await loadAtRate({
      rate: 50,
      warmupS: 0,
      durationS: 0.6,
      send: async () => {
        sentAt.push(performance.now() - started);
        await sleep(150);
        return true;
      },
    });
    expect(sample.scheduled).toBe(30);
    expect(sentAt.length).toBe(30);
    expect(sentAt[29]!).toBeLessThan(700);
    expect(sample.requests).toBe(30);
    expect(Math.min(...sample.latencies)).toBeGreaterThanOrEqual(145);
  });

  it('bounds the requests in flight and gives up on slow ones', async () => {
    const sample = await loadAtRate({
      rate: 100,
      warmupS: 0,
      durationS: 0.2,
      maxInFlight: 5,
      timeoutMs: 50,
      send: () => sleep(300).then(() => true),
    });
    expect(sample.scheduled).toBe(20);
    expect(sample.timedOut).toBe(5);
    expect(sample.dropped).toBe(15);
    expect(sample.requests).toBe(0);
    expect(sample.errors).toBe(20);
  });
});
