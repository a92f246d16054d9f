/** A local copy of a server-side session, keyed by the SHA-256 of its cookie value. */
export interface LocalCopy {
  /** The session id and the store key of the record. */
  binding: { id: string; key: string };
  /** The session seal the record held (cookie password), handed to the core, whose own cache then answers. */
  seal: string;
  /** Until when the copy may answer without re-reading the store, in milliseconds since the epoch. */
  expiresAtMs: number;
}

/**
 * Bounded map with per-entry expiry: past `maxEntries` the oldest insertion goes. Used for local copies of
 * server-side sessions (so a repeated cookie costs no store command) and for the session-id index.
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
