const encoder = new TextEncoder();

/** Lower-case hex SHA-256 of a string (WebCrypto). Used to key caches without keeping raw tokens. */
export async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
  let out = '';
  for (const byte of digest) out += byte.toString(16).padStart(2, '0');
  return out;
}
