import type { Sample } from './load.js';

// Load at a fixed arrival rate, open loop: request k is sent at start + k / rate whether or not the earlier ones
// have answered, and its latency runs from that scheduled time, not from when it actually left. A closed-loop
// generator (autocannon) waits for an answer before sending again, so a slow answer delays the requests behind it
// and they never see the delay ("coordinated omission"); here a target that stalls is charged for every request
// that should have gone out meanwhile.
//
// Bounded: at most `maxInFlight` requests at once (a request due while that many are out is not sent and counts as
// an error, "dropped"), each given up after `timeoutMs` (an error), so a target that falls behind cannot pile up
// requests without end. Below saturation neither happens; the report gives both counts.
//
// The window: requests scheduled in the last `durationS` seconds count (those of the first `warmupS` seconds warm
// the target up at the same rate). `onWindow` and `onWindowEnd` are called at the window's scheduled edges, to
// read CPU counters: at a steady rate the work still in flight at the opening edge (charged to the window) and at
// the closing edge (not charged) are alike, a request or two against hundreds, and cancel out.

export interface OpenLoopSample extends Sample {
  /** Requests due while maxInFlight were out: not sent. */
  dropped: number;
  /** Requests given up after timeoutMs. */
  timedOut: number;
  /** Requests scheduled in the window, answered or not. */
  scheduled: number;
  rate: number;
}

export async function loadAtRate(options: {
  /** Sends request number i (the caller picks its body); true when it was answered well. */
  send: (i: number) => Promise<boolean>;
  rate: number;
  warmupS: number;
  durationS: number;
  maxInFlight?: number;
  timeoutMs?: number;
  onWindow?: () => void;
  onWindowEnd?: () => void;
}): Promise<OpenLoopSample> {
  const { rate } = options;
  const maxInFlight = options.maxInFlight ?? 256;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalNs = 1e9 / rate;
  const total = Math.max(1, Math.round((options.warmupS + options.durationS) * rate));
  const firstCounted = Math.round(options.warmupS * rate);
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let dropped = 0;
  let timedOut = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const start = process.hrtime.bigint() + 1_000_000n; // 1 ms from now
  const due = (k: number) => start + BigInt(Math.round(k * intervalNs));
  const windowOpens = due(firstCounted);
  const windowCloses = due(total);
  let opened = false;

  const fire = (k: number) => {
    const counted = k >= firstCounted;
    if (inFlight >= maxInFlight) {
      if (counted) {
        dropped++;
        errors++;
      }
      return;
    }
    const scheduled = due(k);
    inFlight++;
    // The slot frees when the request really ends: one given up may still be at the target, using it.
    const sent = options.send(k).finally(() => inFlight--);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = Promise.race([sent.catch(() => false), timeout]).then((ok) => {
      clearTimeout(timer);
      if (!counted) return;
      if (ok === true) {
        requests++;
        latencies.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
      } else {
        errors++;
        if (ok === 'timeout') timedOut++;
      }
    });
    pending.add(outcome);
    void outcome.then(() => pending.delete(outcome));
  };

  // The scheduler: sleeps until the next request is due, then sends every request whose time has come. A timer
  // wakes a little late (about a millisecond); latencies run from the due time, so that lateness is in every
  // target's figures alike, never hidden.
  let k = 0;
  while (k < total) {
    const now = process.hrtime.bigint();
    if (!opened && now >= windowOpens) {
      opened = true;
      options.onWindow?.();
    }
    while (k < total && due(k) <= now) fire(k++);
    const wait = k < total ? Number(due(k) - process.hrtime.bigint()) / 1e6 : 0;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  if (!opened) options.onWindow?.();
  const untilClose = Number(windowCloses - process.hrtime.bigint()) / 1e6;
  if (untilClose > 0) await new Promise((resolve) => setTimeout(resolve, untilClose));
  options.onWindowEnd?.();
  // The window's last requests answer (or time out) before the sample is complete.
  await Promise.all([...pending]);
  const scheduled = total - firstCounted;
  return {
    requests,
    errors,
    elapsedMs: Number(windowCloses - windowOpens) / 1e6,
    latencies: Float64Array.from(latencies),
    dropped,
    timedOut,
    scheduled,
    rate,
  };
}
