import { toArray } from '../core/session/headers.js';
import type { Authenticated, CustomClaims, HeadersBag, Session, Unauthenticated } from '../core/session/types.js';
import type { AuthService } from '../service/AuthService.js';
import { afterAuth, headersWithoutCookies, type AuthOutcome } from './afterAuth.js';
import { mergeVary, PRIVATE_CACHE_HEADERS } from '../core/session/headers.js';

export { PRIVATE_CACHE_HEADERS };

/** What a handler gets besides the auth result. */
export interface AuthenticatedHandlerContext {
  /** The current session (already refreshed when this request refreshed it): pass it to `switchOrganization`. */
  session?: Session;
  /** Set when this request refreshed the session; the middleware saves it onto the response. */
  refreshedSessionData?: string;
}

/** A request handler that receives the authentication result. */
export type AuthenticatedHandler<TCustomClaims = CustomClaims> = (
  request: Request,
  auth: Authenticated<TCustomClaims> | Unauthenticated,
  context: AuthenticatedHandlerContext,
) => Response | Promise<Response>;

/** The calls {@link withAuthHandler} makes: any `AuthService` over Fetch requests and responses. */
export type FetchAuthService = Pick<AuthService<Request, Response>, 'withAuth' | 'saveSession' | 'clearSession'>;

/**
 * Wraps a Fetch handler: authenticates the request, persists a refreshed session onto the response,
 * clears the cookie on a terminal failure (never on a transient one), and marks the response private.
 * Its cookies go before the handler's own, so a handler that signs in, out or switches organization wins.
 */
export function withAuthHandler<TCustomClaims = CustomClaims>(
  service: FetchAuthService,
  handler: AuthenticatedHandler<TCustomClaims>,
): (request: Request) => Promise<Response> {
  const finish = responseFinisher(service);
  return async (request) => {
    const { auth, session, refreshedSessionData } = await service.withAuth<TCustomClaims>(request);
    const context: AuthenticatedHandlerContext = {};
    if (session) context.session = session;
    if (refreshedSessionData) context.refreshedSessionData = refreshedSessionData;
    const returned = handler(request, auth, context);
    // A handler that answers synchronously costs no extra promise turn.
    const response = typeof (returned as Partial<PromiseLike<Response>>).then === 'function' ? await returned : (returned as Response);
    return finish(response, { auth, refreshedSessionData }, true, request);
  };
}

/**
 * The step every Fetch middleware (withAuthHandler, Hono's `authkit`) takes once the handler answered: `response`
 * with the refreshed session's cookies or a terminal failure's deletions (before the handler's own cookies), and
 * the cache headers. Most requests write no cookie and only mark the response private: on a response whose
 * headers are its own, two headers set in place ({@link markPrivateInPlace}) instead of a copy of the response (a
 * new Response and Headers, its body a stream); a response that gets no header at all is returned as it is. Only a
 * request that writes a cookie waits for a promise. `cacheHeaders` is the middleware's option (mark every
 * response private); `request` the one answered, so session parts it carried that are no longer used are deleted.
 * One finisher per middleware: it keeps the platform's own Response prototype, found on first use (the module
 * keeps no state).
 */
export function responseFinisher(
  service: FetchAuthService,
): (response: Response, outcome: AuthOutcome, cacheHeaders: boolean, request: Request) => Response | Promise<Response> {
  let platformResponse: object | undefined;
  return (response, outcome, cacheHeaders, request) => {
    const headers = headersWithoutCookies(outcome, cacheHeaders);
    if (headers === undefined) {
      return afterAuth(service, outcome, { cacheHeaders, request }).then((written) => prependHeaders(response, written));
    }
    if (headers !== PRIVATE_CACHE_HEADERS) return response; // nothing to add: no cookie, no cache header
    platformResponse ??= Object.getPrototypeOf(Response.error()) as object;
    return markPrivateInPlace(response, platformResponse) ? response : appendHeaders(response, headers);
  };
}

/**
 * Sets {@link PRIVATE_CACHE_HEADERS} on `response` itself (as {@link appendHeaders} would on a copy) when its
 * headers are its own: a Response of the platform's class (`platformResponse`, the prototype of what
 * `Response.error()` returns, which copies the headers it is given; the lighter
 * Response of @hono/node-server keeps the caller's Headers object, which may be shared) whose headers are not
 * immutable (`Response.redirect`, `fetch`). Answers whether it did; when not, the response is unchanged.
 */
function markPrivateInPlace(response: Response, platformResponse: object): boolean {
  if (Object.getPrototypeOf(response) !== platformResponse) return false;
  const headers = response.headers;
  try {
    headers.set('cache-control', PRIVATE_CACHE_HEADERS['Cache-Control']);
  } catch {
    return false;
  }
  const vary = headers.get('vary');
  if (vary !== PRIVATE_CACHE_HEADERS.Vary) headers.set('vary', mergeVary(vary, PRIVATE_CACHE_HEADERS.Vary));
  return true;
}

/**
 * A copy of `response` with the bag's headers placed before its own `Set-Cookie` values, so a cookie the
 * handler wrote (sign-in, sign-out, organization switch) wins over the middleware's refreshed one.
 */
export function prependHeaders(response: Response, headers: HeadersBag): Response {
  const own = response.headers.getSetCookie();
  const copy = appendHeaders(response, headers);
  if (own.length === 0) return copy;
  const ours = copy.headers.getSetCookie().slice(own.length);
  copy.headers.delete('set-cookie');
  for (const value of [...ours, ...own]) copy.headers.append('set-cookie', value);
  return copy;
}

/**
 * A copy of `response` with every header of the bag appended: each `Set-Cookie` its own header after the
 * existing ones, `Vary` tokens merged, other headers set.
 */
export function appendHeaders(response: Response, headers: HeadersBag): Response {
  // A Headers of its own: @hono/node-server's Response keeps the init's Headers object, which would be the original's.
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') for (const item of toArray(value)) copy.headers.append(name, item);
    else if (lower === 'vary') copy.headers.set(name, mergeVary(copy.headers.get(name), toArray(value).join(', ')));
    else for (const item of toArray(value)) copy.headers.set(name, item);
  }
  return copy;
}
