import { openState, type AuthState } from '../../operations/authState.js';
import { timingSafeEqual } from '../../operations/pkce.js';
import type { CryptoBackend } from '../encryption/backend.js';
import { OAuthStateMismatchError, PKCECookieMissingError } from './errors.js';

/**
 * The browser check of a bound callback, before or after its state is opened: the URL's `state` must equal,
 * byte for byte, the flow cookie's value.
 * @throws OAuthStateMismatchError (`state_invalid` when missing, `state_mismatch` when the cookie holds
 *   another flow), PKCECookieMissingError (`state_mismatch`) when there is no cookie.
 */
export function checkCallbackCookie(params: { stateFromUrl: string | undefined; cookieValue: string | undefined }): void {
  const { stateFromUrl, cookieValue } = params;
  if (!stateFromUrl) throw new OAuthStateMismatchError('Missing state parameter in the callback', undefined, 'state_invalid');
  if (!cookieValue) throw new PKCECookieMissingError('Sign-in was started in another browser or its cookie is missing');
  if (!timingSafeEqual(stateFromUrl, cookieValue)) throw new OAuthStateMismatchError('The callback state does not match this browser');
}

/**
 * Checks a browser-bound callback the 0.5–0.7 way: {@link checkCallbackCookie}, then the state must open as
 * a live sign-in state (on `crypto`, the core's backend). Returns what the state carries.
 * @throws OAuthStateMismatchError (`state_invalid` missing/forged, `state_expired`, `state_mismatch` when the
 *   cookie holds another flow), PKCECookieMissingError (`state_mismatch`) when there is no cookie.
 */
export async function verifyCallbackState(
  params: { stateFromUrl: string | undefined; cookieValue: string | undefined },
  passwords: readonly string[],
  now: number,
  crypto?: CryptoBackend,
): Promise<AuthState> {
  checkCallbackCookie(params);
  return openState(params.stateFromUrl, passwords, now, crypto);
}
