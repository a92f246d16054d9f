/**
 * Where `sessionMode: 'server'` keeps sessions: an opaque key → an opaque sealed string with a lifetime,
 * indexed by user so that "sign out everywhere" and session lists work. The library only ever hands it
 * values already sealed with a key derived from the cookie password, and keys that are SHA-256 digests of
 * the cookie's session id: a dump of the store holds neither a usable token nor a usable cookie.
 *
 * Implementations: {@link MemorySessionStore} (one process, tests) and `RedisSessionStore` from
 * `authkit-session/redis`. A SQL or KV store is a small class: one table/namespace of
 * `(key primary key, user_id indexed, value text, expires_at)`; `get` ignores expired rows; `set` upserts.
 *
 * Every method rejects when the store cannot be reached; the service turns that into the retryable
 * `session_store_unavailable` reason, never a sign-out.
 */
export interface SessionStore {
  /** The value stored under `key`, or `undefined` when there is none or it expired. */
  get(key: string): Promise<string | undefined>;
  /**
   * Stores `value` under `key` for `ttlMs` milliseconds, replacing any previous value, and indexes it under
   * `userId` when given (records the library writes always give it; bookkeeping records may not).
   */
  set(key: string, value: string, ttlMs: number, userId?: string): Promise<void>;
  /** Deletes `key` (no error when absent). */
  delete(key: string): Promise<void>;
  /** Deletes every record indexed under `userId`; resolves to how many were deleted. */
  deleteByUser(userId: string): Promise<number>;
  /** Keys of the live records indexed under `userId` (expired ones are left out). */
  listByUser(userId: string): Promise<string[]>;
  /** Releases what the store holds (a connection it made); the service calls it only on stores it made itself. */
  close?(): Promise<void>;
}
