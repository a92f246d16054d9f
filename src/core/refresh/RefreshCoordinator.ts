import type { Impersonator, User } from '@workos-inc/node';
import type { CoordinationStore } from '../coordination/CoordinationStore.js';
import { StoreGuard } from '../coordination/guard.js';
import { MemoryCoordinationStore } from '../coordination/MemoryCoordinationStore.js';
import { TokenRefreshError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import { classifyRefreshError } from './classify.js';
import { sha256Hex } from './digest.js';
import { MemoryRefreshResultCache, type CachedRefresh, type RefreshResultCache } from './RefreshResultCache.js';

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
  /** Longest wait before the single retry of a transient failure, in milliseconds. Default 2000. */
  maxRetryWaitMs?: number;
  onEvent?: AuthKitEventHandler | undefined;
  /** In-process cache of recent outcomes (plain objects). */
  cache?: RefreshResultCache<RefreshedTokens>;
  /** Shared store for leases and sealed results. Default in-memory (one instance). */
  store?: CoordinationStore;
  /** Seals a result before it goes into the shared store, and opens it back. */
  seal: (tokens: RefreshedTokens) => Promise<string>;
  open: (sealed: string) => Promise<RefreshedTokens>;
  /** How long a refresh lease lasts; must outlive the WorkOS call, in milliseconds. */
  leaseMs: number;
  /**
   * Time-bounds every shared-store operation and falls back when the store fails. Pass the caller's guard
   * so one degraded state covers all uses of the store. Default: a 250 ms guard of its own.
   */
  guard?: StoreGuard;
  sleep?: (ms: number) => Promise<void>;
}

type Context = { userId?: string | undefined; sessionId?: string | undefined; proactive?: boolean };

const DEFAULT_RETRY_WAIT_MS = 100;
const POLL_MS = 20;

/**
 * Spends each single-use refresh token at most once: concurrent refreshes of the same (refresh token,
 * organization) share one WorkOS call in this process, instances share a lease and the sealed result
 * through the {@link CoordinationStore}, and for `graceMs` afterwards requests still carrying the old
 * token get the same rotated tokens. Transient failures are retried once and never cached.
 */
export class RefreshCoordinator {
  private readonly inflight = new Map<string, Promise<RefreshedTokens>>();
  /** Flights and recent results by refresh token alone, whatever the organization. */
  private readonly tokenFlights = new Map<string, Promise<RefreshedTokens>>();
  private readonly tokenCache = new MemoryRefreshResultCache<RefreshedTokens>();
  /** Until when WorkOS asked for no more calls (a 429 `Retry-After` past the retry budget). */
  private rateLimitedUntil = 0;
  private readonly cache: RefreshResultCache<RefreshedTokens>;
  private readonly store: CoordinationStore;
  private readonly guard: StoreGuard;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RefreshCoordinatorOptions) {
    this.cache = options.cache ?? new MemoryRefreshResultCache();
    this.store = options.store ?? new MemoryCoordinationStore({ clock: options.clock });
    this.guard = options.guard ?? new StoreGuard(250, options.onEvent, options.clock);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Refreshes, coalescing with concurrent and recent refreshes of the same token (here and on other instances).
   * @throws TokenRefreshError `refresh_rejected` (terminal) or `refresh_unavailable` (transient, `retryable`).
   */
  async refresh(refreshToken: string, organizationId: string | undefined, context: Context = {}): Promise<RefreshedTokens> {
    // Both digests first: from here to registering the flight nothing may await, or concurrent calls race.
    const [key, tokenKey] = await Promise.all([sha256Hex(`${refreshToken}\0${organizationId ?? ''}`), sha256Hex(refreshToken)]);
    const now = this.options.clock();
    const cached = this.cache.get(key, now);
    if (cached) {
      if (!cached.ok) throw cached.error;
      emit(this.options.onEvent, { type: 'refresh.reused', ageMs: now - cached.at });
      return cached.value;
    }
    const running = this.inflight.get(key);
    if (running) {
      const value = await running;
      emit(this.options.onEvent, { type: 'refresh.coalesced', durationMs: this.options.clock() - now });
      return value;
    }
    // The same refresh token is being (or was just) spent for another organization, e.g. an organization
    // switch racing a plain refresh: wait for that rotation, then refresh the rotated token instead.
    const other = this.tokenFlights.get(tokenKey) ?? cachedValue(this.tokenCache.get(tokenKey, now));
    if (other) return this.refresh((await other).refreshToken, organizationId, context);

    const flight = this.coordinate(key, refreshToken, organizationId, context);
    this.inflight.set(key, flight);
    this.tokenFlights.set(tokenKey, flight);
    try {
      const value = await flight;
      this.tokenCache.set(tokenKey, { ok: true, value, at: this.options.clock() }, this.options.graceMs, this.options.clock());
      return value;
    } finally {
      this.inflight.delete(key);
      this.tokenFlights.delete(tokenKey);
    }
  }

  /** Cross-instance part: reuse a shared result, or win the lease and call WorkOS, or wait for the winner. */
  private async coordinate(
    key: string,
    refreshToken: string,
    organizationId: string | undefined,
    context: Context,
  ): Promise<RefreshedTokens> {
    if (this.store.local) return this.callAndRemember(key, refreshToken, organizationId, context, undefined);
    const started = this.options.clock();
    // Long enough for a dead winner's lease to expire and a second winner to finish its call.
    const deadline = started + 2 * this.options.leaseMs + 1_000;
    let sawLease = false;
    for (;;) {
      const shared = await this.sharedResult(key);
      if (shared) {
        emit(this.options.onEvent, { type: 'refresh.reused', ageMs: this.options.clock() - started });
        return shared;
      }
      const owner = await this.guard.run<string | undefined | null>('acquire', () => this.store.acquire(key, this.options.leaseMs), null);
      if (typeof owner === 'string') {
        // The previous owner may have stored its result and released between our read and our acquire:
        // read again before spending the token a second time.
        const late = await this.sharedResult(key);
        if (late) {
          await this.guard.run('release', () => this.store.release(key, owner), undefined);
          emit(this.options.onEvent, { type: 'refresh.reused', ageMs: this.options.clock() - started });
          return late;
        }
      }
      if (owner !== undefined) return this.callAndRemember(key, refreshToken, organizationId, context, owner ?? undefined, sawLease);
      sawLease = true;
      if (this.options.clock() > deadline) return this.callAndRemember(key, refreshToken, organizationId, context, undefined, true);
      await this.sleep(POLL_MS);
    }
  }

  private async sharedResult(key: string): Promise<RefreshedTokens | undefined> {
    if (this.store.local) return undefined;
    const sealed = await this.guard.run('getResult', () => this.store.getResult(key), undefined);
    if (!sealed) return undefined;
    try {
      const value = await this.options.open(sealed);
      this.cache.set(key, { ok: true, value, at: this.options.clock() }, this.options.graceMs, this.options.clock());
      return value;
    } catch {
      return undefined;
    }
  }

  private async callAndRemember(
    key: string,
    refreshToken: string,
    organizationId: string | undefined,
    context: Context,
    owner: string | undefined,
    sawLease = false,
  ): Promise<RefreshedTokens> {
    const { clock, graceMs } = this.options;
    try {
      const value = await this.callWithRetry(refreshToken, organizationId, context);
      this.cache.set(key, { ok: true, value, at: clock() }, graceMs, clock());
      if (!this.store.local) {
        const sealed = await this.options.seal(value);
        await this.guard.run('setResult', () => this.store.setResult(key, sealed, graceMs), undefined);
      }
      return value;
    } catch (error) {
      if (error instanceof TokenRefreshError && !error.retryable) {
        // Another instance may have spent the token without our lease (e.g. while the store was down).
        const shared = await this.sharedResult(key);
        if (shared) return shared;
        if (sawLease) {
          // Another instance held the lease, so it most likely spent this token and its result could not
          // be read: that is a coordination failure, not the end of the session. Keep the cookie.
          throw new TokenRefreshError('Failed to refresh tokens', error, {
            userId: context.userId,
            sessionId: context.sessionId,
            retryable: true,
          });
        }
        this.cache.set(key, { ok: false, error, at: clock() }, graceMs, clock());
      }
      throw error;
    } finally {
      if (owner !== undefined && !this.store.local) await this.guard.run('release', () => this.store.release(key, owner), undefined);
    }
  }

  private async callWithRetry(refreshToken: string, organizationId: string | undefined, context: Context): Promise<RefreshedTokens> {
    const { call, onEvent, clock } = this.options;
    const maxWait = this.options.maxRetryWaitMs ?? 2_000;
    const started = clock();
    const waitLeft = this.rateLimitedUntil - started;
    if (waitLeft > 0) {
      // WorkOS asked us to back off (429 Retry-After): answer transiently without calling it again.
      const retryAfter = Math.ceil(waitLeft / 1000);
      emit(onEvent, { type: 'refresh.transient', durationMs: 0, attempts: 0, status: 429, retryAfterSeconds: retryAfter });
      throw new TokenRefreshError('Failed to refresh tokens', undefined, {
        userId: context.userId,
        sessionId: context.sessionId,
        retryable: true,
        retryAfter,
      });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await call(refreshToken, organizationId);
        emit(onEvent, {
          type: 'refresh.succeeded',
          durationMs: clock() - started,
          attempts: attempt,
          proactive: context.proactive ?? false,
        });
        return value;
      } catch (cause) {
        const failure = classifyRefreshError(cause);
        const durationMs = clock() - started;
        const errorContext = { userId: context.userId, sessionId: context.sessionId, retryable: failure.retryable };
        if (!failure.retryable) {
          emit(onEvent, { type: 'refresh.terminal', durationMs, ...(failure.status ? { status: failure.status } : {}) });
          throw new TokenRefreshError('Failed to refresh tokens', cause, errorContext);
        }
        const wait = failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : DEFAULT_RETRY_WAIT_MS;
        if (failure.status === 429 && wait > maxWait) this.rateLimitedUntil = clock() + wait;
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

function cachedValue(entry: CachedRefresh<RefreshedTokens> | undefined): Promise<RefreshedTokens> | undefined {
  return entry?.ok ? Promise.resolve(entry.value) : undefined;
}
