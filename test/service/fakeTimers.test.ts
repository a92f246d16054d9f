import { afterEach, describe, expect, it, vi } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor, COOKIE_PASSWORD, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { signIn } from '../helpers/service.js';

const ctx = useEmulator();

afterEach(() => {
  vi.useRealTimers();
});

describe("an application's fake timers move the library's time", () => {
  it('vi.useFakeTimers({ toFake: ["Date"] }) after the service is built: an expired token is refreshed', async () => {
    // No clock option: the default clock. The service is built (and used) before the timers are faked,
    // as an application that creates its service at module load would.
    const service = createAuthService<Request, Response>({
      config: configFor(ctx.em.port, ctx.em.apiKey),
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
    });
    const { cookie } = await signIn(service);
    const before = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(before.auth).toMatchObject({ user: { email: DEMO_EMAIL } });
    expect(before.refreshedSessionData).toBeUndefined();

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (3600 + 120) * 1000);
    const after = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(after.auth).toMatchObject({ user: { email: DEMO_EMAIL } });
    expect(after.refreshedSessionData).toEqual(expect.any(String));
    expect(after.session?.accessToken).not.toBe(before.session?.accessToken);
  });
});

describe.each([
  ['webcrypto', createWebCryptoBackend()],
  ['node', nodeCryptoBackend],
] as const)('iron expiry runs on the given time (%s backend)', (_name, backend: CryptoBackend) => {
  it('a seal with a TTL expires on the passed clock, not on the system clock', async () => {
    const now = Date.now();
    const body = await backend.seal({ a: 1 }, COOKIE_PASSWORD, 60_000, now);
    expect(await backend.unseal(body, COOKIE_PASSWORD, now + 30_000)).toEqual({ a: 1 });
    // iron allows 60 s of skew past the expiry.
    await expect(Promise.resolve().then(() => backend.unseal(body, COOKIE_PASSWORD, now + 180_000))).rejects.toThrow('Expired seal');
    // Sealed in the injected past: already expired now, whatever the system clock says.
    const old = await backend.seal({ a: 1 }, COOKIE_PASSWORD, 60_000, now - 3_600_000);
    await expect(Promise.resolve().then(() => backend.unseal(old, COOKIE_PASSWORD, now))).rejects.toThrow('Expired seal');
  });
});
