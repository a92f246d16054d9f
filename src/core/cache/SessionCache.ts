import type { BaseTokenClaims, Session } from '../session/types.js';

/** A session whose cookie was opened and whose access token verified. */
export interface CachedSession {
  /** The unsealed session (deep-frozen: it is shared by every request carrying the same cookie). */
  readonly session: Session;
  /** The verified claims of its access token (deep-frozen). */
  readonly claims: BaseTokenClaims;
  /** Until when the entry may answer, in milliseconds since the epoch: token expiry minus the refresh buffer. */
  readonly expiresAtMs: number;
}

interface Node {
  key: string;
  entry: CachedSession;
  /** Toward the most recently used end. */
  newer: Node | undefined;
  /** Toward the least recently used end. */
  older: Node | undefined;
}

/**
 * Verified sessions by SHA-256 of the cookie value (the raw cookie is never kept), so a repeated cookie
 * costs a digest and a map lookup. Bounded: past `maxEntries` the least recently used entry goes; an
 * entry is never returned at or after its `expiresAtMs`.
 *
 * Recency is a linked list beside the map rather than the map's own insertion order: deleting and
 * re-inserting a key of a large `Map` on every hit leaves holes that V8 walks until its next rehash,
 * which made a hit on a full cache about ten times slower.
 */
export class SessionCache {
  private readonly nodes = new Map<string, Node>();
  private newest: Node | undefined;
  private oldest: Node | undefined;

  /** @param maxEntries most entries kept; must be at least 1. */
  constructor(private readonly maxEntries: number) {}

  /** Number of entries held. */
  get size(): number {
    return this.nodes.size;
  }

  /** The live entry for `key` (marked most recently used), or `undefined`; drops it when expired. */
  get(key: string, nowMs: number): CachedSession | undefined {
    const node = this.nodes.get(key);
    if (!node) return undefined;
    if (nowMs >= node.entry.expiresAtMs) {
      this.remove(node);
      return undefined;
    }
    if (node !== this.newest) {
      this.unlink(node);
      this.pushNewest(node);
    }
    return node.entry;
  }

  /** Stores an entry (ignored when already expired), evicting the least recently used beyond the cap. */
  set(key: string, entry: CachedSession, nowMs: number): void {
    const existing = this.nodes.get(key);
    if (nowMs >= entry.expiresAtMs) {
      if (existing) this.remove(existing);
      return;
    }
    if (existing) {
      existing.entry = entry;
      if (existing !== this.newest) {
        this.unlink(existing);
        this.pushNewest(existing);
      }
      return;
    }
    const node: Node = { key, entry, newer: undefined, older: undefined };
    this.nodes.set(key, node);
    this.pushNewest(node);
    if (this.nodes.size > this.maxEntries && this.oldest) this.remove(this.oldest);
  }

  /** Forgets an entry. */
  delete(key: string): void {
    const node = this.nodes.get(key);
    if (node) this.remove(node);
  }

  private remove(node: Node): void {
    this.nodes.delete(node.key);
    this.unlink(node);
  }

  private unlink(node: Node): void {
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }

  private pushNewest(node: Node): void {
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }
}

/** Freezes a JSON-like value and everything it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
  return value;
}
