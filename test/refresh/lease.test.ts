import { describe, expect, it } from 'vitest';
import { MemoryCoordinationStore } from '../../src/core/coordination/MemoryCoordinationStore.js';
import { ExpiringMap } from '../../src/core/lib/expiringMap.js';
import { RefreshCoordinator, type RefreshedTokens } from '../../src/core/refresh/RefreshCoordinator.js';
import { TestClock } from '../helpers/clock.js';

const tokens = (n: number): RefreshedTokens => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  user: { id: 'user_1' } as RefreshedTokens['user'],
  impersonator: undefined,
});

/** The in-memory store, declared shared, so the coordinator takes the lease strategy over it. */
function sharedMemoryStore(clock: TestClock): MemoryCoordinationStore {
  return Object.assign(new MemoryCoordinationStore({ clock: clock.now }), { local: false }) as MemoryCoordinationStore;
}

/** A coordinator on `store` with a 1 s lease and a 30 s grace window, sharing its results as plain JSON. */
function leaseCoordinator(
  clock: TestClock,
  store: MemoryCoordinationStore,
  call: ConstructorParameters<typeof RefreshCoordinator>[0]['call'],
): RefreshCoordinator {
  return new RefreshCoordinator({
    call,
    clock: clock.now,
    graceMs: 30_000,
    store,
    seal: async (value) => JSON.stringify(value),
    open: async (sealed) => JSON.parse(sealed) as unknown,
    leaseMs: 1_000,
  });
}

describe('lease strategy', () => {
  it('ignores a shared result that does not open to tokens, and spends the token itself', async () => {
    const clock = new TestClock();
    const store = sharedMemoryStore(clock);
    let calls = 0;
    const coordinator = leaseCoordinator(clock, store, async () => tokens(++calls));
    // What another instance (or someone with write access to the store) left under every key.
    const getResult = store.getResult.bind(store);
    store.getResult = async (key) => (await getResult(key)) ?? JSON.stringify({ accessToken: 'x', user: null });
    expect(await coordinator.refresh({ refreshToken: 'rt-1' })).toEqual(tokens(1));
    expect(calls).toBe(1);
  });

  it('publishes its result for other instances and releases the lease', async () => {
    const clock = new TestClock();
    const store = sharedMemoryStore(clock);
    const make = (call: () => Promise<RefreshedTokens>) => leaseCoordinator(clock, store, call);
    let calls = 0;
    const a = make(async () => tokens(++calls));
    const b = make(async () => tokens(++calls));
    expect(await a.refresh({ refreshToken: 'rt-2' })).toEqual(tokens(1));
    expect(await b.refresh({ refreshToken: 'rt-2' })).toEqual(tokens(1));
    expect(calls).toBe(1);
    clock.advance(31);
    // Past the grace window the published result is gone: the (now spent) token is presented again.
    expect(await b.refresh({ refreshToken: 'rt-2' })).toEqual(tokens(2));
  });

  it('with the store failing, defers a proactive refresh (retryable, nothing spent) and spends an expired token', async () => {
    const clock = new TestClock();
    const store = sharedMemoryStore(clock);
    store.acquire = async () => {
      throw new Error('connection refused');
    };
    let calls = 0;
    const coordinator = leaseCoordinator(clock, store, async () => tokens(++calls));
    await expect(coordinator.refresh({ refreshToken: 'rt-3', proactive: true })).rejects.toMatchObject({
      code: 'refresh_unavailable',
      retryable: true,
    });
    expect(calls).toBe(0);
    expect(await coordinator.refresh({ refreshToken: 'rt-3' })).toEqual(tokens(1));
    expect(calls).toBe(1);
  });

  it('never spends a token whose shared result it could not read, even when the lease is free (chaos soak, after a Redis restart)', async () => {
    const clock = new TestClock();
    const store = sharedMemoryStore(clock);
    // Instance B sees the same store, but its reads of results fail (or are skipped by its guard while that
    // operation is degraded) while its leases go through: what each instance saw just after Redis came back.
    const blind = Object.create(store) as MemoryCoordinationStore;
    blind.getResult = async () => {
      throw new Error('connection refused');
    };
    const spent = new Set<string>();
    let presented = 0;
    const make = (view: MemoryCoordinationStore) =>
      leaseCoordinator(clock, view, async (refreshToken) => {
        presented += 1;
        if (spent.has(refreshToken)) throw new Error('WorkOS refuses a spent refresh token: the user would be signed out');
        spent.add(refreshToken);
        return tokens(spent.size);
      });
    const a = make(store);
    const b = make(blind);
    expect(await a.refresh({ refreshToken: 'rt-4', proactive: true })).toEqual(tokens(1));
    // A spent it, published the result and released the lease; B cannot read that result: it must defer
    // (the token is still valid), not take the free lease and present the spent token again.
    await expect(b.refresh({ refreshToken: 'rt-4', proactive: true })).rejects.toMatchObject({
      code: 'refresh_unavailable',
      retryable: true,
    });
    expect(presented).toBe(1);
  });
});

describe('ExpiringMap', () => {
  it('forgets entries at their expiry and evicts the oldest past its size', () => {
    const map = new ExpiringMap<number>(2);
    map.set('a', 1, 100, 0);
    map.set('b', 2, 100, 0);
    expect(map.get('a', 99)).toBe(1);
    expect(map.get('a', 100)).toBeUndefined();
    map.set('c', 3, 100, 0);
    map.set('d', 4, 100, 0);
    expect(map.size).toBe(2);
    expect(map.get('b', 0)).toBeUndefined();
    map.delete('d');
    expect(map.get('d', 0)).toBeUndefined();
  });

  it('written steadily, holds its live entries rather than every entry it was given (the chaos soak heap growth)', () => {
    // Refresh outcomes are kept for the grace window and looked up by the old token, which after a rotation
    // no one presents again: without a sweep they stayed until 10,000 of them pushed the oldest out.
    const map = new ExpiringMap<string>(10_000);
    for (let i = 0; i < 1_000; i++) map.set(`old-${i}`, 'x'.repeat(100), 30_000, i);
    for (let i = 0; i < 1_000; i++) map.set(`new-${i}`, 'x'.repeat(100), 30_000, 100_000 + i);
    expect(map.size).toBe(1_000);
    expect(map.get('new-0', 100_999)).toBeDefined();
  });
});
