import type { SessionStore } from '../../src/core/sessionStore/SessionStore.js';

/** A real session store with a tally of the calls made to it (delegates every call unchanged). */
export class CountingStore implements SessionStore {
  calls = { get: 0, set: 0, delete: 0, deleteByUser: 0, listByUser: 0 };

  constructor(readonly inner: SessionStore) {}

  get total(): number {
    return Object.values(this.calls).reduce((sum, n) => sum + n, 0);
  }

  reset(): void {
    for (const name of Object.keys(this.calls) as (keyof CountingStore['calls'])[]) this.calls[name] = 0;
  }

  get(key: string): Promise<string | undefined> {
    this.calls.get++;
    return this.inner.get(key);
  }

  set(key: string, value: string, ttlMs: number, userId?: string): Promise<void> {
    this.calls.set++;
    return this.inner.set(key, value, ttlMs, userId);
  }

  delete(key: string): Promise<void> {
    this.calls.delete++;
    return this.inner.delete(key);
  }

  deleteByUser(userId: string): Promise<number> {
    this.calls.deleteByUser++;
    return this.inner.deleteByUser(userId);
  }

  listByUser(userId: string): Promise<string[]> {
    this.calls.listByUser++;
    return this.inner.listByUser(userId);
  }
}
