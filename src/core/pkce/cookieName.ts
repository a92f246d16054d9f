/** Prefix of every per-flow sign-in (PKCE verifier) cookie, as in `@workos/authkit-session` 0.5+. */
export const PKCE_COOKIE_PREFIX = 'wos-auth-verifier';

/** The cookie-name prefix browsers only accept from the host itself over HTTPS, with `Path=/` and no `Domain`. */
export const HOST_PREFIX = '__Host-';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, of the UTF-8 bytes of `input`, as 8 lowercase hex digits. A name, not a MAC. */
export function fnv1a32Hex(input: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(input)) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * The per-flow cookie name for a sealed `state`, exactly as 0.5–0.7 derive it (`wos-auth-verifier-<fnv1a32>`),
 * so SDK code that computes it from the callback's `state` finds the cookie. When the session cookie could be
 * a `__Host-` cookie, this library writes the flow cookie as `__Host-` + this name (see `flowCookieName`).
 */
export function getPKCECookieNameForState(state: string): string {
  return `${PKCE_COOKIE_PREFIX}-${fnv1a32Hex(state)}`;
}
