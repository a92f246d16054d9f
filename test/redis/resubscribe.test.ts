import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRedisCoordinationStore } from '../../src/redis/index.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { TcpProxy } from '../helpers/tcpProxy.js';

let redis: TestRedis;
let proxy: TcpProxy;
const unhandled: unknown[] = [];
const record = (reason: unknown) => unhandled.push(reason);

beforeEach(async () => {
  redis = await startRedis();
  proxy = await new TcpProxy(redis.port).start();
  unhandled.length = 0;
  process.on('unhandledRejection', record);
});
afterEach(async () => {
  process.off('unhandledRejection', record);
  await proxy.close();
  await redis.stop();
});

const until = async (condition: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
};

it('a connection lost while the mirror re-subscribes leaves no unhandled rejection, and the mirror recovers', async () => {
  // Found under CI load: ioredis re-subscribed on its own after a reconnection without handling the
  // command's promise; a connection lost at that moment crashed the process (an unhandled rejection).
  const store = createRedisCoordinationStore(`redis://127.0.0.1:${proxy.port}`);
  const revoked: string[] = [];
  const stop = store.watchRevocations?.((sessionId) => revoked.push(sessionId));
  expect(stop).toBeTypeOf('function');
  await store.revoke('session_before', 60_000);
  expect(await until(() => revoked.includes('session_before'))).toBe(true);

  // The next SUBSCRIBE is cut before Redis sees it: the command is in flight when the connection drops.
  proxy.dropWhen(/subscribe/i);
  proxy.dropAll();
  expect(await until(() => proxy.trapped === 1)).toBe(true);

  // The subscriber comes back by itself and the mirror hears new revocations again.
  await until(() => false, 300);
  await store.revoke('session_after', 60_000);
  expect(await until(() => revoked.includes('session_after'))).toBe(true);
  expect(unhandled).toEqual([]);
  stop?.();
  await store.close?.();
});
