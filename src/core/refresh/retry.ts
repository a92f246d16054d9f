import type { Clock } from '../clock.js';
import { TokenRefreshError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import { classifyRefreshError } from './classify.js';
import type { RefreshCall, RefreshedTokens, RefreshRequest } from './types.js';

/** Wait before the single retry when WorkOS gave no `Retry-After`, in milliseconds. */
const DEFAULT_RETRY_WAIT_MS = 100;

export interface RefreshRetryOptions {
  call: RefreshCall;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** Longest wait before the single retry of a transient failure, in milliseconds. */
  maxRetryWaitMs: number;
  /**
   * Longest pause of refresh calls after a 429, in milliseconds, whatever `Retry-After` asks: after it one
   * call probes WorkOS again. Default 300000 (5 minutes).
   */
  maxRateLimitBackoffMs?: number | undefined;
  onEvent?: AuthKitEventHandler | undefined;
}

/**
 * The HTTP retry policy of one refresh: a transient failure is retried once after `Retry-After` (or 100 ms)
 * when that fits in `maxRetryWaitMs`; a 429 asking for longer opens a window (at most `maxRateLimitBackoffMs`)
 * in which no call is made at all, after which the next refresh probes WorkOS again.
 * Terminal failures (a definite 4xx) are never retried.
 */
export class RefreshRetry {
  /** Until when WorkOS asked for no more calls (a 429 `Retry-After` past the retry budget). */
  private rateLimitedUntil = 0;

  constructor(private readonly options: RefreshRetryOptions) {}

  /** @throws TokenRefreshError `refresh_rejected` (terminal) or `refresh_unavailable` (transient, `retryable`). */
  async run(request: RefreshRequest): Promise<RefreshedTokens> {
    const { call, onEvent, clock, maxRetryWaitMs } = this.options;
    const started = clock();
    const context = { userId: request.userId, sessionId: request.sessionId };
    const waitLeft = this.rateLimitedUntil - started;
    if (waitLeft > 0) {
      // WorkOS asked us to back off (429 Retry-After): answer transiently without calling it again.
      const retryAfter = Math.ceil(waitLeft / 1000);
      emit(onEvent, { type: 'refresh.transient', durationMs: 0, attempts: 0, status: 429, retryAfterSeconds: retryAfter });
      throw new TokenRefreshError('Failed to refresh tokens', undefined, { ...context, retryable: true, retryAfter });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await call(request.refreshToken, request.organizationId);
        emit(onEvent, {
          type: 'refresh.succeeded',
          durationMs: clock() - started,
          attempts: attempt,
          proactive: request.proactive ?? false,
        });
        return value;
      } catch (cause) {
        const failure = classifyRefreshError(cause);
        const durationMs = clock() - started;
        const status = failure.status ? { status: failure.status } : {};
        if (!failure.retryable) {
          emit(onEvent, { type: 'refresh.terminal', durationMs, ...status });
          throw new TokenRefreshError('Failed to refresh tokens', cause, { ...context, retryable: false });
        }
        const wait = failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : DEFAULT_RETRY_WAIT_MS;
        if (failure.status === 429 && wait > maxRetryWaitMs) {
          // One user's 429 pauses every refresh on this instance: never for longer than the cap.
          this.rateLimitedUntil = clock() + Math.min(wait, this.options.maxRateLimitBackoffMs ?? 300_000);
        }
        if (attempt >= 2 || wait > maxRetryWaitMs) {
          const retryAfter = failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {};
          emit(onEvent, { type: 'refresh.transient', durationMs, attempts: attempt, ...status, ...retryAfter });
          throw new TokenRefreshError('Failed to refresh tokens', cause, {
            ...context,
            retryable: true,
            ...(failure.retryAfterSeconds !== undefined ? { retryAfter: failure.retryAfterSeconds } : {}),
          });
        }
        await this.options.sleep(wait);
      }
    }
  }
}
