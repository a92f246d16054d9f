import type { AuthenticationResponse, WorkOS } from '@workos-inc/node';
import { AuthKitCore, type AuthKitCoreOptions } from '../core/AuthKitCore.js';
import { resolveConfig, type ResolvedConfig } from '../core/config/resolve.js';
import type { AuthKitConfig } from '../core/config/types.js';
import { AuthKitError } from '../core/errors.js';
import { unauthenticated } from '../core/session/authResult.js';
import type {
  Authenticated,
  CustomClaims,
  GetAuthorizationUrlOptions,
  HeadersBag,
  Session,
  SessionEncryption,
  SessionStorage,
  Unauthenticated,
} from '../core/session/types.js';
import { AuthOperations, type RefreshSessionResult } from '../operations/AuthOperations.js';
import { bindingCookieName, bindingCookieOptions, openState } from '../operations/authState.js';
import { timingSafeEqual } from '../operations/pkce.js';
import { mergeHeaders } from '../core/session/headers.js';
import { sanitizeReturnPathname } from '../operations/returnPathname.js';
import { cookieStorage, readSealed } from './storageAccess.js';
import { controlMethods } from './controlMethods.js';
import { stampSignIn } from '../control/sessionTimes.js';
import type { WebhookDelivery, WebhookReply } from '../control/webhook/receiver.js';
import type { ActiveSession } from '../control/sessions.js';

/** Seams and tuning for {@link AuthService}. */
export type AuthServiceOptions = AuthKitCoreOptions;

/** What `withAuth` returns: the auth result and, after a refresh, the sealed session to save. */
export interface WithAuthResult<TCustomClaims = CustomClaims> {
  auth: Authenticated<TCustomClaims> | Unauthenticated;
  /** Present when the session was refreshed or re-sealed: save it with `saveSession`, or users loop. */
  refreshedSessionData?: string;
  /** The current (possibly just refreshed) session, when authenticated: use it for `switchOrganization`. */
  session?: Session;
}

/** Result of `handleCallback`. */
export interface HandleCallbackResult<TResponse> {
  response: TResponse | undefined;
  headers: HeadersBag | undefined;
  /** Same-origin path to redirect to (sanitised). */
  returnPathname: string;
  /** The custom `state` given to the sign-in URL, unchanged. */
  state: string | undefined;
  authResponse: AuthenticationResponse;
}

interface Dependencies<TRequest, TResponse> {
  config: ResolvedConfig;
  storage: SessionStorage<TRequest, TResponse>;
  client: WorkOS;
  core: AuthKitCore;
  operations: AuthOperations;
}

/** @internal Passed by `createAuthService` to defer construction until first use. */
export const LAZY = Symbol('authkit.lazy');
/** @internal */
export type LazyInit<TRequest, TResponse> = () => {
  config: ResolvedConfig;
  storage: SessionStorage<TRequest, TResponse>;
  client: WorkOS;
  encryption: SessionEncryption;
  options: AuthServiceOptions;
};

/**
 * Ties configuration, storage, core and operations together: the one object most integrations use.
 * Every method is async and rejects (never throws synchronously), except `getWorkOS`.
 */
export class AuthService<TRequest, TResponse> {
  private readonly init: () => Dependencies<TRequest, TResponse>;
  private resolved: Dependencies<TRequest, TResponse> | undefined;

  /** @throws AuthKitError `config_invalid` when the configuration is missing or invalid. */
  constructor(
    config: AuthKitConfig,
    storage: SessionStorage<TRequest, TResponse>,
    client: WorkOS,
    encryption: SessionEncryption,
    options?: AuthServiceOptions,
  );
  /** @internal */
  constructor(lazy: typeof LAZY, init: LazyInit<TRequest, TResponse>);
  constructor(
    configOrLazy: AuthKitConfig | typeof LAZY,
    storageOrInit: SessionStorage<TRequest, TResponse> | LazyInit<TRequest, TResponse>,
    client?: WorkOS,
    encryption?: SessionEncryption,
    options: AuthServiceOptions = {},
  ) {
    if (configOrLazy === LAZY) {
      const init = storageOrInit as LazyInit<TRequest, TResponse>;
      this.init = () => {
        const parts = init();
        return build(parts.config, parts.storage, parts.client, parts.encryption, parts.options);
      };
    } else {
      const deps = build(
        resolveConfig(configOrLazy),
        storageOrInit as SessionStorage<TRequest, TResponse>,
        client as WorkOS,
        encryption,
        options,
      );
      this.init = () => deps;
    }
  }

  /** Dependencies, built on first use; a failed build is retried on the next call. */
  private get deps(): Dependencies<TRequest, TResponse> {
    this.resolved ??= this.init();
    return this.resolved;
  }

  /**
   * Authenticates a request from its session cookie, refreshing when needed. Never rejects for bad input:
   * an unauthenticated result carries `reason` and `retryable`.
   * @throws AuthKitError `config_invalid` (as a rejection) when configuration is missing.
   */
  async withAuth<TCustomClaims = CustomClaims>(request: TRequest): Promise<WithAuthResult<TCustomClaims>> {
    const { storage, core } = this.deps;
    let sealed: string | null;
    try {
      sealed = await readSealed(storage, request);
    } catch {
      return { auth: unauthenticated('internal_error') };
    }
    const outcome = await core.authenticate<TCustomClaims>(sealed);
    const result: WithAuthResult<TCustomClaims> = { auth: outcome.auth };
    if (outcome.session) result.session = outcome.session;
    if (outcome.refreshedSessionData) result.refreshedSessionData = outcome.refreshedSessionData;
    return result;
  }

  /**
   * The session in the request's cookie, unverified and unrefreshed; `null` when there is none or it
   * cannot be opened (tampered, other password, not a session).
   */
  async getSession(request: TRequest): Promise<Session | null> {
    const { storage, core } = this.deps;
    const sealed = await readSealed(storage, request);
    if (!sealed) return null;
    try {
      return await core.decryptSession(sealed);
    } catch {
      return null;
    }
  }

  /** Writes a sealed session through the storage. */
  async saveSession(response: TResponse | undefined, sessionData: string): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.deps.storage.saveSession(response, sessionData);
  }

  /** Deletes the session cookie through the storage. */
  async clearSession(response?: TResponse): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.deps.storage.clearSession(response as TResponse);
  }

  /**
   * Signs out: returns the WorkOS logout URL (which ends the hosted session) and clears the cookie.
   * With no session id, the cookie is still cleared and `logoutUrl` is `returnTo` (or `/`).
   */
  async signOut(
    sessionId: string,
    options?: { returnTo?: string },
  ): Promise<{ logoutUrl: string; response?: TResponse; headers?: HeadersBag }> {
    const { operations, storage, core } = this.deps;
    const logoutUrl = sessionId ? operations.getLogoutUrl(sessionId, options) : (options?.returnTo ?? '/');
    await core.revokeSession(sessionId);
    const cleared = await storage.clearSession(undefined);
    return { logoutUrl, ...cleared };
  }

  /**
   * Ends a session everywhere: records it as revoked in the coordination store (every instance then
   * answers its cookie with `session_revoked`) and revokes it at WorkOS.
   * @throws AuthKitError `revocation_failed` when WorkOS refuses or cannot be reached (the local record stays).
   */
  async revokeSession(sessionId: string): Promise<void> {
    const { core, client } = this.deps;
    if (!sessionId) throw new AuthKitError('A session id is required', undefined, undefined, 'session_missing');
    await core.revokeSession(sessionId);
    try {
      await client.userManagement.revokeSession({ sessionId });
    } catch (error) {
      if ((error as { status?: number }).status === 404) return;
      throw new AuthKitError('Session revocation at WorkOS failed', error, undefined, 'revocation_failed');
    }
  }

  /**
   * Receives a WorkOS webhook (`POST`, header `WorkOS-Signature`) and applies it on every instance through the
   * coordination store: `session.revoked` revokes that session, `user.deleted` all of the user's sessions;
   * membership, role and profile changes make the affected sessions refresh on their next request.
   * Answers 200 (handled, or a replayed event id: ignored), 400 `webhook_payload_invalid`, 401
   * `webhook_signature_invalid` / `webhook_timestamp_invalid` / `webhook_secret_missing` (nothing changed),
   * or 503 `coordination_unavailable` (WorkOS retries). Configure the secret with `webhookSecret`.
   */
  async handleWorkOSWebhook(request: Request): Promise<Response> {
    const { config, core, client } = this.deps;
    return controlMethods.handle(config, core, client, request);
  }

  /** {@link handleWorkOSWebhook} for adapters without a Fetch `Request`: give the raw body and the signature header. */
  async receiveWorkOSWebhook(delivery: WebhookDelivery): Promise<WebhookReply> {
    const { config, core, client } = this.deps;
    return controlMethods.receive(config, core, client, delivery);
  }

  /**
   * The user's active sessions at WorkOS (id, created, IP, user agent), newest first; `current` marks `currentSessionId`.
   * @throws AuthKitError `unexpected` when WorkOS cannot be reached.
   */
  async listSessions(userId: string, currentSessionId?: string): Promise<ActiveSession[]> {
    const { core, client } = this.deps;
    return controlMethods.list(core, client, userId, currentSessionId);
  }

  /**
   * Signs the user out everywhere else: every session but `sessionId` is revoked at WorkOS and on every
   * instance (their next request answers `session_revoked`). Returns the revoked ids.
   * @throws AuthKitError `revocation_failed`, `unexpected`.
   */
  async revokeOtherSessions(sessionId: string, userId: string): Promise<string[]> {
    const { core, client } = this.deps;
    if (!sessionId || !userId) throw new AuthKitError('A session id and a user id are required', undefined, undefined, 'session_missing');
    return controlMethods.revokeOthers(core, client, userId, sessionId);
  }

  /**
   * Signs the user out everywhere, this session included: every session signed in before now answers
   * `session_revoked` on every instance, and each is revoked at WorkOS. Returns the ids revoked at WorkOS.
   * @throws AuthKitError `coordination_unavailable`, `revocation_failed`, `unexpected`.
   */
  async revokeAllSessions(userId: string): Promise<string[]> {
    const { core, client } = this.deps;
    if (!userId) throw new AuthKitError('A user id is required', undefined, undefined, 'session_missing');
    return controlMethods.revokeAll(core, client, userId);
  }

  /** See {@link AuthOperations.switchOrganization}. */
  async switchOrganization(session: Session, organizationId: string): Promise<RefreshSessionResult> {
    return this.deps.operations.switchOrganization(session, organizationId);
  }

  /** See {@link AuthOperations.refreshSession}. */
  async refreshSession(session: Session, organizationId?: string): Promise<RefreshSessionResult> {
    return this.deps.operations.refreshSession(session, organizationId);
  }

  /** See {@link AuthOperations.getAuthorizationUrl}. */
  async getAuthorizationUrl(options: GetAuthorizationUrlOptions = {}): Promise<string> {
    return this.deps.operations.getAuthorizationUrl(options);
  }

  /** See {@link AuthOperations.getSignInUrl}. */
  async getSignInUrl(options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {}): Promise<string> {
    return this.deps.operations.getSignInUrl(options);
  }

  /** See {@link AuthOperations.getSignUpUrl}. */
  async getSignUpUrl(options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {}): Promise<string> {
    return this.deps.operations.getSignUpUrl(options);
  }

  /**
   * The WorkOS client this service uses.
   * @throws AuthKitError `config_invalid` when configuration is missing.
   */
  getWorkOS(): WorkOS {
    return this.deps.client;
  }

  /** The core this service uses (advanced use). */
  getCore(): Promise<AuthKitCore> {
    return Promise.resolve().then(() => this.deps.core);
  }

  /**
   * Starts a sign-in bound to this browser: returns the hosted AuthKit URL and writes a short-lived
   * per-flow cookie (`wos-auth-verifier-…`, 10 minutes) that `handleCallback` requires, which stops
   * login CSRF completely. Needs a storage with `setCookie`/`getCookie` (any `CookieSessionStorage`).
   * @throws AuthKitError `not_implemented` when the storage cannot write cookies.
   */
  async createAuthorization(
    response: TResponse | undefined,
    options: GetAuthorizationUrlOptions = {},
  ): Promise<CreateAuthorizationResult<TResponse>> {
    const { operations, storage } = this.deps;
    const cookies = cookieStorage(storage);
    const { url, nonce } = await operations.createAuthorization({ ...options, bound: true });
    const cookieName = bindingCookieName(nonce);
    const written = await cookies.setCookie(response, cookieName, nonce, bindingCookieOptions(this.deps.config));
    return { url, cookieName, ...written };
  }

  /** {@link createAuthorization} with `screenHint: 'sign-in'`. */
  async createSignIn(
    response: TResponse | undefined,
    options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {},
  ): Promise<CreateAuthorizationResult<TResponse>> {
    return this.createAuthorization(response, { ...options, screenHint: 'sign-in' });
  }

  /** {@link createAuthorization} with `screenHint: 'sign-up'`. */
  async createSignUp(
    response: TResponse | undefined,
    options: Omit<GetAuthorizationUrlOptions, 'screenHint'> = {},
  ): Promise<CreateAuthorizationResult<TResponse>> {
    return this.createAuthorization(response, { ...options, screenHint: 'sign-up' });
  }

  /**
   * Completes sign-in. The sealed `state` is checked first (and, for bound flows, the per-flow cookie),
   * so a missing, forged, expired or replayed-elsewhere state never spends the code; then the code is
   * exchanged with the PKCE verifier and the session cookie is saved. No cookie is set on any failure.
   * @throws AuthKitError `state_invalid`, `state_expired`, `state_mismatch` (bound flow without its
   *   cookie), `code_exchange_failed`, or `config_invalid` (checked before anything else).
   */
  async handleCallback(
    request: TRequest,
    response: TResponse,
    options: { code: string; state?: string | undefined },
  ): Promise<HandleCallbackResult<TResponse>> {
    const { config, client, core, storage } = this.deps;
    const state = await openState(options?.state, config.cookiePasswords, core.now());
    let cookieName: string | undefined;
    if (state.bound) {
      cookieName = bindingCookieName(state.nonce);
      const presented = await cookieStorage(storage)
        .getCookie(request, cookieName)
        .catch(() => null);
      if (!presented || !timingSafeEqual(presented, state.nonce)) {
        throw new AuthKitError('Sign-in was started in another browser or its cookie is missing', undefined, undefined, 'state_mismatch');
      }
    }
    if (!options.code) throw new AuthKitError('Missing authorization code', undefined, undefined, 'code_exchange_failed');
    let authResponse: AuthenticationResponse;
    const exchangeStartedAt = core.now();
    try {
      authResponse = await client.userManagement.authenticateWithCode({
        code: options.code,
        clientId: config.clientId,
        codeVerifier: state.codeVerifier,
      });
    } catch (error) {
      throw new AuthKitError('Authorization code exchange failed', error, undefined, 'code_exchange_failed');
    }
    let session: Session = { accessToken: authResponse.accessToken, refreshToken: authResponse.refreshToken, user: authResponse.user };
    if (authResponse.impersonator) session.impersonator = authResponse.impersonator;
    if (authResponse.organizationId) session.organizationId = authResponse.organizationId;
    if (authResponse.authenticationMethod) session.authenticationMethod = authResponse.authenticationMethod;
    session = stampSignIn(session, exchangeStartedAt);
    const saved = await storage.saveSession(response, await core.encryptSession(session));
    let result: { response?: TResponse; headers?: HeadersBag } = saved;
    if (cookieName) {
      const cleared = await cookieStorage(storage).clearCookie(
        saved.response ?? response,
        cookieName,
        bindingCookieOptions(this.deps.config),
      );
      result = {
        ...((cleared.response ?? saved.response) ? { response: cleared.response ?? saved.response } : {}),
        headers: mergeHeaders(saved.headers, cleared.headers),
      };
    }
    return {
      response: result.response ?? response,
      headers: result.headers && Object.keys(result.headers).length > 0 ? result.headers : undefined,
      returnPathname: sanitizeReturnPathname(state.returnPathname ?? '/'),
      state: state.customState,
      authResponse,
    };
  }
}

/** Result of `createAuthorization`/`createSignIn`/`createSignUp`. */
export interface CreateAuthorizationResult<TResponse> {
  url: string;
  /** Name of the per-flow cookie written. */
  cookieName: string;
  response?: TResponse;
  headers?: HeadersBag;
}

function build<TRequest, TResponse>(
  config: ResolvedConfig,
  storage: SessionStorage<TRequest, TResponse>,
  client: WorkOS,
  encryption: SessionEncryption | undefined,
  options: AuthServiceOptions,
): Dependencies<TRequest, TResponse> {
  const core = new AuthKitCore(config, client, encryption, options);
  const events = storage as { setEventHandler?: (handler: AuthServiceOptions['onEvent']) => void };
  if (typeof events.setEventHandler === 'function') events.setEventHandler(options.onEvent);
  return { config, storage, client, core, operations: new AuthOperations(core, client, config) };
}
