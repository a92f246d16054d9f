import type { Clock } from '../clock.js';
import type { CoordinationStore } from '../coordination/CoordinationStore.js';
import type { StoreGuard } from '../coordination/guard.js';
import { TokenRefreshError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import { isRefreshedTokens, type RefreshedTokens, type RefreshRequest, type RefreshStrategy } from './types.js';

/** How often a waiting instance looks for the lease holder's result, in milliseconds. */
const POLL_MS = 20;

export interface LeasedRefreshOptions {
  /** Spends the refresh token (the retry policy around the WorkOS call). */
  spend: (request: RefreshRequest) => Promise<RefreshedTokens>;
  /** A shared store (not `local`): leases and sealed results. */
  store: CoordinationStore;
  /** Time-bounds every store operation; a failing store falls back instead of failing the refresh. */
  guard: StoreGuard;
  /** Seals a result before it goes into the store under `key`, and opens it back (`undefined` unless sealed for that key). */
  seal: (tokens: RefreshedTokens, key: string) => Promise<string>;
  open: (sealed: string, key: string) => Promise<unknown>;
  /** How long a lease lasts; must outlive the WorkOS call, in milliseconds. */
  leaseMs: number;
  /** Longest extra wait for a lease answer that timed out (owner unknown), in milliseconds. Default 2000. */
  unknownOwnerWaitMs?: number;
  /** How long a published result stays in the store, in milliseconds. */
  graceMs: number;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  onEvent?: AuthKitEventHandler | undefined;
}

/**
 * The cross-instance strategy: read a published result first (so a spent token is never presented again),
 * else take the lease and spend the token and publish the sealed result, else wait for the holder's result.
 * A dead holder's lease expires; after two lease lifetimes this instance spends the token itself. While
 * the store is unusable, a proactive refresh (token still valid) is deferred as a retryable failure rather
 * than spent without a lease; an expired token is spent without one.
 */
export function leasedRefresh(options: LeasedRefreshOptions): RefreshStrategy {
  const { store, guard, clock, onEvent } = options;

  /** The published result; `undefined` when there is none, `null` when the store could not be read. */
  const sharedResult = async (key: string): Promise<RefreshedTokens | undefined | null> => {
    const sealed = await guard.run<string | undefined | null>('getResult', () => store.getResult(key), null);
    if (sealed === null) return null;
    if (!sealed) return undefined;
    try {
      const value = await options.open(sealed, key);
      return isRefreshedTokens(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };

  const spendAndPublish = async (key: string, request: RefreshRequest, owner: string | undefined, sawLease: boolean) => {
    try {
      const value = await options.spend(request);
      const sealed = await options.seal(value, key);
      await guard.run('setResult', () => store.setResult(key, sealed, options.graceMs), undefined);
      return value;
    } catch (error) {
      if (!(error instanceof TokenRefreshError) || error.retryable) throw error;
      // Another instance may have spent the token without our lease (e.g. while the store was down).
      const shared = await sharedResult(key);
      if (shared) return shared;
      // Another instance held the lease, so it most likely spent this token and its result could not be
      // read: a coordination failure, not the end of the session. Keep the cookie.
      if (sawLease) throw new TokenRefreshError('Failed to refresh tokens', error, { ...context(request), retryable: true });
      throw error;
    } finally {
      if (owner !== undefined) await guard.run('release', () => store.release(key, owner), undefined);
    }
  };

  /**
   * Takes the lease: an owner token, `undefined` (another instance holds it) or `null` (the store failed).
   * An answer that is only late (the owner is unknown) is awaited a bounded time longer, never the full
   * lease: a slow store or a busy event loop must not make two instances spend the same token.
   */
  const acquire = async (key: string): Promise<string | undefined | null> => {
    const attempt = store.acquire(key, options.leaseMs);
    attempt.catch(() => undefined);
    let failed = false;
    const answer = await guard.run<string | undefined | null>(
      'acquire',
      () => attempt.catch((error: unknown) => ((failed = true), Promise.reject(error))),
      null,
    );
    if (answer !== null || failed) return answer;
    const late = await Promise.race([attempt.catch(() => null), options.sleep(options.unknownOwnerWaitMs ?? 2_000).then(() => null)]);
    return late;
  };

  return async (key, request) => {
    const started = clock();
    // Long enough for a dead winner's lease to expire and a second winner to finish its call.
    const deadline = started + 2 * options.leaseMs + 1_000;
    const reused = (value: RefreshedTokens): RefreshedTokens => {
      emit(onEvent, { type: 'refresh.reused', ageMs: clock() - started });
      return value;
    };
    let sawLease = false;
    for (;;) {
      const shared = await sharedResult(key);
      if (shared) return reused(shared);
      // For a proactive refresh, an unreadable result counts as a store that cannot coordinate even when the
      // lease is free: another instance may have spent the token and published the result (after a Redis
      // restart, reads can be failing or skipped while leases already go through). An expired token still
      // takes the lease if it can.
      let owner = shared === null && request.proactive ? null : await acquire(key);
      if (typeof owner === 'string') {
        // The previous owner may have stored its result and released between our read and our acquire:
        // read again before spending the token a second time.
        const late = await sharedResult(key);
        if (late || (late === null && request.proactive)) {
          await guard.run('release', () => store.release(key, owner as string), undefined);
          if (late) return reused(late);
          owner = null;
        }
      }
      if (owner === null && request.proactive) {
        // The store cannot coordinate and the token is still valid: spending it now could race another
        // instance and sign the user out. Defer (the caller keeps the valid token) until the store is back.
        throw new TokenRefreshError('Refresh deferred: coordination store unavailable', undefined, {
          ...context(request),
          retryable: true,
        });
      }
      // `null`: the store failed and the token has expired, so spend without a lease rather than fail the request.
      if (owner !== undefined) return spendAndPublish(key, request, owner ?? undefined, sawLease);
      sawLease = true;
      if (clock() > deadline) return spendAndPublish(key, request, undefined, true);
      await options.sleep(POLL_MS);
    }
  };
}

function context(request: RefreshRequest): { userId?: string; sessionId?: string } {
  return {
    ...(request.userId !== undefined ? { userId: request.userId } : {}),
    ...(request.sessionId !== undefined ? { sessionId: request.sessionId } : {}),
  };
}
