import type { AuthKitCore } from '../core/AuthKitCore.js';
import type { WorkOSPort } from '../core/client/port.js';
import { resolveConfig, type ResolvedConfig } from '../core/config/resolve.js';
import type { AuthKitConfig } from '../core/config/types.js';
import { ConfigurationProvider } from '../core/config/ConfigurationProvider.js';
import { AuthKitError } from '../core/errors.js';
import { authenticatedResult } from '../core/session/authResult.js';
import type { AuthResult, GetAuthorizationUrlOptions, Session } from '../core/session/types.js';
import { encodeLegacyState } from './legacyState.js';
import { sanitizeReturnPathname } from './returnPathname.js';

/** Result of a refresh or organization switch: the new auth and the sealed session to save. */
export interface RefreshSessionResult {
  auth: AuthResult;
  encryptedSession: string;
}

/** WorkOS operations built on {@link AuthKitCore}: sign-in URLs, sign-out URL, refresh, organization switch. */
export class AuthOperations {
  private readonly config: ResolvedConfig;

  /** @throws AuthKitError `config_invalid`. */
  constructor(
    private readonly core: AuthKitCore,
    private readonly client: WorkOSPort,
    config: AuthKitConfig | ConfigurationProvider,
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

  /** The hosted AuthKit URL. `returnPathname` and `state` come back from `handleCallback`. */
  async getAuthorizationUrl(options: GetAuthorizationUrlOptions = {}): Promise<string> {
    const returnPathname = options.returnPathname !== undefined ? sanitizeReturnPathname(options.returnPathname) : undefined;
    const state = encodeLegacyState(returnPathname, options.state);
    return this.client.userManagement.getAuthorizationUrl({
      provider: 'authkit',
      clientId: this.config.clientId,
      redirectUri: options.redirectUri ?? this.config.redirectUri,
      ...(options.screenHint ? { screenHint: options.screenHint } : {}),
      ...(options.organizationId ? { organizationId: options.organizationId } : {}),
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      ...(options.prompt ? { prompt: options.prompt } : {}),
      ...(state ? { state } : {}),
    });
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
