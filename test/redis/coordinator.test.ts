import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthKitEvent } from '../../src/core/events.js';
import { RefreshCoordinator, type RefreshedTokens } from '../../src/core/refresh/RefreshCoordinator.js';
import { createRedisCoordinationStore, type RedisCoordinationStore } from '../../src/redis/index.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis.stop();
});

let stores: RedisCoordinationStore[] = [];
beforeEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});

const tokens = (n: number): RefreshedTokens => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  user: { id: 'user_1' } as RefreshedTokens['user'],
  impersonator: undefined,
});

/** A coordinator as one instance would build it, on its own connection to the shared Redis. */
function instance(call: () => Promise<RefreshedTokens>, store = createRedisCoordinationStore(redis.url)) {
  stores.push(store);
  const events: AuthKitEvent[] = [];
  const coordinator = new RefreshCoordinator({
    call,
    clock: Date.now,
    graceMs: 30_000,
    store,
    seal: async (value) => JSON.stringify(value),
    open: async (sealed) => JSON.parse(sealed) as RefreshedTokens,
    leaseMs: 2_000,
    onEvent: (event) => events.push(event),
  });
  return { coordinator, events, store };
}

describe('RefreshCoordinator on Redis', () => {
  it('two instances refreshing the same token at once make one call; the other takes the sealed result', async () => {
    let calls = 0;
    const call = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return tokens(calls);
    };
    const a = instance(call);
    const b = instance(call);
    const [ra, rb] = await Promise.all([
      a.coordinator.refresh({ refreshToken: 'rt-shared' }),
      b.coordinator.refresh({ refreshToken: 'rt-shared' }),
    ]);
    expect(calls).toBe(1);
    expect(ra).toEqual(tokens(1));
    expect(rb).toEqual(tokens(1));
  });

  it('a result stored between a waiting instance’s read and its acquire is reused, not refreshed again', async () => {
    const winner = instance(async () => tokens(1));
    let loserCalls = 0;
    const store = createRedisCoordinationStore(redis.url);
    const getResult = store.getResult.bind(store);
    let reads = 0;
    // The loser's first read misses; right after it, the winner refreshes, stores its result and releases.
    store.getResult = async (key) => {
      const value = await getResult(key);
      if (++reads === 1) await winner.coordinator.refresh({ refreshToken: 'rt-race' });
      return value;
    };
    const loser = instance(async () => {
      loserCalls += 1;
      return tokens(2);
    }, store);
    expect(await loser.coordinator.refresh({ refreshToken: 'rt-race' })).toEqual(tokens(1));
    expect(loserCalls).toBe(0);
    expect(loser.events).toContainEqual(expect.objectContaining({ type: 'refresh.reused' }));
  });
});
