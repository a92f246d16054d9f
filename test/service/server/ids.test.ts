import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../src/core/sessionStore/MemorySessionStore.js';
import { setCookieLines } from '../../helpers/cookies.js';
import { CountingStore } from '../../helpers/countingStore.js';
import { DEMO_EMAIL } from '../../helpers/emulator.js';
import { useEmulator } from '../../helpers/lifecycle.js';
import { requestWithCookies } from '../../helpers/requests.js';
import { makeService, signIn } from '../../helpers/service.js';
import { serverServiceFor } from '../../helpers/serverMode.js';

const ctx = useEmulator();

const request = (cookie: string) => requestWithCookies({ 'wos-session': cookie });

/** A server-mode service on a counted in-memory store. */
const serverService = serverServiceFor(ctx);

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
    expect(lines[0]).not.toContain('eyJhbGciOi'); // a JWT header segment (a bare 'eyJ' can occur in random ids)
    expect(store.calls.set).toBe(1);
    const auth = await service.withAuth(request(cookie));
    expect(auth.auth.user?.email).toBe(DEMO_EMAIL);
    expect(auth.refreshedSessionData).toBeUndefined();
    expect(auth.data).toEqual({});
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
});
