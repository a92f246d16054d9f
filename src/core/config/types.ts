/**
 * Configuration of an AuthKit integration. Every key can also come from a
 * `WORKOS_*` environment variable (see {@link environmentVariableName}).
 */
export interface AuthKitConfig {
  /** WorkOS client id (`client_…`). Required. Env `WORKOS_CLIENT_ID`. */
  clientId: string;
  /** WorkOS API key (`sk_…`). Required. Env `WORKOS_API_KEY`. */
  apiKey: string;
  /** Default OAuth callback URL. Required. Env `WORKOS_REDIRECT_URI`. */
  redirectUri: string;
  /**
   * Password that seals the session cookie, at least 32 characters. Required. Env `WORKOS_COOKIE_PASSWORD`.
   * An array `[current, ...previous]` rotates passwords: the first seals, all of them unseal
   * (env `WORKOS_COOKIE_PASSWORD_PREVIOUS`, comma-separated).
   */
  cookiePassword: string | readonly string[];
  /** WorkOS API host. Default `api.workos.com`. Env `WORKOS_API_HOSTNAME`. */
  apiHostname?: string;
  /** Use https for WorkOS calls. Default `true`. Env `WORKOS_API_HTTPS` (`true`/`1`/`false`/`0`). */
  apiHttps?: boolean;
  /** WorkOS API port. Default: the scheme's port. Env `WORKOS_API_PORT`. */
  apiPort?: number;
  /** Session cookie lifetime in seconds; capped at 400 days, `0` = browser-session cookie. Default 34560000 (400 days). Env `WORKOS_COOKIE_MAX_AGE`. */
  cookieMaxAge?: number;
  /** Session cookie name. Default `wos-session`. Env `WORKOS_COOKIE_NAME`. */
  cookieName?: string;
  /** Session cookie `SameSite`. Default `lax`. Env `WORKOS_COOKIE_SAME_SITE`. */
  cookieSameSite?: 'strict' | 'lax' | 'none';
  /** Most cookies one session may be split into when its `Set-Cookie` passes 4096 bytes (1 disables chunking). Default 8. Env `WORKOS_COOKIE_MAX_PARTS`. */
  cookieMaxParts?: number;
  /** Session cookie `Domain`. Default: none (host-only). Env `WORKOS_COOKIE_DOMAIN`. */
  cookieDomain?: string;
  /** Refresh when the access token expires within this many seconds. Default 60. Env `WORKOS_REFRESH_BUFFER_SECONDS`. */
  refreshBufferSeconds?: number;
  /** How long a rotated session is handed to requests still carrying the old cookie, in seconds. Default 30. Env `WORKOS_REFRESH_GRACE_SECONDS`. */
  refreshGraceSeconds?: number;
  /** Timeout of one WorkOS API request in milliseconds. Default 10000. Env `WORKOS_API_TIMEOUT_MS`. */
  apiTimeoutMs?: number;
  /** Allowed clock skew when checking token times, in seconds. Default 5. Env `WORKOS_CLOCK_TOLERANCE_SECONDS`. */
  clockToleranceSeconds?: number;
  /**
   * Expected `iss` of access tokens. Default: `https://api.workos.com` when `apiHostname` is WorkOS's own host
   * (any case, trailing dot, port 443); on any other host `iss` is not checked unless this is set. Env `WORKOS_ISSUER`.
   */
  issuer?: string;
  /**
   * Most cookies remembered by the verified-session cache (SIEVE policy: scan-resistant). A cookie seen
   * again skips JWT verification until its access token is within `refreshBufferSeconds` of expiry; while
   * `sessionCacheMaxBytes` allows, the whole session is kept too, so a repeat also skips unsealing.
   * Revocations, password rotation and proactive refreshes still apply on every request. Cached sessions and
   * claims are frozen: copy before modifying. `0` disables the cache. Default 150000.
   * Env `WORKOS_SESSION_CACHE_MAX_ENTRIES`.
   */
  sessionCacheMaxEntries?: number;
  /**
   * Memory budget of the verified-session cache, in bytes (estimated on the high side). Past it, whole
   * sessions shrink to verification-only entries before any entry is evicted. `0` disables the cache.
   * Default 67108864 (64 MiB). Env `WORKOS_SESSION_CACHE_MAX_BYTES`.
   */
  sessionCacheMaxBytes?: number;
  /**
   * Signing secret of the WorkOS webhook endpoint that `handleWorkOSWebhook` receives. Env `WORKOS_WEBHOOK_SECRET`.
   * Without it the receiver answers 401 `webhook_secret_missing` to every delivery.
   */
  webhookSecret?: string;
  /** How old (or how far in the future) a webhook's signed timestamp may be, in seconds. Default 180. Env `WORKOS_WEBHOOK_TOLERANCE_SECONDS`. */
  webhookToleranceSeconds?: number;
  /** Sign out after this many seconds without a request; `0` turns it off. Default 0. Env `WORKOS_SESSION_IDLE_TIMEOUT_SECONDS`. */
  sessionIdleTimeoutSeconds?: number;
  /** Sign out this many seconds after sign-in, however active; `0` turns it off. Default 0. Env `WORKOS_SESSION_MAX_LIFETIME_SECONDS`. */
  sessionMaxLifetimeSeconds?: number;
  /**
   * The idle clock is extended (and the cookie re-written) at most once per this many seconds, and at least
   * twice per idle timeout. Default 60. Env `WORKOS_SESSION_TOUCH_INTERVAL_SECONDS`.
   */
  sessionTouchIntervalSeconds?: number;
  /** Redis URL for refresh coordination across instances (needs `authkit-session/redis`). Env `WORKOS_REDIS_URL`. */
  redisUrl?: string;
  /**
   * Where sessions live. `cookie` (default): sealed in the cookie, the 0.3.4 wire format. `server`: the cookie
   * holds only a signed random id and the sealed session is kept in a `SessionStore` (Redis when `redisUrl`
   * is set, otherwise this process's memory). Env `WORKOS_SESSION_MODE`.
   */
  sessionMode?: 'cookie' | 'server';
}

/** Where configuration values are read from: an env-like object or a lookup function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ValueSource = Record<string, any> | ((key: string) => any);
