import { systemClock, type Clock } from '../clock.js';
import { ExpiringMap } from '../lib/expiringMap.js';
import type { CoordinationStore, SubjectMarks } from './CoordinationStore.js';
import { mergeMarks } from './marks.js';
import { RevocationList } from './RevocationList.js';

/** In-process {@link CoordinationStore}: correct for one instance; bounded in memory. */
export class MemoryCoordinationStore implements CoordinationStore {
  readonly local = true;
  private readonly leases: ExpiringMap<string>;
  private readonly results: ExpiringMap<string>;
  private readonly revoked: RevocationList;
  private readonly watchers = new Set<(sessionId: string, ttlMs: number) => void>();
  private readonly markWatchers = new Set<(subject: string, marks: SubjectMarks, ttlMs: number) => void>();
  private readonly marks: ExpiringMap<SubjectMarks>;
  private readonly claims: ExpiringMap<true>;
  private readonly clock: Clock;
  private counter = 0;

  /**
   * @param options.maxEntries cap per map (leases, results, marks, claimed ids). Default 10000.
   * @param options.clock milliseconds since the epoch. Default: the system clock, read at each call.
   * @param options.revocationCapacity revocations held before growing past it is reported; unexpired ones are
   *   never evicted. Default 100000.
   */
  constructor(options: { maxEntries?: number; clock?: Clock; revocationCapacity?: number } = {}) {
    const max = options.maxEntries ?? 10_000;
    this.clock = options.clock ?? systemClock;
    this.leases = new ExpiringMap(max);
    this.results = new ExpiringMap(max);
    this.revoked = new RevocationList({ clock: this.clock, capacity: options.revocationCapacity });
    this.marks = new ExpiringMap(max);
    this.claims = new ExpiringMap(max);
  }

  async acquire(key: string, leaseMs: number): Promise<string | undefined> {
    const now = this.clock();
    if (this.leases.get(key, now) !== undefined) return undefined;
    const owner = `local-${++this.counter}`;
    this.leases.set(key, owner, leaseMs, now);
    return owner;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.leases.get(key, this.clock()) === owner) this.leases.delete(key);
  }

  async getResult(key: string): Promise<string | undefined> {
    return this.results.get(key, this.clock());
  }

  async setResult(key: string, sealed: string, ttlMs: number): Promise<void> {
    this.results.set(key, sealed, ttlMs, this.clock());
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    this.revoked.add(sessionId, ttlMs);
    for (const watcher of this.watchers) watcher(sessionId, ttlMs);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return this.revoked.has(sessionId);
  }

  watchRevocations(onRevoked: (sessionId: string, ttlMs: number) => void): () => void {
    this.revoked.forEach(onRevoked);
    this.watchers.add(onRevoked);
    return () => this.watchers.delete(onRevoked);
  }

  async mark(subject: string, marks: SubjectMarks, ttlMs: number): Promise<void> {
    const now = this.clock();
    this.marks.set(subject, mergeMarks(this.marks.get(subject, now) ?? {}, marks), ttlMs, now);
    for (const watcher of this.markWatchers) watcher(subject, marks, ttlMs);
  }

  /**
   * Feeds the marks held, then each new one, to `onMarks`: a session control keeps its own copy and checks
   * each request without a promise (the feed is always in sync; it is the same process).
   */
  watchMarks(onMarks: (subject: string, marks: SubjectMarks, ttlMs: number) => void): () => void {
    this.marks.forEach(this.clock(), onMarks);
    this.markWatchers.add(onMarks);
    return () => this.markWatchers.delete(onMarks);
  }

  async marksOf(subjects: readonly string[]): Promise<SubjectMarks> {
    const now = this.clock();
    let merged: SubjectMarks = {};
    for (const subject of subjects) merged = mergeMarks(this.marks.get(subject, now) ?? {}, merged);
    return merged;
  }

  async claimOnce(id: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    if (this.claims.get(id, now) !== undefined) return false;
    this.claims.set(id, true, ttlMs, now);
    return true;
  }
}
