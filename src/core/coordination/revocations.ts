import type { Clock } from '../clock.js';
import type { AuthKitEventHandler } from '../events.js';
import type { CoordinationStore } from './CoordinationStore.js';
import type { StoreGuard } from './guard.js';
import { RevocationList } from './RevocationList.js';

/** Options of {@link Revocations}. */
export interface RevocationsOptions {
  store: CoordinationStore;
  guard: StoreGuard;
  clock: Clock;
  onEvent?: AuthKitEventHandler | undefined;
  /** How long a revocation is kept when none is given, in milliseconds. */
  defaultTtlMs: number;
  /** Revocations held in memory before `revocation.capacity` is reported. Default 100000. */
  capacity?: number | undefined;
}

/**
 * Sign-outs as every instance sees them. Each instance keeps a local mirror ({@link RevocationList}) of
 * the revocations in the coordination store, fed by the store's `watchRevocations` (Redis pub/sub, with the
 * shared set as the source of truth and a full resync after every reconnect), so the per-request check is a
 * memory lookup: no round trip, and nothing that can time out and answer "not revoked". Only a store without
 * a feed is asked per request (time-bounded).
 */
export class Revocations {
  private readonly list: RevocationList;
  private readonly stopFeed: (() => void) | undefined;
  /** False while the feed may be missing revocations (see `watchRevocations`); the store is asked then. */
  private synced = true;
  /** Revocations the store has not recorded yet (it failed), with their expiry: published again until it does. */
  private readonly unpublished = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: RevocationsOptions) {
    this.list = new RevocationList({ clock: options.clock, capacity: options.capacity, onEvent: options.onEvent });
    this.stopFeed = options.store.watchRevocations?.(
      (sessionId, ttlMs) => this.list.add(sessionId, ttlMs),
      (synced) => (this.synced = synced),
    );
  }

  /** True when `sessionId` is revoked. Synchronous whenever the store's feed is in sync. */
  isRevoked(sessionId: unknown): boolean | Promise<boolean> {
    if (typeof sessionId !== 'string' || sessionId === '') return false;
    if (this.list.has(sessionId)) return true;
    const { store, guard } = this.options;
    if (this.stopFeed && this.synced) return false;
    // A store without a feed, or one not in sync yet (starting, reconnecting): ask it (a local one answers from memory and cannot fail).
    if (store.local) return store.isRevoked(sessionId);
    return guard.run('isRevoked', () => store.isRevoked(sessionId), false);
  }

  /**
   * Records `sessionId` as revoked here at once, and in the store for every other instance. A store that
   * fails is reported (`coordination.fallback`); this instance still refuses the session, and writes the
   * record again every {@link REPUBLISH_MS} until the store takes it (or it expires), so the other
   * instances learn it once the store is back instead of never.
   */
  async revoke(sessionId: string, ttlMs = this.options.defaultTtlMs): Promise<void> {
    if (!sessionId) return;
    const ms = Math.max(1_000, ttlMs);
    this.list.add(sessionId, ms);
    await this.publish(sessionId, this.options.clock() + ms);
  }

  /** Stops the store's feed and the publishing of revocations the store has not recorded. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopFeed?.();
  }

  /** Writes one revocation to the store; true when it took it (or it has expired meanwhile). */
  private async publish(sessionId: string, expiresAt: number): Promise<boolean> {
    const { store, guard, clock } = this.options;
    const ttlMs = expiresAt - clock();
    const done = ttlMs <= 0 || (await guard.run('revoke', () => store.revoke(sessionId, ttlMs).then(() => true), false));
    if (done) this.unpublished.delete(sessionId);
    else {
      this.unpublished.set(sessionId, expiresAt);
      this.schedule();
    }
    return done;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.republish();
    }, REPUBLISH_MS);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Publishes the pending revocations again, oldest first; stops at the first failure (it reschedules). */
  private async republish(): Promise<void> {
    for (const [sessionId, expiresAt] of [...this.unpublished]) {
      if (this.closed || !(await this.publish(sessionId, expiresAt))) return;
    }
  }
}

/** Pause between attempts to publish revocations the store failed to record, in milliseconds. */
const REPUBLISH_MS = 1_000;

/** The default revocation lifetime: the longest a session can keep refreshing, in seconds. */
export function revocationTtlSeconds(
  config: { sessionMaxLifetimeSeconds: number; cookieMaxAge: number },
  explicit: number | undefined,
): number {
  if (explicit !== undefined && explicit > 0) return explicit;
  if (config.sessionMaxLifetimeSeconds > 0) return config.sessionMaxLifetimeSeconds;
  return config.cookieMaxAge > 0 ? config.cookieMaxAge : 400 * 24 * 3600;
}
