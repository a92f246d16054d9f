/** Bounds of a {@link SieveCache}. */
export interface SieveLimits {
  /** Most entries kept; at least 1. */
  readonly maxEntries: number;
  /** Most bytes kept, as the sum of the sizes given to `set`. */
  readonly maxBytes: number;
}

/**
 * Makes a value smaller instead of evicting it when the cache is over its byte bound: returns the smaller
 * value and its size, or `undefined` when it cannot shrink (the entry is then evicted).
 */
export type Shrink<V> = (value: V) => { value: V; bytes: number } | undefined;

interface Node<V> {
  readonly key: string;
  value: V;
  bytes: number;
  expiresAtMs: number;
  visited: boolean;
  /** Toward the newest entry. */
  newer: Node<V> | undefined;
  /** Toward the oldest entry. */
  older: Node<V> | undefined;
}

/** Expired entries removed from the old end per write, so they leave without a timer. */
const SWEEP_PER_WRITE = 4;

/**
 * A cache with the SIEVE eviction policy (Zhang et al., NSDI 2024), bounded by entries and by bytes, with a
 * per-entry expiry judged against a caller-supplied time.
 *
 * Entries sit in insertion order and never move; a hit only sets a bit. To make room a hand walks from the
 * oldest entry toward the newest, clearing bits, and evicts the first entry it finds unvisited. A scan of
 * never-repeated keys therefore pushes out only other unvisited entries, never the working set (a plain LRU
 * loses everything to a scan larger than itself). Hits never write to the map, which keeps them cheap.
 *
 * Expired entries are never returned; each write also removes expired entries from the oldest end, and the
 * hand removes any it passes.
 */
export class SieveCache<V> {
  private readonly nodes = new Map<string, Node<V>>();
  private newest: Node<V> | undefined;
  private oldest: Node<V> | undefined;
  private hand: Node<V> | undefined;
  private totalBytes = 0;

  constructor(
    private readonly limits: SieveLimits,
    private readonly shrink?: Shrink<V>,
  ) {
    if (!(limits.maxEntries >= 1) || !(limits.maxBytes >= 1)) throw new RangeError('SieveCache limits must be at least 1');
  }

  /** Number of entries held. */
  get size(): number {
    return this.nodes.size;
  }

  /** Sum of the sizes of the entries held. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** The live value under `key` (marked visited), or `undefined`; an expired entry is removed. */
  get(key: string, nowMs: number): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    if (nowMs >= node.expiresAtMs) {
      this.remove(node);
      return undefined;
    }
    node.visited = true;
    return node.value;
  }

  /**
   * Stores a value of `bytes` size until `expiresAtMs` (ignored when already expired or larger than the
   * byte bound), then evicts until both bounds hold.
   */
  set(key: string, value: V, bytes: number, expiresAtMs: number, nowMs: number): void {
    const existing = this.nodes.get(key);
    if (existing) this.remove(existing);
    this.sweep(nowMs);
    if (nowMs >= expiresAtMs || bytes > this.limits.maxBytes) return;
    this.makeRoom(bytes, nowMs);
    const node: Node<V> = { key, value, bytes, expiresAtMs, visited: false, newer: undefined, older: this.newest };
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
    this.nodes.set(key, node);
    this.totalBytes += bytes;
  }

  /** Whether {@link replace} would replace the entry under `key` with a value of `bytes` size. */
  fits(key: string, bytes: number): boolean {
    const node = this.nodes.get(key);
    return node !== undefined && this.totalBytes - node.bytes + bytes <= this.limits.maxBytes;
  }

  /**
   * Replaces the value of a live entry, keeping its place and expiry; only when the byte bound still holds
   * afterwards. Returns whether it did.
   */
  replace(key: string, value: V, bytes: number): boolean {
    const node = this.nodes.get(key);
    if (node === undefined || this.totalBytes - node.bytes + bytes > this.limits.maxBytes) return false;
    this.totalBytes += bytes - node.bytes;
    node.value = value;
    node.bytes = bytes;
    return true;
  }

  /** Forgets an entry. */
  delete(key: string): void {
    const node = this.nodes.get(key);
    if (node) this.remove(node);
  }

  /** Removes expired entries from the oldest end, a few per call. */
  private sweep(nowMs: number): void {
    for (let i = 0; i < SWEEP_PER_WRITE && this.oldest && nowMs >= this.oldest.expiresAtMs; i++) this.remove(this.oldest);
  }

  /** Runs the hand until one more entry of `bytes` fits within both bounds. */
  private makeRoom(bytes: number, nowMs: number): void {
    while (this.nodes.size >= this.limits.maxEntries || this.totalBytes + bytes > this.limits.maxBytes) {
      let node = this.hand ?? this.oldest;
      while (node && node.visited && nowMs < node.expiresAtMs) {
        node.visited = false;
        node = node.newer ?? this.oldest;
      }
      if (!node) return;
      this.hand = node.newer;
      if (this.nodes.size < this.limits.maxEntries && nowMs < node.expiresAtMs) {
        const smaller = this.shrink?.(node.value);
        if (smaller && smaller.bytes < node.bytes) {
          this.totalBytes += smaller.bytes - node.bytes;
          node.value = smaller.value;
          node.bytes = smaller.bytes;
          continue;
        }
      }
      this.remove(node);
    }
  }

  private remove(node: Node<V>): void {
    this.nodes.delete(node.key);
    this.totalBytes -= node.bytes;
    if (this.hand === node) this.hand = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }
}
