const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes → base64url without padding. */
export function encodeBytes(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** UTF-8 string → base64url without padding. */
export function encodeBase64url(text: string): string {
  return encodeBytes(encoder.encode(text));
}

/**
 * base64url (or base64, padded or not) → UTF-8 string.
 * @throws Error when the input is not base64 or not UTF-8.
 */
export function decodeBase64url(value: string): string {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return decoder.decode(bytes);
}
