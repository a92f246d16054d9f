/** The vitest side of test/helpers/redis.ts, apart so that bench scripts can start a redis-server without vitest. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type TestEmulator } from './emulator.js';
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

/**
 * Registers hooks that start the WorkOS emulator and one redis-server for the calling test file, with an `admin`
 * client on that server, and stop all three after its tests. Read the fields inside tests.
 */
export function useEmulatorAndRedis(): { readonly em: TestEmulator; readonly redis: TestRedis; readonly admin: Redis } {
  const context = {} as { em: TestEmulator; redis: TestRedis; admin: Redis };
  beforeAll(async () => {
    [context.em, context.redis] = await Promise.all([startEmulator(), startRedis()]);
    context.admin = context.redis.client();
  });
  afterAll(async () => {
    context.admin.disconnect();
    await context.redis.stop();
    await context.em.close();
  });
  return context;
}
