import { encodeBytes } from '../encoding/base64url.js';
import type { Clock } from '../clock.js';
import { isRefreshedTokens, type RefreshedTokens } from './types.js';

/**
 * Sealing of the refresh results instances share through the coordination store. They are NOT cookies:
 * a distinct key (HKDF-SHA256 of the cookie password with a label of its own), AES-256-GCM instead of iron,
 * a format no cookie parser accepts (`r1.<iv>.<ciphertext>`), the store key the result was written under as
 * additional data (a result moved to another key does not open), an expiry inside the sealed payload, and a
 * shape check of what comes back. Someone who can read (or write) the store gets nothing to sign in with.
 */

const PREFIX = 'r1.';
const LABEL = 'authkit-session/shared-refresh-result/v1';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Seals and opens shared refresh results under keys derived from the cookie passwords (first seals, all open). */
export class SharedResultSealer {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  /**
   * @param passwords the cookie passwords, current first.
   * @param clock milliseconds since the epoch.
   */
  constructor(
    private readonly passwords: readonly string[],
    private readonly clock: Clock,
  ) {}

  /** Seals `tokens` for the store key `key`, valid for `ttlMs`. */
  async seal(tokens: RefreshedTokens, key: string, ttlMs: number): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const payload = encoder.encode(JSON.stringify({ exp: this.clock() + ttlMs, tokens }));
    const cryptoKey = await this.derive(this.passwords[0] as string);
    const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(key) }, cryptoKey, payload);
    return `${PREFIX}${encodeBytes(iv)}.${encodeBytes(new Uint8Array(ciphertext))}`;
  }

  /** The tokens sealed for `key`, or `undefined` when the value is not one (other key, tampered, expired, wrong shape). */
  async open(sealed: string, key: string): Promise<RefreshedTokens | undefined> {
    if (!sealed.startsWith(PREFIX)) return undefined;
    const [ivPart, ciphertextPart, extra] = sealed.slice(PREFIX.length).split('.');
    const iv = ivPart !== undefined ? decodeBytes(ivPart) : undefined;
    const ciphertext = ciphertextPart !== undefined ? decodeBytes(ciphertextPart) : undefined;
    if (extra !== undefined || !iv || iv.length !== 12 || !ciphertext) return undefined;
    for (const password of this.passwords) {
      let plain: ArrayBuffer;
      try {
        const cryptoKey = await this.derive(password);
        plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(key) }, cryptoKey, ciphertext);
      } catch {
        continue;
      }
      return readPayload(decoder.decode(plain), this.clock());
    }
    return undefined;
  }

  private derive(password: string): Promise<CryptoKey> {
    let key = this.keys.get(password);
    if (!key) {
      key = crypto.subtle
        .importKey('raw', encoder.encode(password), 'HKDF', false, ['deriveKey'])
        .then((material) =>
          crypto.subtle.deriveKey(
            { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode(LABEL), info: encoder.encode(LABEL) },
            material,
            { name: 'AES-GCM', length: 256 },
            false,
            ['encrypt', 'decrypt'],
          ),
        );
      this.keys.set(password, key);
    }
    return key;
  }
}

function readPayload(json: string, now: number): RefreshedTokens | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isObject(payload) || typeof payload.exp !== 'number' || payload.exp <= now) return undefined;
  return isRefreshedTokens(payload.tokens) ? payload.tokens : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** base64url (no padding) → bytes; `undefined` when not base64url. */
function decodeBytes(value: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) return undefined;
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
