import { describe, expect, it } from 'vitest';
import { StoreGuard } from '../../src/core/coordination/guard.js';
import type { AuthKitEvent } from '../../src/core/events.js';

const fallbacks = (events: AuthKitEvent[]) => events.filter((e) => e.type === 'coordination.fallback');

describe('StoreGuard', () => {
  it('says whether a fallback came from a store that failed or one that did not answer in time', async () => {
    const events: AuthKitEvent[] = [];
    const guard = new StoreGuard(50, (event) => events.push(event));
    expect(await guard.run('revoke', () => Promise.reject(new Error('ECONNREFUSED')), 'fallback')).toBe('fallback');
    expect(await guard.run('acquire', () => new Promise<string>(() => undefined), 'fallback')).toBe('fallback');
    expect(fallbacks(events)).toMatchObject([
      { operation: 'revoke', timedOut: false },
      { operation: 'acquire', timedOut: true },
    ]);
  });

  it('takes a reply that arrived while the event loop was blocked past the bound', async () => {
    const events: AuthKitEvent[] = [];
    const guard = new StoreGuard(20, (event) => events.push(event));
    const answer = guard.run('acquire', () => new Promise<string>((resolve) => setTimeout(() => resolve('owner'), 10)), 'fallback');
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // Busy: both the reply's timer and the bound are due when the loop comes back.
    }
    expect(await answer).toBe('owner');
    expect(fallbacks(events)).toEqual([]);
  });
});
