import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/core/sessionStore/SessionStore.js';
import { MemorySessionStore } from '../../src/core/sessionStore/MemorySessionStore.js';
import { createRedisSessionStore, type RedisSessionStore } from '../../src/redis/index.js';
import { TestClock } from '../helpers/clock.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let admin: Redis;
let redisStore: RedisSessionStore;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = await startRedis();
  admin = redis.client();
  redisStore = createRedisSessionStore(redis.url, { prefix: 't:' });
});
afterAll(async () => {
  await redisStore.close();
  admin.disconnect();
  await redis.stop();
});
beforeEach(async () => {
  await admin.flushall();
});

/** The port's contract, run against each implementation; `expire` lets the TTL pass. */
function contract(name: string, make: () => { store: SessionStore; expire: (ms: number) => Promise<void> }) {
  describe(`${name}: the SessionStore contract`, () => {
    it('gets what was set, replaces on set, forgets on delete', async () => {
      const { store } = make();
      expect(await store.get('a')).toBeUndefined();
      await store.set('a', 'v1', 60_000, 'user_1');
      expect(await store.get('a')).toBe('v1');
      await store.set('a', 'v2', 60_000, 'user_1');
      expect(await store.get('a')).toBe('v2');
      await store.delete('a');
      expect(await store.get('a')).toBeUndefined();
      await store.delete('a');
    });

    it('indexes records by user: list and delete-by-user touch only that user', async () => {
      const { store } = make();
      await store.set('a', 'v', 60_000, 'user_1');
      await store.set('b', 'v', 60_000, 'user_1');
      await store.set('c', 'v', 60_000, 'user_2');
      await store.set('bookkeeping', 'v', 60_000);
      expect((await store.listByUser('user_1')).sort()).toEqual(['a', 'b']);
      expect(await store.listByUser('user_2')).toEqual(['c']);
      expect(await store.listByUser('nobody')).toEqual([]);
      await store.delete('a');
      expect(await store.listByUser('user_1')).toEqual(['b']);
      expect(await store.deleteByUser('user_1')).toBe(1);
      expect(await store.get('b')).toBeUndefined();
      expect(await store.listByUser('user_1')).toEqual([]);
      expect(await store.get('c')).toBe('v');
      expect(await store.get('bookkeeping')).toBe('v');
      expect(await store.deleteByUser('user_1')).toBe(0);
    });

    it('expires a record after ttlMs, and leaves it out of the user list', async () => {
      const { store, expire } = make();
      await store.set('short', 'v', 100, 'user_1');
      await store.set('long', 'v', 60_000, 'user_1');
      await expire(200);
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('long')).toBe('v');
      expect(await store.listByUser('user_1')).toEqual(['long']);
    });
  });
}

contract('MemorySessionStore', () => {
  const clock = new TestClock();
  return {
    store: new MemorySessionStore({ clock: clock.now }),
    expire: async (ms) => clock.advance(ms / 1000),
  };
});
contract('RedisSessionStore', () => ({ store: redisStore, expire: sleep }));

describe('MemorySessionStore bounds', () => {
  it('keeps at most maxEntries records, evicting the oldest write and its index entry', async () => {
    const store = new MemorySessionStore({ maxEntries: 2 });
    await store.set('a', 'v', 60_000, 'u');
    await store.set('b', 'v', 60_000, 'u');
    await store.set('c', 'v', 60_000, 'u');
    expect(store.size).toBe(2);
    expect(await store.get('a')).toBeUndefined();
    expect((await store.listByUser('u')).sort()).toEqual(['b', 'c']);
  });
});

describe('RedisSessionStore in Redis', () => {
  it('writes the record with a PX TTL under the prefix, and stretches the user index to the longest record', async () => {
    await redisStore.set('k1', 'sealed', 5_000, 'user_1');
    await redisStore.set('k2', 'sealed', 60_000, 'user_1');
    await redisStore.set('k3', 'sealed', 1_000, 'user_1');
    expect(await admin.get('t:session:k1')).toBe('sealed');
    const ttl = await admin.pttl('t:session:k1');
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect(await admin.pttl('t:user:user_1')).toBeGreaterThan(59_000);
    expect((await admin.smembers('t:user:user_1')).sort()).toEqual(['k1', 'k2', 'k3']);
  });

  it('rejects at once while Redis is down (fail-fast client), and works again once it is back', async () => {
    await redisStore.set('k', 'v', 60_000, 'u');
    await redis.stop();
    try {
      const started = Date.now();
      await expect(redisStore.get('k')).rejects.toThrow();
      await expect(redisStore.set('k', 'v', 60_000, 'u')).rejects.toThrow();
      await expect(redisStore.listByUser('u')).rejects.toThrow();
      // No offline queue and no per-command retries: the failure is immediate, not a command timeout.
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await redis.restart();
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      if (
        await redisStore.get('k').then(
          () => true,
          () => false,
        )
      )
        break;
      await sleep(50);
    }
    await redisStore.set('k', 'v2', 60_000, 'u');
    expect(await redisStore.get('k')).toBe('v2');
  });

  it('waits for the first connection of a new client instead of failing its first command', async () => {
    const store = createRedisSessionStore(redis.url);
    try {
      await store.set('first', 'v', 60_000, 'u');
      expect(await store.get('first')).toBe('v');
    } finally {
      await store.close();
    }
  });
});
