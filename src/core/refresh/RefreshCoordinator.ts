import type { Clock } from '../clock.js';
import type { CoordinationStore } from '../coordination/CoordinationStore.js';
import { StoreGuard } from '../coordination/guard.js';
import { MemoryCoordinationStore } from '../coordination/MemoryCoordinationStore.js';
import type { AuthKitEventHandler } from '../events.js';
import { leasedRefresh } from './lease.js';
import { RefreshRetry } from './retry.js';
import type { RefreshResultCache } from './RefreshResultCache.js';
import { SingleFlight } from './singleFlight.js';
import type { RefreshCall, RefreshedTokens, RefreshRequest, RefreshStrategy } from './types.js';

export type { RefreshCall, RefreshedTokens, RefreshRequest } from './types.js';

export interface RefreshCoordinatorOptions {
  call: RefreshCall;
  clock: Clock;
  /** How long an outcome is reused for requests carrying the old refresh token, in milliseconds. */
  graceMs: number;
  /** Longest wait before the single retry of a transient failure, in milliseconds. Default 2000. */
  maxRetryWaitMs?: number;
  /** Longest pause of refresh calls after a 429, in milliseconds. Default 300000 (5 minutes). */
  maxRateLimitBackoffMs?: number | undefined;
  onEvent?: AuthKitEventHandler | undefined;
  /** In-process cache of recent outcomes (plain objects). */
  cache?: RefreshResultCache<RefreshedTokens> | undefined;
  /** Shared store for leases and sealed results. Default in-memory (one instance). */
  store?: CoordinationStore;
  /**
   * Seals a result before it goes into the shared store under `key`, and opens it back (`undefined` unless
   * it is a result sealed for that key; shape-checked after). See `SharedResultSealer`.
   */
  seal: (tokens: RefreshedTokens, key: string) => Promise<string>;
  open: (sealed: string, key: string) => Promise<unknown>;
  /** How long a refresh lease lasts; must outlive the WorkOS call, in milliseconds. */
  leaseMs: number;
  /**
   * Time-bounds every shared-store operation and falls back when the store fails. Pass the caller's guard
   * so one degraded state covers all uses of the store. Default: a 250 ms guard of its own.
   */
  guard?: StoreGuard;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Spends each single-use refresh token at most once, composed of three layers chosen once here: the
 * in-process {@link SingleFlight} (coalescing and grace window), the {@link leasedRefresh} strategy when the
 * store is shared across instances (a local store needs none), and the {@link RefreshRetry} policy around
 * the WorkOS call.
 */
export class RefreshCoordinator {
  private readonly flights: SingleFlight;

  constructor(options: RefreshCoordinatorOptions) {
    const { clock, onEvent, graceMs } = options;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const store = options.store ?? new MemoryCoordinationStore({ clock });
    const retry = new RefreshRetry({
      call: options.call,
      clock,
      sleep,
      maxRetryWaitMs: options.maxRetryWaitMs ?? 2_000,
      maxRateLimitBackoffMs: options.maxRateLimitBackoffMs,
      onEvent,
    });
    const spend = (request: RefreshRequest) => retry.run(request);
    const strategy: RefreshStrategy = store.local
      ? (_key, request) => spend(request)
      : leasedRefresh({
          spend,
          store,
          guard: options.guard ?? new StoreGuard(250, onEvent, clock),
          seal: options.seal,
          open: options.open,
          leaseMs: options.leaseMs,
          graceMs,
          clock,
          sleep,
          onEvent,
        });
    this.flights = new SingleFlight({ run: strategy, clock, graceMs, cache: options.cache, onEvent });
  }

  /**
   * Refreshes, coalescing with concurrent and recent refreshes of the same token (here and on other instances).
   * @throws TokenRefreshError `refresh_rejected` (terminal) or `refresh_unavailable` (transient, `retryable`).
   */
  refresh(request: RefreshRequest): Promise<RefreshedTokens> {
    return this.flights.refresh(request);
  }
}
