import { decodeBytes, encodeBytes } from '../encoding/base64url.js';

const encoder = new TextEncoder();
/** Cookie value prefix of a signed session id (an iron seal starts with `Fe26.`, so the two never mix). */
export const SESSION_ID_PREFIX = 's1.';
/** Bytes of randomness in a session id. */
const ID_BYTES = 32;
/** Length of a base64url-encoded 32-byte value. */
const ENCODED_LENGTH = 43;
/** Length of a signed session id cookie value: prefix, id, dot, signature. */
export const SESSION_ID_COOKIE_LENGTH = SESSION_ID_PREFIX.length + 2 * ENCODED_LENGTH + 1;

/** A session id from a cookie whose signature verified, and which password signed it. */
export interface VerifiedSessionId {
  id: string;
  /** 0 for the current password; above 0 the cookie should be signed again with the current one. */
  passwordIndex: number;
}

/**
 * The keys of `sessionMode: 'server'`, derived from the cookie passwords and the client id (so two
 * deployments, or two apps sharing a password, never accept each other's ids or records):
 * an HMAC-SHA256 key that signs session ids, and an iron password that seals store records. The two are
 * separate derivations, so a store record is never a valid cookie and a cookie never opens a record.
 */
export class SessionIdKeys {
  private constructor(
    private readonly signingKeys: readonly CryptoKey[],
    /** Iron passwords for store records, `[current, ...previous]`. */
    readonly recordPasswords: readonly string[],
    private readonly label: string,
  ) {}

  /** Derives the keys for `[current, ...previous]` cookie passwords. */
  static async derive(cookiePasswords: readonly string[], clientId: string): Promise<SessionIdKeys> {
    const label = `authkit-session/v1/${clientId}`;
    const signingKeys: CryptoKey[] = [];
    const recordPasswords: string[] = [];
    for (const password of cookiePasswords) {
      const root = await hmacKey(encoder.encode(password));
      const signing = await hmac(root, `${label}/session-id`);
      signingKeys.push(await hmacKey(signing));
      recordPasswords.push(hex(await hmac(root, `${label}/store-record`)));
    }
    return new SessionIdKeys(signingKeys, recordPasswords, label);
  }

  /** A new random 256-bit session id (base64url). */
  static newId(): string {
    return encodeBytes(crypto.getRandomValues(new Uint8Array(ID_BYTES)));
  }

  /** The cookie value for `id`: `s1.<id>.<HMAC-SHA256 signature>`, 90 characters. */
  async sign(id: string): Promise<string> {
    const signature = await crypto.subtle.sign('HMAC', this.signingKeys[0] as CryptoKey, this.message(id));
    return `${SESSION_ID_PREFIX}${id}.${encodeBytes(new Uint8Array(signature))}`;
  }

  /**
   * The session id in a cookie value when its signature verifies under one of the passwords (constant
   * time); `undefined` for anything else. Costs no store lookup.
   */
  async verify(cookie: string): Promise<VerifiedSessionId | undefined> {
    if (!cookie.startsWith(SESSION_ID_PREFIX)) return undefined;
    const [id, signature, extra] = cookie.slice(SESSION_ID_PREFIX.length).split('.');
    if (extra !== undefined || id?.length !== ENCODED_LENGTH || signature?.length !== ENCODED_LENGTH) return undefined;
    const bytes = decodeBytes(signature);
    if (!bytes || decodeBytes(id) === undefined) return undefined;
    const message = this.message(id);
    for (let index = 0; index < this.signingKeys.length; index++) {
      if (await crypto.subtle.verify('HMAC', this.signingKeys[index] as CryptoKey, bytes, message)) return { id, passwordIndex: index };
    }
    return undefined;
  }

  private message(id: string): Uint8Array<ArrayBuffer> {
    return encoder.encode(`${this.label}/id:${id}`);
  }
}

/** True when a cookie value has the shape of a signed session id (signature not checked). */
export function looksLikeSessionId(cookie: string): boolean {
  return cookie.startsWith(SESSION_ID_PREFIX);
}

function hmacKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

async function hmac(key: CryptoKey, message: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
