import { systemClock, type Clock } from '../clock.js';
import { emit, type AuthKitEventHandler } from '../events.js';

/** Consecutive failures of one operation before it is skipped for the cooldown. */
const FAILURES_TO_DEGRADE = 3;

/**
 * Runs store operations with a time bound. A failure or timeout reports `coordination.fallback` and answers
 * the fallback. Degradation is per operation and needs {@link FAILURES_TO_DEGRADE} failures in a row: then
 * that operation alone is skipped at once for `cooldownMs` (a dead store costs a few timeouts, not one per
 * request), and one slow reply never switches anything off. A reply that arrived while the event loop was
 * busy is taken, not counted as a timeout. Never a logout, never an exception.
 */
export class StoreGuard {
  private readonly health = new Map<string, { failures: number; degradedUntil: number }>();

  constructor(
    private readonly timeoutMs: number,
    private readonly onEvent: AuthKitEventHandler | undefined,
    private readonly clock: Clock = systemClock,
    private readonly cooldownMs = 5_000,
  ) {}

  /** The operation's value, or `fallback` when the store failed, timed out, or the operation is degraded. */
  async run<T>(operation: string, task: () => Promise<T>, fallback: T): Promise<T> {
    const started = this.clock();
    const state = this.health.get(operation);
    if (state && started < state.degradedUntil) return fallback;
    try {
      const value = await withinTime(task(), this.timeoutMs);
      if (state) this.health.delete(operation);
      return value;
    } catch (error) {
      const now = this.clock();
      const failures = (state?.failures ?? 0) + 1;
      this.health.set(operation, { failures, degradedUntil: failures >= FAILURES_TO_DEGRADE ? now + this.cooldownMs : 0 });
      emit(this.onEvent, { type: 'coordination.fallback', operation, durationMs: now - started, timedOut: isStoreTimeout(error) });
      return fallback;
    }
  }
}

/** The rejection of {@link withinTime} when the store did not answer in time. */
class StoreTimeout extends Error {
  constructor() {
    super('coordination store timed out');
    this.name = 'StoreTimeout';
  }
}

/** True when `error` is {@link withinTime}'s rejection (the store did not answer), false for a store's own failure. */
export function isStoreTimeout(error: unknown): boolean {
  return error instanceof StoreTimeout;
}

/**
 * `promise`, or a rejection after `timeoutMs`. When the timer fires it waits one more turn of the event loop
 * before giving up: if the loop was blocked (CPU load), a reply already received is read first, so a busy
 * process does not mistake its own slowness for a slow store.
 */
export function withinTime<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timer = setTimeout(() => reject(new StoreTimeout()), 0);
    }, timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
