import type { BaseTokenClaims, Session } from '../session/types.js';
import { SieveCache } from './SieveCache.js';

/** A verified session kept whole: a hit with the same cookie needs no crypto at all. */
export interface CachedSession {
  /** An own copy of the cookie: a hit must be equal to it, character for character. */
  readonly cookie: string;
  /** The seal's ticket (see `SessionSealer.reopen`), or `null`: what the entry shrinks back to. */
  readonly ticket: string | null;
  /** The unsealed session (deep-frozen: it is shared by every request carrying the same cookie). */
  readonly session: Session;
  /** The verified claims of its access token (deep-frozen). */
  readonly claims: BaseTokenClaims;
}

/**
 * What the cache holds for a cookie: the whole session, or a small entry for "this seal's token verified",
 * which skips the JWT signature check and the key lookup: the seal's ticket (the keys the unseal derived:
 * a cookie whose MAC checks under the kept integrity key is decrypted again with the kept AES key, no key
 * derivation), or `null` without tickets (the seal is opened again; its MAC check binds it to the
 * verified one).
 */
export type CacheSlot = CachedSession | string | null;

/** Bounds of the session cache. */
export interface SessionCacheLimits {
  /** Most cookies remembered. */
  readonly maxEntries: number;
  /** Most bytes of memory for them (an estimate, on the high side). */
  readonly maxBytes: number;
}

/**
 * Estimated memory of a small entry: its slot, index position and links, a 22-character key and a ticket
 * of up to 208 characters (the node:crypto backend's is 205). Measured 332–352 bytes with the cache's typed
 * arrays, 283–292 of heap (20,000–135,000 entries, Node 20; see test/cache/cacheKeyMemory.test.ts).
 * 150,000 of them count 61.8 MiB.
 */
export const SLIM_ENTRY_BYTES = 432;
/** Longest ticket {@link SLIM_ENTRY_BYTES} counts; a longer one adds its characters. */
const SLIM_TICKET_CHARS = 208;
/** Length of the compact key: 22 base64url characters, the first 132 bits of the seal's MAC. */
const KEY_LENGTH = 22;
/** Longest text copied as two halves (see `ownCopy`): each half short enough to be copied when cut. */
const SHORT_COPY = 24;

/**
 * Estimated heap of a whole entry for a cookie of `cookieLength` characters: the session's objects and
 * strings, and the copy of the cookie (one byte a character: a cached seal is ASCII).
 */
export function fullEntryBytes(cookieLength: number): number {
  return SLIM_ENTRY_BYTES + 512 + Math.ceil(cookieLength * 1.25) + 32 + cookieLength;
}

/**
 * Estimated heap of a small entry holding `ticket`: a ticket longer than the node:crypto backend's (none
 * is, today) adds two bytes a character (the most a string takes).
 */
export function slimEntryBytes(ticket: string | null): number {
  return ticket === null || ticket.length <= SLIM_TICKET_CHARS ? SLIM_ENTRY_BYTES : SLIM_ENTRY_BYTES + 2 * ticket.length;
}

/**
 * Verified sessions, keyed by the seal's own MAC (a compact key, no digest on a miss), under the SIEVE
 * policy and bounded by entries and bytes. A first sight is remembered small (its ticket, or `null`: no
 * digest, no copy of the seal); a cookie that comes back is kept whole while the byte budget allows;
 * under byte pressure whole entries shrink back to small ones before anything is evicted. Entries expire
 * when the access token enters the refresh buffer.
 */
export class SessionCache {
  private readonly entries: SieveCache<CacheSlot>;

  constructor(private readonly limits: SessionCacheLimits) {
    this.entries = new SieveCache<CacheSlot>(limits, smaller);
  }

  /**
   * The cache key of a canonical seal (`…*<mac>~2`): a prefix of its MAC. Equal keys never mean equal
   * cookies on their own: a hit is checked against the entry's ticket or cookie, or by opening the seal.
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
   * Remembers that the seal under `key` verified, until `expiresAtMs`, with its ticket when there is one.
   * The key is stored as a copy: a {@link SessionCache.keyOf} slice would keep the whole cookie alive
   * (engines share a long string's memory with its slices), ten times what the entry is counted as.
   */
  remember(key: string, ticket: string | null, expiresAtMs: number, nowMs: number): void {
    this.entries.set(ownCopy(key), ticket, slimEntryBytes(ticket), expiresAtMs, nowMs);
  }

  /**
   * Keeps the whole session of the remembered seal `sealed` when the byte budget allows; returns whether
   * it did. The entry is frozen (every request with this cookie shares it) and holds an own copy of the
   * cookie and the seal's `ticket` (the small slot it replaces).
   */
  keepWhole(key: string, sealed: string, ticket: string | null, session: Session, claims: BaseTokenClaims): boolean {
    const bytes = fullEntryBytes(sealed.length);
    // The small slot counts slimEntryBytes(ticket): when the whole entry cannot fit over it (a full budget,
    // as with more sessions than it holds whole), that is known without a lookup; `replace` checks again.
    if (this.entries.bytes - slimEntryBytes(ticket) + bytes > this.limits.maxBytes) return false;
    const entry: CachedSession = { cookie: ownCopy(sealed), ticket, session, claims };
    return this.entries.replace(key, deepFreeze(entry), bytes);
  }

  /** Forgets an entry. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** What a slot shrinks to under byte pressure: a whole entry to its ticket; a small one cannot shrink. */
function smaller(slot: CacheSlot): { value: CacheSlot; bytes: number } | undefined {
  return slot !== null && typeof slot === 'object' ? { value: slot.ticket, bytes: slimEntryBytes(slot.ticket) } : undefined;
}

/**
 * The characters of `text` in memory of their own, sharing none with the string `text` was cut from (a
 * slice would keep a whole request header alive). A short text (a key) is joined from its two halves,
 * each cut short enough that engines copy it rather than point into `text`, and read once so the join is
 * flattened into one string there and then; a long one (a cookie) is copied by slicing a concatenation,
 * which engines flatten into new memory first: one memory copy, some 30 times faster than by character.
 */
function ownCopy(text: string): string {
  if (text.length > SHORT_COPY) return ` ${text}`.slice(1);
  const half = text.length >> 1;
  const copy = text.slice(0, half) + text.slice(half);
  copy.charCodeAt(0);
  return copy;
}

/** Freezes a JSON-like value and everything it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // for…in over own keys (JSON values inherit none) allocates no array, unlike Object.values: half the cost.
  for (const name in value) deepFreeze(value[name]);
  return value;
}
