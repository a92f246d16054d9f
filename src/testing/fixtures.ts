import { systemClock } from '../core/clock.js';
import type { AuthKitConfig } from '../core/config/types.js';
import { encodeBytes } from '../core/encoding/base64url.js';
import { sealData } from '../core/encryption/ironWebcryptoEncryption.js';

/** Configuration used when the caller gives none. */
export const DEFAULT_CONFIG: AuthKitConfig = Object.freeze({
  clientId: 'client_conformance',
  apiKey: 'sk_test_conformance',
  redirectUri: 'https://app.example/callback',
  cookiePassword: 'conformance-kit-cookie-password-0123456789',
});

/** Random base64url text of `length` characters. */
function randomText(length: number): string {
  let out = '';
  while (out.length < length) out += encodeBytes(crypto.getRandomValues(new Uint8Array(Math.min(length, 3 * 1024))));
  return out.slice(0, length);
}

/**
 * A value shaped like an iron seal (`Fe26.2*…~2`) of about `bytes` bytes. Storage never opens it, so it
 * need not be a real seal.
 */
export function fakeSeal(bytes: number): string {
  const salt = randomText(43);
  const body = randomText(Math.max(16, bytes - 160));
  return `Fe26.2*1*${salt}*${randomText(22)}*${body}**${randomText(43)}*${randomText(43)}~2`;
}

/**
 * A real seal (with the configuration's first cookie password) of a well-formed session that can never
 * authenticate: its access token does not verify and WorkOS refuses its refresh token.
 */
export async function terminalSeal(config: AuthKitConfig): Promise<string> {
  const json = (value: unknown) => encodeBytes(new TextEncoder().encode(JSON.stringify(value)));
  const now = Math.floor(systemClock() / 1000);
  const claims = { sid: 'session_conformance', sub: 'user_conformance', iat: now - 7200, exp: now - 3600 };
  const accessToken = `${json({ alg: 'RS256', kid: 'conformance', typ: 'JWT' })}.${json(claims)}.${randomText(342)}`;
  const password = typeof config.cookiePassword === 'string' ? config.cookiePassword : (config.cookiePassword[0] ?? '');
  return sealData(
    { accessToken, refreshToken: 'invalid', user: { id: 'user_conformance', email: 'conformance@example.com' } },
    { password, ttl: 0 },
  );
}
