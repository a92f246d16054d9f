import { serialize } from 'cookie-es';
import { AuthKitError } from '../errors.js';
import { MAX_COOKIE_AGE_SECONDS } from '../config/resolve.js';
import type { CookieOptions } from './types.js';

const CONTROL_OR_SEPARATOR = /[;\r\n\0]/;

/**
 * Serialises one `Set-Cookie` value, enforcing the rules browsers apply: `SameSite=None` forces `Secure`,
 * `__Secure-` needs `Secure`, `__Host-` needs `Secure`, `Path=/` and no `Domain`, `Max-Age` at most 400
 * days, and no `;`, CR, LF or NUL in any attribute. `maxAge: 0` means a browser-session cookie unless
 * `expired` is set, which deletes the cookie.
 * @throws AuthKitError `cookie_invalid` when an attribute breaks a rule that cannot be fixed safely.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions, { expired = false } = {}): string {
  for (const attribute of [options.path, options.domain]) {
    if (attribute !== undefined && CONTROL_OR_SEPARATOR.test(attribute)) {
      throw new AuthKitError('Cookie attribute contains a forbidden character', undefined, { name }, 'cookie_invalid');
    }
  }
  const secure = options.secure === true || options.sameSite === 'none' || name.startsWith('__Secure-') || name.startsWith('__Host-');
  if (name.startsWith('__Host-') && (options.domain !== undefined || (options.path ?? '/') !== '/')) {
    throw new AuthKitError('A __Host- cookie needs Path=/ and no Domain', undefined, { name }, 'cookie_invalid');
  }
  const maxAge = expired ? 0 : options.maxAge ? Math.min(Math.floor(options.maxAge), MAX_COOKIE_AGE_SECONDS) : undefined;
  try {
    return serialize(name, expired ? '' : value, {
      path: options.path ?? '/',
      ...(options.domain ? { domain: options.domain } : {}),
      ...(maxAge !== undefined ? { maxAge } : {}),
      ...(options.expires && !expired ? { expires: options.expires } : {}),
      ...(options.httpOnly ? { httpOnly: true } : {}),
      ...(secure ? { secure: true } : {}),
      ...(options.sameSite ? { sameSite: options.sameSite } : {}),
      ...(options.priority ? { priority: options.priority } : {}),
      ...(options.partitioned ? { partitioned: true } : {}),
    });
  } catch (error) {
    throw new AuthKitError('Cookie could not be serialised', error, { name }, 'cookie_invalid');
  }
}
