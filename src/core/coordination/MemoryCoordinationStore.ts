import { systemClock } from '../clock.js';
import type { CoordinationStore } from './CoordinationStore.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** Map with per-entry expiry and a size cap (oldest evicted first). */
class ExpiringMap {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly maxEntries: number,
    private readonly clock: () => number,
  ) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: string, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock() + ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** In-process {@link CoordinationStore}: correct for one instance; bounded in memory. */
export class MemoryCoordinationStore implements CoordinationStore {
  readonly local = true;
  private readonly leases: ExpiringMap;
  private readonly results: ExpiringMap;
  private readonly revoked: ExpiringMap;
  private counter = 0;

  /**
   * @param options.maxEntries cap per map (leases, results, revocations). Default 10000.
   * @param options.clock milliseconds since the epoch. Default: the system clock, read at each call.
   */
  constructor(options: { maxEntries?: number; clock?: () => number } = {}) {
    const max = options.maxEntries ?? 10_000;
    const clock = options.clock ?? systemClock;
    this.leases = new ExpiringMap(max, clock);
    this.results = new ExpiringMap(max, clock);
    this.revoked = new ExpiringMap(max, clock);
  }

  async acquire(key: string, leaseMs: number): Promise<string | undefined> {
    if (this.leases.get(key) !== undefined) return undefined;
    const owner = `local-${++this.counter}`;
    this.leases.set(key, owner, leaseMs);
    return owner;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.leases.get(key) === owner) this.leases.delete(key);
  }

  async getResult(key: string): Promise<string | undefined> {
    return this.results.get(key);
  }

  async setResult(key: string, sealed: string, ttlMs: number): Promise<void> {
    this.results.set(key, sealed, ttlMs);
  }

  async revoke(sessionId: string, ttlMs: number): Promise<void> {
    this.revoked.set(sessionId, '1', ttlMs);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return this.revoked.get(sessionId) !== undefined;
  }
}
