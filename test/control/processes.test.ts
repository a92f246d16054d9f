import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCoordinationStore } from '../../src/redis/index.js';
import type { AuthService } from '../../src/service/AuthService.js';
import { startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { emulatorApi, registerEndpoint, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhooks.js';
import { startWorkers, type WorkerProcess } from '../helpers/workers.js';
import type { InitCommand } from '../redis/worker.js';

/**
 * Two server processes sharing one Redis, plus this process receiving the emulator's webhooks with a third
 * service on the same Redis. WorkOS state changes go through the emulator's API; nothing is faked.
 */
const WORKER = fileURLToPath(new URL('../redis/worker.ts', import.meta.url));
const SECRET = 'whsec_processes_0123456789abcdef0123456789';
const CALLS = 5;

type Outcome = { user: string | null; role?: string; permissions?: string[]; reason?: string };

let em: TestEmulator;
let redis: TestRedis;
let workers: WorkerProcess[] = [];
let receiver: WebhookReceiver;
let service: AuthService<Request, Response>;
let closeStore: () => Promise<void>;

beforeAll(async () => {
  [em, redis, workers] = await Promise.all([startEmulator(), startRedis(), startWorkers(WORKER, 2)]);
  const store = createRedisCoordinationStore(redis.url);
  closeStore = () => store.close();
  service = makeService(em.port, em.apiKey, { webhookSecret: SECRET, issuer: em.url }, { coordination: store }).service;
  receiver = await startWebhookReceiver((d) => service.receiveWorkOSWebhook(d));
  await registerEndpoint(em, receiver.url, SECRET);
  const command: InitCommand = {
    type: 'init',
    port: em.port,
    apiKey: em.apiKey,
    issuer: em.url,
    redisUrl: redis.url,
    via: 'redisUrl',
    coordinationTimeoutMs: 1_000,
  };
  await Promise.all(workers.map((w) => w.request(command)));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await receiver?.close();
  await closeStore?.();
  await redis?.stop();
  await em?.close();
});

/** Every instance's outcomes for `CALLS` concurrent requests each with `cookie`. */
async function everywhere(cookie: string): Promise<Outcome[]> {
  const replies = await Promise.all(
    workers.map((w) => w.request<{ type: string; results: Outcome[] }>({ type: 'auth', cookie, calls: CALLS })),
  );
  return replies.flatMap((reply) => reply.results);
}

/** Signs in and settles the refresh asked for by the sign-in's own `user.updated` event. */
async function signedIn(): Promise<{ cookie: string; userId: string; sessionId: string }> {
  const before = receiver.received.length;
  const { cookie, result } = await signIn(service);
  const userId = result.authResponse.user.id;
  await receiver.waitFor((d) => receiver.received.indexOf(d) >= before && d.event.event === 'user.updated' && d.event.data.id === userId);
  const first = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
  if (!first.auth.user) throw new Error(first.auth.reason);
  return { cookie: first.refreshedSessionData ?? cookie, userId, sessionId: first.auth.sessionId };
}

describe('two processes sharing Redis follow WorkOS within one request', () => {
  it('a session revoked through the emulator API answers session_revoked on every instance, cached cookies included', async () => {
    const { cookie, sessionId } = await signedIn();
    // Twice, so the second round answers from each instance's verified-session cache.
    for (let round = 0; round < 2; round++) expect((await everywhere(cookie)).every((o) => o.user !== null)).toBe(true);
    await emulatorApi(em, 'POST', '/user_management/sessions/revoke', { session_id: sessionId });
    const got = await receiver.waitFor((d) => d.event.event === 'session.revoked' && d.event.data.id === sessionId);
    expect(got.reply.status).toBe(200);
    const after = await everywhere(cookie);
    const served = after.filter((o) => o.user !== null).length;
    expect(served).toBe(0);
    expect(after.every((o) => o.reason === 'session_revoked')).toBe(true);
  });

  it('a role changed through the emulator API is carried by the next request on every instance, none stale', async () => {
    const { cookie: plain } = await signedIn();
    const session = (await service.getSession(requestWithCookies({ 'wos-session': plain })))!;
    const cookie = (await service.switchOrganization(session, em.orgs.Acme as string)).encryptedSession;
    for (let round = 0; round < 2; round++) expect((await everywhere(cookie)).every((o) => o.role === 'admin')).toBe(true);
    const list = (await (await emulatorApi(em, 'GET', `/user_management/organization_memberships?user_id=${session.user.id}`)).json()) as {
      data: { id: string; organization_id: string }[];
    };
    const membership = list.data.find((m) => m.organization_id === em.orgs.Acme)!;
    await emulatorApi(em, 'PUT', `/user_management/organization_memberships/${membership.id}`, { role_slug: 'member' });
    await receiver.waitFor((d) => d.event.event === 'organization_membership.updated' && d.event.data.id === membership.id);
    const after = await everywhere(cookie);
    const stale = after.filter((o) => o.role !== 'member').length;
    expect(stale).toBe(0);
    expect(after.every((o) => o.user !== null && JSON.stringify(o.permissions) === '["posts:read"]')).toBe(true);
  });
});
