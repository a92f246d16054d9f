import type { AuthenticationResponse } from '@workos-inc/node';
import type { AuthKitCore } from '../core/AuthKitCore.js';
import type { WorkOSPort } from '../core/client/port.js';
import { resolveConfig, type ResolvedConfig } from '../core/config/resolve.js';
import type { AuthKitConfig } from '../core/config/types.js';
import { ConfigurationProvider } from '../core/config/ConfigurationProvider.js';
import { AuthKitError } from '../core/errors.js';
import { authenticatedResult } from '../core/session/authResult.js';
import type { AuthResult, CookieOptions, GetAuthorizationUrlOptions, Session, SessionEncryption } from '../core/session/types.js';
import { flowCookieName, flowCookieOptions } from '../core/pkce/cookieOptions.js';
import { PKCEPayloadTooLargeError } from '../core/pkce/errors.js';
import { byteLength } from '../core/session/chunks.js';
import { serializeCookie } from '../core/session/serializeCookie.js';
import { sealState, type AuthState } from './authState.js';
import { withReturnHint } from './returnHint.js';
import { createPkcePair, randomNonce } from './pkce.js';
import { sanitizeReturnPathname } from './returnPathname.js';
import { exchangeCode, revokeAtWorkOS } from './workosCalls.js';

/** Result of a refresh or organization switch: the new auth and the sealed session to save. */
export interface RefreshSessionResult {
  auth: AuthResult;
  encryptedSession: string;
}

/** Largest per-flow cookie (`Set-Cookie` line, bytes) a sign-in may need; browsers drop cookies past ~4096. */
export const PKCE_MAX_COOKIE_BYTES = 3800;

/** A started sign-in, in the 0.5–0.7 shape plus the state's nonce. */
export interface GeneratedAuthorizationUrl {
  /** The hosted AuthKit URL to redirect to. */
  url: string;
  /** The sealed state: the URL's `state` and, for a browser-bound flow, the flow cookie's value. */
  sealedState: string;
  /** Name of the flow cookie to write (`__Host-` prefixed when the cookie allows it). */
  cookieName: string;
  /** Attributes of the flow cookie. */
  cookieOptions: CookieOptions;
  /** Random nonce carried in the state. */
  nonce: string;
}

/** WorkOS operations built on {@link AuthKitCore}: sign-in URLs, sign-out URL, refresh, organization switch. */
export class AuthOperations {
  private readonly config: ResolvedConfig;

  /**
   * `encryption` is accepted for the 0.5–0.7 call shape and not used: sign-in state is always sealed with iron.
   * @throws AuthKitError `config_invalid`.
   */
  constructor(
    private readonly core: AuthKitCore,
    private readonly client: WorkOSPort,
    config: AuthKitConfig | ConfigurationProvider,
    _encryption?: SessionEncryption,
  ) {
    this.config = config instanceof ConfigurationProvider ? config.getResolvedConfig() : resolveConfig(config);
  }

  /**
   * The WorkOS logout URL for a session (ends the hosted AuthKit session too).
   * @throws AuthKitError `session_missing` when `sessionId` is empty.
   */
  getLogoutUrl(sessionId: string, options?: { returnTo?: string }): string {
    if (!sessionId) throw new AuthKitError('A session id is required to build a logout URL', undefined, undefined, 'session_missing');
    return this.client.userManagement.getLogoutUrl({ sessionId, ...(options?.returnTo ? { returnTo: options.returnTo } : {}) });
  }

  /**
   * Exchanges a sign-in's code with the PKCE verifier from its state.
   * @throws AuthKitError `code_exchange_failed`.
   */
  async exchangeCode(code: string, codeVerifier: string): Promise<AuthenticationResponse> {
    return exchangeCode(this.client, { code, clientId: this.config.clientId, codeVerifier });
  }

  /**
   * Revokes a session at WorkOS (already gone counts as revoked).
   * @throws AuthKitError `revocation_failed`.
   */
  async revokeSession(sessionId: string): Promise<void> {
    return revokeAtWorkOS(this.client, sessionId);
  }

  /**
   * Refreshes into another organization the user belongs to. Save `encryptedSession` afterwards.
   * @throws TokenRefreshError when WorkOS refuses (e.g. not a member) or is unreachable.
   */
  async switchOrganization(session: Session, organizationId: string): Promise<RefreshSessionResult> {
    return this.refreshSession(session, organizationId);
  }

  /**
   * Forces a refresh (optionally into `organizationId`; default the current organization). Does not save.
   * @throws TokenRefreshError, SessionEncryptionError.
   */
  async refreshSession(session: Session, organizationId?: string): Promise<RefreshSessionResult> {
    const result = await this.core.validateAndRefresh(session, { force: true, ...(organizationId ? { organizationId } : {}) });
    const encryptedSession = await this.core.encryptSession(result.session);
    return { auth: authenticatedResult(result.session, result.claims), encryptedSession };
  }

  /**
   * The hosted AuthKit URL, with a fresh PKCE challenge (S256) and a sealed `state` carrying the verifier,
   * the sanitised `returnPathname`, the custom `state` and the issue time (valid 10 minutes).
   * `handleCallback` checks that state before the code is spent.
   * @throws AuthKitError `state_invalid` when the custom state is over 2048 bytes.
   */
  async getAuthorizationUrl(options: GetAuthorizationUrlOptions = {}): Promise<string> {
    return (await this.authorize(options, false)).url;
  }

  /**
   * Starts a browser-bound sign-in (the 0.5–0.7 call): the URL, and the flow cookie to write (name, value =
   * `sealedState`, options). `handleCallback` then requires that cookie. Pass `bound: false` for a flow
   * without a cookie (what {@link getAuthorizationUrl} does).
   * @throws PKCEPayloadTooLargeError (`state_invalid`) when custom state, return path and redirect URI make
   *   the flow cookie larger than {@link PKCE_MAX_COOKIE_BYTES}.
   */
  async createAuthorization(options: GetAuthorizationUrlOptions & { bound?: boolean } = {}): Promise<GeneratedAuthorizationUrl> {
    const { bound, ...rest } = options;
    return this.authorize(rest, bound ?? true);
  }

  /** {@link createAuthorization} with `screenHint: 'sign-in'`. */
  async createSignIn(options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {}): Promise<GeneratedAuthorizationUrl> {
    return this.createAuthorization({ ...options, screenHint: 'sign-in' });
  }

  /** {@link createAuthorization} with `screenHint: 'sign-up'`. */
  async createSignUp(options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {}): Promise<GeneratedAuthorizationUrl> {
    return this.createAuthorization({ ...options, screenHint: 'sign-up' });
  }

  private async authorize(options: GetAuthorizationUrlOptions, bound: boolean): Promise<GeneratedAuthorizationUrl> {
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const nonce = randomNonce();
    const issuedAt = this.core.deps.clock();
    const state: AuthState = { nonce, codeVerifier, issuedAt };
    if (options.returnPathname !== undefined) state.returnPathname = sanitizeReturnPathname(options.returnPathname);
    if (options.state !== undefined) state.customState = options.state;
    if (options.redirectUri !== undefined) state.redirectUri = options.redirectUri;
    if (bound) state.bound = true;
    const sealedState = await sealState(state, this.config.cookiePasswords, issuedAt, this.core.deps.crypto);
    const cookieOptions = flowCookieOptions(this.config, options.redirectUri);
    const cookieName = flowCookieName(sealedState, cookieOptions);
    if (bound && byteLength(serializeCookie(cookieName, sealedState, cookieOptions)) > PKCE_MAX_COOKIE_BYTES) {
      throw new PKCEPayloadTooLargeError(
        `The sign-in flow cookie would pass ${PKCE_MAX_COOKIE_BYTES} bytes: shorten state, returnPathname or redirectUri`,
      );
    }
    const url = this.client.userManagement.getAuthorizationUrl({
      provider: 'authkit',
      clientId: this.config.clientId,
      redirectUri: options.redirectUri ?? this.config.redirectUri,
      codeChallenge,
      codeChallengeMethod: 'S256',
      state: bound ? sealedState : withReturnHint(sealedState, state.returnPathname),
      ...(options.screenHint ? { screenHint: options.screenHint } : {}),
      ...(options.organizationId ? { organizationId: options.organizationId } : {}),
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      ...(options.prompt ? { prompt: options.prompt } : {}),
    });
    return { url: withMaxAge(url, options.maxAge), sealedState, cookieName, cookieOptions, nonce };
  }

  /** {@link getAuthorizationUrl} with `screenHint: 'sign-in'`. */
  async getSignInUrl(options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {}): Promise<string> {
    return this.getAuthorizationUrl({ ...options, screenHint: 'sign-in' });
  }

  /** {@link getAuthorizationUrl} with `screenHint: 'sign-up'`. */
  async getSignUpUrl(options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {}): Promise<string> {
    return this.getAuthorizationUrl({ ...options, screenHint: 'sign-up' });
  }
}

/** Adds OIDC `max_age` (whole seconds, at least 0) to an authorization URL; the SDK has no option for it. */
function withMaxAge(url: string, maxAge: number | undefined): string {
  if (maxAge === undefined || !Number.isFinite(maxAge) || maxAge < 0) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('max_age', String(Math.floor(maxAge)));
  return parsed.toString();
}
