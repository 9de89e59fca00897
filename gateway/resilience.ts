import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLError } from 'graphql';
import { graphqlError } from '@talent-hub/platform/errors';
import type { FetchOutcome } from './metrics.js';

// What keeps one slow or dead subgraph from holding up the whole graph: every fetch has a deadline, a subgraph
// that keeps failing is skipped at once for a while (circuit breaker), and a query whose fetch failed on a
// connection error or a 5xx answer is sent once more when the deadline leaves room. The gateway then answers with
// what the other subgraphs gave, plus an error naming the missing one.

export interface ResilienceOptions {
  /** A fetch, retries included, ends after this long. */
  timeoutMs: number;
  /**
   * All the fetches of one client request end by this long after it started: a plan of three sequential fetches
   * does not get three full fetch deadlines (the gateway sets the request's deadline in its context).
   */
  requestTimeoutMs: number;
  /** Extra attempts for a query's fetch after a connection error, a 5xx answer or a timeout; mutations never. */
  retries: number;
  /** Consecutive failed fetches that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit fails fast before one fetch probes the subgraph again. */
  breakerCooldownMs: number;
}

export const defaultResilience: ResilienceOptions = {
  timeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  retries: 1,
  breakerFailures: 5,
  breakerCooldownMs: 10_000,
};

/** Before a retry, 25 to 100 ms: enough for a restarting subgraph's listener, spread so retries do not stampede. */
const retryDelayMs = () => 25 + Math.random() * 75;
/** A retry is not worth sending with less time than this left before the deadline. */
const minRetryBudgetMs = 100;

export type BreakerState = 'closed' | 'half-open' | 'open';

/**
 * Closed: fetches go through; `failures` consecutive failed fetches open it. Open: fetches fail at once until the
 * cooldown has passed; then one fetch goes through as a probe (half-open) while the others still fail fast. The
 * probe's success closes it, its failure opens it for another cooldown. Any successful answer closes it, since the
 * subgraph evidently answers again.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly failureThreshold: number,
    private readonly cooldownMs: number,
    private readonly onChange: (state: BreakerState, failures: number) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a fetch may be sent now; when it may, `success` or `failure` must follow. */
  admit(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.cooldownMs) return false;
      this.move('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Milliseconds until an open circuit lets a probe through. */
  retryInMs(): number {
    return this.current === 'open' ? Math.max(0, this.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  /** A fetch admitted that says nothing of the subgraph's health (see SubgraphGuard.run): frees the probe. */
  release(): void {
    this.probing = false;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.move('closed');
  }

  failure(): void {
    this.failures++;
    if (this.current === 'half-open') {
      this.probing = false;
      this.open();
    } else if (this.current === 'closed' && this.failures >= this.failureThreshold) {
      this.open();
    }
  }

  private open(): void {
    this.openedAt = this.now();
    this.move('open');
  }

  private move(state: BreakerState): void {
    this.current = state;
    this.onChange(state, this.failures);
  }
}

/** An attempt that ran out of time (the sender aborts its request when this is thrown). */
export class FetchTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

export interface GuardHooks {
  /** Once per fetch, with its outcome and its duration retries included. */
  onFetch?(outcome: FetchOutcome, ms: number, context: object | undefined): void;
  onRetry?(): void;
  onBreakerChange?(state: BreakerState, failures: number): void;
}

/**
 * The deadline, retry and breaker rules for one subgraph, around whatever sends its HTTP requests. Kept per
 * subgraph name by the gateway, so that a supergraph reload keeps the breaker's state.
 */
export class SubgraphGuard {
  readonly breaker: CircuitBreaker;

  constructor(
    readonly subgraph: string,
    readonly options: ResilienceOptions = defaultResilience,
    private readonly hooks: GuardHooks = {},
  ) {
    this.breaker = new CircuitBreaker(options.breakerFailures, options.breakerCooldownMs, (state, failures) =>
      hooks.onBreakerChange?.(state, failures),
    );
  }

  /**
   * Sends through `send` (given the time left, it must give up with FetchTimeoutError after it) and returns its
   * answer; a 5xx answer is returned as is once the retries are spent (the caller turns it into an error).
   * Throws a GraphQLError naming the subgraph when the circuit is open, on timeout and when it cannot be reached.
   */
  async run<T extends { status: number }>(
    send: (timeoutMs: number) => Promise<T>,
    options: { retry: boolean; context?: object; deadline?: number },
  ): Promise<T> {
    const started = performance.now();
    const finish = (outcome: FetchOutcome) => this.hooks.onFetch?.(outcome, performance.now() - started, options.context);
    // The request's own deadline (performance.now() time) may come before this fetch's.
    const ownDeadline = started + this.options.timeoutMs;
    const deadline = Math.min(ownDeadline, options.deadline ?? Infinity);
    if (deadline - started < 1) throw this.requestDeadlinePassed();
    if (!this.breaker.admit()) {
      finish('circuit_open');
      throw this.circuitOpen();
    }
    for (let attempt = 0; ; attempt++) {
      let answer: T | undefined;
      let error: unknown;
      try {
        answer = await send(Math.max(1, deadline - performance.now()));
      } catch (caught) {
        error = caught;
      }
      if (answer && answer.status < 500) {
        this.breaker.success();
        finish('success');
        return answer;
      }
      const delay = retryDelayMs();
      if (options.retry && attempt < this.options.retries && deadline - performance.now() > delay + minRetryBudgetMs) {
        this.hooks.onRetry?.();
        await sleep(delay);
        continue;
      }
      const timedOut = error instanceof FetchTimeoutError;
      // A timeout says the subgraph is unhealthy only when it had its whole deadline for a query. A mutation may
      // rightly take long (an erasure across tables) and the request's own deadline may have left it little time:
      // opening the circuit for those would refuse every read for a slow write or a slow other subgraph.
      const cutShort = deadline < ownDeadline;
      if (timedOut && (!options.retry || cutShort)) this.breaker.release();
      else this.breaker.failure();
      if (answer) {
        finish('error');
        return answer;
      }
      if (timedOut) {
        finish('timeout');
        if (cutShort) throw this.requestDeadlinePassed();
        throw graphqlError('SUBGRAPH_TIMEOUT', `Subgraph "${this.subgraph}" did not answer within ${this.options.timeoutMs} ms.`, { serviceName: this.subgraph });
      }
      finish('unavailable');
      const reason = (error as { code?: string } | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
      throw graphqlError('SUBGRAPH_UNAVAILABLE', `Subgraph "${this.subgraph}" could not be reached (${reason}).`, { serviceName: this.subgraph });
    }
  }

  private requestDeadlinePassed(): GraphQLError {
    return graphqlError(
      'SUBGRAPH_TIMEOUT',
      `The request's deadline (${this.options.requestTimeoutMs} ms for all its fetches) passed before subgraph "${this.subgraph}" answered.`,
      { serviceName: this.subgraph },
    );
  }

  private circuitOpen(): GraphQLError {
    const seconds = Math.ceil(this.breaker.retryInMs() / 1000);
    const when = this.breaker.state === 'open' ? `tried again in ${seconds} s` : 'being probed';
    return graphqlError('SUBGRAPH_UNAVAILABLE', `Subgraph "${this.subgraph}" is unavailable after repeated failures (${when}).`, { serviceName: this.subgraph });
  }
}
