import { sealData, unsealWithIndex } from '../core/encryption/ironWebcryptoEncryption.js';
import type { AuthKitConfig } from '../core/config/types.js';
import type { CryptoBackend } from '../core/encryption/backend.js';
import { OAuthStateMismatchError, PKCEPayloadTooLargeError } from '../core/pkce/errors.js';
import { returnHint, splitReturnHint } from './returnHint.js';

/** Lifetime of a sign-in flow, in seconds. */
export const STATE_TTL_SECONDS = 600;
/** Largest custom `state` accepted, in UTF-8 bytes (it travels in the URL). */
export const MAX_CUSTOM_STATE_BYTES = 2048;
const FUTURE_SKEW_MS = 60_000;

/** What the sealed OAuth `state` carries through the hosted sign-in. */
export interface AuthState {
  /** Random nonce; also the value of the per-flow binding cookie when `bound`. */
  nonce: string;
  /** PKCE verifier for the code exchange. */
  codeVerifier: string;
  returnPathname?: string;
  customState?: string;
  /** Issue time, milliseconds since the epoch. */
  issuedAt: number;
  /** True when a per-flow cookie binds the flow to the browser that started it. */
  bound?: boolean;
  /** The flow's own redirect URI, when it overrode the configured one (the flow cookie's `Secure` follows it). */
  redirectUri?: string;
}

/**
 * Seals a state with the current cookie password; iron enforces the 10-minute lifetime too, counted from
 * `nowMs` (the injected clock, milliseconds since the epoch), on `crypto` (the service's backend; default WebCrypto).
 */
export async function sealState(state: AuthState, passwords: readonly string[], nowMs: number, crypto?: CryptoBackend): Promise<string> {
  if (state.customState !== undefined && new TextEncoder().encode(state.customState).length > MAX_CUSTOM_STATE_BYTES) {
    throw new PKCEPayloadTooLargeError(`Custom state is larger than ${MAX_CUSTOM_STATE_BYTES} bytes`);
  }
  return sealData(state, { password: passwords[0] as string, ttl: STATE_TTL_SECONDS }, nowMs, crypto);
}

/**
 * Opens and checks a state from the callback URL, on `crypto` (the service's backend; default WebCrypto).
 * @throws OAuthStateMismatchError `state_invalid` (missing, forged, undecodable, wrong shape) or `state_expired`.
 */
export async function openState(
  state: string | undefined | null,
  passwords: readonly string[],
  now: number,
  crypto?: CryptoBackend,
): Promise<AuthState> {
  if (!state) throw new OAuthStateMismatchError('Missing state parameter in the callback', undefined, 'state_invalid');
  const { hint, sealed } = splitReturnHint(state);
  let data: unknown;
  try {
    data = (await unsealWithIndex(sealed, passwords, now, crypto)).data;
  } catch (error) {
    const expired = error instanceof Error && error.message === 'Expired seal';
    throw new OAuthStateMismatchError(
      expired ? 'Sign-in flow expired' : 'Invalid state parameter',
      error,
      expired ? 'state_expired' : 'state_invalid',
    );
  }
  if (!isAuthState(data)) throw new OAuthStateMismatchError('Invalid state parameter', undefined, 'state_invalid');
  if (hint !== undefined && (data.bound || data.returnPathname === undefined || hint !== returnHint(data.returnPathname))) {
    throw new OAuthStateMismatchError('Invalid state parameter', undefined, 'state_invalid');
  }
  const age = now - data.issuedAt;
  if (age > STATE_TTL_SECONDS * 1000) throw new OAuthStateMismatchError('Sign-in flow expired', undefined, 'state_expired');
  if (age < -FUTURE_SKEW_MS) throw new OAuthStateMismatchError('Invalid state parameter', undefined, 'state_invalid');
  return data;
}

function isAuthState(value: unknown): value is AuthState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.nonce === 'string' &&
    typeof v.codeVerifier === 'string' &&
    /^[A-Za-z0-9_-]{43,128}$/.test(v.codeVerifier) &&
    typeof v.issuedAt === 'number' &&
    (v.returnPathname === undefined || typeof v.returnPathname === 'string') &&
    (v.customState === undefined || typeof v.customState === 'string') &&
    (v.bound === undefined || typeof v.bound === 'boolean') &&
    (v.redirectUri === undefined || typeof v.redirectUri === 'string')
  );
}
