import { mergeHeaders, toArray } from '../core/session/headers.js';
import { shouldClearCookie } from '../core/session/reasons.js';
import type { Authenticated, CustomClaims, HeadersBag, Unauthenticated } from '../core/session/types.js';
import type { AuthService } from '../service/AuthService.js';

/** Cache headers for any response that depends on, or sets, a session cookie. */
export const PRIVATE_CACHE_HEADERS: HeadersBag = { 'Cache-Control': 'private, no-store', Vary: 'Cookie' };

/** A request handler that receives the authentication result. */
export type AuthenticatedHandler<TCustomClaims = CustomClaims> = (
  request: Request,
  auth: Authenticated<TCustomClaims> | Unauthenticated,
) => Response | Promise<Response>;

/**
 * Wraps a Fetch handler: authenticates the request, persists a refreshed session onto the response,
 * clears the cookie on a terminal failure (never on a transient one), and marks the response private.
 */
export function withAuthHandler<TCustomClaims = CustomClaims>(
  service: AuthService<Request, Response>,
  handler: AuthenticatedHandler<TCustomClaims>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const { auth, refreshedSessionData } = await service.withAuth<TCustomClaims>(request);
    const response = await handler(request, auth);
    let headers: HeadersBag = { ...PRIVATE_CACHE_HEADERS };
    if (refreshedSessionData) {
      headers = mergeHeaders(headers, (await service.saveSession(undefined, refreshedSessionData)).headers);
    } else if (auth.user === null && shouldClearCookie(auth.reason)) {
      headers = mergeHeaders(headers, (await service.clearSession(undefined)).headers);
    }
    return prependHeaders(response, headers);
  };
}

/**
 * A copy of `response` with the bag's headers placed before its own `Set-Cookie` values, so a cookie the
 * handler wrote (sign-in, sign-out, organization switch) wins over the middleware's refreshed one.
 */
function prependHeaders(response: Response, headers: HeadersBag): Response {
  const own = response.headers.getSetCookie();
  const copy = appendHeaders(response, headers);
  if (own.length === 0) return copy;
  const ours = copy.headers.getSetCookie().slice(own.length);
  copy.headers.delete('set-cookie');
  for (const value of [...ours, ...own]) copy.headers.append('set-cookie', value);
  return copy;
}

/** A copy of `response` with every header of the bag appended (arrays become several headers). */
export function appendHeaders(response: Response, headers: HeadersBag): Response {
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
  for (const [name, value] of Object.entries(headers)) {
    for (const item of toArray(value)) {
      if (name.toLowerCase() === 'set-cookie') copy.headers.append(name, item);
      else copy.headers.set(name, item);
    }
  }
  return copy;
}
