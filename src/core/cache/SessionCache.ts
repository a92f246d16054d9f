import type { BaseTokenClaims, Session } from '../session/types.js';
import { SieveCache } from './SieveCache.js';

/** A verified session kept whole: a hit with the same cookie needs no crypto at all. */
export interface CachedSession {
  /** An own copy of the cookie: a hit must be equal to it, character for character. */
  readonly cookie: string;
  /** The seal's ticket (see `SessionSealer.reopen`), compact, or `null`: what the entry shrinks back to. */
  readonly ticket: string | null;
  /** The unsealed session (deep-frozen: it is shared by every request carrying the same cookie). */
  readonly session: Session;
  /** The verified claims of its access token (deep-frozen). */
  readonly claims: BaseTokenClaims;
}

/**
 * What the cache holds for a cookie: the whole session, or a small entry for "this seal's token verified",
 * which skips the JWT signature check and the key lookup: the seal's ticket (the session is decrypted
 * again from a cookie that matches it byte for byte, no key derivation or MAC check), or `null` without
 * tickets (the seal is opened again; its MAC check binds it to the verified one). A ticket from a first
 * sight holds the seal itself (no digest made yet); it is compacted when memory is wanted.
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
 * Estimated heap of a small entry: node, map slot, 22-character key and a 64-character ticket (measured
 * 249–290 bytes on Node 20 depending on how full the map's table is, and up to 326 inside a loaded test
 * run; see test/cache/cacheKeyMemory.test.ts). 150,000 of them count 50 MiB.
 */
export const SLIM_ENTRY_BYTES = 352;
/** Length of a compact ticket (a digest and a key); a longer one is a first-sight ticket holding its seal. */
const COMPACT_TICKET_CHARS = 64;
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
 * Estimated heap of a small entry holding `ticket`: a first-sight ticket also holds its seal, one byte a
 * character (a seal is ASCII), with 128 bytes for its string header, the heap's rounding and what a loaded
 * run adds (measured 2,101 bytes for a 1,690-character ticket inside the full test suite, 1,690 + 411).
 */
export function slimEntryBytes(ticket: string | null): number {
  return ticket === null || ticket.length <= COMPACT_TICKET_CHARS ? SLIM_ENTRY_BYTES : SLIM_ENTRY_BYTES + ticket.length + 128;
}

/** Makes a ticket compact (see `CryptoBackend.compactTicket`). */
export type CompactTicket = (ticket: string) => string;

/**
 * Verified sessions, keyed by the seal's own MAC (a compact key, no digest on a miss), under the SIEVE
 * policy and bounded by entries and bytes. A first sight is remembered small (its ticket, or `null`); a cookie that comes
 * back is kept whole while the byte budget allows; under byte pressure whole entries shrink back to small
 * ones before anything is evicted. Entries expire when the access token enters the refresh buffer.
 *
 * A first sight costs no digest while memory allows: its first-sight ticket is kept as it is and made
 * compact (hashed) only when the hand shrinks it under byte pressure, or when the cookie comes back and
 * is kept whole; without room for it, it is compacted at once. So a seal is hashed at most once, and
 * never when it is not seen again before leaving.
 */
export class SessionCache {
  private readonly entries: SieveCache<CacheSlot>;

  /** @param compact makes tickets compact (the crypto backend's); without it tickets are kept as given. */
  constructor(
    private readonly limits: SessionCacheLimits,
    private readonly compact?: CompactTicket,
  ) {
    this.entries = new SieveCache<CacheSlot>(limits, (slot) => this.smaller(slot));
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
    let bytes = slimEntryBytes(ticket);
    if (bytes > SLIM_ENTRY_BYTES && this.entries.bytes + bytes > this.limits.maxBytes) {
      ticket = this.compacted(ticket);
      bytes = slimEntryBytes(ticket);
    }
    this.entries.set(ownCopy(key), ticket, bytes, expiresAtMs, nowMs);
  }

  /**
   * Keeps the whole session of the remembered seal `sealed` when the byte budget allows; returns whether
   * it did. The entry is frozen (every request with this cookie shares it) and holds an own copy of the
   * cookie and the seal's `ticket`, compact; a first-sight ticket is compacted even when it does not fit.
   */
  keepWhole(key: string, sealed: string, ticket: string | null, session: Session, claims: BaseTokenClaims): boolean {
    const bytes = fullEntryBytes(sealed.length);
    // A cookie seen again leaves its first-sight ticket for the compact one, kept whole or not (so the
    // budget holds what it held before first-sight tickets: one digest per seal seen twice, as before).
    const compact = this.compacted(ticket);
    // A compact slot (or `null`) counts SLIM_ENTRY_BYTES: when the whole entry cannot fit over it (a full
    // budget, as with more sessions than it holds whole), that is known without a second lookup.
    const slim = slimEntryBytes(ticket) === SLIM_ENTRY_BYTES;
    if (slim && this.entries.bytes - SLIM_ENTRY_BYTES + bytes > this.limits.maxBytes) return false;
    if (!this.entries.fits(key, bytes)) {
      if (compact !== ticket) this.entries.replace(key, compact, SLIM_ENTRY_BYTES);
      return false;
    }
    const entry: CachedSession = { cookie: ownCopy(sealed), ticket: compact, session, claims };
    return this.entries.replace(key, deepFreeze(entry), bytes);
  }

  /** Forgets an entry. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** What a slot shrinks to under byte pressure: a whole entry to its ticket, a first-sight ticket to a compact one. */
  private smaller(slot: CacheSlot): { value: CacheSlot; bytes: number } | undefined {
    const value = this.compacted(slot !== null && typeof slot === 'object' ? slot.ticket : slot);
    return value === slot ? undefined : { value, bytes: slimEntryBytes(value) };
  }

  /** `ticket` compact: a first-sight ticket through the backend's compaction when there is one, else as it is. */
  private compacted(ticket: string | null): string | null {
    return ticket !== null && ticket.length > COMPACT_TICKET_CHARS && this.compact ? this.compact(ticket) : ticket;
  }
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
