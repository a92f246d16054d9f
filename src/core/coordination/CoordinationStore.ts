/**
 * What instances share to coordinate refreshes and sign-outs. Keys are SHA-256 digests (never raw
 * tokens) and results are sealed with the cookie password, so a store never holds a usable secret.
 * Implementations: {@link MemoryCoordinationStore} (one process, the default) and
 * `RedisCoordinationStore` from `authkit-session/redis`.
 */
export interface CoordinationStore {
  /**
   * Takes the refresh lease for `key` if nobody holds it. Returns an owner token to release with, or
   * `undefined` when another owner holds the lease. The lease expires by itself after `leaseMs`.
   */
  acquire(key: string, leaseMs: number): Promise<string | undefined>;
  /** Releases the lease if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  /** The sealed refresh result stored for `key`, if any. */
  getResult(key: string): Promise<string | undefined>;
  /** Stores a sealed refresh result for `ttlMs`. */
  setResult(key: string, sealed: string, ttlMs: number): Promise<void>;
  /** Marks a session id as revoked for `ttlMs`. */
  revoke(sessionId: string, ttlMs: number): Promise<void>;
  /** True when the session id was revoked and the mark has not expired. */
  isRevoked(sessionId: string): Promise<boolean>;
  /** True when every operation stays within this process (no polling or fallback needed). */
  readonly local?: boolean;
}
