import { systemClock } from '../clock.js';
import type { SessionStore } from './SessionStore.js';

interface Entry {
  value: string;
  expiresAtMs: number;
  userId: string | undefined;
}

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Current time in milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** Most records kept; past it the oldest written record goes. Default 100000. */
  maxEntries?: number;
}

/**
 * {@link SessionStore} in this process's memory: correct for one instance and for tests; sessions are lost
 * on restart. Bounded by `maxEntries` (oldest write evicted first); expired records are dropped when read.
 */
export class MemorySessionStore implements SessionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly clock: () => number;
  private readonly maxEntries: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxEntries = Math.max(1, options.maxEntries ?? 100_000);
  }

  /** Number of records held (expired ones not yet read included). */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number, userId?: string): Promise<void> {
    this.remove(key);
    this.entries.set(key, { value, expiresAtMs: this.clock() + Math.max(1, ttlMs), userId });
    if (userId !== undefined) {
      let keys = this.byUser.get(userId);
      if (!keys) this.byUser.set(userId, (keys = new Set()));
      keys.add(key);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.remove(key);
  }

  async deleteByUser(userId: string): Promise<number> {
    const keys = [...(this.byUser.get(userId) ?? [])];
    let deleted = 0;
    for (const key of keys) {
      if (this.live(key)) deleted++;
      this.remove(key);
    }
    return deleted;
  }

  async listByUser(userId: string): Promise<string[]> {
    return [...(this.byUser.get(userId) ?? [])].filter((key) => this.live(key) !== undefined);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock() >= entry.expiresAtMs) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    if (entry.userId === undefined) return;
    const keys = this.byUser.get(entry.userId);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(entry.userId);
  }
}
