import type { AuthKitConfig } from '../core/config/types.js';
import type { HeadersBag } from '../core/session/types.js';

/** The storage calls the kit exercises (every `CookieSessionStorage` has them). */
export interface StorageUnderTest<TRequest, TResponse> {
  getCookie(request: TRequest, name: string): Promise<string | null>;
  getSession(request: TRequest): Promise<string | null>;
  /** Joins a session split over several cookies; when absent the kit joins `getSession` and `getCookie(name.N)`. */
  readSession?(request: TRequest): Promise<string | null>;
  /** `options.request`: the request whose session parts that are no longer used get deleted. */
  saveSession(
    response: TResponse | undefined,
    sessionData: string,
    options?: { request?: TRequest },
  ): Promise<{ response?: TResponse; headers?: HeadersBag }>;
  clearSession(response?: TResponse, options?: { request?: TRequest }): Promise<{ response?: TResponse; headers?: HeadersBag }>;
}

/** Response headers of a middleware run: a Fetch `Headers`, or a name → value object (Node's `res.getHeaders()`). */
export type HeaderSource = Headers | Record<string, string | string[] | number | undefined>;

/** What one pass through the middleware under test produced. */
export interface MiddlewareRun {
  /** Every `Set-Cookie` value of the response, in order, one entry per header line. */
  setCookies: string[];
  /** The response headers, to check `Cache-Control` and `Vary`. Required: a run without them fails. */
  headers?: HeaderSource;
  /** The user the route saw (`auth.user`), when the harness reports it: `null` when signed out. */
  user?: { id: string } | null;
}

/** What the kit asks of one middleware run. */
export interface MiddlewareContext {
  /** The request's `Cookie` header (values URL-encoded), for harnesses that send real HTTP requests. */
  cookieHeader: string;
  /** `Set-Cookie` values the route must append to its own response (a route that signs in or out). */
  routeSetCookies: string[];
}

/** The smallest service the middleware checks need: the one the middleware under test is given. */
export interface ServiceUnderTest<TRequest> {
  withAuth(request: TRequest): Promise<{ auth: { user: unknown; retryable?: boolean }; refreshedSessionData?: string }>;
}

/**
 * An adapter described by small functions, so the kit runs in any test runner and for any request and
 * response types.
 */
export interface AdapterUnderTest<TRequest, TResponse, TService = unknown> {
  /** Shown in failure messages. */
  name?: string;
  /** A storage for `config` (e.g. `(config) => new MyStorage(config)`). */
  makeStorage(config: AuthKitConfig): StorageUnderTest<TRequest, TResponse>;
  /** A request carrying these cookies. Values are as sent on the wire: the kit has URL-encoded them. */
  makeRequest(cookies: Record<string, string>): TRequest | Promise<TRequest>;
  /** A fresh response to write onto. */
  makeResponse(): TResponse | Promise<TResponse>;
  /** Every `Set-Cookie` value of a response that `saveSession`/`clearSession` wrote onto (or returned). */
  readSetCookies(response: TResponse): string[];
  /** One response header (`Cache-Control`, `Vary`), or `null`/`undefined` when absent. */
  readHeader(response: TResponse, name: string): string | null | undefined;
  /**
   * Runs the middleware under test for `request`, with a route that appends `context.routeSetCookies` to
   * its response and, ideally, reports the user it saw. Enables the middleware checks (with `service`).
   */
  middleware?(service: TService, request: TRequest, context: MiddlewareContext): Promise<MiddlewareRun>;
}

/** Options of {@link runAdapterConformance}. */
export interface ConformanceOptions<TRequest, TService = unknown> {
  /**
   * Configuration for `makeStorage`; for the middleware checks, the one `service` was built with (same
   * cookie name and password). Default: a test configuration.
   */
  config?: AuthKitConfig;
  /** The service handed to `adapter.middleware`, pointed at a WorkOS (the emulator in tests). */
  service?: TService & ServiceUnderTest<TRequest>;
  /**
   * A sealed session whose access token is expired but whose refresh token WorkOS accepts (a new one on
   * each call). Enables the "refreshed session persisted" check.
   */
  expiredCookie?(): Promise<string>;
  /**
   * A sealed session WorkOS refuses to refresh. Default: the kit seals one with `config`'s cookie password
   * (an unverifiable access token and the refresh token `invalid`).
   */
  terminalCookie?(): Promise<string>;
  /**
   * A service like `service` (same configuration) whose WorkOS is unavailable: answers 503 to token
   * refreshes (a fault-injecting proxy in front of the emulator), or cannot be reached. With
   * `expiredCookie`, enables the check that the middleware keeps the cookie on a transient failure.
   */
  transientService?: TService & ServiceUnderTest<TRequest>;
  /** Throw an `AggregateError` listing the failed checks instead of only returning them. Default `false`. */
  throwOnFailure?: boolean;
}

/** The outcome of one check. */
export interface ConformanceResult {
  name: string;
  ok: boolean;
  /** True when the check could not run (no middleware, service or cookie provider): `ok` is then `true`. */
  skipped?: boolean;
  /** What was checked, or what went wrong. */
  detail: string;
}
