import { ExpiringMap } from '../lib/expiringMap.js';

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
export class MemoryRefreshResultCache<T> extends ExpiringMap<CachedRefresh<T>> implements RefreshResultCache<T> {}
