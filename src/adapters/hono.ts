import type { MiddlewareHandler } from 'hono';
import type { Authenticated, CustomClaims, Session, Unauthenticated } from '../core/session/types.js';
import { responseFinisher, type FetchAuthService } from './fetchMiddleware.js';

/** Context variables {@link authkit} sets: read them with `c.get('auth')` and `c.get('session')`. */
export interface AuthkitVariables<TCustomClaims = CustomClaims> {
  /** The result of `withAuth`: narrow on `user`; `reason` says why there is none. */
  auth: Authenticated<TCustomClaims> | Unauthenticated;
  /** The current session (already refreshed when this request refreshed it): pass it to `switchOrganization`. */
  session: Session | undefined;
}

/** The Hono environment of an app using {@link authkit}: `new Hono<AuthkitEnv>()`. */
export interface AuthkitEnv<TCustomClaims = CustomClaims> {
  Variables: AuthkitVariables<TCustomClaims>;
}

/** Options of {@link authkit}. */
export interface AuthkitOptions {
  /**
   * Mark every response `Cache-Control: private, no-store` and `Vary: Cookie`. Default `true`. With `false`,
   * responses that set a cookie or answer an authenticated request are still marked private.
   */
  cacheHeaders?: boolean;
}

/**
 * Hono middleware: runs `withAuth` on `c.req.raw`, sets `c.var.auth` and `c.var.session`, and after the
 * route saves a refreshed session, deletes the cookie on a terminal failure (never on a transient one) and
 * sets the cache headers (on the route's response itself when it writes no cookie and the response's headers
 * are its own, else on a copy). Its cookies go before the route's own, so a route that signs in, out or switches
 * organization wins. Use a service built with `FetchSessionStorage` (Hono requests are Fetch `Request`s).
 *
 * @example
 * const app = new Hono<AuthkitEnv>();
 * app.use(authkit(service));
 * app.get('/', (c) => c.text(c.var.auth.user?.email ?? 'signed out'));
 */
export function authkit<TCustomClaims = CustomClaims>(
  service: FetchAuthService,
  options: AuthkitOptions = {},
): MiddlewareHandler<AuthkitEnv<TCustomClaims>> {
  const cacheHeaders = options.cacheHeaders ?? true;
  const finish = responseFinisher(service);
  return async (c, next) => {
    const { auth, session, refreshedSessionData } = await service.withAuth<TCustomClaims>(c.req.raw);
    c.set('auth', auth);
    c.set('session', session);
    await next();
    const finished = finish(c.res, { auth, refreshedSessionData }, cacheHeaders, c.req.raw);
    // Most responses are marked in place (the same object back): nothing to assign, no promise to wait for.
    const response = finished instanceof Promise ? await finished : finished;
    if (response === c.res) return;
    // Assigning over a response makes Hono copy the old one's headers (cookies included) onto the new one.
    c.res = undefined;
    c.res = response;
  };
}

export { FetchSessionStorage } from './fetch.js';
export type { FetchAuthService } from './fetchMiddleware.js';
