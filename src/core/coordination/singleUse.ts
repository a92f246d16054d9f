import type { Clock } from '../clock.js';
import { ExpiringMap } from '../lib/expiringMap.js';
import type { CoordinationStore } from './CoordinationStore.js';
import type { StoreGuard } from './guard.js';

/**
 * Ids that may be used once (sign-in state nonces): claimed in this instance's memory first, then in the
 * coordination store for every instance. When the store cannot answer the claim still holds on this instance.
 */
export class SingleUse {
  private readonly local = new ExpiringMap<true>(100_000);

  constructor(
    private readonly store: CoordinationStore,
    private readonly guard: StoreGuard,
    private readonly clock: Clock,
  ) {}

  /** True the first time `id` is claimed within `ttlMs` (on any instance sharing the store), false after. */
  async claim(id: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    if (this.local.get(id, now) !== undefined) return false;
    this.local.set(id, true, ttlMs, now);
    if (this.store.local) return this.store.claimOnce(id, ttlMs);
    return this.guard.run('claimOnce', () => this.store.claimOnce(id, ttlMs), true);
  }
}
