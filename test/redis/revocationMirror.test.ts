import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthService } from '../../src/service/AuthService.js';
import { startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { requestWithCookies } from '../helpers/requests.js';
import { TcpProxy } from '../helpers/tcpProxy.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';

let em: TestEmulator;
let redis: TestRedis;
let admin: Redis;
let proxy: TcpProxy;
const harnesses: ServiceHarness[] = [];
beforeAll(async () => {
  [em, redis] = await Promise.all([startEmulator(), startRedis()]);
  admin = redis.client();
  proxy = await new TcpProxy(redis.port).start();
});
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.service.close()));
  admin.disconnect();
  await proxy.close();
  await redis.stop();
  await em.close();
});
beforeEach(async () => {
  proxy.release();
  await admin.flushall();
});

function instance(redisUrl = redis.url): ServiceHarness {
  const harness = makeService(em.port, em.apiKey, { issuer: em.url, redisUrl });
  harnesses.push(harness);
  return harness;
}

const sidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')).sid;

async function reasonOf(service: AuthService<Request, Response>, cookie: string): Promise<string> {
  const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
  return auth.user ? 'authenticated' : auth.reason;
}

/** Asks until `service` answers `reason` (the revocation crosses over pub/sub), at most 100 times 20 ms apart. */
async function until(service: AuthService<Request, Response>, cookie: string, reason: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 100 && last !== reason; i++) {
    last = await reasonOf(service, cookie);
    if (last !== reason) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return last;
}

/** Waits (at most 5 s) until the proxy holds a SUBSCRIBE: the new instance's feed is connected but not subscribed. */
async function subscribeHeld(): Promise<boolean> {
  for (let i = 0; i < 250 && proxy.holding === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return proxy.holding > 0;
}

describe('revocations on Redis: a local mirror on every instance', () => {
  it('a sign-out on one instance holds on another while Redis is paused (no fail-open on a slow Redis)', async () => {
    const a = instance();
    const b = instance();
    const { cookie, result } = await signIn(a.service);
    expect(await reasonOf(b.service, cookie)).toBe('authenticated');
    await a.service.signOut(sidOf(result.authResponse.accessToken));
    expect(await until(b.service, cookie, 'session_revoked')).toBe('session_revoked');
    // Redis stops answering for 1.5 s: every request during it still refuses the signed-out cookie.
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
    const during = await Promise.all(Array.from({ length: 5 }, () => reasonOf(b.service, cookie)));
    expect(during).toEqual(Array(5).fill('session_revoked'));
  });

  it('the cookie of a session signed out on another instance is refused at once even when its first check would time out', async () => {
    const a = instance();
    const b = instance();
    const { cookie, result } = await signIn(a.service);
    expect(await reasonOf(b.service, cookie)).toBe('authenticated');
    await a.service.signOut(sidOf(result.authResponse.accessToken));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
    expect(await reasonOf(b.service, cookie)).toBe('session_revoked');
    expect(b.events.filter((e) => e.type === 'coordination.fallback')).toEqual([]);
  });

  it('an instance that was disconnected when the sign-out happened learns it when it reconnects (resync)', async () => {
    const b = instance();
    const { cookie, result } = await signIn(b.service);
    expect(await reasonOf(b.service, cookie)).toBe('authenticated');
    // Kill b's connections (the subscriber misses the message); the sign-out is recorded by a third party.
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const a = instance();
    await a.service.signOut(sidOf(result.authResponse.accessToken));
    expect(await until(b.service, cookie, 'session_revoked')).toBe('session_revoked');
  });

  it('an instance whose feed is not subscribed yet refuses a signed-out cookie (asks Redis until its mirror has synced)', async () => {
    const a = instance();
    const { cookie, result } = await signIn(a.service);
    // A new instance (a deploy, a scale-up) whose subscriber is slow to subscribe, e.g. on a loaded machine.
    proxy.holdWhen(/subscribe/i);
    const b = instance(`redis://127.0.0.1:${proxy.port}`);
    expect(await reasonOf(b.service, cookie)).toBe('authenticated');
    await a.service.signOut(sidOf(result.authResponse.accessToken));
    expect(await subscribeHeld()).toBe(true);
    expect(await reasonOf(b.service, cookie)).toBe('session_revoked');
    proxy.release();
    expect(await until(b.service, cookie, 'session_revoked')).toBe('session_revoked');
  });

  it('an instance whose feed is not subscribed yet refuses a cookie after "sign out everywhere"', async () => {
    const a = instance();
    const { cookie, result } = await signIn(a.service);
    proxy.holdWhen(/subscribe/i);
    const b = instance(`redis://127.0.0.1:${proxy.port}`);
    expect(await reasonOf(b.service, cookie)).toBe('authenticated');
    await a.service.revokeAllSessions(result.authResponse.user.id);
    expect(await subscribeHeld()).toBe(true);
    expect(await reasonOf(b.service, cookie)).toBe('session_revoked');
    proxy.release();
  });

  it('once its mirror has synced, an instance answers from memory again: no Redis command per request', async () => {
    const b = instance();
    const { cookie } = await signIn(b.service);
    expect(await until(b.service, cookie, 'authenticated')).toBe('authenticated');
    const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))?.[1]);
    // The feed subscribes and resyncs in the background (slower on a loaded machine): measure 20 requests at a
    // time until one batch makes no command but the INFO itself, for at most 5 s.
    let spent = -1;
    for (let attempt = 0; attempt < 50 && spent !== 1; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const before = await commands();
      for (let i = 0; i < 20; i++) expect(await reasonOf(b.service, cookie)).toBe('authenticated');
      spent = (await commands()) - before;
    }
    expect(spent).toBe(1);
  });

  it('a sign-out made while Redis was down reaches the other instances once it is back (published again)', async () => {
    const a = instance();
    const b = instance();
    const { cookie, result } = await signIn(a.service);
    expect(await reasonOf(b.service, cookie)).toBe('authenticated');
    await redis.stop();
    // Only a learns it now (its own mirror); the shared record could not be written.
    await a.service.signOut(sidOf(result.authResponse.accessToken));
    expect(await reasonOf(a.service, cookie)).toBe('session_revoked');
    await redis.restart();
    // ioredis reconnects within 2 s, then a publishes the revocation again: b refuses the cookie.
    let last = '';
    for (let i = 0; i < 300 && last !== 'session_revoked'; i++) {
      last = await reasonOf(b.service, cookie);
      if (last !== 'session_revoked') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(last).toBe('session_revoked');
    expect(await admin.zscore('authkit:revocations', sidOf(result.authResponse.accessToken))).not.toBeNull();
  });
});
