import type { AuthKitConfig } from '../config/types.js';
import { AuthKitError } from '../errors.js';
import { sessionCookieOptions } from './cookieOptions.js';
import { serializeCookie } from './serializeCookie.js';
import type { CookieOptions, HeadersBag, SessionStorage } from './types.js';

/**
 * Base class for cookie-backed session storage. Subclasses read the cookie for their request type by
 * overriding `getSession(request)` (or `getCookie(request, name)`), and may override `applyHeaders` to
 * write headers onto a response object; otherwise headers are returned as a {@link HeadersBag}.
 */
export abstract class CookieSessionStorage<TRequest, TResponse> implements SessionStorage<TRequest, TResponse> {
  /** Session cookie name (`wos-session` by default). */
  protected cookieName: string;
  /** Attributes written on the session cookie. */
  protected readonly cookieOptions: CookieOptions;

  constructor(config: AuthKitConfig) {
    this.cookieName = config.cookieName || 'wos-session';
    this.cookieOptions = sessionCookieOptions(config);
  }

  /**
   * Reads the sealed session from a request. The default reads the session cookie through `getCookie`.
   * @throws AuthKitError `not_implemented` when neither this nor `getCookie` is overridden.
   */
  async getSession(request: TRequest): Promise<string | null> {
    return this.getCookie(request, this.cookieName);
  }

  /**
   * Reads one cookie (URL-decoded) from a request; `null` when absent. Override in adapters.
   * @throws AuthKitError `not_implemented` by default.
   */
  async getCookie(_request: TRequest, _name: string): Promise<string | null> {
    throw new AuthKitError(
      'Storage adapter must override getSession(request) or getCookie(request, name)',
      undefined,
      undefined,
      'not_implemented',
    );
  }

  /** Writes the sealed session cookie. */
  async saveSession(response: TResponse | undefined, sessionData: string): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.applyOrReturn(response, { 'Set-Cookie': this.buildSetCookie(sessionData) });
  }

  /** Deletes the session cookie. Works without a response (`signOut` passes none). */
  async clearSession(response?: TResponse): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.applyOrReturn(response, { 'Set-Cookie': this.buildSetCookie('', true) });
  }

  /** Writes any cookie with the given attributes (used for the per-flow sign-in binding cookie). */
  async setCookie(
    response: TResponse | undefined,
    name: string,
    value: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.applyOrReturn(response, { 'Set-Cookie': serializeCookie(name, value, options) });
  }

  /** Deletes any cookie (attributes must match the ones it was set with). */
  async clearCookie(
    response: TResponse | undefined,
    name: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.applyOrReturn(response, { 'Set-Cookie': serializeCookie(name, '', options, { expired: true }) });
  }

  /** Hook for adapters that can mutate a response; the default returns nothing so headers are returned instead. */
  protected async applyHeaders(_response: TResponse | undefined, _headers: HeadersBag): Promise<{ response: TResponse } | void> {
    return undefined;
  }

  /** One `Set-Cookie` value for the session cookie (`expired` deletes it). */
  protected buildSetCookie(value: string, expired?: boolean): string {
    return serializeCookie(this.cookieName, value, this.cookieOptions, { expired: expired ?? false });
  }

  protected async applyOrReturn(
    response: TResponse | undefined,
    headers: HeadersBag,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    const applied = await this.applyHeaders(response, headers);
    return applied ? applied : { headers };
  }
}
