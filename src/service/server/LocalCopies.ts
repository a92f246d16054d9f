/** A session id and its store key (SHA-256 of the id). */
export interface Binding {
  id: string;
  key: string;
}

/** A local copy of a server-side session, keyed by the SHA-256 of its cookie value. */
export interface LocalCopy {
  binding: Binding;
  /** The session seal the record held (cookie password), handed to the core, whose own cache then answers. */
  seal: string;
  /** Until when the copy may answer without re-reading the store, in milliseconds since the epoch. */
  expiresAtMs: number;
}

/**
 * Bounded map with per-entry expiry: past `maxEntries` the oldest insertion goes. Used for local copies of
 * server-side sessions (so a repeated cookie costs no store command) and for the session-id indexes.
 */
export class BoundedExpiringMap<V extends { expiresAtMs: number }> {
  private readonly entries = new Map<string, V>();

  /** @param maxEntries most entries kept; 0 keeps nothing. */
  constructor(private readonly maxEntries: number) {}

  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, value: V): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * What one instance remembers of server-side sessions: local copies by cookie digest, which copy belongs to
 * which store key (to drop it when this instance rewrites the record), and the store key of each WorkOS
 * session id it has seen (so `signOut(sessionId)` can delete the record).
 */
export class LocalCopies {
  private readonly copies: BoundedExpiringMap<LocalCopy>;
  private readonly copyByKey: BoundedExpiringMap<{ digest: string; expiresAtMs: number }>;
  private readonly bySid: BoundedExpiringMap<{ key: string; expiresAtMs: number }>;

  /** @param maxEntries most copies kept (`sessionCacheMaxEntries`); 0 keeps none. */
  constructor(
    maxEntries: number,
    private readonly indexTtlMs: number,
  ) {
    this.copies = new BoundedExpiringMap(maxEntries);
    this.copyByKey = new BoundedExpiringMap(maxEntries);
    this.bySid = new BoundedExpiringMap(Math.max(maxEntries, 1_000));
  }

  get(digest: string, nowMs: number): LocalCopy | undefined {
    return this.copies.get(digest, nowMs);
  }

  keep(digest: string, copy: LocalCopy, nowMs: number): void {
    this.copies.set(digest, copy);
    this.copyByKey.set(copy.binding.key, { digest, expiresAtMs: nowMs + this.indexTtlMs });
  }

  drop(digest: string): void {
    this.copies.delete(digest);
  }

  /** Drops the copy of the record under `key`, so the next request reads the store. */
  forgetKey(key: string, nowMs: number): void {
    const copy = this.copyByKey.get(key, nowMs);
    if (copy) this.copies.delete(copy.digest);
  }

  noteSessionId(sessionId: string, key: string, nowMs: number): void {
    this.bySid.set(sessionId, { key, expiresAtMs: nowMs + this.indexTtlMs });
  }

  /** The store key seen for a WorkOS session id, forgotten as it is returned. */
  takeSessionId(sessionId: string, nowMs: number): string | undefined {
    const known = this.bySid.get(sessionId, nowMs);
    this.bySid.delete(sessionId);
    return known?.key;
  }
}
