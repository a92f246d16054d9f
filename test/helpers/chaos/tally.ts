import type { Phase, Timeline } from './timeline.js';

/** A user who stopped being signed in, and why. */
export interface Logout {
  browser: number;
  /** `sign-out` and `revoked` are real; `spurious` is not. */
  cause: 'sign-out' | 'revoked' | 'spurious';
  /** For a spurious logout: what explains it (see {@link Tally.explain}). */
  why?: string;
  reason: string;
  at: number;
  /** Seconds since the start of the run. */
  second: number;
  phase: Phase;
  inRedisOutage: boolean;
}

/** Everything the simulated browsers saw, shared by all of them (one process, one event loop). */
export class Tally {
  requests = 0;
  readonly statuses: Record<string, number> = {};
  /** Answers that told the browser to retry (503 with a retryable reason, 502 from the balancer), by reason. */
  readonly retryable: Record<string, number> = {};
  readonly latencies: Record<Phase, number[]> = { steady: [], 'redis down': [], 'redis frozen': [], 'server killed': [] };
  readonly logouts: Logout[] = [];
  /** 500 answers and failures of the harness itself (both must be zero). */
  exceptions = 0;
  readonly exceptionNotes: string[] = [];
  signIns = 0;
  signInRetries = 0;
  /** Requests made with a copy of a signed-out or revoked cookie (a stolen copy replayed). */
  replays = 0;
  /** Authenticated answers for a session that was revoked (or signed out) before the request was sent. */
  readonly revokedServed: { browser: number; how: string; second: number; phase: Phase; why: string }[] = [];

  /** Coordination fallbacks the servers reported (Redis skipped for a while), as they happened. */
  readonly fallbacks: { server: string; event: string; at: number }[] = [];

  constructor(readonly timeline: Timeline) {}

  /**
   * Why a logout or a revoked session served at `at` happened, from what was going on: a Redis outage, a
   * server that had just skipped Redis after a failed or slow call, a killed server.
   */
  explain(at: number): string {
    return this.cause(at).detail;
  }

  /** The category and detail behind {@link explain}. */
  cause(at: number): { category: 'Redis outage' | 'Redis skipped' | 'server killed' | 'unexplained'; detail: string } {
    if (this.timeline.inRedisOutage(at))
      return { category: 'Redis outage', detail: 'Redis outage: each instance coordinates only its own requests' };
    const fallback = this.fallbacks.filter((f) => f.at <= at && at - f.at <= 6_000).pop();
    if (fallback) {
      return {
        category: 'Redis skipped',
        detail: `${fallback.server} skipped Redis after ${fallback.event} at ${this.timeline.seconds(fallback.at)} s`,
      };
    }
    if (this.timeline.phaseAt(at) === 'server killed')
      return { category: 'server killed', detail: 'a server was SIGKILLed (its refresh may have been lost)' };
    return { category: 'unexplained', detail: 'unexplained' };
  }

  answer(status: number, sentAt: number, receivedAt: number): void {
    this.requests += 1;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    this.latencies[this.timeline.phaseAt(sentAt)].push(receivedAt - sentAt);
  }

  retry(reason: string): void {
    this.retryable[reason] = (this.retryable[reason] ?? 0) + 1;
  }

  exception(note: string): void {
    this.exceptions += 1;
    if (this.exceptionNotes.length < 20) this.exceptionNotes.push(note);
  }

  logout(browser: number, cause: Logout['cause'], reason: string, sentAt: number, receivedAt: number): void {
    const inRedisOutage = this.timeline.inRedisOutage(sentAt) || this.timeline.inRedisOutage(receivedAt);
    const why = cause === 'spurious' ? this.explain(sentAt) : undefined;
    this.logouts.push({
      browser,
      cause,
      reason,
      ...(why ? { why } : {}),
      at: sentAt,
      second: Math.round((sentAt - this.timeline.startedAt) / 100) / 10,
      phase: this.timeline.phaseAt(sentAt),
      inRedisOutage,
    });
  }

  servedRevoked(browser: number, how: string, sentAt: number): void {
    const second = Math.round((sentAt - this.timeline.startedAt) / 100) / 10;
    this.revokedServed.push({ browser, how, second, phase: this.timeline.phaseAt(sentAt), why: this.explain(sentAt) });
  }

  spurious(where: 'inside' | 'outside'): Logout[] {
    return this.logouts.filter((l) => l.cause === 'spurious' && l.inRedisOutage === (where === 'inside'));
  }
}

/** The value at quantile `q` (0..1) of unsorted samples; 0 for none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
