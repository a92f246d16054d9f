import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ironUnseal } from './ironWebCrypto.js';
import { webCryptoSeal } from './webCryptoBackend.js';
import { splitSeal, type SealParts } from './canonical.js';
import { firstSightTicketOf } from './ironTicket.node.js';
import { IV_BYTES, MIN_PASSWORD_LENGTH, PASSWORD_ID, PREFIX, sealFields } from './sealFields.js';

/**
 * iron (`Fe26.2`) with `node:crypto`, for the `wos-session` parameters only: AES-256-CBC and HMAC-SHA256,
 * each keyed by PBKDF2-SHA1 (1 iteration, 32 bytes) of the password over the UTF-8 of a 64-hex-digit salt,
 * password id `1`, 60 s timestamp skew. Byte-for-byte what iron-webcrypto writes and reads. Anything outside
 * the well-formed shape (and every failure but a bad HMAC) is handed to iron-webcrypto itself, so odd
 * inputs fail with exactly its errors.
 */

const SALT_BYTES = 32;
const KEY_BYTES = 32;
const B64URL = /^[A-Za-z0-9_-]+$/;

function key(password: string, salt: string): Buffer {
  return pbkdf2Sync(password, salt, 1, KEY_BYTES, 'sha1');
}

/** Decodes base64url the way iron does for well-formed input; `undefined` for anything else. */
function base64url(value: string): Buffer | undefined {
  return B64URL.test(value) && value.length % 4 !== 1 ? Buffer.from(value, 'base64url') : undefined;
}

/**
 * Opens an iron seal body under password id `1`, its expiry judged at `nowMs`. Synchronous for well-formed seals; otherwise the
 * iron-webcrypto promise. `split` is the body already split at `*`, when the caller parsed it; `onTicket`
 * receives the seal's first-sight ticket (see `firstSightTicketOf`, `reopenNode`) when it opened here.
 * @throws Error `Bad hmac value` (wrong password or tampered), or iron-webcrypto's own error.
 */
export function unsealNode(body: string, password: string, nowMs: number, split?: SealParts, onTicket?: (ticket: string) => void): unknown {
  const parts = split ?? splitSeal(body);
  if (!parts || password.length < MIN_PASSWORD_LENGTH) return ironUnseal(body, password, nowMs);
  const fields = sealFields(body, parts, nowMs, base64url);
  if (!fields) return ironUnseal(body, password, nowMs);
  const { encryptionSalt, hmacSalt, iv, encrypted, mac, macBase } = fields;
  const expected = createHmac('sha256', key(password, hmacSalt)).update(macBase, 'utf8').digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new Error('Bad hmac value');
  const aesKey = key(password, encryptionSalt);
  let data: unknown;
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey, iv);
    // Buffer's UTF-8 decoding is TextDecoder's, but keeps a leading byte-order mark: JSON.parse then
    // throws, and iron (whose decoder drops the mark) opens it below.
    data = JSON.parse(Buffer.concat([decipher.update(encrypted), decipher.final()]).toString('utf8'));
  } catch {
    // Authentic but undecryptable or not JSON: only the password holder can produce this. Let iron say why.
    return ironUnseal(body, password, nowMs);
  }
  onTicket?.(firstSightTicketOf(body, aesKey));
  return data;
}

/**
 * Seals like iron-webcrypto `seal(data, { id: '1', secret: password }, { ...defaults, ttl: ttlMs })`, with
 * the expiry counted from `nowMs`.
 * @throws Error `Data is not JSON serializable`, or iron-webcrypto's error for a bad password.
 */
export async function sealNode(data: unknown, password: string, ttlMs: number, nowMs: number): Promise<string> {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) return webCryptoSeal(data, password, ttlMs, nowMs);
  const json = stringify(data);
  const encryptionSalt = randomBytes(SALT_BYTES).toString('hex');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-cbc', key(password, encryptionSalt), iv);
  const encrypted = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  const expiration = ttlMs ? String(nowMs + ttlMs) : '';
  const macBase = `${PREFIX}*${PASSWORD_ID}*${encryptionSalt}*${iv.toString('base64url')}*${encrypted.toString('base64url')}*${expiration}`;
  const hmacSalt = randomBytes(SALT_BYTES).toString('hex');
  const mac = createHmac('sha256', key(password, hmacSalt)).update(macBase, 'utf8').digest('base64url');
  return `${macBase}*${hmacSalt}*${mac}`;
}

/** `JSON.stringify` restricted to what iron accepts: plain objects, arrays and finite JSON primitives. */
function stringify(data: unknown): string {
  try {
    if (isJson(data)) {
      const text = JSON.stringify(data);
      if (text) return text;
    }
  } catch {
    // Cycles and throwing getters end up here, as in iron.
  }
  throw new Error('Data is not JSON serializable');
}

function isJson(root: unknown): boolean {
  const pending: object[] = [];
  const seen = new WeakSet<object>();
  const accept = (value: unknown): boolean => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
    if (typeof value === 'number') return Number.isFinite(value);
    if (typeof value !== 'object') return false;
    if (!seen.has(value)) {
      seen.add(value);
      pending.push(value);
    }
    return true;
  };
  if (!accept(root)) return false;
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) if (!accept(value[index])) return false;
      continue;
    }
    const proto = Reflect.getPrototypeOf(value);
    if (proto !== null && proto !== Object.prototype) return false;
    for (const name of Reflect.ownKeys(value)) {
      if (typeof name !== 'string' || Reflect.getOwnPropertyDescriptor(value, name)?.enumerable === false) return false;
      const member = (value as Record<string, unknown>)[name];
      if (member !== undefined && !accept(member)) return false;
    }
  }
  return true;
}
