import { hashOf, SlotIndex, widened } from './SlotIndex.js';

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

/** No slot (the end of a list), and the slots made at first (doubled as needed, up to `maxEntries`). */
const NONE = -1;
const FIRST_SLOTS = 256;
/** Expired entries removed from the old end per write, so they leave without a timer. */
const SWEEP_PER_WRITE = 4;

/**
 * A cache with the SIEVE eviction policy (Zhang et al., NSDI 2024), bounded by entries and by bytes, with a
 * per-entry expiry judged against a caller-supplied time.
 *
 * Entries sit in insertion order and never move; a hit only sets a bit. To make room a hand walks from the
 * oldest entry toward the newest, clearing bits, and evicts the first entry it finds unvisited. A scan of
 * never-repeated keys therefore pushes out only other unvisited entries, never the working set (a plain LRU
 * loses everything to a scan larger than itself). Expired entries are never returned; each write also
 * removes expired entries from the oldest end, and the hand removes any it passes.
 *
 * Entries live in numbered slots, reused once freed: an index (`SlotIndex`) gives a key's slot, and each
 * field is an array indexed by slot (typed arrays for the numbers and links). An insert makes no object of
 * its own: the collector has nothing per entry to promote or trace but the key and the value.
 */
export class SieveCache<V> {
  private readonly keys: (string | undefined)[] = [];
  private readonly index = new SlotIndex(this.keys);
  private readonly values: (V | undefined)[] = [];
  private sizes = new Float64Array(0);
  private expiries = new Float64Array(0);
  private visited = new Uint8Array(0);
  /** Links toward the newest and the oldest entry (a free slot's `newer` is the next free slot). */
  private newer = new Int32Array(0);
  private older = new Int32Array(0);
  private newest = NONE;
  private oldest = NONE;
  private hand = NONE;
  private free = NONE;
  private totalBytes = 0;

  constructor(
    private readonly limits: SieveLimits,
    private readonly shrink?: Shrink<V>,
  ) {
    if (!(limits.maxEntries >= 1) || !(limits.maxBytes >= 1)) throw new RangeError('SieveCache limits must be at least 1');
  }

  /** Number of entries held. */
  get size(): number {
    return this.index.size;
  }

  /** Sum of the sizes of the entries held. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** The live value under `key` (marked visited), or `undefined`; an expired entry is removed. */
  get(key: string, nowMs: number): V | undefined {
    const slot = this.index.find(key, hashOf(key));
    if (slot === NONE) return undefined;
    if (nowMs >= (this.expiries[slot] as number)) {
      this.remove(slot);
      return undefined;
    }
    this.visited[slot] = 1;
    return this.values[slot];
  }

  /**
   * Stores a value of `bytes` size until `expiresAtMs` (ignored when already expired or larger than the
   * byte bound), then evicts until both bounds hold.
   */
  set(key: string, value: V, bytes: number, expiresAtMs: number, nowMs: number): void {
    const hash = hashOf(key);
    const existing = this.index.find(key, hash);
    if (existing !== NONE) this.remove(existing);
    this.sweep(nowMs);
    if (nowMs >= expiresAtMs || bytes > this.limits.maxBytes) return;
    this.makeRoom(bytes, nowMs);
    const slot = this.take();
    this.keys[slot] = key;
    this.values[slot] = value;
    this.sizes[slot] = bytes;
    this.expiries[slot] = expiresAtMs;
    this.visited[slot] = 0;
    this.newer[slot] = NONE;
    this.older[slot] = this.newest;
    if (this.newest !== NONE) this.newer[this.newest] = slot;
    else this.oldest = slot;
    this.newest = slot;
    this.index.add(slot, hash);
    this.totalBytes += bytes;
  }

  /** Whether {@link replace} would replace the entry under `key` with a value of `bytes` size. */
  fits(key: string, bytes: number): boolean {
    const slot = this.index.find(key, hashOf(key));
    return slot !== NONE && this.totalBytes - (this.sizes[slot] as number) + bytes <= this.limits.maxBytes;
  }

  /**
   * Replaces the value of a live entry, keeping its place and expiry; only when the byte bound still holds
   * afterwards. Returns whether it did.
   */
  replace(key: string, value: V, bytes: number): boolean {
    const slot = this.index.find(key, hashOf(key));
    if (slot === NONE || this.totalBytes - (this.sizes[slot] as number) + bytes > this.limits.maxBytes) return false;
    this.totalBytes += bytes - (this.sizes[slot] as number);
    this.values[slot] = value;
    this.sizes[slot] = bytes;
    return true;
  }

  /** Forgets an entry. */
  delete(key: string): void {
    const slot = this.index.find(key, hashOf(key));
    if (slot !== NONE) this.remove(slot);
  }

  /** Removes expired entries from the oldest end, a few per call. */
  private sweep(nowMs: number): void {
    for (let i = 0; i < SWEEP_PER_WRITE && this.oldest !== NONE && nowMs >= (this.expiries[this.oldest] as number); i++)
      this.remove(this.oldest);
  }

  /** Runs the hand until one more entry of `bytes` fits within both bounds. */
  private makeRoom(bytes: number, nowMs: number): void {
    while (this.index.size >= this.limits.maxEntries || this.totalBytes + bytes > this.limits.maxBytes) {
      let slot = this.hand !== NONE ? this.hand : this.oldest;
      while (slot !== NONE && this.visited[slot] === 1 && nowMs < (this.expiries[slot] as number)) {
        this.visited[slot] = 0;
        slot = this.newer[slot] !== NONE ? (this.newer[slot] as number) : this.oldest;
      }
      if (slot === NONE) return;
      this.hand = this.newer[slot] as number;
      if (this.index.size < this.limits.maxEntries && nowMs < (this.expiries[slot] as number)) {
        const smaller = this.shrink?.(this.values[slot] as V);
        if (smaller && smaller.bytes < (this.sizes[slot] as number)) {
          this.totalBytes += smaller.bytes - (this.sizes[slot] as number);
          this.values[slot] = smaller.value;
          this.sizes[slot] = smaller.bytes;
          continue;
        }
      }
      this.remove(slot);
    }
  }

  /** A free slot: one freed before, else the next index of `keys` (`set` writes there; typed arrays double). */
  private take(): number {
    if (this.free !== NONE) {
      const slot = this.free;
      this.free = this.newer[slot] as number;
      return slot;
    }
    const slot = this.keys.length;
    if (slot === this.newer.length) this.grow(Math.min(Math.max(FIRST_SLOTS, 2 * slot), Math.ceil(this.limits.maxEntries)));
    return slot;
  }

  /** Makes room for `count` slots in every typed array. */
  private grow(count: number): void {
    this.sizes = widened(this.sizes, new Float64Array(count));
    this.expiries = widened(this.expiries, new Float64Array(count));
    this.visited = widened(this.visited, new Uint8Array(count));
    this.newer = widened(this.newer, new Int32Array(count));
    this.older = widened(this.older, new Int32Array(count));
  }

  /** Unlinks the entry in `slot` and frees the slot. */
  private remove(slot: number): void {
    this.index.remove(slot);
    this.totalBytes -= this.sizes[slot] as number;
    const newer = this.newer[slot] as number;
    const older = this.older[slot] as number;
    if (this.hand === slot) this.hand = newer;
    if (newer !== NONE) this.older[newer] = older;
    else this.newest = older;
    if (older !== NONE) this.newer[older] = newer;
    else this.oldest = newer;
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.newer[slot] = this.free;
    this.free = slot;
  }
}
