// The WebCrypto a first sight cannot do without, as a step of its own (bench/runtimes.ts times it in workerd, where
// the package runs on WebCrypto): per never-seen cookie, iron's two PBKDF2 keys (deriveKey from the password's key,
// imported once), its HMAC-SHA256 check, the AES-256-CBC decryption and JSON.parse of the session, and the RS256
// check of its access token (the key imported once from the key set). Everything else (base64url, the cookie, the
// cache, claims) is done before timing, so this is a lower bound for any WebCrypto withAuth, this package's or 0.7.1's.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (base64url) => Uint8Array.from(atob(base64url.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
const pbkdf2 = (salt) => ({ name: 'PBKDF2', salt, iterations: 1, hash: 'SHA-1' });
const HMAC_KEY = { name: 'HMAC', hash: 'SHA-256', length: 256 };
const AES_KEY = { name: 'AES-CBC', length: 256 };

/** Decodes `cookies` (sealed sessions, `~2` suffix) and imports the keys: everything the timed step does not do. */
export async function prepareFloor(cookies, password, jwksUrl) {
  const base = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveKey']);
  const jwks = await (await fetch(jwksUrl)).json();
  const keys = new Map();
  for (const jwk of jwks.keys)
    keys.set(jwk.kid, await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']));
  const seals = [];
  for (const cookie of cookies) {
    const body = cookie.slice(0, -2);
    const [, , encryptionSalt, iv, encrypted, , hmacSalt, mac] = body.split('*');
    const macBase = body.slice(0, body.length - hmacSalt.length - mac.length - 2);
    seals.push({
      encryptionSalt: encoder.encode(encryptionSalt),
      hmacSalt: encoder.encode(hmacSalt),
      iv: bytes(iv),
      encrypted: bytes(encrypted),
      mac: bytes(mac),
      macBase: encoder.encode(macBase),
    });
  }
  // The access token is the same in every cookie (re-sealed): decoded once, from the first.
  const first = seals[0];
  const aesKey = await crypto.subtle.deriveKey(pbkdf2(first.encryptionSalt), base, AES_KEY, false, ['decrypt']);
  const { accessToken } = JSON.parse(
    decoder.decode(await crypto.subtle.decrypt({ name: 'AES-CBC', iv: first.iv }, aesKey, first.encrypted)),
  );
  const [header, payload, signature] = accessToken.split('.');
  const key = keys.get(JSON.parse(atob(header.replace(/-/g, '+').replace(/_/g, '/'))).kid);
  return { base, seals, key, signingInput: encoder.encode(`${header}.${payload}`), signature: bytes(signature) };
}

/** The WebCrypto calls of one first sight per prepared cookie; a failure is any check that does not pass. */
export async function runFloor({ base, seals, key, signingInput, signature }) {
  let failures = 0;
  for (const seal of seals) {
    const hmacKey = await crypto.subtle.deriveKey(pbkdf2(seal.hmacSalt), base, HMAC_KEY, false, ['verify']);
    if (!(await crypto.subtle.verify('HMAC', hmacKey, seal.mac, seal.macBase))) failures++;
    const aesKey = await crypto.subtle.deriveKey(pbkdf2(seal.encryptionSalt), base, AES_KEY, false, ['decrypt']);
    const session = JSON.parse(decoder.decode(await crypto.subtle.decrypt({ name: 'AES-CBC', iv: seal.iv }, aesKey, seal.encrypted)));
    if (!session.accessToken || !(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, signingInput))) failures++;
  }
  return { calls: seals.length, failures };
}
