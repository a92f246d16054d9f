const B64URL = /^[A-Za-z0-9_-]*$/;
const HEX64 = /^[0-9a-f]{64}$/;
const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** True when `value` is unpadded base64url whose unused trailing bits are zero (one encoding per byte string). */
function isCanonicalBase64url(value: string, byteLength?: number): boolean {
  if (!B64URL.test(value) || value.length % 4 === 1) return false;
  const bytes = Math.floor((value.length * 3) / 4);
  if (byteLength !== undefined && bytes !== byteLength) return false;
  const spareBits = (value.length * 6) % 8;
  if (spareBits === 0) return true;
  const last = B64_ALPHABET.indexOf(value[value.length - 1] as string);
  return (last & ((1 << spareBits) - 1)) === 0;
}

/** The eight `*`-separated parts of an iron seal body: prefix, password id, salt, IV, ciphertext, expiry, salt, MAC. */
export type SealParts = [string, string, string, string, string, string, string, string];

/** Splits an iron seal body (without the `~2` suffix) into its parts; `undefined` unless there are exactly eight. */
export function splitSeal(body: string): SealParts | undefined {
  const parts = body.split('*');
  return parts.length === 8 ? (parts as SealParts) : undefined;
}

/**
 * The parts of `sealed` when it is exactly `Fe26.2*1*<salt>*<iv>*<ciphertext>**<salt>*<hmac>~2` as written by
 * iron with the `wos-session` parameters: nothing before or after, no alternative encodings, and no expiry;
 * otherwise `undefined`. Session cookies are sealed with ttl 0, so a seal that carries an expiry is something
 * else sealed with the same password (a sign-in state, or a value planted to be replayed as a cookie) and is
 * never a session. Rejecting other shapes before any crypto keeps garbage cheap and mutations from ever
 * verifying; the parts are handed on so the seal is parsed once.
 */
export function canonicalSealParts(sealed: string): SealParts | undefined {
  if (!sealed.endsWith('~2')) return undefined;
  const parts = splitSeal(sealed.slice(0, -2));
  if (!parts) return undefined;
  const [prefix, id, encSalt, iv, ciphertext, expiry, macSalt, mac] = parts;
  const canonical =
    prefix === 'Fe26.2' &&
    id === '1' &&
    HEX64.test(encSalt) &&
    isCanonicalBase64url(iv, 16) &&
    ciphertext.length > 0 &&
    isCanonicalBase64url(ciphertext) &&
    Math.floor((ciphertext.length * 3) / 4) % 16 === 0 &&
    expiry === '' &&
    HEX64.test(macSalt) &&
    isCanonicalBase64url(mac, 32);
  return canonical ? parts : undefined;
}
