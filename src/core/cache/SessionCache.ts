import type { BaseTokenClaims, Session } from '../session/types.js';
import { SieveCache } from './SieveCache.js';

/** A verified session kept whole: a hit with the same cookie needs no crypto but one digest. */
export interface CachedSession {
  /** SHA-256 (hex) of the whole cookie value: a full hit must be the very cookie that was verified. */
  readonly digest: string;
  /** The unsealed session (deep-frozen: it is shared by every request carrying the same cookie). */
  readonly session: Session;
  /** The verified claims of its access token (deep-frozen). */
  readonly claims: BaseTokenClaims;
}

/**
 * What the cache holds for a cookie: the whole session, or `null` for "this seal's token verified": the
 * session is then read again from the cookie (the seal's MAC check binds it to the verified one), skipping
 * the JWT signature check and the key lookup.
 */
export type CacheSlot = CachedSession | null;

/** Bounds of the session cache. */
export interface SessionCacheLimits {
  /** Most cookies remembered. */
  readonly maxEntries: number;
  /** Most bytes of memory for them (an estimate, on the high side). */
  readonly maxBytes: number;
}

/** Estimated heap of a verification-only entry: node, map slot and 22-character key. */
export const SLIM_ENTRY_BYTES = 240;
/** Length of the compact key: 22 base64url characters, the first 132 bits of the seal's MAC. */
const KEY_LENGTH = 22;

/** Estimated heap of a whole entry for a cookie of `cookieLength` characters (the session's objects and strings). */
export function fullEntryBytes(cookieLength: number): number {
  return SLIM_ENTRY_BYTES + 512 + Math.ceil(cookieLength * 1.25);
}

/**
 * Verified sessions, keyed by the seal's own MAC (a compact key, no digest on a miss), under the SIEVE
 * policy and bounded by entries and bytes. A first sight is remembered small (`null`); a cookie that comes
 * back is kept whole while the byte budget allows; under byte pressure whole entries shrink back to small
 * ones before anything is evicted. Entries expire when the access token enters the refresh buffer.
 */
export class SessionCache {
  private readonly entries: SieveCache<CacheSlot>;

  constructor(limits: SessionCacheLimits) {
    this.entries = new SieveCache<CacheSlot>(limits, (slot) => (slot ? { value: null, bytes: SLIM_ENTRY_BYTES } : undefined));
  }

  /**
   * The cache key of a canonical seal (`…*<mac>~2`): a prefix of its MAC. Equal keys never mean equal
   * cookies on their own: a whole entry is checked by digest, a small one by opening the seal.
   */
  static keyOf(sealed: string): string {
    const end = sealed.length - 2;
    const start = sealed.lastIndexOf('*', end) + 1;
    return sealed.slice(start, Math.min(end, start + KEY_LENGTH));
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.entries.bytes;
  }

  /** The live slot under `key`, or `undefined`. */
  get(key: string, nowMs: number): CacheSlot | undefined {
    return this.entries.get(key, nowMs);
  }

  /**
   * Remembers that the seal under `key` verified, until `expiresAtMs`. The key is stored as a copy: a
   * {@link SessionCache.keyOf} slice would keep the whole cookie alive (engines share a long string's memory
   * with its slices), ten times what the entry is counted as.
   */
  remember(key: string, expiresAtMs: number, nowMs: number): void {
    this.entries.set(ownCopy(key), null, SLIM_ENTRY_BYTES, expiresAtMs, nowMs);
  }

  /** Keeps the whole session of a remembered seal when the byte budget allows; returns whether it did. */
  keepWhole(key: string, entry: CachedSession, cookieLength: number): boolean {
    return this.entries.replace(key, entry, fullEntryBytes(cookieLength));
  }

  /** Forgets an entry. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** The characters of `text` in a string of their own, sharing no memory with the string `text` was cut from. */
function ownCopy(text: string): string {
  const codes = new Array<number>(text.length);
  for (let index = 0; index < text.length; index++) codes[index] = text.charCodeAt(index);
  return String.fromCharCode(...codes);
}

/** Freezes a JSON-like value and everything it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
  return value;
}
