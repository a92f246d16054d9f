import { encodeBytes } from '../core/encoding/base64url.js';

/** A PKCE verifier (43 base64url characters from 32 random bytes) and its S256 challenge. */
export async function createPkcePair(): Promise<{ codeVerifier: string; codeChallenge: string }> {
  const codeVerifier = encodeBytes(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return { codeVerifier, codeChallenge: encodeBytes(new Uint8Array(digest)) };
}

/** A random base64url nonce of `bytes` random bytes. */
export function randomNonce(bytes = 16): string {
  return encodeBytes(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Constant-time comparison of two strings (length is not secret). */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
