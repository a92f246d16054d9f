import type { AuthKitConfig } from '../config/types.js';
import { AuthKitError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import { DEFAULT_MAX_PARTS, isWholeSeal, partName, planClearCookies, planSessionCookies, PROXY_HEADER_LIMIT_BYTES } from './chunks.js';
import { sessionCookieOptions } from './cookieOptions.js';
import { PRIVATE_CACHE_HEADERS } from './headers.js';
import { serializeCookie } from './serializeCookie.js';
import type { CookieOptions, HeadersBag, SessionStorage } from './types.js';

/**
 * Base class for cookie-backed session storage. Subclasses read cookies for their request type by
 * overriding `getCookie(request, name)` (preferred; needed for sessions over 4 KB, which are split over
 * several cookies) or `getSession(request)` (the 0.3.4 way), and may override `applyHeaders` to write
 * headers onto a response object; otherwise headers are returned as a {@link HeadersBag}, with
 * `Set-Cookie` as an array whenever there are several cookies.
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
   * Reads the session cookie from a request. The default reads it through `getCookie`.
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

  /**
   * Reads the whole sealed session: the session cookie from `getSession`, joined with its parts
   * (`name.1`, `name.2`, …) read through `getCookie` when the session was split.
   */
  async readSession(request: TRequest): Promise<string | null> {
    const first = await this.getSession(request);
    if (!first || isWholeSeal(first) || !this.canChunk) return first;
    let whole = first;
    for (let index = 1; index < this.maxCookieParts; index++) {
      const part = await this.getCookie(request, partName(this.cookieName, index));
      if (!part) break;
      whole += part;
    }
    return whole;
  }

  /**
   * Writes the sealed session: one cookie, or several when it passes 4096 bytes, deleting parts a larger
   * session may have left.
   * @throws AuthKitError `session_too_large` past `cookieMaxParts` cookies (or past one cookie for
   *   adapters without `getCookie`, which cannot read parts back).
   */
  async saveSession(response: TResponse | undefined, sessionData: string): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    if (this.customCookieBuilder) return this.applyOrReturn(response, this.withCacheHeaders([this.buildSetCookie(sessionData)]));
    const chunk = this.canChunk;
    let plan;
    try {
      plan = planSessionCookies(this.cookieName, sessionData, this.cookieOptions, chunk ? this.maxCookieParts : 1, chunk);
    } catch (error) {
      const data = (error as AuthKitError).data as { bytes: number; parts: number } | undefined;
      emit(this.onEvent, { type: 'cookie.oversize', bytes: data?.bytes ?? sessionData.length, parts: data?.parts ?? 0 });
      throw error;
    }
    if (plan.cookieHeaderBytes > PROXY_HEADER_LIMIT_BYTES * 0.75)
      emit(this.onEvent, { type: 'cookie.header_near_limit', bytes: plan.cookieHeaderBytes });
    return this.applyOrReturn(response, this.withCacheHeaders(plan.lines));
  }

  /** Deletes the session cookie and every part it may have. Works without a response (`signOut` passes none). */
  async clearSession(response?: TResponse): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    const lines =
      this.canChunk && !this.customCookieBuilder
        ? planClearCookies(this.cookieName, this.cookieOptions, this.maxCookieParts)
        : [this.buildSetCookie('', true)];
    return this.applyOrReturn(response, this.withCacheHeaders(lines));
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

  /** Receives `cookie.oversize` and `cookie.header_near_limit` events (the service connects its `onEvent`). */
  setEventHandler(handler: AuthKitEventHandler | undefined): void {
    this.onEvent = handler;
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

  /** True when this adapter can read cookies by name, so a session may span several cookies. */
  private get canChunk(): boolean {
    return this.getCookie !== CookieSessionStorage.prototype.getCookie;
  }

  /** True for 0.3.x adapters that override `buildSetCookie`: their single cookie is written as they build it. */
  private get customCookieBuilder(): boolean {
    return this.buildSetCookie !== CookieSessionStorage.prototype.buildSetCookie;
  }

  private withCacheHeaders(lines: string[]): HeadersBag {
    return { 'Set-Cookie': lines.length === 1 ? (lines[0] as string) : lines, ...PRIVATE_CACHE_HEADERS };
  }
}
