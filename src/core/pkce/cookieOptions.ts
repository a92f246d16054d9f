import type { AuthKitConfig } from '../config/types.js';
import type { CookieOptions } from '../session/types.js';
import { getPKCECookieNameForState, HOST_PREFIX } from './cookieName.js';

/** Lifetime of a per-flow sign-in cookie and of the sealed state, in seconds (10 minutes). */
export const PKCE_COOKIE_MAX_AGE = 600;

/**
 * Attributes of the per-flow sign-in cookie: `Path=/`, `HttpOnly`, 10 minutes, the session cookie's
 * `Domain`; `SameSite=Lax` (a configured `strict` would hide it from the redirect back from WorkOS) or
 * `None` with `Secure`; otherwise `Secure` unless the redirect URI (the flow's own, else the configured one)
 * is plain http. An unparsable URI keeps `Secure`.
 */
export function flowCookieOptions(config: Partial<AuthKitConfig>, redirectUri?: string): CookieOptions {
  const sameSite = String(config.cookieSameSite ?? 'lax').toLowerCase() === 'none' ? 'none' : 'lax';
  let secure = true;
  const uri = redirectUri ?? config.redirectUri;
  if (sameSite === 'lax' && uri) {
    try {
      secure = new URL(uri).protocol !== 'http:';
    } catch {
      secure = true;
    }
  }
  return {
    path: '/',
    httpOnly: true,
    secure,
    sameSite,
    maxAge: PKCE_COOKIE_MAX_AGE,
    ...(config.cookieDomain ? { domain: config.cookieDomain } : {}),
  };
}

/**
 * The name this library writes the flow cookie under: `__Host-wos-auth-verifier-<hash>` whenever the cookie
 * can carry the prefix (`Secure`, no `Domain`), so a sibling subdomain cannot plant one (login CSRF by cookie
 * tossing); else the 0.7 name.
 */
export function flowCookieName(state: string, options: CookieOptions): string {
  const name = getPKCECookieNameForState(state);
  return options.secure && !options.domain ? `${HOST_PREFIX}${name}` : name;
}
