import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../src/core/sessionStore/MemorySessionStore.js';
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
});
