import { describe, expect, it } from 'vitest';
import { createRedisCoordinationStore } from '../../src/redis/index.js';
import { useRedis } from '../helpers/useRedis.js';

const ctx = useRedis();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisCoordinationStore: Redis down', () => {
  it('fails fast while the server is down (no offline queue) and reconnects in the background', async () => {
    const own = createRedisCoordinationStore(ctx.redis.url);
    try {
      expect(await own.acquire('k', 5_000)).toBeDefined();
      await ctx.redis.stop();
      await sleep(50);
      for (const operation of [() => own.getResult('k'), () => own.acquire('k2', 5_000), () => own.isRevoked('s')]) {
        const started = Date.now();
        await expect(operation()).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(100);
      }
      await ctx.redis.restart();
      const deadline = Date.now() + 5_000;
      let answer: string | undefined;
      while (Date.now() < deadline) {
        answer = await own.acquire('after-restart', 5_000).catch(() => undefined);
        if (answer) break;
        await sleep(50);
      }
      expect(answer).toBeDefined();
    } finally {
      await own.close();
      await ctx.redis.restart();
    }
  });

  it('fails fast when no server was ever reachable', async () => {
    const nowhere = createRedisCoordinationStore('redis://127.0.0.1:1');
    try {
      const started = Date.now();
      await expect(nowhere.getResult('k')).rejects.toThrow();
      await expect(nowhere.isRevoked('s')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await nowhere.close();
    }
  });

  it('waits for the first connection instead of failing the first commands', async () => {
    const fresh = createRedisCoordinationStore(ctx.redis.url);
    try {
      const [owner, result] = await Promise.all([fresh.acquire('first', 5_000), fresh.getResult('first')]);
      expect(owner).toBeDefined();
      expect(result).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});
