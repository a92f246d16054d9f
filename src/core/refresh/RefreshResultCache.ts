/** A refresh outcome remembered for requests that still carry the old cookie. */
export type CachedRefresh<T> = { ok: true; value: T; at: number } | { ok: false; error: unknown; at: number };

/**
 * Narrow store of recent refresh outcomes, keyed by a digest of the old refresh token.
 * The in-memory default is replaced by a shared store to coordinate several instances.
 */
export interface RefreshResultCache<T> {
  get(key: string, now: number): CachedRefresh<T> | undefined;
  set(key: string, entry: CachedRefresh<T>, ttlMs: number, now: number): void;
}

/** Bounded in-memory {@link RefreshResultCache}: entries expire after their TTL; the oldest go first past `maxEntries`. */
export class MemoryRefreshResultCache<T> implements RefreshResultCache<T> {
  private readonly entries = new Map<string, { entry: CachedRefresh<T>; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string, now: number): CachedRefresh<T> | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.entry;
  }

  set(key: string, entry: CachedRefresh<T>, ttlMs: number, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { entry, expiresAt: now + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
