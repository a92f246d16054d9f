import type { Impersonator, User } from '@workos-inc/node';
import { TokenRefreshError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import { classifyRefreshError } from './classify.js';
import { sha256Hex } from './digest.js';
import { MemoryRefreshResultCache, type RefreshResultCache } from './RefreshResultCache.js';

/** Tokens returned by a successful refresh. */
export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string;
  user: User;
  impersonator: Impersonator | undefined;
  organizationId?: string | undefined;
  authenticationMethod?: string | undefined;
}

/** Performs one WorkOS refresh call. */
export type RefreshCall = (refreshToken: string, organizationId: string | undefined) => Promise<RefreshedTokens>;

export interface RefreshCoordinatorOptions {
  call: RefreshCall;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** How long an outcome is reused for requests carrying the old refresh token, in milliseconds. */
  graceMs: number;
  /** Longest wait before the single retry of a transient failure, in milliseconds. */
  maxRetryWaitMs?: number;
  onEvent?: AuthKitEventHandler | undefined;
  cache?: RefreshResultCache<RefreshedTokens>;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY_WAIT_MS = 100;

/**
 * Spends each single-use refresh token at most once per process: concurrent refreshes of the same
 * (refresh token, organization) share one WorkOS call, and for `graceMs` afterwards requests still carrying
 * the old token get the same rotated tokens. Transient failures are retried once and never cached.
 */
export class RefreshCoordinator {
  private readonly inflight = new Map<string, Promise<RefreshedTokens>>();
  private readonly cache: RefreshResultCache<RefreshedTokens>;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RefreshCoordinatorOptions) {
    this.cache = options.cache ?? new MemoryRefreshResultCache();
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Refreshes, coalescing with concurrent and recent refreshes of the same token.
   * @throws TokenRefreshError `refresh_rejected` (terminal) or `refresh_unavailable` (transient, `retryable`).
   */
  async refresh(
    refreshToken: string,
    organizationId: string | undefined,
    context: { userId?: string | undefined; sessionId?: string | undefined; proactive?: boolean } = {},
  ): Promise<RefreshedTokens> {
    const key = await sha256Hex(`${refreshToken}\0${organizationId ?? ''}`);
    const now = this.options.clock();
    const cached = this.cache.get(key, now);
    if (cached) {
      if (!cached.ok) throw cached.error;
      emit(this.options.onEvent, { type: 'refresh.reused', ageMs: now - cached.at });
      return cached.value;
    }
    const running = this.inflight.get(key);
    if (running) {
      const started = Date.now();
      const value = await running;
      emit(this.options.onEvent, { type: 'refresh.coalesced', durationMs: Date.now() - started });
      return value;
    }
    const flight = this.run(key, refreshToken, organizationId, context).finally(() => this.inflight.delete(key));
    this.inflight.set(key, flight);
    return flight;
  }

  private async run(
    key: string,
    refreshToken: string,
    organizationId: string | undefined,
    context: { userId?: string | undefined; sessionId?: string | undefined; proactive?: boolean },
  ): Promise<RefreshedTokens> {
    const { call, onEvent, graceMs, clock } = this.options;
    const maxWait = this.options.maxRetryWaitMs ?? 2_000;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await call(refreshToken, organizationId);
        this.cache.set(key, { ok: true, value, at: clock() }, graceMs, clock());
        emit(onEvent, {
          type: 'refresh.succeeded',
          durationMs: Date.now() - started,
          attempts: attempt,
          proactive: context.proactive ?? false,
        });
        return value;
      } catch (cause) {
        const failure = classifyRefreshError(cause);
        const durationMs = Date.now() - started;
        const errorContext = { userId: context.userId, sessionId: context.sessionId, retryable: failure.retryable };
        if (!failure.retryable) {
          const error = new TokenRefreshError('Failed to refresh tokens', cause, errorContext);
          this.cache.set(key, { ok: false, error, at: clock() }, graceMs, clock());
          emit(onEvent, { type: 'refresh.terminal', durationMs, ...(failure.status ? { status: failure.status } : {}) });
          throw error;
        }
        const wait = failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : DEFAULT_RETRY_WAIT_MS;
        if (attempt >= 2 || wait > maxWait) {
          emit(onEvent, {
            type: 'refresh.transient',
            durationMs,
            attempts: attempt,
            ...(failure.status ? { status: failure.status } : {}),
            ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
          });
          throw new TokenRefreshError('Failed to refresh tokens', cause, {
            ...errorContext,
            ...(failure.retryAfterSeconds !== undefined ? { retryAfter: failure.retryAfterSeconds } : {}),
          });
        }
        await this.sleep(wait);
      }
    }
  }
}
