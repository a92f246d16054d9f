import { defaults, unseal } from 'iron-webcrypto';
import { offsetFromSystemMs } from '../clock.js';
import { decodeBytes } from '../encoding/base64url.js';
import { splitSeal, type SealParts } from './canonical.js';
import { MIN_PASSWORD_LENGTH, PASSWORD_ID, sealFields } from './sealFields.js';

/**
 * iron (`Fe26.2`) unsealing with WebCrypto for the `wos-session` parameters, cheaper than iron-webcrypto on
 * every call: the password's PBKDF2 base key is imported once per password instead of twice per seal (two
 * of iron-webcrypto's six WebCrypto calls), and the MAC is checked before the decryption key is derived.
 * The keys are the same (PBKDF2-SHA1, one iteration, 32 bytes, over the UTF-8 of the 64-hex-digit salts),
 * so the result is byte-for-byte iron's. Anything outside the well-formed shape, and every failure but a
 * bad MAC, is handed to iron-webcrypto itself, so odd inputs fail with exactly its errors.
 */

/** Passwords whose base keys are kept: the current one and a few previous ones (rotation). */
const MAX_PASSWORDS = 8;
const HMAC_KEY = { name: 'HMAC', hash: 'SHA-256', length: 256 } as const;
const AES_KEY = { name: 'AES-CBC', length: 256 } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** iron-webcrypto's own `unseal` with the `wos-session` parameters, expiry judged at `nowMs`. */
export function ironUnseal(body: string, password: string, nowMs: number): Promise<unknown> {
  return unseal(body, { [PASSWORD_ID]: password }, { ...defaults, localtimeOffsetMsec: offsetFromSystemMs(nowMs) });
}

/** Opens iron seals under password id `1`, keeping each password's imported PBKDF2 key (at most a few passwords). */
export class WebCryptoUnsealer {
  private readonly baseKeys = new Map<string, Promise<CryptoKey>>();

  /**
   * Opens an iron seal body under password id `1`, its expiry judged at `nowMs`; `given` is the body already
   * split at `*` (see `CryptoBackend.unseal`), so it is not split again.
   * @throws Error `Bad hmac value` (wrong password or tampered), or iron-webcrypto's own error.
   */
  async unseal(body: string, password: string, nowMs: number, given?: SealParts): Promise<unknown> {
    const parts = given ?? splitSeal(body);
    if (!parts || typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) return ironUnseal(body, password, nowMs);
    const fields = sealFields(body, parts, nowMs, decodeBytes);
    if (!fields) return ironUnseal(body, password, nowMs);
    const { encryptionSalt, hmacSalt, iv, encrypted, mac, macBase } = fields;
    const hmacKey = await this.derive(password, hmacSalt, HMAC_KEY, 'verify');
    if (!(await crypto.subtle.verify('HMAC', hmacKey, mac, encoder.encode(macBase)))) throw new Error('Bad hmac value');
    try {
      const aesKey = await this.derive(password, encryptionSalt, AES_KEY, 'decrypt');
      return JSON.parse(decoder.decode(await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, aesKey, encrypted)));
    } catch {
      // Authentic but undecryptable or not JSON: only the password holder can produce this. Let iron say why.
      return ironUnseal(body, password, nowMs);
    }
  }

  /** iron's key for `salt`: PBKDF2-SHA1 of the password, one iteration, 256 bits. */
  private async derive(password: string, salt: string, algorithm: typeof HMAC_KEY | typeof AES_KEY, usage: KeyUsage): Promise<CryptoKey> {
    const base = await this.baseKey(password);
    return crypto.subtle.deriveKey({ name: 'PBKDF2', salt: encoder.encode(salt), iterations: 1, hash: 'SHA-1' }, base, algorithm, false, [
      usage,
    ]);
  }

  private baseKey(password: string): Promise<CryptoKey> {
    let key = this.baseKeys.get(password);
    if (!key) {
      if (this.baseKeys.size >= MAX_PASSWORDS) this.baseKeys.clear();
      key = crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveKey']);
      this.baseKeys.set(password, key);
      key.catch(() => this.baseKeys.delete(password));
    }
    return key;
  }
}
