import { HOST_PREFIX, PKCE_COOKIE_PREFIX } from './cookieName.js';

/** Default cap on pending sign-in flows (flow cookies) one browser keeps; the oldest go first. */
export const DEFAULT_MAX_PENDING_PKCE_COOKIES = 5;

/**
 * True for a per-flow sign-in cookie name: `wos-auth-verifier`, `wos-auth-verifier-<anything>`, or either
 * with the `__Host-` prefix. A look-alike without the hyphen (`wos-auth-verifierX`) is not one.
 */
export function isPKCEVerifierCookieName(name: string): boolean {
  const bare = name.startsWith(HOST_PREFIX) ? name.slice(HOST_PREFIX.length) : name;
  return bare === PKCE_COOKIE_PREFIX || bare.startsWith(`${PKCE_COOKIE_PREFIX}-`);
}

/**
 * The 0.7 eviction rule for callers that only know cookie names: when the flow cookie `keep` plus the other
 * flow cookies would pass `max`, every other flow cookie is stale. Order of names is not known from names
 * alone; {@link selectOldestPendingFlows} evicts only the oldest when values are at hand.
 */
export function selectStalePKCEVerifierCookieNames(
  cookieNames: Iterable<string>,
  { keep, max = DEFAULT_MAX_PENDING_PKCE_COOKIES }: { keep: string; max?: number },
): string[] {
  const others = new Set([...cookieNames].filter((name) => name !== keep && isPKCEVerifierCookieName(name)));
  return others.size + 1 > max ? [...others] : [];
}

/**
 * The flow cookies to delete so that, with the new flow `keep`, at most `max` remain: the oldest first, by the
 * expiry iron writes in clear into each sealed state (a value without one counts as oldest).
 */
export function selectOldestPendingFlows(
  cookies: Readonly<Record<string, string>>,
  { keep, max = DEFAULT_MAX_PENDING_PKCE_COOKIES }: { keep: string; max?: number },
): string[] {
  const pending = Object.entries(cookies)
    .filter(([name]) => name !== keep && isPKCEVerifierCookieName(name))
    .map(([name, value]) => ({ name, expires: sealExpiry(value) }))
    .sort((a, b) => a.expires - b.expires);
  const excess = pending.length + 1 - Math.max(1, max);
  return excess > 0 ? pending.slice(0, excess).map((flow) => flow.name) : [];
}

/** The expiry (ms) field of an iron seal (`Fe26.2*id*salt*iv*data*expiry*hmacSalt*hmac~2`); 0 when absent. */
function sealExpiry(sealed: string): number {
  const expiry = Number(sealed.split('*')[5]);
  return Number.isFinite(expiry) ? expiry : 0;
}
