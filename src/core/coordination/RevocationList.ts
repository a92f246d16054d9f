import type { Clock } from '../clock.js';
import { emit, type AuthKitEventHandler } from '../events.js';

/** Options of {@link RevocationList}. */
export interface RevocationListOptions {
  clock: Clock;
  /**
   * Entries held before `revocation.capacity` is reported. Unexpired revocations are never dropped to make
   * room (that would let a signed-out cookie work again): past this size expired entries are swept, and if
   * the list is still full it grows and reports. Default 100000 (about 10 MB).
   */
  capacity?: number | undefined;
  onEvent?: AuthKitEventHandler | undefined;
}

/**
 * This instance's copy of the revoked session ids, each kept until its own expiry. Answers "is this session
 * revoked?" from memory (no round trip, nothing that can time out), fed by this instance's sign-outs and by
 * the coordination store's feed of everyone else's.
 */
export class RevocationList {
  private readonly entries = new Map<string, number>();
  private readonly capacity: number;
  private reportedFull = false;

  constructor(private readonly options: RevocationListOptions) {
    this.capacity = Math.max(1, options.capacity ?? 100_000);
  }

  /** Records `sessionId` as revoked for `ttlMs` from now (a longer revocation already held is kept). */
  add(sessionId: string, ttlMs: number): void {
    const now = this.options.clock();
    const expiresAt = now + Math.max(0, ttlMs);
    const held = this.entries.get(sessionId);
    if (held !== undefined && held >= expiresAt) return;
    if (held === undefined && this.entries.size >= this.capacity) this.sweep(now);
    this.entries.set(sessionId, expiresAt);
    if (this.entries.size > this.capacity && !this.reportedFull) {
      this.reportedFull = true;
      emit(this.options.onEvent, { type: 'revocation.capacity', entries: this.entries.size, capacity: this.capacity });
    }
  }

  /** True while `sessionId` has an unexpired revocation. */
  has(sessionId: string): boolean {
    const expiresAt = this.entries.get(sessionId);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.options.clock()) return true;
    this.entries.delete(sessionId);
    return false;
  }

  /** Calls `visit` with each unexpired revocation and the milliseconds it has left. */
  forEach(visit: (sessionId: string, ttlMs: number) => void): void {
    const now = this.options.clock();
    for (const [sessionId, expiresAt] of this.entries) if (expiresAt > now) visit(sessionId, expiresAt - now);
  }

  /** Revocations held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    for (const [sessionId, expiresAt] of this.entries) if (expiresAt <= now) this.entries.delete(sessionId);
    if (this.entries.size < this.capacity) this.reportedFull = false;
  }
}
