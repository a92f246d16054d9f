import { DEFAULTS } from '../config/keys.js';
import { MAX_COOKIE_AGE_SECONDS } from '../config/resolve.js';
import type { AuthKitConfig } from '../config/types.js';
import type { CookieOptions } from './types.js';

/**
 * Session cookie attributes for a configuration: `Path=/`, `HttpOnly`, `SameSite=Lax`, `Max-Age` 400 days,
 * `Secure` unless the redirect URI is plain http (always with `SameSite=None`). String values (from an
 * environment source) are converted.
 */
export function sessionCookieOptions(config: Partial<AuthKitConfig>): CookieOptions {
  const sameSite = String(config.cookieSameSite ?? DEFAULTS.cookieSameSite).toLowerCase() as CookieOptions['sameSite'];
  const rawAge = config.cookieMaxAge ?? DEFAULTS.cookieMaxAge;
  const maxAge = Number.isFinite(Number(rawAge)) ? Math.min(Math.max(Number(rawAge), 0), MAX_COOKIE_AGE_SECONDS) : DEFAULTS.cookieMaxAge;
  const options: CookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite,
    secure: sameSite === 'none' || !isPlainHttp(config.redirectUri),
    maxAge,
  };
  if (config.cookieDomain) options.domain = config.cookieDomain;
  return options;
}

function isPlainHttp(uri: string | undefined): boolean {
  if (!uri) return false;
  try {
    return new URL(uri).protocol === 'http:';
  } catch {
    return false;
  }
}
