import { systemClock } from './clock.js';
import { ConfigurationProvider } from './config/ConfigurationProvider.js';
import type { AuthState } from '../operations/authState.js';
import { verifyCallbackState } from './pkce/verifyCallbackState.js';
import type { CoordinationStore } from './coordination/CoordinationStore.js';
import { StoreGuard } from './coordination/guard.js';
import { MemoryCoordinationStore } from './coordination/MemoryCoordinationStore.js';
import { Revocations, revocationTtlSeconds } from './coordination/revocations.js';
import { SingleUse } from './coordination/singleUse.js';
import { resolveConfig, type ResolvedConfig } from './config/resolve.js';
import type { AuthKitConfig } from './config/types.js';
import type { WorkOSPort } from './client/port.js';
import { deepFreeze, SessionCache, type CacheSlot } from './cache/SessionCache.js';
import { cryptoBackend } from './encryption/backend.js';
import { isCanonicalSeal } from './encryption/canonical.js';
import { sessionEncryption as defaultEncryption, sealData, unsealWithIndex } from './encryption/ironWebcryptoEncryption.js';
import { AuthKitError, SessionEncryptionError, TokenRefreshError, TokenValidationError } from './errors.js';
import { emit, type AuthKitEventHandler } from './events.js';
import { decodeClaims } from './jwt/claims.js';
import { AccessTokenVerifier, type VerifyOutcome } from './jwt/verifier.js';
import { RefreshCoordinator, type RefreshedTokens } from './refresh/RefreshCoordinator.js';
import type { RefreshResultCache } from './refresh/RefreshResultCache.js';
import { SharedResultSealer } from './refresh/sharedResult.js';
import { authenticatedResult, unauthenticated } from './session/authResult.js';
import type { UnauthenticatedReason } from './session/reasons.js';
import { isSession } from './session/schema.js';
import type { Authenticated, BaseTokenClaims, CustomClaims, Session, SessionEncryption, Unauthenticated } from './session/types.js';
import { lifetimePolicy } from '../control/lifetime.js';
import { SessionControl } from '../control/SessionControl.js';
import { carryTimes, touchSession } from '../control/sessionTimes.js';

/** Seams and tuning for {@link AuthKitCore}; every one has a production default. */
export interface AuthKitCoreOptions {
  /** Current time in milliseconds since the epoch, read at each use. Default: `Date.now()`, called each time. */
  clock?: () => number;
  /** `fetch` used for the JWKS. Default the global `fetch`. */
  fetch?: typeof fetch;
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

/** Result of {@link AuthKitCore.authenticate}. */
export type AuthenticateOutcome<T> =
  | { auth: Authenticated<T>; session: Session; refreshedSessionData?: string }
  | { auth: Unauthenticated; session?: undefined; refreshedSessionData?: undefined };

/**
 * Framework-free session logic: verifies access tokens against the WorkOS JWKS, seals and unseals
 * sessions, and refreshes tokens once per rotation (coalescing concurrent and recent refreshes).
 */
export class AuthKitCore {
  /** The validated configuration this core runs with. */
  readonly config: ResolvedConfig;
  private readonly clock: () => number;
  private readonly verifier: AccessTokenVerifier;
  private readonly refresher: RefreshCoordinator;
  private readonly onEvent: AuthKitEventHandler | undefined;
  private readonly coordination: CoordinationStore;
  private readonly guard: StoreGuard;
  private readonly revocations: Revocations;
  private readonly singleUse: SingleUse;
  private readonly sessionCache: SessionCache | undefined;
  /** Lifetimes and webhook/sign-out-everywhere marks, checked on every request (advanced use). */
  readonly control: SessionControl;

  /**
   * @param config a configuration object or a {@link ConfigurationProvider}.
   * @throws AuthKitError `config_invalid` when the configuration is missing or invalid.
   */
  constructor(
    config: AuthKitConfig | ConfigurationProvider,
    private readonly client: WorkOSPort,
    private readonly encryption: SessionEncryption = defaultEncryption,
    options: AuthKitCoreOptions = {},
  ) {
    this.config = config instanceof ConfigurationProvider ? config.getResolvedConfig() : resolveConfig(config);
    this.clock = options.clock ?? systemClock;
    this.onEvent = options.onEvent;
    this.verifier = new AccessTokenVerifier({
      jwksUrl: `${this.config.apiBaseUrl}/sso/jwks/${encodeURIComponent(this.config.clientId)}`,
      issuer: this.config.issuer,
      clientId: this.config.clientId,
      clockToleranceSeconds: this.config.clockToleranceSeconds,
      clock: this.clock,
      fetch: options.fetch,
      timeoutMs: this.config.apiTimeoutMs,
    });
    this.coordination = options.coordination ?? new MemoryCoordinationStore({ clock: this.clock });
    this.guard = new StoreGuard(options.coordinationTimeoutMs ?? 250, this.onEvent, this.clock);
    this.singleUse = new SingleUse(this.coordination, this.guard, this.clock);
    this.revocations = new Revocations({
      store: this.coordination,
      guard: this.guard,
      clock: this.clock,
      onEvent: this.onEvent,
      defaultTtlMs: revocationTtlSeconds(this.config, options.revocationTtlSeconds) * 1000,
      capacity: options.revocationCapacity,
    });
    this.control = new SessionControl({
      store: this.coordination,
      guard: this.guard,
      clock: this.clock,
      policy: lifetimePolicy(this.config),
      onEvent: this.onEvent,
    });
    const { sessionCacheMaxEntries: maxEntries, sessionCacheMaxBytes: maxBytes } = this.config;
    this.sessionCache = maxEntries > 0 && maxBytes > 0 ? new SessionCache({ maxEntries, maxBytes }) : undefined;
    const maxRetryWaitMs = options.maxRetryWaitMs ?? 2_000;
    const sharedResults = new SharedResultSealer(this.config.cookiePasswords, this.clock);
    this.refresher = new RefreshCoordinator({
      call: (refreshToken, organizationId) => this.callRefresh(refreshToken, organizationId),
      clock: this.clock,
      graceMs: this.config.refreshGraceSeconds * 1000,
      onEvent: this.onEvent,
      store: this.coordination,
      seal: (tokens, key) => sharedResults.seal(tokens, key, this.config.refreshGraceSeconds * 1000),
      open: (sealed, key) => sharedResults.open(sealed, key),
      leaseMs: 2 * this.config.apiTimeoutMs + maxRetryWaitMs + 1_000,
      maxRetryWaitMs,
      maxRateLimitBackoffMs: options.maxRateLimitBackoffMs,
      guard: this.guard,
      ...(options.refreshCache ? { cache: options.refreshCache } : {}),
    });
  }

  /** The current time from the injected clock, in milliseconds since the epoch. */
  now(): number {
    return this.clock();
  }

  /**
   * The 0.5–0.7 callback check: the URL `state` must equal the flow cookie's value and open as a live state.
   * @throws OAuthStateMismatchError or PKCECookieMissingError (see `verifyCallbackState` in core/pkce).
   */
  async verifyCallbackState(params: { stateFromUrl: string | undefined; cookieValue: string | undefined }): Promise<AuthState> {
    return verifyCallbackState(params, this.config.cookiePasswords, this.now());
  }

  /** True when the token verifies against the JWKS and is unexpired. Never throws. */
  async verifyToken(token: string): Promise<boolean> {
    return (await this.verifier.verify(token)).status === 'valid';
  }

  /**
   * True when the token expires within `buffer` seconds (default: `refreshBufferSeconds`, 60).
   * @throws TokenValidationError `token_invalid` when the value is not a JWT.
   */
  isTokenExpiring(token: string, buffer: number = this.config.refreshBufferSeconds): boolean {
    const { exp } = decodeClaims(token);
    if (typeof exp !== 'number') return false;
    return exp - Math.floor(this.clock() / 1000) <= buffer;
  }

  /**
   * Decodes a token's claims without verifying it.
   * @throws TokenValidationError `token_invalid`.
   */
  parseTokenClaims<TCustomClaims = CustomClaims>(token: string): BaseTokenClaims & TCustomClaims {
    return decodeClaims<TCustomClaims>(token);
  }

  /**
   * Seals a session with the current cookie password.
   * @throws SessionEncryptionError `session_encryption_failed`.
   */
  async encryptSession(session: Session): Promise<string> {
    try {
      return await this.seal(session, 0);
    } catch (error) {
      throw new SessionEncryptionError('Failed to encrypt session', error, 'session_encryption_failed');
    }
  }

  /**
   * Unseals and shape-checks a session.
   * @throws SessionEncryptionError `session_decryption_failed` (not a seal this server can open) or
   *   `session_malformed` (opened, but not a session).
   */
  async decryptSession(encryptedSession: string): Promise<Session> {
    return (await this.openSession(encryptedSession)).session;
  }

  /**
   * Refreshes tokens, coalesced with concurrent and recent refreshes of the same refresh token.
   * @throws TokenRefreshError `refresh_rejected` (terminal) or `refresh_unavailable` (transient).
   */
  async refreshTokens(
    refreshToken: string,
    organizationId?: string,
    context?: { userId?: string; sessionId?: string },
  ): Promise<{ accessToken: string; refreshToken: string; user: Session['user']; impersonator: Session['impersonator'] | undefined }> {
    const {
      accessToken,
      refreshToken: next,
      user,
      impersonator,
    } = await this.refresher.refresh({ refreshToken, organizationId, ...context });
    return { accessToken, refreshToken: next, user, impersonator };
  }

  /**
   * Verifies the session's access token and refreshes when it is expired, does not verify, expires within
   * `refreshBufferSeconds` (a transient failure then keeps the still-valid token), or `force` is set.
   * The organization of the current token is kept unless `organizationId` is given.
   * @throws TokenRefreshError when a needed refresh fails; AuthKitError `jwks_unavailable` when keys cannot be fetched.
   */
  async validateAndRefresh<TCustomClaims = CustomClaims>(
    session: Session,
    options: { force?: boolean; organizationId?: string } = {},
  ): Promise<{ valid: boolean; refreshed: boolean; session: Session; claims: BaseTokenClaims & TCustomClaims }> {
    const outcome = await this.verifier.verify<TCustomClaims>(session.accessToken);
    if (outcome.status === 'jwks_unavailable') {
      throw new AuthKitError('Signing keys could not be fetched', undefined, undefined, 'jwks_unavailable');
    }
    const proactive = outcome.status === 'valid' && this.expiresWithinBuffer(outcome.claims);
    if (outcome.status === 'valid' && !options.force && !proactive) {
      return { valid: true, refreshed: false, session, claims: outcome.claims };
    }
    try {
      const next = await this.refreshSessionTokens(session, outcome, options.organizationId, proactive && !options.force);
      return { valid: true, refreshed: true, session: next, claims: await this.freshClaims<TCustomClaims>(next.accessToken) };
    } catch (error) {
      if (proactive && !options.force && error instanceof TokenRefreshError && error.retryable && outcome.status === 'valid') {
        return { valid: true, refreshed: false, session, claims: outcome.claims };
      }
      throw error;
    }
  }

  /**
   * The whole of `withAuth` for a sealed cookie value: open, verify, refresh when needed.
   * Never throws; every unauthenticated outcome carries a reason.
   *
   * A cookie seen before answers from the session cache (see `sessionCacheMaxEntries`) while its token is
   * short of the refresh buffer; the revocation check still runs. Only sessions opened with the current
   * password and not refreshed are cached, so re-seals and refreshes always take the full path.
   */
  async authenticate<TCustomClaims = CustomClaims>(sealed: string | null | undefined): Promise<AuthenticateOutcome<TCustomClaims>> {
    if (!sealed) return this.reject('no_session');
    const cache = this.sessionCache;
    const cacheKey = cache ? SessionCache.keyOf(sealed) : undefined;
    if (cache && cacheKey !== undefined) {
      const slot = cache.get(cacheKey, this.clock());
      if (slot !== undefined) {
        const answer = await this.answerFromCache<TCustomClaims>(sealed, slot, cache, cacheKey);
        if (answer) return answer;
      }
    }
    let opened: { session: Session; passwordIndex: number };
    try {
      opened = await this.openSession(sealed);
    } catch (error) {
      const code = (error as AuthKitError).code;
      return this.reject(code === 'session_malformed' ? 'malformed_session' : 'invalid_cookie');
    }
    const unverified = unverifiedClaims(opened.session.accessToken);
    const [revoked, verdict] = await Promise.all([this.isRevoked(unverified?.sid), this.control.check(opened.session, unverified)]);
    if (verdict.reject) return this.reject(verdict.reject);
    if (revoked) return this.reject('session_revoked');
    try {
      const result = await this.validateAndRefresh<TCustomClaims>(opened.session, verdict.refresh ? { force: true } : {});
      // Signed out while this request was verified or refreshed: nothing of it is returned.
      if (await this.isRevoked(result.claims.sid)) return this.reject('session_revoked');
      const session = verdict.touch ? touchSession(result.session, this.clock()) : result.session;
      const auth = authenticatedResult(session, result.claims);
      if (result.refreshed || opened.passwordIndex > 0 || verdict.touch) {
        if (!result.refreshed && opened.passwordIndex > 0)
          emit(this.onEvent, { type: 'session.resealed', passwordIndex: opened.passwordIndex });
        return { auth, session, refreshedSessionData: await this.encryptSession(session) };
      }
      if (cache && cacheKey !== undefined && typeof result.claims.exp === 'number') {
        cache.remember(cacheKey, (result.claims.exp - this.config.refreshBufferSeconds) * 1000, this.clock());
      }
      return { auth, session: result.session };
    } catch (error) {
      if (error instanceof AuthKitError && error.code === 'session_revoked') return this.reject('session_revoked');
      return this.reject(reasonFor(error));
    }
  }

  /**
   * Claims of a token WorkOS just issued. It is verified (signature, issuer, audience) so a misconfigured
   * issuer surfaces as `token_invalid` instead of a refresh on every request; if the keys cannot be fetched
   * the token is still accepted, since it came straight from WorkOS and its refresh token is already spent.
   */
  private async freshClaims<T>(token: string): Promise<BaseTokenClaims & T> {
    const outcome = await this.verifier.verify<T>(token, { fresh: true });
    if (outcome.status === 'invalid') throw new TokenValidationError('WorkOS returned an access token that does not verify');
    return outcome.status === 'jwks_unavailable' ? decodeClaims<T>(token) : outcome.claims;
  }

  /**
   * Records a session id as revoked on every instance sharing the coordination store, for `ttlSeconds`
   * (default `revocationTtlSeconds`: the longest a session can live). Its cookies then answer `session_revoked`.
   */
  async revokeSession(sessionId: string, ttlSeconds?: number): Promise<void> {
    await this.revocations.revoke(sessionId, ttlSeconds !== undefined ? ttlSeconds * 1000 : undefined);
  }

  /**
   * Claims a one-time id (a sign-in state's nonce) on every instance sharing the coordination store: true the
   * first time within `ttlMs`, false for every replay.
   */
  claimOnce(id: string, ttlMs: number): Promise<boolean> {
    return this.singleUse.claim(id, ttlMs);
  }

  /** Stops what this core started (the coordination store's feeds of revocations and marks); the store itself stays open. */
  close(): void {
    this.revocations.close();
    this.control.close();
  }

  /**
   * Answers from a cache slot, or `undefined` when the slot is not this cookie's or the session must take
   * the full path (refresh, touch). A whole entry must match the cookie's digest; a small one re-opens the
   * seal, whose MAC check binds it to the seal that verified, and skips the JWT check. Revocation and session
   * control still apply; a revoked or expired session leaves the cache.
   */
  private async answerFromCache<T>(
    sealed: string,
    slot: CacheSlot,
    cache: SessionCache,
    key: string,
  ): Promise<AuthenticateOutcome<T> | undefined> {
    let session: Session;
    let claims: BaseTokenClaims;
    let digest: string | undefined;
    if (slot) {
      const found = cryptoBackend().sha256Hex(sealed);
      if ((typeof found === 'string' ? found : await found) !== slot.digest) return undefined;
      ({ session, claims } = slot);
    } else {
      const opened = await this.openSession(sealed).catch(() => undefined);
      const decoded = opened?.passwordIndex === 0 ? unverifiedClaims(opened.session.accessToken) : undefined;
      if (!opened || !decoded) return undefined;
      session = deepFreeze(opened.session);
      claims = deepFreeze(decoded);
      const found = cryptoBackend().sha256Hex(sealed);
      digest = typeof found === 'string' ? found : await found;
    }
    const [revoked, verdict] = await Promise.all([this.isRevoked(claims.sid), this.control.check(session, claims)]);
    if (revoked || verdict.reject) {
      cache.delete(key);
      return this.reject(verdict.reject ?? 'session_revoked');
    }
    if (verdict.refresh || verdict.touch) {
      cache.delete(key);
      return undefined;
    }
    if (digest !== undefined) cache.keepWhole(key, { digest, session, claims }, sealed.length);
    return { auth: authenticatedResult(session, claims as BaseTokenClaims & T), session };
  }

  private isRevoked(sid: unknown): Promise<boolean> | boolean {
    return this.revocations.isRevoked(sid);
  }

  private reject(reason: UnauthenticatedReason): { auth: Unauthenticated } {
    emit(this.onEvent, { type: 'session.rejected', reason });
    return { auth: unauthenticated(reason) };
  }

  private expiresWithinBuffer(claims: { exp?: number }): boolean {
    return typeof claims.exp === 'number' && claims.exp * 1000 - this.clock() <= this.config.refreshBufferSeconds * 1000;
  }

  private async refreshSessionTokens(
    session: Session,
    outcome: VerifyOutcome<unknown>,
    organizationId: string | undefined,
    proactive: boolean,
  ): Promise<Session> {
    // Only claims whose signature verified (an expired token is fine) may shape the WorkOS call: a token
    // that fails verification is attacker-controlled, so its org_id and sid are ignored.
    const claims = outcome.status === 'valid' || outcome.status === 'expired' ? outcome.claims : undefined;
    const org = organizationId ?? claims?.org_id ?? session.organizationId;
    const requestedAt = this.clock();
    const tokens = await this.refresher.refresh({
      refreshToken: session.refreshToken,
      organizationId: org,
      userId: session.user.id,
      sessionId: claims?.sid,
      proactive,
    });
    const next: Session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: tokens.user };
    if (tokens.impersonator) next.impersonator = tokens.impersonator;
    const nextOrg = tokens.organizationId ?? undefined;
    if (nextOrg) next.organizationId = nextOrg;
    const method = session.authenticationMethod ?? tokens.authenticationMethod;
    if (method) next.authenticationMethod = method;
    if (session.data) next.data = session.data;
    await this.refuseRevoked(claims?.sid ?? unverifiedClaims(session.accessToken)?.sid, next.accessToken);
    return carryTimes(session, next, tokens.requestedAt ?? requestedAt);
  }

  /**
   * After a refresh (which may have been in flight while the user signed out, or reused from the grace
   * window): refuses the new session when the old or the new session id is revoked, and carries a revocation
   * forward to the new session id when WorkOS issued one, so no instance serves it.
   * @throws AuthKitError `session_revoked`.
   */
  private async refuseRevoked(previousSid: unknown, accessToken: string): Promise<void> {
    const nextSid = unverifiedClaims(accessToken)?.sid;
    const previousRevoked = await this.isRevoked(previousSid);
    if (previousRevoked && typeof nextSid === 'string' && nextSid !== previousSid) await this.revocations.revoke(nextSid);
    if (previousRevoked || (await this.isRevoked(nextSid))) {
      throw new AuthKitError('The session was signed out', undefined, undefined, 'session_revoked');
    }
  }

  private async callRefresh(refreshToken: string, organizationId: string | undefined): Promise<RefreshedTokens> {
    const requestedAt = this.clock();
    const response = await this.client.userManagement.authenticateWithRefreshToken({
      refreshToken,
      clientId: this.config.clientId,
      ...(organizationId ? { organizationId } : {}),
    });
    return {
      accessToken: response.accessToken,
      refreshToken: response.refreshToken,
      user: response.user,
      impersonator: response.impersonator,
      organizationId: response.organizationId,
      authenticationMethod: response.authenticationMethod,
      requestedAt,
    };
  }

  private async openSession(sealed: string): Promise<{ session: Session; passwordIndex: number }> {
    if (!isCanonicalSeal(sealed)) throw new SessionEncryptionError('Failed to decrypt session', undefined, 'session_decryption_failed');
    let opened: { data: unknown; passwordIndex: number };
    try {
      opened = await this.unseal(sealed);
    } catch (error) {
      throw new SessionEncryptionError('Failed to decrypt session', error, 'session_decryption_failed');
    }
    if (!isSession(opened.data)) throw new SessionEncryptionError('Decrypted value is not a session', undefined, 'session_malformed');
    if (opened.passwordIndex > 0) emit(this.onEvent, { type: 'session.opened', passwordIndex: opened.passwordIndex });
    return { session: opened.data, passwordIndex: opened.passwordIndex };
  }

  /** Seals with the current password; the default encryption counts `ttlSeconds` from the injected clock. */
  private seal(data: unknown, ttlSeconds: number): Promise<string> {
    const options = { password: this.config.cookiePasswords[0] as string, ttl: ttlSeconds };
    return this.encryption === defaultEncryption ? sealData(data, options, this.clock()) : this.encryption.sealData(data, options);
  }

  private async unseal(sealed: string): Promise<{ data: unknown; passwordIndex: number }> {
    const passwords = this.config.cookiePasswords;
    if (this.encryption === defaultEncryption) return unsealWithIndex(sealed, passwords, this.clock());
    let lastError: unknown;
    for (let index = 0; index < passwords.length; index++) {
      try {
        return { data: await this.encryption.unsealData(sealed, { password: passwords[index] as string }), passwordIndex: index };
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }
}

function unverifiedClaims(token: string): BaseTokenClaims | undefined {
  try {
    return decodeClaims(token);
  } catch {
    return undefined;
  }
}

/** Maps a failure of validation/refresh to the reason reported to callers. */
export function reasonFor(error: unknown): UnauthenticatedReason {
  if (error instanceof TokenRefreshError) return error.retryable ? 'refresh_unavailable' : 'refresh_rejected';
  if (error instanceof AuthKitError) {
    if (error.code === 'jwks_unavailable') return 'jwks_unavailable';
    if (error.code === 'token_invalid') return 'invalid_token';
  }
  return 'internal_error';
}
