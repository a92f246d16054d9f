import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthKitError } from '../core/errors.js';
import type { Authenticated, CustomClaims, Session, Unauthenticated } from '../core/session/types.js';
import type { AuthService } from '../service/AuthService.js';
import { afterAuth, headersWithoutCookies } from './afterAuth.js';
import { PRIVATE_CACHE_HEADERS } from '../core/session/headers.js';
import { enforcePrivateCache, markPrivate } from './nodeCacheRule.node.js';
import { appendHeaders } from './nodeHeaders.node.js';

/** The calls the middleware makes: any `AuthService` over Node requests and responses. */
export type NodeAuthService<TRequest extends IncomingMessage = IncomingMessage, TResponse extends ServerResponse = ServerResponse> = Pick<
  AuthService<TRequest, TResponse>,
  'withAuth' | 'saveSession' | 'clearSession'
>;

/** A request after {@link authkitMiddleware} ran. */
export type AuthkitRequest<TCustomClaims = CustomClaims, TRequest extends IncomingMessage = IncomingMessage> = TRequest & {
  /** The result of `withAuth`: narrow on `user`; `reason` says why there is none. */
  auth: Authenticated<TCustomClaims> | Unauthenticated;
  /** The current session (already refreshed when this request refreshed it): pass it to `switchOrganization`. */
  authSession?: Session;
};

/** Express/Connect `next`. */
export type NextFunction = (error?: unknown) => void;

/** Options of {@link authkitMiddleware}. */
export interface AuthkitMiddlewareOptions {
  /**
   * Mark every response `Cache-Control: private, no-store` and `Vary: Cookie`. Default `true`. With `false`,
   * responses that set a cookie or answer an authenticated request are still marked private.
   */
  cacheHeaders?: boolean;
}

/**
 * Express-style middleware `(req, res, next)`: runs `withAuth`, stores the result on `req.auth` (and
 * `res.locals.auth` under Express), then, before the route runs, saves a refreshed session, deletes the
 * cookie on a terminal failure (never on a transient one) and sets the cache headers, which it applies again
 * when the headers are written, so a route's own `Cache-Control` cannot make a response that carries a cookie
 * or an authenticated user's data shared-cacheable. Cookies the route
 * writes later (sign-out, organization switch) come after these and win. Errors go to `next(error)`.
 * Routes must append cookies (`res.cookie`, `res.appendHeader`, this module's `appendHeaders`), not
 * replace them with `res.setHeader('Set-Cookie', …)`.
 *
 * @example
 * app.use(authkitMiddleware(service));
 * app.get('/', (req, res) => res.send(getAuth(req).user?.email ?? 'signed out'));
 */
export function authkitMiddleware<
  TCustomClaims = CustomClaims,
  TRequest extends IncomingMessage = IncomingMessage,
  TResponse extends ServerResponse = ServerResponse,
>(
  service: NodeAuthService<TRequest, TResponse>,
  options: AuthkitMiddlewareOptions = {},
): (req: TRequest, res: TResponse, next: NextFunction) => void {
  const cacheHeaders = options.cacheHeaders ?? true;
  return (req, res, next) => {
    authenticate<TCustomClaims, TRequest, TResponse>(service, req, res, cacheHeaders).then(
      () => next(),
      (error: unknown) => next(error),
    );
  };
}

async function authenticate<TCustomClaims, TRequest extends IncomingMessage, TResponse extends ServerResponse>(
  service: NodeAuthService<TRequest, TResponse>,
  req: TRequest,
  res: TResponse,
  cacheHeaders: boolean,
): Promise<void> {
  const { auth, session, refreshedSessionData } = await service.withAuth<TCustomClaims>(req);
  const target = req as AuthkitRequest<TCustomClaims, TRequest>;
  target.auth = auth;
  if (session) target.authSession = session;
  const locals = (res as { locals?: unknown }).locals;
  if (typeof locals === 'object' && locals !== null) (locals as Record<string, unknown>).auth = auth;
  enforcePrivateCache(res, { always: cacheHeaders, authenticated: auth.user !== null });
  const outcome = { auth, refreshedSessionData };
  const headers = headersWithoutCookies(outcome, cacheHeaders);
  // Most requests write no cookie and only mark the response private: two headers set, no bag walked.
  if (headers === PRIVATE_CACHE_HEADERS) markPrivate(res);
  else appendHeaders(res, headers ?? (await afterAuth(service, outcome, { cacheHeaders, request: req })));
}

/**
 * The auth result {@link authkitMiddleware} stored on this request (works on Express's `Request` without a cast).
 * @throws AuthKitError `unexpected` when the middleware did not run for this request (a route outside it).
 */
export function getAuth<TCustomClaims = CustomClaims>(req: IncomingMessage): Authenticated<TCustomClaims> | Unauthenticated {
  const { auth } = req as Partial<AuthkitRequest<TCustomClaims>>;
  if (!auth) throw new AuthKitError('authkitMiddleware did not run for this request', undefined, undefined, 'unexpected');
  return auth;
}

/** The current session {@link authkitMiddleware} stored on this request (already refreshed), if signed in. */
export function getAuthSession(req: IncomingMessage): Session | undefined {
  return (req as Partial<AuthkitRequest>).authSession;
}
