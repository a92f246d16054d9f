import type { AuthKitConfig } from '../config/types.js';
import { AuthKitError } from '../errors.js';
import type { AuthKitEventHandler } from '../events.js';
import { DEFAULT_MAX_PARTS, isWholeSeal } from './chunks.js';
import { sessionCookieOptions } from './cookieOptions.js';
import { joinSessionParts, planCookieWrites, type CookieWrite, type CookieWriter } from './cookieWrites.js';
import { toArray } from './headers.js';
import { serializeCookie } from './serializeCookie.js';
import type { CookieOptions, HeadersBag, SessionStorage } from './types.js';

/** Options of `saveSession`/`clearSession`: the request, so parts it carries that are no longer used are deleted. */
export interface SessionWriteOptions<TRequest> {
  request?: TRequest;
}

/**
 * Base class for cookie-backed session storage. Subclasses read cookies for their request type by
 * overriding `getCookie(request, name)` (preferred; needed for sessions over 4 KB, which are split over
 * several cookies) or `getSession(request)` (the 0.3.4 way), and may override `applyHeaders` to write
 * headers onto a response object (it is called once per `Set-Cookie`, each a string); otherwise headers are
 * returned as a {@link HeadersBag}, with `Set-Cookie` as an array whenever there are several cookies.
 */
export abstract class CookieSessionStorage<TRequest, TResponse> implements SessionStorage<TRequest, TResponse> {
  /** Session cookie name (`wos-session` by default). */
  protected cookieName: string;
  /** Attributes written on the session cookie. */
  protected readonly cookieOptions: CookieOptions;
  /** Most cookies one session may span. */
  protected readonly maxCookieParts: number;
  private onEvent: AuthKitEventHandler | undefined;

  constructor(config: AuthKitConfig) {
    this.cookieName = config.cookieName || 'wos-session';
    this.cookieOptions = sessionCookieOptions(config);
    const parts = Number(config.cookieMaxParts ?? DEFAULT_MAX_PARTS);
    this.maxCookieParts = Number.isInteger(parts) && parts >= 1 ? parts : DEFAULT_MAX_PARTS;
  }

  /**
   * Reads one cookie (URL-decoded) from a request; `null` when absent. Adapters implement it (0.5+); one
   * that does not (a 0.3.4 adapter overriding `getSession`) keeps every session in one cookie and cannot
   * read a sign-in flow's cookie.
   */
  getCookie?(request: TRequest, name: string): Promise<string | null>;

  /**
   * Reads the session cookie from a request. The default reads it through `getCookie`.
   * @throws AuthKitError `not_implemented` when neither this nor `getCookie` is implemented.
   */
  getSession(request: TRequest): Promise<string | null> {
    if (!this.getCookie) {
      const message = 'Storage adapter must override getSession(request) or getCookie(request, name)';
      return Promise.reject(new AuthKitError(message, undefined, undefined, 'not_implemented'));
    }
    // Not async: the adapter's promise is returned as it is, without another one around it (a throw still rejects).
    try {
      return this.getCookie(request, this.cookieName);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Every cookie of a request, name → URL-decoded value; `null` when this adapter cannot list them (the
   * default). Adapters that override it let `createSignIn({ request })` evict old sign-in flows.
   */
  async getCookies(_request: TRequest): Promise<Record<string, string> | null> {
    return null;
  }

  /**
   * Reads the whole sealed session: the session cookie from `getSession`, joined with exactly the parts
   * (`name.1`, `name.2`, …) its first cookie says it was written with, read through `getCookie`. Extra parts
   * (stale, or planted by a sibling subdomain with `Domain=`) are ignored; a missing part gives `null`.
   */
  async readSession(request: TRequest): Promise<string | null> {
    const first = await this.getSession(request);
    return first && !isWholeSeal(first) ? joinSessionParts(this.writer(), first, request) : first;
  }

  /**
   * Writes the sealed session: exactly one cookie when it fits in 4096 bytes, else several (the first records
   * how many). Given `options.request`, parts that request carried and the new session does not use are deleted.
   * @throws AuthKitError `session_too_large` past `cookieMaxParts` cookies (or past one cookie for
   *   adapters without `getCookie`, which cannot read parts back).
   */
  async saveSession(
    response: TResponse | undefined,
    sessionData: string,
    options?: SessionWriteOptions<TRequest>,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.writeCookies(response, [{ kind: 'session', value: sessionData, request: options?.request }]);
  }

  /**
   * Deletes the session cookie and, given `options.request`, every part that request carried. Works without a
   * response (`signOut` passes none).
   */
  async clearSession(
    response?: TResponse,
    options?: SessionWriteOptions<TRequest>,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.writeCookies(response, [{ kind: 'clearSession', request: options?.request }]);
  }

  /** Writes any cookie with the given attributes (used for the per-flow sign-in binding cookie). */
  async setCookie(
    response: TResponse | undefined,
    name: string,
    value: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.writeCookies(response, [{ kind: 'cookie', name, value, options }]);
  }

  /** Deletes any cookie (attributes must match the ones it was set with). */
  async clearCookie(
    response: TResponse | undefined,
    name: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.writeCookies(response, [{ kind: 'clearCookie', name, options }]);
  }

  /** Receives `cookie.oversize` and `cookie.header_near_limit` events (the service connects its `onEvent`). */
  setEventHandler(handler: AuthKitEventHandler | undefined): void {
    this.onEvent = handler;
  }

  /** Hook for adapters that can mutate a response; the default returns nothing so headers are returned instead. */
  protected async applyHeaders(_response: TResponse | undefined, _headers: HeadersBag): Promise<{ response: TResponse } | void> {
    return undefined;
  }

  /** One `Set-Cookie` value for the session cookie (`expired` deletes it). The 0.3.4 hook. */
  protected buildSetCookie(value: string, expired?: boolean): string {
    return this.serializeCookie(this.cookieName, value, this.cookieOptions, { expired: expired ?? false });
  }

  /**
   * One `Set-Cookie` value (the 0.5+ hook every cookie this storage writes goes through); enforces the
   * browser's cookie rules.
   * @throws AuthKitError `cookie_invalid`.
   */
  protected serializeCookie(name: string, value: string, options: CookieOptions, flags: { expired?: boolean } = {}): string {
    return serializeCookie(name, value, options, flags);
  }

  /**
   * Hands headers to `applyHeaders`, one `Set-Cookie` per call (a string, as 0.5–0.7 adapters expect, so
   * none comma-joins several cookies); without an applied response, returns them as a bag.
   */
  protected async applyOrReturn(
    response: TResponse | undefined,
    headers: HeadersBag,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    const { 'Set-Cookie': setCookie, ...rest } = headers;
    const lines = setCookie === undefined ? [] : toArray(setCookie);
    if (lines.length <= 1) return (await this.applyHeaders(response, headers)) ?? { headers };
    let current = response;
    for (const [index, line] of lines.entries()) {
      const applied = await this.applyHeaders(current, index === 0 ? { ...rest, 'Set-Cookie': line } : { 'Set-Cookie': line });
      if (!applied) {
        if (index === 0) return { headers };
        throw new AuthKitError('applyHeaders wrote some cookies and returned nothing for others', undefined, undefined, 'not_implemented');
      }
      current = applied.response;
    }
    return { response: current as TResponse };
  }

  /** Plans `writes` into `Set-Cookie` lines with this storage's hooks and hands them to `applyHeaders`. */
  private async writeCookies(
    response: TResponse | undefined,
    writes: readonly CookieWrite<TRequest>[],
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.applyOrReturn(response, await planCookieWrites(this.writer(), writes));
  }

  /** This storage's session cookie and hooks, as planning needs them. */
  private writer(): CookieWriter<TRequest> {
    const getCookie = this.getCookie;
    return {
      name: this.cookieName,
      options: this.cookieOptions,
      maxParts: this.maxCookieParts,
      readCookie: getCookie ? (request, name) => getCookie.call(this, request, name) : undefined,
      serialize: (name, value, options, flags) => this.serializeCookie(name, value, options, flags),
      sessionLine: (value, expired) => this.buildSetCookie(value, expired),
      onEvent: this.onEvent,
    };
  }
}
