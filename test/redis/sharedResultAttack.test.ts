import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RefreshedTokens } from '../../src/core/refresh/types.js';
import { sha256Hex } from '../../src/core/refresh/digest.js';
import { SharedResultSealer } from '../../src/core/refresh/sharedResult.js';
import { COOKIE_PASSWORD, OTHER_EMAIL, startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

let em: TestEmulator;
let redis: TestRedis;
/** The attacker: can read (and write) everything in Redis, knows no password. */
let attacker: Redis;
beforeAll(async () => {
  [em, redis] = await Promise.all([startEmulator(), startRedis()]);
  attacker = redis.client();
});
afterAll(async () => {
  attacker.disconnect();
  await redis.stop();
  await em.close();
});
beforeEach(async () => {
  await attacker.flushall();
});

describe('a Redis reader and the shared refresh results', () => {
  it('cannot sign in with a stored result: it is not a cookie, not even for a moment', async () => {
    const { service, clock } = makeService(em.port, em.apiKey, { issuer: em.url, redisUrl: redis.url });
    const { cookie } = await signIn(service);
    clock.advance(3_600 + 60);
    const refreshed = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(refreshed.auth.user).not.toBeNull();
    expect(refreshed.refreshedSessionData).toBeDefined();
    const keys = await attacker.keys('authkit:result:*');
    expect(keys).toHaveLength(1);
    const stolen = (await attacker.get(keys[0] as string)) as string;
    // Presented as the session cookie, at once (inside the result's own lifetime): refused.
    const replayed = await service.withAuth(requestWithCookies({ 'wos-session': stolen }));
    expect(replayed.auth).toEqual({ user: null, reason: 'invalid_cookie', retryable: false });
    expect(await service.getSession(requestWithCookies({ 'wos-session': stolen }))).toBeNull();
    expect(stolen).toMatch(/^r1\./);
    // It holds no token in the clear either.
    const tokens = JSON.parse(JSON.stringify(refreshed.session)) as { accessToken: string; refreshToken: string };
    expect(stolen).not.toContain(tokens.accessToken.slice(0, 20));
    expect(stolen).not.toContain(tokens.refreshToken);
  });

  it('cannot move a result to another refresh token’s key: another instance ignores it and refreshes itself', async () => {
    const a = makeService(em.port, em.apiKey, { issuer: em.url, redisUrl: redis.url });
    const b = makeService(em.port, em.apiKey, { issuer: em.url, redisUrl: redis.url });
    const victim = await signIn(a.service);
    const mallory = await signIn(a.service, { loginHint: OTHER_EMAIL });
    a.clock.advance(3_600 + 60);
    b.clock.advance(3_600 + 60);
    // Mallory refreshes first; the attacker copies her result under the key the victim's refresh will use.
    await a.service.withAuth(requestWithCookies({ 'wos-session': mallory.cookie }));
    const [malloryKey] = await attacker.keys('authkit:result:*');
    const planted = (await attacker.get(malloryKey as string)) as string;
    const sealedSession = await (await b.service.getCore()).decryptSession(victim.cookie);
    const victimKey = `authkit:result:${await sha256Hex(`${sealedSession.refreshToken}\0${sealedSession.organizationId ?? ''}`)}`;
    await attacker.set(victimKey, planted, 'PX', 30_000);
    const outcome = await b.service.withAuth(requestWithCookies({ 'wos-session': victim.cookie }));
    expect(victim.result.authResponse.user.id).not.toBe(mallory.result.authResponse.user.id);
    expect(outcome.auth.user?.id).toBe(victim.result.authResponse.user.id);
    expect(b.events.some((e) => e.type === 'refresh.succeeded')).toBe(true);
  });
});

const tokens: RefreshedTokens = {
  accessToken: 'access',
  refreshToken: 'refresh',
  user: { id: 'user_1' } as RefreshedTokens['user'],
  impersonator: undefined,
};

describe('SharedResultSealer', () => {
  const now = () => 1_000_000;
  const sealer = new SharedResultSealer([COOKIE_PASSWORD], now);

  it('opens a result only for the key it was sealed for, before its expiry', async () => {
    const sealed = await sealer.seal(tokens, 'key-a', 30_000);
    expect(await sealer.open(sealed, 'key-a')).toEqual(tokens);
    expect(await sealer.open(sealed, 'key-b')).toBeUndefined();
    expect(await new SharedResultSealer([COOKIE_PASSWORD], () => 1_030_000).open(sealed, 'key-a')).toBeUndefined();
  });

  it('refuses every single-character change, and a result sealed under another password', async () => {
    const sealed = await sealer.seal(tokens, 'k', 30_000);
    for (let i = 0; i < sealed.length; i += 7) {
      const changed = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
      expect(await sealer.open(changed, 'k')).toBeUndefined();
    }
    const other = new SharedResultSealer(['another-password-of-at-least-32-characters'], now);
    expect(await other.open(sealed, 'k')).toBeUndefined();
    // After a password rotation the previous password still opens.
    const rotated = new SharedResultSealer(['another-password-of-at-least-32-characters', COOKIE_PASSWORD], now);
    expect(await rotated.open(sealed, 'k')).toEqual(tokens);
  });

  it('shape-checks what it opens', async () => {
    for (const bad of [{}, { ...tokens, user: {} }, { ...tokens, accessToken: '' }, { ...tokens, organizationId: 5 }, []]) {
      const sealed = await sealer.seal(bad as RefreshedTokens, 'k', 30_000);
      expect(await sealer.open(sealed, 'k')).toBeUndefined();
    }
  });
});
