import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/refresh/digest.js';
import { createRedisCoordinationStore, RedisCoordinationStore } from '../../src/redis/index.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let admin: Redis;
let store: RedisCoordinationStore;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = await startRedis();
  admin = redis.client();
  store = createRedisCoordinationStore(redis.url);
});
afterAll(async () => {
  await store.close();
  admin.disconnect();
  await redis.stop();
});
beforeEach(async () => {
  await admin.flushall();
});

describe('RedisCoordinationStore: leases', () => {
  it('takes a lease with SET NX PX: one owner at a time, per key', async () => {
    const key = await sha256Hex('refresh-token-a');
    const owner = await store.acquire(key, 5_000);
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.acquire(key, 5_000)).toBeUndefined();
    expect(await store.acquire(await sha256Hex('refresh-token-b'), 5_000)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await admin.get(`authkit:lease:${key}`)).toBe(owner);
    const ttl = await admin.pttl(`authkit:lease:${key}`);
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('releases only for the owner that holds the lease (compare-and-delete)', async () => {
    const owner = (await store.acquire('k', 5_000)) as string;
    await store.release('k', 'someone-else');
    expect(await admin.get('authkit:lease:k')).toBe(owner);
    await store.release('k', owner);
    expect(await admin.exists('authkit:lease:k')).toBe(0);
    expect(await store.acquire('k', 5_000)).toBeDefined();
  });

  it('expires a lease after leaseMs, and a late release by the old owner leaves the new lease alone', async () => {
    const first = (await store.acquire('k', 60)) as string;
    expect(await store.acquire('k', 60)).toBeUndefined();
    await sleep(120);
    const second = (await store.acquire('k', 5_000)) as string;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    await store.release('k', first);
    expect(await admin.get('authkit:lease:k')).toBe(second);
  });

  it('hands each of many concurrent acquirers a distinct answer: exactly one owner', async () => {
    const stores = Array.from({ length: 4 }, () => createRedisCoordinationStore(redis.url));
    try {
      const answers = await Promise.all(stores.flatMap((s) => Array.from({ length: 25 }, () => s.acquire('storm', 5_000))));
      expect(answers.filter((a) => a !== undefined)).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe('RedisCoordinationStore: results and revocations', () => {
  it('stores a sealed result for ttlMs, then forgets it', async () => {
    expect(await store.getResult('r')).toBeUndefined();
    await store.setResult('r', 'Fe26.2**sealed', 80);
    expect(await store.getResult('r')).toBe('Fe26.2**sealed');
    expect(await admin.get('authkit:result:r')).toBe('Fe26.2**sealed');
    await sleep(150);
    expect(await store.getResult('r')).toBeUndefined();
  });

  it('records a revocation in the prefix + revocations sorted set (score: expiry), for ttlMs', async () => {
    expect(await store.isRevoked('session_01')).toBe(false);
    await store.revoke('session_01', 80);
    expect(await store.isRevoked('session_01')).toBe(true);
    expect(await store.isRevoked('session_02')).toBe(false);
    expect(Number(await admin.zscore('authkit:revocations', 'session_01'))).toBeGreaterThan(Date.now());
    await sleep(150);
    expect(await store.isRevoked('session_01')).toBe(false);
  });

  it('rounds durations up to whole milliseconds of at least 1', async () => {
    await store.setResult('fraction', 'x', 1_000.2);
    expect(await admin.pttl('authkit:result:fraction')).toBeGreaterThan(900);
    // Redis refuses PX 0 ("invalid expire time"): a zero duration still stores, for 1 ms.
    await expect(store.revoke('zero', 0)).resolves.toBeUndefined();
  });

  it('keeps applications apart by prefix, and works on a client you made', async () => {
    const client = redis.client();
    const other = new RedisCoordinationStore(client, { prefix: 'app2:' });
    try {
      await store.revoke('s', 10_000);
      expect(await other.isRevoked('s')).toBe(false);
      expect(await other.acquire('k', 10_000)).toBeDefined();
      expect(await store.acquire('k', 10_000)).toBeDefined();
      expect((await admin.keys('*')).sort()).toEqual(['app2:lease:k', 'authkit:lease:k', 'authkit:revocations']);
      expect(await store.isRevoked('s')).toBe(true);
      const third = createRedisCoordinationStore(client, { prefix: 'app3:' });
      expect(await third.acquire('k', 10_000)).toBeDefined();
      expect(await admin.exists('app3:lease:k')).toBe(1);
      await Promise.all([other.close(), third.close()]);
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });

  it('is not local: the coordinator polls it and falls back when it fails', () => {
    expect(store.local).toBe(false);
  });
});

describe('RedisCoordinationStore: session-control marks and one-time claims', () => {
  it('merges marks atomically (later time wins, digest replaced) and reads several subjects merged', async () => {
    await store.mark('user:u1', { staleAt: 2_000, digest: 'a' }, 60_000);
    await store.mark('user:u1', { staleAt: 1_000, revokedAt: 500 }, 60_000);
    expect(await store.marksOf(['user:u1'])).toEqual({ staleAt: 2_000, revokedAt: 500, digest: 'a' });
    await store.mark('user:u1', { digest: 'b' }, 60_000);
    await store.mark('all', { staleAt: 3_000 }, 60_000);
    expect(await store.marksOf(['user:u1', 'all', 'org:none'])).toEqual({ staleAt: 3_000, revokedAt: 500, digest: 'b' });
    expect(await store.marksOf([])).toEqual({});
    // The key lives at least as long as the longest TTL given.
    await store.mark('user:u1', { staleAt: 4_000 }, 10);
    expect(await admin.pttl('authkit:marks:user:u1')).toBeGreaterThan(50_000);
  });

  it('ignores a value that is not marks (a store never makes a session valid or invalid by garbage)', async () => {
    await admin.set('authkit:marks:user:u2', 'not json');
    expect(await store.marksOf(['user:u2'])).toEqual({});
    await store.mark('user:u2', { revokedAt: 7 }, 60_000);
    expect(await store.marksOf(['user:u2'])).toEqual({ revokedAt: 7 });
  });

  it('claims an id once until it expires', async () => {
    expect(await store.claimOnce('webhook:event_1', 80)).toBe(true);
    expect(await store.claimOnce('webhook:event_1', 80)).toBe(false);
    await sleep(120);
    expect(await store.claimOnce('webhook:event_1', 80)).toBe(true);
  });
});
