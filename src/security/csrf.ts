/** Why a mutating request was refused by {@link checkCsrf}. */
export type CsrfFailure = 'cross_site' | 'origin_mismatch' | 'origin_missing';

/** What {@link checkCsrf} needs from a request (header values as sent, `null` when absent). */
export interface CsrfInput {
  method: string;
  /** The `Origin` header. */
  origin?: string | null;
  /** The `Sec-Fetch-Site` header. */
  secFetchSite?: string | null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Login-cookie CSRF check for mutating requests in cookie-authenticated apps. Safe methods always pass.
 * Otherwise `Sec-Fetch-Site: same-origin` (or `none`, a user-typed navigation) passes, any other value
 * fails; without it, the `Origin` header must be one of `allowedOrigins` (exact match). A request with
 * neither header fails (`origin_missing`), as browsers send one of them on every mutating request.
 */
export function checkCsrf(input: CsrfInput, allowedOrigins: readonly string[]): { ok: true } | { ok: false; reason: CsrfFailure } {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return { ok: true };
  const site = input.secFetchSite?.toLowerCase();
  if (site === 'same-origin' || site === 'none') return { ok: true };
  if (input.origin) {
    return allowedOrigins.includes(input.origin) ? { ok: true } : { ok: false, reason: site ? 'cross_site' : 'origin_mismatch' };
  }
  if (site) return { ok: false, reason: 'cross_site' };
  return { ok: false, reason: 'origin_missing' };
}

/** {@link checkCsrf} for a Fetch `Request`. The request's own origin is always allowed. */
export function checkRequestCsrf(
  request: Request,
  allowedOrigins: readonly string[] = [],
): { ok: true } | { ok: false; reason: CsrfFailure } {
  const own = new URL(request.url).origin;
  return checkCsrf({ method: request.method, origin: request.headers.get('origin'), secFetchSite: request.headers.get('sec-fetch-site') }, [
    own,
    ...allowedOrigins,
  ]);
}
