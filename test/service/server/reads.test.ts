import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../src/core/sessionStore/MemorySessionStore.js';
import { shouldClearCookie } from '../../../src/core/session/reasons.js';
import { CountingStore } from '../../helpers/countingStore.js';
import { DEMO_EMAIL } from '../../helpers/emulator.js';
import { useEmulator } from '../../helpers/lifecycle.js';
import { requestWithCookies } from '../../helpers/requests.js';
import { signIn } from '../../helpers/service.js';
import { serverServiceFor } from '../../helpers/serverMode.js';

const ctx = useEmulator();

const request = (cookie: string) => requestWithCookies({ 'wos-session': cookie });

/** A server-mode service on a counted in-memory store. */
const serverService = serverServiceFor(ctx);

describe("sessionMode: 'server'", () => {
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
});

/** A real store that can be switched to reject every call, as an unreachable store does. */
class FailingStore extends CountingStore {
  down = false;
  override get(key: string) {
    return this.down ? Promise.reject(new Error('connection refused')) : super.get(key);
  }
}
