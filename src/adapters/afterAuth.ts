import { PRIVATE_CACHE_HEADERS } from '../core/session/headers.js';
import { shouldClearCookie } from '../core/session/reasons.js';
import type { Authenticated, HeadersBag, Unauthenticated } from '../core/session/types.js';
import type { AuthService } from '../service/AuthService.js';

/** What {@link afterAuth} needs: the session writes of any `AuthService`. */
export type SessionWriter<TRequest, TResponse> = Pick<AuthService<TRequest, TResponse>, 'saveSession' | 'clearSession'>;

/** What `withAuth` answered, as far as the middleware's cookies go. */
export interface AuthOutcome {
  auth: Authenticated<unknown> | Unauthenticated;
  refreshedSessionData?: string | undefined;
}

/** Options of {@link afterAuth}. */
export interface AfterAuthOptions<TRequest> {
  /** Mark the response private even when nobody is signed in (the middleware's `cacheHeaders`). */
  cacheHeaders: boolean;
  /** The request, so session parts it carried that are no longer used are deleted. */
  request?: TRequest | undefined;
}

/**
 * The one step every middleware (Node, Fetch, Hono) takes after `withAuth`: the headers to add, that is the
 * refreshed session's cookies, or deletions when the failure is terminal (none on a transient one), and the
 * private cache headers (always for an authenticated request: its answer may hold the user's data).
 */
export async function afterAuth<TRequest, TResponse>(
  service: SessionWriter<TRequest, TResponse>,
  outcome: AuthOutcome,
  options: AfterAuthOptions<TRequest>,
): Promise<HeadersBag> {
  const headers = cacheHeadersFor(outcome, options.cacheHeaders);
  if (!writesCookie(outcome)) return { ...headers };
  const write = options.request === undefined ? undefined : { request: options.request };
  const { refreshedSessionData } = outcome;
  const written = refreshedSessionData
    ? await service.saveSession(undefined, refreshedSessionData, write)
    : await service.clearSession(undefined, write);
  return { ...headers, ...written.headers };
}

/**
 * What {@link afterAuth} answers when it writes no cookie (no refresh, no terminal failure: most requests),
 * without waiting for it; `undefined` when a cookie must be written (call `afterAuth`). Do not change the bag.
 */
export function headersWithoutCookies(outcome: AuthOutcome, cacheHeaders: boolean): Readonly<HeadersBag> | undefined {
  return writesCookie(outcome) ? undefined : cacheHeadersFor(outcome, cacheHeaders);
}

/** Whether the outcome sets a cookie: a refreshed session to save, or a terminal failure to clear. */
function writesCookie({ auth, refreshedSessionData }: AuthOutcome): boolean {
  return Boolean(refreshedSessionData) || (auth.user === null && shouldClearCookie(auth.reason));
}

const NONE: Readonly<HeadersBag> = Object.freeze({});

function cacheHeadersFor(outcome: AuthOutcome, cacheHeaders: boolean): Readonly<HeadersBag> {
  return cacheHeaders || outcome.auth.user !== null ? PRIVATE_CACHE_HEADERS : NONE;
}
