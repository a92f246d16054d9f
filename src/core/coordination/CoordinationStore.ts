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
  /**
   * Records marks on a subject (`user:<id>`, `org:<id>` or `all`) for `ttlMs`, merged with the marks it
   * already has: times keep the later value, `digest` is replaced. Set by webhooks and sign-out-everywhere.
   */
  mark(subject: string, marks: SubjectMarks, ttlMs: number): Promise<void>;
  /** The marks of each subject, merged (latest time wins; `digest` of the first subject holding one). */
  marksOf(subjects: readonly string[]): Promise<SubjectMarks>;
  /** True the first time `id` is claimed within `ttlMs`, false for every later claim (replay protection). */
  claimOnce(id: string, ttlMs: number): Promise<boolean>;
  /** True when every operation stays within this process (no polling or fallback needed). */
  readonly local?: boolean;
  /**
   * Feeds revocations to `onRevoked` (session id, milliseconds left): every unexpired one recorded in the
   * store, then each new one as any instance records it, and all of them again whenever a lost connection
   * is back. Returns a function that stops the feed. Optional, but without it every request asks
   * {@link isRevoked}, and a store that cannot answer in time counts as "not revoked".
   *
   * `onSynced(false)` says the feed may be missing changes (not yet subscribed, or its connection lost),
   * `onSynced(true)` that it has delivered everything again: until then the caller asks the store on each
   * request. A store that never calls it is trusted to be in sync.
   */
  watchRevocations?(onRevoked: (sessionId: string, ttlMs: number) => void, onSynced?: (synced: boolean) => void): () => void;
  /**
   * Feeds subject marks to `onMarks` the same way {@link watchRevocations} feeds revocations (all live ones,
   * then each change, then all again after a reconnect). Optional: without it every request reads the marks.
   */
  watchMarks?(onMarks: (subject: string, marks: SubjectMarks, ttlMs: number) => void, onSynced?: (synced: boolean) => void): () => void;
  /** Releases what the store opened (connections, timers). Optional. */
  close?(): Promise<void>;
}

/**
 * Per-subject session-control marks, in milliseconds since the epoch. A session whose sign-in is older
 * than `revokedAt` is revoked; one whose tokens were obtained before `staleAt` refreshes before it is served.
 */
export interface SubjectMarks {
  revokedAt?: number;
  staleAt?: number;
  /** Digest of the last profile seen in a `user.updated` event (only real changes mark sessions stale). */
  digest?: string;
}
