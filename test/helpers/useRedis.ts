/** The vitest side of test/helpers/redis.ts, apart so that bench scripts can start a redis-server without vitest. */
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type TestRedis } from './redis.js';

/**
 * Registers hooks that start one redis-server for the calling test file and, after all its tests, close every
 * service pushed to `services` (their Redis clients and feeds) and stop the server. Read `redis` inside tests.
 */
export function useRedis(): { readonly redis: TestRedis; readonly services: { close(): Promise<void> }[] } {
  const context = { services: [] } as unknown as { redis: TestRedis; services: { close(): Promise<void> }[] };
  beforeAll(async () => {
    context.redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(context.services.map((service) => service.close()));
    await context.redis?.stop();
  });
  return context;
}
