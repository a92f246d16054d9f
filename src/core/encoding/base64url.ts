/** Bytes → base64url without padding. */
export function encodeBytes(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) → bytes; `undefined` when the text is not base64url. */
export function decodeBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

const UNPADDED = /^[A-Za-z0-9_-]+$/;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The JSON value of an unpadded base64url part whose bytes are all ASCII (a JWT's header and claims, nearly
 * always), decoded without a byte array or a UTF-8 decoder: for ASCII bytes `atob` gives the text itself,
 * in a third of the time. `undefined` for anything else (not base64url, a byte past ASCII, not JSON); the
 * caller then decodes the general way, which reaches the same value for every part this accepts.
 */
export function asciiJson(part: string): { value: unknown } | undefined {
  if (!UNPADDED.test(part) || part.length % 4 === 1) return undefined;
  try {
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return ASCII.test(text) ? { value: JSON.parse(text) } : undefined;
  } catch {
    return undefined;
  }
}
