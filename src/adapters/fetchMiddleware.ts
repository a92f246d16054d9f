import { toArray } from '../core/session/headers.js';
import type { Authenticated, CustomClaims, HeadersBag, Session, Unauthenticated } from '../core/session/types.js';
import type { AuthService } from '../service/AuthService.js';
import { afterAuth, headersWithoutCookies } from './afterAuth.js';
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
  return async (request) => {
    const { auth, session, refreshedSessionData } = await service.withAuth<TCustomClaims>(request);
    const context: AuthenticatedHandlerContext = {};
    if (session) context.session = session;
    if (refreshedSessionData) context.refreshedSessionData = refreshedSessionData;
    const response = await handler(request, auth, context);
    const outcome = { auth, refreshedSessionData };
    return prependHeaders(
      response,
      headersWithoutCookies(outcome, true) ?? (await afterAuth(service, outcome, { cacheHeaders: true, request })),
    );
  };
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
