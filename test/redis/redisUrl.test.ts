import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { LazyCoordinationStore } from '../../src/core/coordination/LazyCoordinationStore.js';
import { MemoryCoordinationStore } from '../../src/core/coordination/MemoryCoordinationStore.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor } from '../helpers/emulator.js';
import { useEmulatorAndRedis } from '../helpers/useRedis.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

const ctx = useEmulatorAndRedis();

function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString('utf8')).sid;
}

describe('LazyCoordinationStore', () => {
  it('loads authkit-session/redis on first use and coordinates through Redis', async () => {
    const store = new LazyCoordinationStore(ctx.redis.url);
    expect(store.local).toBe(false);
    const owner = await store.acquire('lazy-key', 5_000);
    expect(owner).toBeDefined();
    expect(await store.acquire('lazy-key', 5_000)).toBeUndefined();
    expect(await ctx.admin.get('authkit:lease:lazy-key')).toBe(owner);
    await store.release('lazy-key', owner as string);
    await store.setResult('lazy-key', 'sealed', 5_000);
    expect(await store.getResult('lazy-key')).toBe('sealed');
    await store.revoke('lazy-sid', 5_000);
    expect(await store.isRevoked('lazy-sid')).toBe(true);
  });

  it('rejects every operation when the Redis module cannot be loaded, and reports nothing unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const store = new LazyCoordinationStore(ctx.redis.url, () => Promise.reject(new Error('Cannot find package ioredis')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(store.acquire('k', 1_000)).rejects.toThrow('Cannot find package ioredis');
      await expect(store.release('k', 'o')).rejects.toThrow();
      await expect(store.getResult('k')).rejects.toThrow();
      await expect(store.setResult('k', 's', 1_000)).rejects.toThrow();
      await expect(store.revoke('s', 1_000)).rejects.toThrow();
      await expect(store.isRevoked('s')).rejects.toThrow();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('createAuthService with redisUrl', () => {
  it('records sign-outs in Redis, and the cookie then answers session_revoked', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, { issuer: ctx.em.url, redisUrl: ctx.redis.url });
    const { cookie, result } = await signIn(service);
    const sid = sessionIdOf(result.authResponse.accessToken);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).not.toBeNull();
    await service.signOut(sid);
    // Kept for the longest a session can live (cookieMaxAge, 400 days, unless sessionMaxLifetimeSeconds is set).
    const expiresAt = Number(await ctx.admin.zscore('authkit:revocations', sid));
    expect(expiresAt - Date.now()).toBeGreaterThan(399 * 24 * 3600 * 1000);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth).toEqual({
      user: null,
      reason: 'session_revoked',
      retryable: false,
    });
  });

  it('leaves Redis alone when a coordination store is passed', async () => {
    const harness = makeService(ctx.em.port, ctx.em.apiKey, { issuer: ctx.em.url, redisUrl: ctx.redis.url });
    const { result } = await signIn(harness.service);
    const sid = sessionIdOf(result.authResponse.accessToken);
    const coordination = new MemoryCoordinationStore();
    const service = createAuthService<Request, Response>({
      config: configFor(ctx.em.port, ctx.em.apiKey, { issuer: ctx.em.url, redisUrl: ctx.redis.url }),
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
      coordination,
    });
    await service.signOut(sid);
    expect(await coordination.isRevoked(sid)).toBe(true);
    expect(await ctx.admin.zscore('authkit:revocations', sid)).toBeNull();
  });

  it('keeps users signed in when redisUrl points nowhere: a fast fallback, no exception', async () => {
    const { service, events } = makeService(ctx.em.port, ctx.em.apiKey, { issuer: ctx.em.url, redisUrl: 'redis://127.0.0.1:1' });
    const { cookie, result } = await signIn(service);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => service.withAuth(requestWithCookies({ 'wos-session': cookie }))));
    expect(outcomes.every((o) => o.auth.user !== null)).toBe(true);
    // The sign-out cannot reach Redis: reported at once, and this instance still refuses the cookie.
    await service.signOut(sessionIdOf(result.authResponse.accessToken));
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).toBeNull();
    await service.close();
    const fallbacks = events.filter((e) => e.type === 'coordination.fallback');
    expect(fallbacks.length).toBeGreaterThan(0);
    for (const fallback of fallbacks) if (fallback.type === 'coordination.fallback') expect(fallback.timedOut).toBe(false);
  });
});
