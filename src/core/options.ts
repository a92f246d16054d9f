import type { Clock } from './clock.js';
import type { CoordinationStore } from './coordination/CoordinationStore.js';
import type { CryptoBackend } from './encryption/backend.js';
import type { AuthKitEventHandler } from './events.js';
import type { RefreshedTokens } from './refresh/types.js';
import type { RefreshResultCache } from './refresh/RefreshResultCache.js';

/** Seams and tuning for {@link AuthKitCore}; every one has a production default. */
export interface AuthKitCoreOptions {
  /** Current time in milliseconds since the epoch, read at each use. Default: `Date.now()`, called each time. */
  clock?: Clock;
  /** Waits `ms` milliseconds (refresh retries and lease polling). Default: a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** `fetch` used for the JWKS. Default the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * The cryptography for sealing, unsealing, SHA-256 and RS256 checks. Default: the entry's choice
   * (`node:crypto` under the package's `node` export condition, WebCrypto everywhere else).
   */
  crypto?: CryptoBackend;
  /** Receives refresh and rejection events; payloads hold no secrets. */
  onEvent?: AuthKitEventHandler;
  /** Store of recent refresh outcomes (grace window); default in-memory. */
  refreshCache?: RefreshResultCache<RefreshedTokens>;
  /** Longest wait before retrying a transient refresh failure once, in milliseconds. Default 2000. */
  maxRetryWaitMs?: number;
  /**
   * Longest pause of all refresh calls after a 429 whose `Retry-After` is past `maxRetryWaitMs`, in
   * milliseconds; after it one call probes WorkOS again. Default 300000 (5 minutes).
   */
  maxRateLimitBackoffMs?: number;
  /**
   * Shared store coordinating refreshes and revocations across instances (e.g. `RedisCoordinationStore`
   * from `authkit-session/redis`). Default: in-memory, correct for one instance.
   */
  coordination?: CoordinationStore;
  /** Time bound of one coordination-store operation, in milliseconds. Default 250. */
  coordinationTimeoutMs?: number;
  /**
   * How long a sign-out is remembered, in seconds. Default: `sessionMaxLifetimeSeconds` when set, else
   * `cookieMaxAge` (400 days): the longest a cookie of the session can keep refreshing.
   */
  revocationTtlSeconds?: number;
  /** Revocations held in memory per instance before `revocation.capacity` is reported (none is ever dropped). Default 100000. */
  revocationCapacity?: number;
}
