import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookReply } from '../../src/control/webhook/receiver.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';
import { TcpProxy } from '../helpers/tcpProxy.js';
import { delivery, sessionIdOf } from '../helpers/webhooks.js';

const SECRET = 'whsec_test_0123456789abcdef0123456789abcdef';
const context = useEmulator();
let redis: TestRedis;
let proxy: TcpProxy;
let harness: ServiceHarness;

beforeAll(async () => {
  redis = await startRedis();
  proxy = await new TcpProxy(redis.port).start();
  harness = makeService(context.em.port, context.em.apiKey, { webhookSecret: SECRET, redisUrl: `redis://127.0.0.1:${proxy.port}` });
});
afterAll(async () => {
  await harness.service.close();
  await proxy.close();
  await redis.stop();
});

/**
 * Delivers again while the answer is 503, as WorkOS retries: the client reconnects, and the failed delivery's
 * hold on the event id (which the lost connection could not release) ends after 5 s. At most 10 s.
 */
async function redeliver(event: WebhookDelivery): Promise<WebhookReply> {
  let reply = await harness.service.receiveWorkOSWebhook(event);
  for (let i = 0; i < 100 && reply.status === 503; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    reply = await harness.service.receiveWorkOSWebhook(event);
  }
  return reply;
}

it('an event whose action the store failed to record is applied when WorkOS delivers it again', async () => {
  const { service, clock } = harness;
  const { cookie, result } = await signIn(service);
  const sessionId = sessionIdOf(result.authResponse.accessToken);
  expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).not.toBeNull();
  const event = delivery('session.revoked', { id: sessionId }, SECRET, { timestampMs: clock.now() });

  // The connection drops while the revocation is on its way to Redis: the event id was claimed, the action not recorded.
  proxy.dropWhen(/ZADD/);
  expect(await service.receiveWorkOSWebhook(event)).toEqual({ status: 503, body: { received: false, code: 'coordination_unavailable' } });
  expect(proxy.trapped).toBe(1);

  // WorkOS delivers the event again: it is applied, not acknowledged as a duplicate and lost.
  expect(await redeliver(event)).toEqual({ status: 200, body: { received: true, action: 'revoke_session' } });
  const admin = redis.client();
  expect(await admin.zscore('authkit:revocations', sessionId)).not.toBeNull();
  admin.disconnect();
  // Once applied, a replay is acknowledged and ignored.
  expect(await service.receiveWorkOSWebhook(event)).toEqual({ status: 200, body: { received: true, duplicate: true } });
});
