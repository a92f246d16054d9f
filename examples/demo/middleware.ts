import type { AuthService, HeadersBag, Session, WithAuthResult } from '../../src/index.js';
import { shouldClearCookie } from '../../src/index.js';

/** What every route handler receives. */
export interface RequestContext {
  request: Request;
  url: URL;
  auth: WithAuthResult['auth'];
  /** The current session (already refreshed when the request's cookie was stale), when signed in. */
  session?: Session;
}

export type Handler = (context: RequestContext) => Promise<Response>;

/**
 * Runs `withAuth` before the handler and keeps the cookie in step with it:
 * - a refreshed session is saved (skip this and the next request refreshes again with a spent token);
 * - a cookie that can never work again (terminal reason) is deleted; on transient failures it is kept.
 * These cookies go before the handler's own, so a handler that signs in, out or switches organization wins.
 * Every answer depends on the session, so none may be cached by shared caches.
 */
export async function withSession(service: AuthService<Request, Response>, request: Request, handler: Handler): Promise<Response> {
  const { auth, refreshedSessionData, session } = await service.withAuth(request);
  const pending: string[] = [];
  if (refreshedSessionData) {
    pending.push(...setCookies(await service.saveSession(undefined, refreshedSessionData)));
  } else if (!auth.user && shouldClearCookie(auth.reason)) {
    pending.push(...setCookies(await service.clearSession()));
  }
  const context: RequestContext = { request, url: new URL(request.url), auth, ...(session ? { session } : {}) };
  const response = await handler(context);
  const headers = new Headers();
  for (const cookie of [...pending, ...response.headers.getSetCookie()]) headers.append('Set-Cookie', cookie);
  for (const [name, value] of response.headers) if (name !== 'set-cookie') headers.set(name, value);
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-store');
  // No page of the demo may be framed by another site (clickjacking the sign-out or organization buttons).
  headers.set('Content-Security-Policy', "frame-ancestors 'none'");
  headers.set('X-Frame-Options', 'DENY');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The `Set-Cookie` values of a storage result (`headers` when no response was passed, else the response's). */
export function setCookies(result: { response?: Response; headers?: HeadersBag }): string[] {
  const fromBag = result.headers?.['Set-Cookie'] ?? [];
  return [...(Array.isArray(fromBag) ? fromBag : [fromBag]), ...(result.response?.headers.getSetCookie() ?? [])];
}
