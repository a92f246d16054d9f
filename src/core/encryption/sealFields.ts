import type { SealParts } from './canonical.js';

/** iron's `wos-session` parameters shared by the two hand-written unsealers (node:crypto and WebCrypto). */
export const PREFIX = 'Fe26.2';
export const PASSWORD_ID = '1';
export const MIN_PASSWORD_LENGTH = 32;
export const IV_BYTES = 16;
/** iron's allowed clock skew when judging a seal's expiry, in milliseconds. */
const SKEW_MS = 60_000;
const SALT = /^[0-9a-f]{64}$/;
const EXPIRY = /^[1-9]\d*$/;

/** The decoded fields of a well-formed seal, and the text its MAC covers. */
export interface SealFields<B extends Uint8Array> {
  encryptionSalt: string;
  hmacSalt: string;
  iv: B;
  encrypted: B;
  mac: B;
  macBase: string;
}

/**
 * The fields of a seal body split into `parts` when it has exactly the shape iron writes with the
 * `wos-session` parameters and has not expired at `nowMs`; `undefined` for anything else, which the
 * unsealers hand to iron-webcrypto so odd inputs fail with exactly its errors. `decode` is the caller's
 * base64url decoder (`undefined` for malformed text).
 */
export function sealFields<B extends Uint8Array>(
  body: string,
  parts: SealParts,
  nowMs: number,
  decode: (text: string) => B | undefined,
): SealFields<B> | undefined {
  const [prefix, id, encryptionSalt, ivB64, encryptedB64, expiration, hmacSalt, hmacB64] = parts;
  const iv = decode(ivB64);
  const encrypted = decode(encryptedB64);
  const mac = decode(hmacB64);
  const wellFormed =
    prefix === PREFIX &&
    id === PASSWORD_ID &&
    SALT.test(encryptionSalt) &&
    SALT.test(hmacSalt) &&
    iv?.length === IV_BYTES &&
    encrypted !== undefined &&
    encrypted.length > 0 &&
    encrypted.length % 16 === 0 &&
    mac !== undefined &&
    (expiration === '' || (EXPIRY.test(expiration) && Number.parseInt(expiration, 10) > nowMs - SKEW_MS));
  if (!wellFormed) return undefined;
  const macBase = body.slice(0, body.length - hmacSalt.length - hmacB64.length - 2);
  return { encryptionSalt, hmacSalt, iv: iv as B, encrypted, mac, macBase };
}
