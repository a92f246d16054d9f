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
import { decodeLegacyState } from '../operations/legacyState.js';
import { sanitizeReturnPathname } from '../operations/returnPathname.js';

/** Seams and tuning for {@link AuthService}. */
export type AuthServiceOptions = AuthKitCoreOptions;

/** What `withAuth` returns: the auth result and, after a refresh, the sealed session to save. */
export interface WithAuthResult<TCustomClaims = CustomClaims> {
  auth: Authenticated<TCustomClaims> | Unauthenticated;
  /** Present when the session was refreshed or re-sealed: save it with `saveSession`, or users loop. */
  refreshedSessionData?: string;
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
      sealed = await storage.getSession(request);
    } catch {
      return { auth: unauthenticated('internal_error') };
    }
    const outcome = await core.authenticate<TCustomClaims>(sealed);
    return outcome.refreshedSessionData
      ? { auth: outcome.auth, refreshedSessionData: outcome.refreshedSessionData }
      : { auth: outcome.auth };
  }

  /**
   * The session in the request's cookie, unverified and unrefreshed; `null` when there is none or it
   * cannot be opened (tampered, other password, not a session).
   */
  async getSession(request: TRequest): Promise<Session | null> {
    const { storage, core } = this.deps;
    const sealed = await storage.getSession(request);
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
    const { operations, storage } = this.deps;
    const logoutUrl = sessionId ? operations.getLogoutUrl(sessionId, options) : (options?.returnTo ?? '/');
    const cleared = await storage.clearSession(undefined);
    return { logoutUrl, ...cleared };
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
   * Completes sign-in: exchanges the code, saves the session cookie, and returns where to go next.
   * @throws AuthKitError `code_exchange_failed` when WorkOS refuses the code; `config_invalid` first when
   *   the configuration (e.g. a short cookie password) is invalid, before the code is spent.
   */
  async handleCallback(
    _request: TRequest,
    response: TResponse,
    options: { code: string; state?: string | undefined },
  ): Promise<HandleCallbackResult<TResponse>> {
    const { config, client, core, storage } = this.deps;
    if (!options?.code) throw new AuthKitError('Missing authorization code', undefined, undefined, 'code_exchange_failed');
    let authResponse: AuthenticationResponse;
    try {
      authResponse = await client.userManagement.authenticateWithCode({ code: options.code, clientId: config.clientId });
    } catch (error) {
      throw new AuthKitError('Authorization code exchange failed', error, undefined, 'code_exchange_failed');
    }
    const session: Session = { accessToken: authResponse.accessToken, refreshToken: authResponse.refreshToken, user: authResponse.user };
    if (authResponse.impersonator) session.impersonator = authResponse.impersonator;
    if (authResponse.organizationId) session.organizationId = authResponse.organizationId;
    if (authResponse.authenticationMethod) session.authenticationMethod = authResponse.authenticationMethod;
    const saved = await storage.saveSession(response, await core.encryptSession(session));
    const decoded = decodeLegacyState(options.state);
    return {
      response: saved.response ?? response,
      headers: saved.headers,
      returnPathname: sanitizeReturnPathname(decoded.returnPathname ?? '/'),
      state: decoded.customState,
      authResponse,
    };
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
  return { config, storage, client, core, operations: new AuthOperations(core, client, config) };
}
