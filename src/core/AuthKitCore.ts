import type { AuthState } from '../operations/authState.js';
import { authenticate, type AuthenticateOutcome } from './authenticate.js';
import type { WorkOSPort } from './client/port.js';
import { ConfigurationProvider } from './config/ConfigurationProvider.js';
import { resolveConfig, type ResolvedConfig } from './config/resolve.js';
import type { AuthKitConfig } from './config/types.js';
import { createCore, type CoreParts } from './createCore.js';
import type { CoreDeps } from './deps.js';
import { decodeClaims } from './jwt/claims.js';
import type { AuthKitCoreOptions } from './options.js';
import { verifyCallbackState } from './pkce/verifyCallbackState.js';
import { validateSession, type ValidatedSession } from './refresh/sessionRefresh.js';
import type { BaseTokenClaims, CustomClaims, Session, SessionEncryption } from './session/types.js';
import type { SessionControl } from '../control/SessionControl.js';

export type { AuthKitCoreOptions } from './options.js';
export type { AuthenticateOutcome } from './authenticate.js';

/**
 * Framework-free session logic: verifies access tokens against the WorkOS JWKS, seals and unseals
 * sessions, and refreshes tokens once per rotation (coalescing concurrent and recent refreshes).
 * A façade over the units `createCore` wires: each method delegates in a line or two.
 */
export class AuthKitCore {
  /** The validated configuration this core runs with. */
  readonly config: ResolvedConfig;
  /** The dependencies every unit of this core runs on (clock, crypto backend, coordination store, …). */
  readonly deps: CoreDeps;
  /** Lifetimes and webhook/sign-out-everywhere marks, checked on every request (advanced use). */
  readonly control: SessionControl;
  private readonly parts: CoreParts;

  /**
   * @param config a configuration object or a {@link ConfigurationProvider}.
   * @param encryption a custom session encryption; default iron with the `wos-session` parameters.
   * @throws AuthKitError `config_invalid` when the configuration is missing or invalid.
   */
  constructor(
    config: AuthKitConfig | ConfigurationProvider,
    client: WorkOSPort,
    encryption?: SessionEncryption,
    options: AuthKitCoreOptions = {},
  ) {
    const resolved = config instanceof ConfigurationProvider ? config.getResolvedConfig() : resolveConfig(config);
    this.parts = createCore(resolved, client, encryption, options);
    this.config = resolved;
    this.deps = this.parts.deps;
    this.control = this.parts.control;
  }

  /** The current time from the injected clock, in milliseconds since the epoch. */
  now(): number {
    return this.deps.clock();
  }

  /**
   * The 0.5–0.7 callback check: the URL `state` must equal the flow cookie's value and open as a live state.
   * @throws OAuthStateMismatchError or PKCECookieMissingError (see `verifyCallbackState` in core/pkce).
   */
  async verifyCallbackState(params: { stateFromUrl: string | undefined; cookieValue: string | undefined }): Promise<AuthState> {
    return verifyCallbackState(params, this.config.cookiePasswords, this.now(), this.deps.crypto);
  }

  /** True when the token verifies against the JWKS and is unexpired. Never throws. */
  async verifyToken(token: string): Promise<boolean> {
    return (await this.parts.verifier.verify(token)).status === 'valid';
  }

  /**
   * True when the token expires within `buffer` seconds (default: `refreshBufferSeconds`, 60).
   * @throws TokenValidationError `token_invalid` when the value is not a JWT.
   */
  isTokenExpiring(token: string, buffer: number = this.config.refreshBufferSeconds): boolean {
    const { exp } = decodeClaims(token);
    return typeof exp === 'number' && exp - Math.floor(this.now() / 1000) <= buffer;
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
    return this.parts.sealer.seal(session);
  }

  /**
   * Unseals and shape-checks a session.
   * @throws SessionEncryptionError `session_decryption_failed` (not a seal this server can open) or
   *   `session_malformed` (opened, but not a session).
   */
  async decryptSession(encryptedSession: string): Promise<Session> {
    return (await this.parts.sealer.open(encryptedSession)).session;
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
    const tokens = await this.parts.refresher.refresh({ refreshToken, organizationId, ...context });
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: tokens.user, impersonator: tokens.impersonator };
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
  ): Promise<ValidatedSession<TCustomClaims>> {
    return validateSession<TCustomClaims>(this.parts, session, options);
  }

  /**
   * The whole of `withAuth` for a sealed cookie value: open, verify, refresh when needed.
   * Never throws; every unauthenticated outcome carries a reason. See `authenticate` in core/authenticate.
   */
  authenticate<TCustomClaims = CustomClaims>(sealed: string | null | undefined): Promise<AuthenticateOutcome<TCustomClaims>> {
    return authenticate<TCustomClaims>(this.parts, sealed);
  }

  /**
   * Records a session id as revoked on every instance sharing the coordination store, for `ttlSeconds`
   * (default `revocationTtlSeconds`: the longest a session can live). Its cookies then answer `session_revoked`.
   */
  async revokeSession(sessionId: string, ttlSeconds?: number): Promise<void> {
    await this.parts.revocations.revoke(sessionId, ttlSeconds !== undefined ? ttlSeconds * 1000 : undefined);
  }

  /**
   * Claims a one-time id (a sign-in state's nonce) on every instance sharing the coordination store: true the
   * first time within `ttlMs`, false for every replay.
   */
  claimOnce(id: string, ttlMs: number): Promise<boolean> {
    return this.parts.singleUse.claim(id, ttlMs);
  }

  /** Stops what this core started (the coordination store's feeds of revocations and marks); the store itself stays open. */
  close(): void {
    this.parts.revocations.close();
    this.control.close();
  }
}
