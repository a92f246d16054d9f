import type { AuthKitConfig } from '../config/types.js';
import { AuthKitError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import {
  DEFAULT_MAX_PARTS,
  isWholeSeal,
  partName,
  planClearCookies,
  planSessionCookies,
  PROXY_HEADER_LIMIT_BYTES,
  readPartCount,
} from './chunks.js';
import { sessionCookieOptions } from './cookieOptions.js';
import { PRIVATE_CACHE_HEADERS, toArray } from './headers.js';
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
    if (!first || isWholeSeal(first) || !this.canChunk) return first;
    const recorded = readPartCount(first);
    if (!recorded) return first;
    if (recorded.count < 2 || recorded.count > this.maxCookieParts) return null;
    let whole = recorded.firstPiece;
    for (let index = 1; index < recorded.count; index++) {
      const part = await this.getCookie(request, partName(this.cookieName, index));
      if (!part) return null;
      whole += part;
    }
    return whole;
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
    if (this.customCookieBuilder) return this.applyOrReturn(response, this.withCacheHeaders([this.buildSetCookie(sessionData)]));
    const chunk = this.canChunk;
    const carried = chunk ? await this.carriedParts(options?.request) : [];
    let plan;
    try {
      plan = planSessionCookies(this.cookieName, sessionData, this.cookieOptions, chunk ? this.maxCookieParts : 1, carried, (...args) =>
        this.serializeCookie(...args),
      );
    } catch (error) {
      const data = (error as AuthKitError).data as { bytes: number; parts: number } | undefined;
      emit(this.onEvent, { type: 'cookie.oversize', bytes: data?.bytes ?? sessionData.length, parts: data?.parts ?? 0 });
      throw error;
    }
    if (plan.cookieHeaderBytes > PROXY_HEADER_LIMIT_BYTES * 0.75)
      emit(this.onEvent, { type: 'cookie.header_near_limit', bytes: plan.cookieHeaderBytes });
    return this.applyOrReturn(response, this.withCacheHeaders(plan.lines));
  }

  /**
   * Deletes the session cookie and, given `options.request`, every part that request carried. Works without a
   * response (`signOut` passes none).
   */
  async clearSession(
    response?: TResponse,
    options?: SessionWriteOptions<TRequest>,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    const lines =
      this.canChunk && !this.customCookieBuilder
        ? planClearCookies(this.cookieName, this.cookieOptions, await this.carriedParts(options?.request), (...args) =>
            this.serializeCookie(...args),
          )
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
    return this.applyOrReturn(response, { 'Set-Cookie': this.serializeCookie(name, value, options) });
  }

  /** Deletes any cookie (attributes must match the ones it was set with). */
  async clearCookie(
    response: TResponse | undefined,
    name: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }> {
    return this.applyOrReturn(response, { 'Set-Cookie': this.serializeCookie(name, '', options, { expired: true }) });
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

  /** Indexes (1…) of the session parts a request carries; none without a request. */
  private async carriedParts(request: TRequest | undefined): Promise<number[]> {
    if (request === undefined) return [];
    const carried: number[] = [];
    for (let index = 1; index < Math.max(this.maxCookieParts, DEFAULT_MAX_PARTS); index++) {
      if ((await this.getCookie(request, partName(this.cookieName, index)).catch(() => null)) !== null) carried.push(index);
    }
    return carried;
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
