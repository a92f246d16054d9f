import { unauthenticated } from '../core/session/authResult.js';
import type { Authenticated, CustomClaims, HeadersBag, Session, Unauthenticated } from '../core/session/types.js';
import { applySessionDataPatch, type SessionData } from '../core/sessionStore/sessionData.js';
import type { RefreshSessionResult } from '../operations/AuthOperations.js';
import { SignInService } from './SignInService.js';

export type { CreateAuthorizationOptions, CreateAuthorizationResult, HandleCallbackResult } from './signInFlow.js';
export type { AuthServiceOptions } from './dependencies.js';
export { LAZY, type LazyInit } from './dependencies.js';

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

/**
 * Ties configuration, storage, core and operations together: the one object most integrations use.
 * Every method is async and rejects (never throws synchronously), except `getWorkOS`. Sign-in methods come
 * from {@link SignInService}, session control from `ControlService`, the lifecycle from `LazyService`.
 */
export class AuthService<TRequest, TResponse> extends SignInService<TRequest, TResponse> {
  /**
   * Authenticates a request from its session cookie, refreshing when needed. Never rejects for bad input:
   * an unauthenticated result carries `reason` and `retryable`.
   * @throws AuthKitError `config_invalid` (as a rejection) when configuration is missing.
   */
  async withAuth<TCustomClaims = CustomClaims, TData extends SessionData = SessionData>(
    request: TRequest,
  ): Promise<WithAuthResult<TCustomClaims, TData>> {
    const { cookies, core, server } = this.deps;
    let sealed: string | null;
    try {
      sealed = await cookies.read(request);
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
    const { cookies, core, server } = this.deps;
    const sealed = await cookies.read(request);
    if (server) return server.read(sealed);
    if (!sealed) return null;
    return core.decryptSession(sealed).catch(() => null);
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
    const { operations, cookies, core, server } = this.deps;
    const logoutUrl = sessionId
      ? operations.getLogoutUrl(sessionId, { ...(options?.returnTo ? { returnTo: options.returnTo } : {}) })
      : (options?.returnTo ?? '/');
    await core.revokeSession(sessionId);
    await server?.destroy(sessionId);
    const cleared = await cookies.write(undefined, [{ kind: 'clearSession', request: options?.request }]);
    return { logoutUrl, ...cleared };
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
    const { core, cookies, server, dataMaxBytes } = this.deps;
    const data = applySessionDataPatch((session.data ?? {}) as TData, patch, dataMaxBytes);
    const next: Session = { ...session, data };
    const sealed = await core.encryptSession(next);
    const { cookie, changed } = server ? await server.replace(session, next, sealed) : { cookie: sealed, changed: true };
    const saved = changed ? await cookies.write(response, [{ kind: 'session', value: cookie }]) : response ? { response } : {};
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
}
