import { systemClock, type Clock } from '../clock.js';
import { emit, type AuthKitEventHandler } from '../events.js';

/**
 * Runs store operations with a time bound. A failure or timeout reports `coordination.fallback` and marks
 * the store degraded for `cooldownMs`, during which operations are skipped at once: a slow or dead shared
 * store costs at most one timeout, never a logout and never an exception.
 */
export class StoreGuard {
  private degradedUntil = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly onEvent: AuthKitEventHandler | undefined,
    private readonly clock: Clock = systemClock,
    private readonly cooldownMs = 5_000,
  ) {}

  /** The operation's value, or `fallback` when the store failed, timed out, or is degraded. */
  async run<T>(operation: string, task: () => Promise<T>, fallback: T): Promise<T> {
    const started = this.clock();
    if (started < this.degradedUntil) return fallback;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        task(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.timeoutMs);
        }),
      ]);
    } catch {
      const now = this.clock();
      this.degradedUntil = now + this.cooldownMs;
      emit(this.onEvent, { type: 'coordination.fallback', operation, durationMs: now - started });
      return fallback;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
