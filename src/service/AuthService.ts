import type { WorkOS } from '@workos-inc/node';
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
import { readSealed } from './storageAccess.js';
import { DEFAULT_SESSION_DATA_MAX_BYTES, serverSessionsFor, type ServerModeOptions } from './server/serverMode.js';
import type { ServerSessions } from './server/ServerSessions.js';
import { applySessionDataPatch, type SessionData } from '../core/sessionStore/sessionData.js';
import { controlMethods } from './controlMethods.js';
import type { WebhookDelivery, WebhookReply } from '../control/webhook/receiver.js';
import type { ActiveSession } from '../control/sessions.js';
import {
  clearFlowCookie,
  completeFlow,
  flowCookieNameForState,
  startFlow,
  type CreateAuthorizationOptions,
  type CreateAuthorizationResult,
  type HandleCallbackResult,
} from './signInFlow.js';

export type { CreateAuthorizationOptions, CreateAuthorizationResult, HandleCallbackResult } from './signInFlow.js';

/** Seams and tuning for {@link AuthService}. */
export interface AuthServiceOptions extends AuthKitCoreOptions, ServerModeOptions {}

/** What `withAuth` returns: the auth result and, after a refresh, the sealed session to save. */
export interface WithAuthResult<TCustomClaims = CustomClaims, TData extends SessionData = SessionData> {
  auth: Authenticated<TCustomClaims> | Unauthenticated;
  /** The app's data beside the session (`updateSessionData`), when authenticated; `{}` until first set. */
  data?: TData;
  /** Present when the session was refreshed or re-sealed: save it with `saveSession`, or users loop. */
  refreshedSessionData?: string;
  /** The current (possibly just refreshed) session, when authenticated: use it for `switchOrganization`. */
  session?: Session;
}

interface Dependencies<TRequest, TResponse> {
  config: ResolvedConfig;
  storage: SessionStorage<TRequest, TResponse>;
  client: WorkOS;
  core: AuthKitCore;
  operations: AuthOperations;
  /** Present in `sessionMode: 'server'`. */
  server: ServerSessions | undefined;
  dataMaxBytes: number;
  /** Stores this service made (from `redisUrl`: coordination, server-mode sessions), closed by `close()`. */
  opened?: readonly (Closable | undefined)[] | undefined;
}

/** A store `close()` releases. */
interface Closable {
  close?(): Promise<void>;
}

/** @internal Passed by `createAuthService` to defer construction until first use. */
export const LAZY = Symbol('authkit.lazy');
/** @internal */
export type LazyInit<TRequest, TResponse> = () => {
  config: ResolvedConfig;
  storage: SessionStorage<TRequest, TResponse>;
  client: WorkOS;
  encryption: SessionEncryption | undefined;
  options: AuthServiceOptions;
  opened?: readonly (Closable | undefined)[] | undefined;
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
        return { ...build(parts.config, parts.storage, parts.client, parts.encryption, parts.options), opened: parts.opened };
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

  /**
   * Releases what this service opened: the revocation feed and, when it made them from `redisUrl`, its Redis
   * connections (coordination and, in server mode, sessions), so scripts, tests and serverless handlers can exit. A store passed as `coordination` stays
   * open (close it yourself). Idle connections never hold the process open even without this.
   */
  async close(): Promise<void> {
    const deps = this.resolved;
    if (!deps) return;
    deps.core.close();
    await Promise.all((deps.opened ?? []).map((store) => store?.close?.()));
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
  async withAuth<TCustomClaims = CustomClaims, TData extends SessionData = SessionData>(
    request: TRequest,
  ): Promise<WithAuthResult<TCustomClaims, TData>> {
    const { storage, core, server } = this.deps;
    let sealed: string | null;
    try {
      sealed = await readSealed(storage, request);
    } catch {
      return { auth: unauthenticated('internal_error') };
    }
    const outcome = server ? await server.authenticate<TCustomClaims>(sealed) : await core.authenticate<TCustomClaims>(sealed);
    const result: WithAuthResult<TCustomClaims, TData> = { auth: outcome.auth };
    if (outcome.session) {
      result.session = outcome.session;
      result.data = (outcome.session.data ?? {}) as TData;
    }
    if (outcome.refreshedSessionData) result.refreshedSessionData = outcome.refreshedSessionData;
    return result;
  }

  /**
   * The session in the request's cookie, unverified and unrefreshed; `null` when there is none or it
   * cannot be opened (tampered, other password, not a session).
   */
  async getSession(request: TRequest): Promise<Session | null> {
    const { storage, core, server } = this.deps;
    const sealed = await readSealed(storage, request);
    if (server) return server.read(sealed);
    if (!sealed) return null;
    try {
      return await core.decryptSession(sealed);
    } catch {
      return null;
    }
  }

  /**
   * Writes a sealed session through the storage. Pass `{ request }` so parts of a larger session the request
   * carried are deleted (without it a session that fits one cookie is exactly one `Set-Cookie`).
   */
  async saveSession(
    response: TResponse | undefined,
    sessionData: string,
    options?: { request?: TRequest },
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.deps.storage.saveSession(response, sessionData, options);
  }

  /** Deletes the session cookie through the storage (and, given `{ request }`, the parts that request carried). */
  async clearSession(response?: TResponse, options?: { request?: TRequest }): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.deps.storage.clearSession(response as TResponse, options);
  }

  /**
   * Signs out: returns the WorkOS logout URL (which ends the hosted session) and clears the cookie.
   * With no session id, the cookie is still cleared and `logoutUrl` is `returnTo` (or `/`). Pass `request`
   * to delete the parts of a session over 4 KB too.
   */
  async signOut(
    sessionId: string,
    options?: { returnTo?: string; request?: TRequest },
  ): Promise<{ logoutUrl: string; response?: TResponse; headers?: HeadersBag }> {
    const { operations, storage, core } = this.deps;
    const logoutUrl = sessionId
      ? operations.getLogoutUrl(sessionId, { ...(options?.returnTo ? { returnTo: options.returnTo } : {}) })
      : (options?.returnTo ?? '/');
    await core.revokeSession(sessionId);
    await this.deps.server?.destroy(sessionId);
    const cleared = await storage.clearSession(undefined, options?.request === undefined ? undefined : { request: options.request });
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
    await this.deps.server?.destroy(sessionId);
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
    const revoked = await controlMethods.revokeAll(core, client, userId);
    await this.deps.server?.destroyUser(userId);
    return revoked;
  }

  /** See {@link AuthOperations.switchOrganization}. */
  async switchOrganization(session: Session, organizationId: string): Promise<RefreshSessionResult> {
    return this.stored(session, await this.deps.operations.switchOrganization(session, organizationId));
  }

  /** See {@link AuthOperations.refreshSession}. */
  async refreshSession(session: Session, organizationId?: string): Promise<RefreshSessionResult> {
    return this.stored(session, await this.deps.operations.refreshSession(session, organizationId));
  }

  /**
   * Changes the app data kept beside the session (`data` on `withAuth`'s result): each key of `patch`
   * replaces the current value, `undefined` removes it; refreshes keep it. In `sessionMode: 'server'` it is
   * written to the session store (the cookie does not change); in `cookie` mode it is sealed into the
   * cookie, which is saved on `response`.
   * @throws AuthKitError `session_data_too_large` (over `sessionDataMaxBytes`), `session_data_invalid`,
   *   `session_too_large` (cookie mode: the cookie would pass `cookieMaxParts`), `session_store_unavailable`.
   */
  async updateSessionData<TData extends SessionData = SessionData>(
    response: TResponse | undefined,
    session: Session,
    patch: Partial<TData>,
  ): Promise<{ response?: TResponse; headers?: HeadersBag; session: Session; data: TData }> {
    const { core, storage, server } = this.deps;
    const data = applySessionDataPatch((session.data ?? {}) as TData, patch, this.deps.dataMaxBytes);
    const next: Session = { ...session, data };
    const sealed = await core.encryptSession(next);
    if (!server) return { ...(await storage.saveSession(response, sealed)), session: next, data };
    const { cookie, changed } = await server.replace(session, next, sealed);
    const saved = changed ? await storage.saveSession(response, cookie) : response ? { response } : {};
    return { ...saved, session: next, data };
  }

  /** In server mode, writes a rotated session to the store and hands back the (unchanged or new) cookie value. */
  private async stored(previous: Session, result: RefreshSessionResult): Promise<RefreshSessionResult> {
    const { server, core } = this.deps;
    if (!server) return result;
    const next = await core.decryptSession(result.encryptedSession);
    const { cookie } = await server.replace(previous, next, result.encryptedSession);
    return { ...result, encryptedSession: cookie };
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
   * Starts a sign-in bound to this browser (the 0.5–0.7 call): returns the hosted AuthKit URL and writes the
   * per-flow cookie (`__Host-wos-auth-verifier-<hash>` over HTTPS without `cookieDomain`, else
   * `wos-auth-verifier-<hash>`; 10 minutes) that `handleCallback` requires, which stops login CSRF. Pass
   * `request` to delete this browser's oldest pending flows past `maxPendingSignIns` (default 5).
   * Needs a storage with `setCookie`/`getCookie` (any `CookieSessionStorage`).
   * @throws AuthKitError `not_implemented` when the storage cannot write cookies; PKCEPayloadTooLargeError.
   */
  async createAuthorization(
    response: TResponse | undefined,
    options: CreateAuthorizationOptions<TRequest> = {},
  ): Promise<CreateAuthorizationResult<TResponse>> {
    return startFlow(this.deps, response, options);
  }

  /** {@link createAuthorization} with `screenHint: 'sign-in'`. */
  async createSignIn(
    response: TResponse | undefined,
    options: Omit<CreateAuthorizationOptions<TRequest>, 'screenHint'> = {},
  ): Promise<CreateAuthorizationResult<TResponse>> {
    return this.createAuthorization(response, { ...options, screenHint: 'sign-in' });
  }

  /** {@link createAuthorization} with `screenHint: 'sign-up'`. */
  async createSignUp(
    response: TResponse | undefined,
    options: Omit<CreateAuthorizationOptions<TRequest>, 'screenHint'> = {},
  ): Promise<CreateAuthorizationResult<TResponse>> {
    return this.createAuthorization(response, { ...options, screenHint: 'sign-up' });
  }

  /**
   * Deletes the flow cookie of the sign-in whose callback carries `state` (call it when a callback fails).
   * Pass the flow's `redirectUri` when it overrode the configured one.
   */
  async clearPendingVerifier(
    response: TResponse | undefined,
    options: { state: string; redirectUri?: string },
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    const name = flowCookieNameForState(this.deps.config, options.state, options.redirectUri);
    return clearFlowCookie(this.deps, response, name, options.redirectUri);
  }

  /**
   * Deletes a flow cookie by name (e.g. one chosen by `selectStalePKCEVerifierCookieNames`).
   * @throws AuthKitError `cookie_invalid` when the name is not a sign-in flow cookie.
   */
  async clearPendingVerifierByName(
    response: TResponse | undefined,
    options: { cookieName: string; redirectUri?: string },
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return clearFlowCookie(this.deps, response, options.cookieName, options.redirectUri);
  }

  /**
   * Completes sign-in. The sealed `state` is checked first (and, for bound flows, the per-flow cookie must
   * hold exactly that state), so a missing, forged, expired or replayed-elsewhere state never spends the code;
   * then the code is exchanged with the PKCE verifier and the session cookie is saved. No session cookie is
   * set on any failure. `Set-Cookie` in `headers` is an array when there are several cookies.
   * @throws OAuthStateMismatchError (`state_invalid`, `state_expired`, `state_mismatch`),
   *   PKCECookieMissingError (`state_mismatch`), AuthKitError `state_used` (a state already used once, on any
   *   instance), `code_exchange_failed` or `config_invalid`.
   */
  async handleCallback(
    request: TRequest,
    response: TResponse,
    options: { code: string; state?: string | undefined },
  ): Promise<HandleCallbackResult<TResponse>> {
    return completeFlow(this.deps, request, response, options);
  }
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
  const server = serverSessionsFor(core, config, options);
  const dataMaxBytes = options.sessionDataMaxBytes ?? DEFAULT_SESSION_DATA_MAX_BYTES;
  return { config, storage, client, core, operations: new AuthOperations(core, client, config), server, dataMaxBytes };
}
