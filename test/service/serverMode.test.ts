import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../src/core/sessionStore/MemorySessionStore.js';
import { shouldClearCookie } from '../../src/core/session/reasons.js';
import { setCookieFor, setCookieLines } from '../helpers/cookies.js';
import { CountingStore } from '../helpers/countingStore.js';
import { COOKIE_PASSWORD, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

const ctx = useEmulator();
const request = (cookie: string) => requestWithCookies({ 'wos-session': cookie });

/** A server-mode service on a counted in-memory store. */
function serverService(extra: Record<string, unknown> = {}, store = new CountingStore(new MemorySessionStore())) {
  const harness = makeService(ctx.em.port, ctx.em.apiKey, { sessionMode: 'server', ...extra }, { sessionStore: store });
  return { ...harness, store };
}

describe("sessionMode: 'server'", () => {
  it('signs in with one small Set-Cookie holding a signed id, never a token or a seal', async () => {
    const { service, store } = serverService();
    const { cookie, result } = await signIn(service);
    const lines = setCookieLines(result.response);
    expect(lines).toHaveLength(1);
    expect(new TextEncoder().encode(lines[0]).length).toBeLessThan(200);
    expect(cookie).toMatch(/^s1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(lines[0]).not.toContain('Fe26');
    expect(lines[0]).not.toContain(result.authResponse.refreshToken);
    expect(lines[0]).not.toContain('eyJ');
    expect(store.calls.set).toBe(1);
    const auth = await service.withAuth(request(cookie));
    expect(auth.auth.user?.email).toBe(DEMO_EMAIL);
    expect(auth.refreshedSessionData).toBeUndefined();
    expect(auth.data).toEqual({});
  });

  it('answers a repeated cookie from memory: one store GET on first sight, none after', async () => {
    const { service, store } = serverService();
    const { cookie } = await signIn(service);
    const other = serverService({}, store).service;
    store.reset();
    expect((await other.withAuth(request(cookie))).auth.user).not.toBeNull();
    expect(store.calls).toMatchObject({ get: 1, set: 0 });
    for (let i = 0; i < 5; i++) expect((await other.withAuth(request(cookie))).auth.user).not.toBeNull();
    expect(store.total).toBe(1);
  });

  it('shares one store read among concurrent first requests with one cookie', async () => {
    const { service, store } = serverService();
    const { cookie } = await signIn(service);
    const other = serverService({}, store).service;
    store.reset();
    const results = await Promise.all(Array.from({ length: 20 }, () => other.withAuth(request(cookie))));
    expect(results.every((r) => r.auth.user !== null)).toBe(true);
    expect(store.calls.get).toBe(1);
  });

  it('refreshes by rewriting the store: the cookie stays, the next request uses the new tokens', async () => {
    const { service, store, clock, events } = serverService();
    const { cookie, result } = await signIn(service);
    clock.advance(3600 + 60);
    store.reset();
    const refreshed = await service.withAuth(request(cookie));
    expect(refreshed.auth.user).not.toBeNull();
    expect(refreshed.refreshedSessionData).toBeUndefined();
    expect(refreshed.session?.refreshToken).not.toBe(result.authResponse.refreshToken);
    expect(store.calls.set).toBe(1);
    expect(events.filter((e) => e.type === 'refresh.succeeded')).toHaveLength(1);
    const again = await serverService({}, store).service.withAuth(request(cookie));
    expect(again.session?.refreshToken).toBe(refreshed.session?.refreshToken);
    expect(events.filter((e) => e.type === 'refresh.succeeded')).toHaveLength(1);
  });

  it('signOut deletes the record: the cookie is refused afterwards, here and on another instance', async () => {
    const { service, store } = serverService();
    const { cookie } = await signIn(service);
    const other = serverService({}, store).service;
    const before = await other.withAuth(request(cookie));
    const auth = await service.withAuth(request(cookie));
    if (!auth.auth.user) throw new Error('expected a user');
    await service.signOut(auth.auth.sessionId);
    expect(store.calls.delete).toBe(1);
    expect(before.auth.user).not.toBeNull();
    expect((await service.withAuth(request(cookie))).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    // A third instance that never saw the session: the record is gone.
    expect((await serverService({}, store).service.withAuth(request(cookie))).auth).toMatchObject({
      user: null,
      reason: 'session_revoked',
    });
  });

  it('revokeAllSessions deletes every record of the user from the store', async () => {
    const inner = new MemorySessionStore();
    const { service } = serverService({}, new CountingStore(inner));
    const { cookie } = await signIn(service);
    await signIn(service);
    const userId = ctx.em.users[DEMO_EMAIL] as string;
    expect(await inner.listByUser(userId)).toHaveLength(2);
    await service.revokeAllSessions(userId);
    expect(await inner.listByUser(userId)).toEqual([]);
    expect((await serverService({}, new CountingStore(inner)).service.withAuth(request(cookie))).auth.user).toBeNull();
  });

  it('refuses a forged id without any store command', async () => {
    const { service, store } = serverService();
    const { cookie } = await signIn(service);
    store.reset();
    const [, id] = cookie.split('.');
    const forged = [`s1.${id}.${'A'.repeat(43)}`, `s1.${'B'.repeat(43)}.${cookie.split('.')[2]}`, 's1.x.y', cookie.slice(0, -1)];
    for (const value of forged) {
      expect((await service.withAuth(request(value))).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
    }
    expect(store.total).toBe(0);
  });

  it("refuses another deployment's id (other password) without a lookup, and its record under our key", async () => {
    const inner = new MemorySessionStore();
    const shared = new CountingStore(inner);
    const userId = ctx.em.users[DEMO_EMAIL] as string;
    const ours = serverService({}, shared);
    const theirs = serverService({ cookiePassword: 'another-deployment-password-of-32-chars!!' }, shared);
    const { cookie: theirCookie } = await signIn(theirs.service);
    const [theirKey] = await inner.listByUser(userId);
    const { cookie: ourCookie } = await signIn(ours.service);
    const [ourKey] = (await inner.listByUser(userId)).filter((key) => key !== theirKey);
    shared.reset();
    expect((await ours.service.withAuth(request(theirCookie))).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
    expect(shared.total).toBe(0);
    // Their record copied under the key of our id does not open (other password; written for another key).
    await inner.set(ourKey as string, (await inner.get(theirKey as string)) as string, 60_000, userId);
    const fresh = serverService({}, shared).service;
    expect((await fresh.withAuth(request(ourCookie))).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
    // And our own record under another of our keys is refused too (each record names its key).
    const { cookie: second } = await signIn(ours.service);
    const keys = await inner.listByUser(userId);
    const secondKey = keys.find((key) => key !== theirKey && key !== ourKey) as string;
    const { cookie: third } = await signIn(ours.service);
    const thirdKey = (await inner.listByUser(userId)).find((key) => ![theirKey, ourKey, secondKey].includes(key)) as string;
    await inner.set(thirdKey, (await inner.get(secondKey)) as string, 60_000, userId);
    expect((await serverService({}, shared).service.withAuth(request(third))).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
    expect((await serverService({}, shared).service.withAuth(request(second))).auth.user).not.toBeNull();
  });

  it('refuses a dumped store value used as a cookie, in server and in cookie mode', async () => {
    const store = new MemorySessionStore();
    const { service } = serverService({}, new CountingStore(store));
    await signIn(service);
    const [key] = await store.listByUser(ctx.em.users[DEMO_EMAIL] as string);
    const dumped = (await store.get(key as string)) as string;
    expect(dumped.startsWith('Fe26.')).toBe(true);
    expect((await service.withAuth(request(dumped))).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
    const cookieMode = makeService(ctx.em.port, ctx.em.apiKey).service;
    expect((await cookieMode.withAuth(request(dumped))).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
  });

  it('moves a cookie-mode session into the store once, keeping the user signed in', async () => {
    const { cookie: old } = await signIn(makeService(ctx.em.port, ctx.em.apiKey).service);
    const store = new MemorySessionStore();
    const { service } = serverService({}, new CountingStore(store));
    const first = await service.withAuth(request(old));
    expect(first.auth.user?.email).toBe(DEMO_EMAIL);
    expect(first.refreshedSessionData).toMatch(/^s1\./);
    const second = await serverService({}, new CountingStore(store)).service.withAuth(request(old));
    expect(second.refreshedSessionData).toBe(first.refreshedSessionData);
    expect(await store.listByUser(ctx.em.users[DEMO_EMAIL] as string)).toHaveLength(1);
    expect((await service.withAuth(request(first.refreshedSessionData as string))).auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('keeps app data beside the session in the store, across instances and refreshes; the cookie stays small', async () => {
    const { service, store, clock } = serverService();
    const { cookie } = await signIn(service);
    const auth = await service.withAuth(request(cookie));
    const big = 'x'.repeat(10_000);
    const updated = await service.updateSessionData(new Response(), auth.session!, { cart: [1, 2], note: big });
    expect(setCookieLines(updated.response)).toHaveLength(0);
    expect(updated.data).toEqual({ cart: [1, 2], note: big });
    const elsewhere = serverService({}, store);
    expect((await elsewhere.service.withAuth(request(cookie))).data).toEqual({ cart: [1, 2], note: big });
    clock.advance(3600 + 60);
    elsewhere.clock.advance(3600 + 60);
    const refreshed = await service.withAuth(request(cookie));
    expect(refreshed.session?.refreshToken).not.toBe(auth.session?.refreshToken);
    expect(refreshed.data).toEqual({ cart: [1, 2], note: big });
    const removed = await service.updateSessionData(undefined, refreshed.session!, { note: undefined });
    expect(removed.data).toEqual({ cart: [1, 2] });
    expect((await service.withAuth(request(cookie))).data).toEqual({ cart: [1, 2] });
  });

  it('switchOrganization writes the store and hands back the same cookie', async () => {
    const { service } = serverService();
    const { cookie } = await signIn(service);
    const auth = await service.withAuth(request(cookie));
    const switched = await service.switchOrganization(auth.session!, ctx.em.orgs.Globex as string);
    expect(switched.encryptedSession).toBe(cookie);
    const after = await serverService({}, new CountingStore(new MemorySessionStore())).service.withAuth(request(cookie));
    expect(after.auth.user).toBeNull();
    const here = await service.withAuth(request(cookie));
    expect(here.auth.user && here.auth.organizationId).toBe(ctx.em.orgs.Globex);
  });

  it('answers session_store_unavailable (retryable, cookie kept) when the store fails, and recovers', async () => {
    const inner = new MemorySessionStore();
    const { service: signer } = serverService({}, new CountingStore(inner));
    const { cookie } = await signIn(signer);
    const failing = new FailingStore(inner);
    const { service } = serverService({}, failing as unknown as CountingStore);
    failing.down = true;
    const result = await service.withAuth(request(cookie));
    expect(result.auth).toEqual({ user: null, reason: 'session_store_unavailable', retryable: true });
    expect(shouldClearCookie('session_store_unavailable')).toBe(false);
    failing.down = false;
    expect((await service.withAuth(request(cookie))).auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('cookie mode keeps data sealed in the cookie, across refreshes, with a clear error past the budget', async () => {
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey, { cookieMaxParts: 1 });
    const { cookie } = await signIn(service);
    const auth = await service.withAuth(request(cookie));
    const saved = await service.updateSessionData(new Response(), auth.session!, { theme: 'dark' });
    const next = setCookieFor(saved.response).split(';')[0]!.slice('wos-session='.length);
    clock.advance(3600 + 60);
    const refreshed = await service.withAuth(request(decodeURIComponent(next)));
    expect(refreshed.refreshedSessionData).toBeDefined();
    expect(refreshed.data).toEqual({ theme: 'dark' });
    await expect(service.updateSessionData(new Response(), refreshed.session!, { blob: 'y'.repeat(6_000) })).rejects.toMatchObject({
      code: 'session_too_large',
    });
    await expect(service.updateSessionData(new Response(), refreshed.session!, { blob: 'y'.repeat(20_000) })).rejects.toMatchObject({
      code: 'session_data_too_large',
    });
    expect(COOKIE_PASSWORD.length).toBeGreaterThanOrEqual(32);
  });
});

/** A real store that can be switched to reject every call, as an unreachable store does. */
class FailingStore extends CountingStore {
  down = false;
  override get(key: string) {
    return this.down ? Promise.reject(new Error('connection refused')) : super.get(key);
  }
}
