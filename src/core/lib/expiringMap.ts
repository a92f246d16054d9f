/** Expired entries dropped per `set`: more than one, so the sweep outpaces the writes. */
const SWEEP_PER_SET = 2;

/**
 * A map whose entries expire `ttlMs` after they are set, bounded to `maxEntries` (the oldest set goes first;
 * setting a key again counts as new). Time is passed in by the caller, in milliseconds since the epoch,
 * so the map has no clock of its own.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  /** @param maxEntries most entries kept. Default 10000. */
  constructor(private readonly maxEntries = 10_000) {}

  /** The value under `key`, unless it has expired by `now` (an expired entry is dropped). */
  get(key: string, now: number): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /**
   * Sets `key` until `now + ttlMs`, evicting the oldest entries past `maxEntries`. Each set also drops up to
   * two expired entries from the oldest end (insertion order is expiry order where the lifetimes are alike),
   * so a map written steadily holds its live entries, not every entry up to `maxEntries`.
   */
  set(key: string, value: V, ttlMs: number, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
    let swept = 0;
    for (const [oldest, entry] of this.entries) {
      if (entry.expiresAt > now || swept++ >= SWEEP_PER_SET) break;
      this.entries.delete(oldest);
    }
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Calls `visit` with each entry unexpired at `now` and the milliseconds it has left. */
  forEach(now: number, visit: (key: string, value: V, msLeft: number) => void): void {
    for (const [key, { value, expiresAt }] of this.entries) if (expiresAt > now) visit(key, value, expiresAt - now);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }
}
