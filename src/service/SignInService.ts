import type { GetAuthorizationUrlOptions, HeadersBag } from '../core/session/types.js';
import { ControlService } from './ControlService.js';
import {
  clearFlowCookie,
  completeFlow,
  flowCookieNameForState,
  startFlow,
  type CreateAuthorizationOptions,
  type CreateAuthorizationResult,
  type HandleCallbackResult,
} from './signInFlow.js';

/** The sign-in part of `AuthService`: sign-in URLs, browser-bound flows and the callback. */
export class SignInService<TRequest, TResponse> extends ControlService<TRequest, TResponse> {
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
