import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { CookieSessionStorage } from '../../src/core/session/CookieSessionStorage.js';
import { parseCookieHeader } from '../../src/core/session/parseCookieHeader.js';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { AuthKitError } from '../../src/core/errors.js';
import { createAuthService } from '../../src/service/factory.js';
import { startEmulator, type TestEmulator, configFor, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD } from '../helpers/emulator.js';
import { makeService, signIn } from '../helpers/service.js';
import { CookieJar } from '../helpers/cookieJar.js';

let em: TestEmulator;
const BIG_EMAIL = 'big@example.com';

beforeAll(async () => {
  em = await startEmulator();
  // A user whose profile alone makes the sealed session about 9 KB, as WorkOS metadata can.
  const metadata = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, `v${i}-`.padEnd(480, 'x')]));
  const res = await fetch(`${em.url}/user_management/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${em.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: BIG_EMAIL, password: PASSWORD, first_name: 'Big', metadata }),
  });
  if (!res.ok) throw new Error(`user seed failed: ${res.status} ${await res.text()}`);
});
afterAll(async () => {
  await em.close();
});

/** A session of about `kb` KB of JSON, sealed (the real user and tokens, padded with profile data). */
async function sealedOfSize(base: string, kb: number): Promise<string> {
  const harness = makeService(em.port, em.apiKey);
  const session = await (await harness.service.getCore()).decryptSession(base);
  const padding = 'p'.repeat(Math.max(0, kb * 1024 - JSON.stringify(session).length));
  return sealData(
    { ...session, user: { ...session.user, profilePictureUrl: `https://cdn.example/${padding}` } },
    { password: COOKIE_PASSWORD },
  );
}

describe('sessions larger than 4 KB', () => {
  it('keeps a small session as exactly one Set-Cookie, a string', async () => {
    const { service } = makeService(em.port, em.apiKey);
    const { cookie } = await signIn(service);
    const saved = await service.saveSession(undefined, cookie);
    expect(saved.headers?.['Set-Cookie']).toEqual(expect.stringMatching(/^wos-session=/));
    const jar = new CookieJar();
    jar.apply(saved.headers?.['Set-Cookie']);
    expect([...jar.cookies.keys()]).toEqual(['wos-session']);
    expect(jar.cookies.get('wos-session')).toBe(cookie);
  });

  for (const kb of [6, 12]) {
    it(`round-trips a ${kb} KB session through a browser jar with nothing lost`, async () => {
      const { service } = makeService(em.port, em.apiKey);
      const { cookie } = await signIn(service);
      const large = await sealedOfSize(cookie, kb);
      const jar = new CookieJar();
      const saved = await service.saveSession(new Response('ok'), large);
      jar.applyResponse(saved.response);
      expect(jar.dropped).toBe(0);
      expect(jar.cookies.size).toBeGreaterThan(1);
      for (const line of saved.response?.headers.getSetCookie() ?? [])
        expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(4096);
      const { auth } = await service.withAuth(jar.request());
      expect(auth.user?.profilePictureUrl).toMatch(/^https:\/\/cdn\.example\/p+$/);
      expect(await service.getSession(jar.request())).not.toBeNull();
    });
  }

  it('shrinking back to a small session and clearSession delete the parts the request carried', async () => {
    const { service } = makeService(em.port, em.apiKey);
    const { cookie } = await signIn(service);
    const jar = new CookieJar();
    jar.apply((await service.saveSession(undefined, await sealedOfSize(cookie, 12))).headers?.['Set-Cookie']);
    expect(jar.cookies.size).toBeGreaterThanOrEqual(5);
    jar.apply((await service.saveSession(undefined, cookie, { request: jar.request() })).headers?.['Set-Cookie']);
    expect([...jar.cookies.keys()]).toEqual(['wos-session']);
    jar.apply((await service.saveSession(undefined, await sealedOfSize(cookie, 9))).headers?.['Set-Cookie']);
    jar.apply((await service.clearSession(undefined, { request: jar.request() })).headers?.['Set-Cookie']);
    expect(jar.cookies.size).toBe(0);
  });

  it('without the request, stale parts stay but are never read: the first cookie records its part count', async () => {
    const { service } = makeService(em.port, em.apiKey);
    const { cookie } = await signIn(service);
    const jar = new CookieJar();
    jar.apply((await service.saveSession(undefined, await sealedOfSize(cookie, 12))).headers?.['Set-Cookie']);
    const large = jar.cookies.size;
    expect(jar.cookies.get('wos-session')).toMatch(new RegExp(`^~${large}~Fe26\\.2\\*`));
    jar.apply((await service.saveSession(undefined, await sealedOfSize(cookie, 6))).headers?.['Set-Cookie']);
    expect(jar.cookies.size).toBe(large);
    expect((await service.withAuth(jar.request())).auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('writes a refreshed large session back whole', async () => {
    const { service, clock } = makeService(em.port, em.apiKey);
    const { cookie, result } = await signIn(service, { loginHint: BIG_EMAIL });
    const jar = new CookieJar();
    jar.applyResponse(result.response);
    expect(jar.cookies.size).toBeGreaterThan(1);
    expect(cookie.length).toBeLessThan(4096);
    clock.advance(3660);
    const refreshed = await service.withAuth(jar.request());
    expect(refreshed.auth.user?.email).toBe(BIG_EMAIL);
    expect(refreshed.refreshedSessionData?.length).toBeGreaterThan(8000);
    jar.apply((await service.saveSession(undefined, refreshed.refreshedSessionData as string)).headers?.['Set-Cookie']);
    clock.reset();
    const after = await service.withAuth(jar.request());
    expect(after.auth.user?.metadata).toMatchObject({ key11: expect.stringMatching(/^v11-x+$/) });
    expect(after.refreshedSessionData).toBeUndefined();
  });

  it('fails with session_too_large past the budget, with an event, never a silent drop', async () => {
    const { service, events } = makeService(em.port, em.apiKey, { cookieMaxParts: 3 });
    const { cookie } = await signIn(service);
    const error = await service.saveSession(undefined, await sealedOfSize(cookie, 12)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthKitError);
    expect((error as AuthKitError).code).toBe('session_too_large');
    expect(events.find((e) => e.type === 'cookie.oversize')).toMatchObject({ parts: expect.any(Number) });
  });

  it('warns when the Cookie header the session needs nears proxy limits', async () => {
    const { service, events } = makeService(em.port, em.apiKey);
    const { cookie } = await signIn(service);
    await service.saveSession(undefined, await sealedOfSize(cookie, 6));
    expect(events.some((e) => e.type === 'cookie.header_near_limit')).toBe(true);
  });

  it('works through a 0.3.4-style adapter overriding getSession that also implements getCookie', async () => {
    class Legacy extends CookieSessionStorage<Request, Response> {
      override async getSession(request: Request) {
        return parseCookieHeader(request.headers.get('cookie'))[this.cookieName] ?? null;
      }
      override async getCookie(request: Request, name: string) {
        return parseCookieHeader(request.headers.get('cookie'))[name] ?? null;
      }
    }
    const service = createAuthService<Request, Response>({
      config: configFor(em.port, em.apiKey),
      sessionStorageFactory: (c) => new Legacy(c),
    });
    const plain = makeService(em.port, em.apiKey);
    const { cookie } = await signIn(plain.service);
    const jar = new CookieJar();
    jar.apply((await service.saveSession(undefined, await sealedOfSize(cookie, 12))).headers?.['Set-Cookie']);
    expect((await service.withAuth(jar.request())).auth.user).not.toBeNull();
  });

  it('an adapter with only getSession (no getCookie) keeps one cookie and refuses what would need more', async () => {
    class GetSessionOnly extends CookieSessionStorage<Request, Response> {
      override async getSession(request: Request) {
        return parseCookieHeader(request.headers.get('cookie'))[this.cookieName] ?? null;
      }
    }
    const storage = new GetSessionOnly(configFor(em.port, em.apiKey));
    const small = await storage.saveSession(undefined, 'Fe26.2*small~2');
    expect(typeof small.headers?.['Set-Cookie']).toBe('string');
    const cleared = await storage.clearSession(undefined);
    expect(cleared.headers?.['Set-Cookie']).toMatch(/^wos-session=; Max-Age=0/);
    await expect(storage.saveSession(undefined, 'x'.repeat(5000))).rejects.toMatchObject({ code: 'session_too_large' });
  });

  it('sends every Set-Cookie as its own header and marks the response private', async () => {
    const storage = new FetchSessionStorage(configFor(em.port, em.apiKey));
    const saved = await storage.saveSession(new Response('x'), `Fe26.2*${'a'.repeat(9000)}~2`);
    const lines = saved.response?.headers.getSetCookie() ?? [];
    expect(lines.map((line) => line.slice(0, line.indexOf('=')))).toEqual(['wos-session', 'wos-session.1', 'wos-session.2']);
    expect(lines.every((line) => !line.includes(', wos-session'))).toBe(true);
    expect(saved.response?.headers.get('cache-control')).toBe('private, no-store');
    expect(saved.response?.headers.get('vary')).toBe('Cookie');
  });
});
