import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { withAuthHandler } from '../../src/adapters/fetchMiddleware.js';
import { NodeSessionStorage } from '../../src/adapters/node.node.js';
import { authkitMiddleware, getAuth } from '../../src/adapters/nodeMiddleware.node.js';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import type { AuthKitConfig } from '../../src/core/config/types.js';
import type { SessionStorage } from '../../src/core/session/types.js';
import { createAuthService } from '../../src/service/factory.js';
import { TestClock } from '../helpers/clock.js';
import { CookieJar } from '../helpers/cookieJar.js';
import { configFor, COOKIE_PASSWORD, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { makeService, signIn } from '../helpers/service.js';

const ctx = useEmulator();

/** The two storages, each counting the Cookie headers it parses (through its `parseCookieHeader` hook). */
class CountingFetchStorage extends FetchSessionStorage {
  parses = 0;
  protected override parseCookieHeader(header: string): Record<string, string> {
    this.parses++;
    return super.parseCookieHeader(header);
  }
}
class CountingNodeStorage extends NodeSessionStorage {
  parses = 0;
  protected override parseCookieHeader(header: string): Record<string, string> {
    this.parses++;
    return super.parseCookieHeader(header);
  }
}

/** A signed-in session padded to about 12 KB, saved into a jar (several `wos-session` parts) beside 40 other cookies. */
async function splitSessionJar(): Promise<{ jar: CookieJar; small: string }> {
  const { service } = makeService(ctx.em.port, ctx.em.apiKey);
  const { cookie: small } = await signIn(service);
  const session = await (await service.getCore()).decryptSession(small);
  const padding = 'p'.repeat(12 * 1024 - JSON.stringify(session).length);
  const large = await sealData(
    { ...session, user: { ...session.user, profilePictureUrl: `https://cdn.example/${padding}` } },
    {
      password: COOKIE_PASSWORD,
    },
  );
  const jar = new CookieJar();
  for (let i = 0; i < 40; i++) jar.cookies.set(`pref${i}`, `value-${i}`);
  jar.apply((await service.saveSession(undefined, large)).headers?.['Set-Cookie']);
  return { jar, small };
}

const nodeRequest = (cookie: string): IncomingMessage => {
  const request = new IncomingMessage(new Socket());
  request.headers = { host: 'localhost:3000', cookie };
  return request;
};

/** A counting storage, typed for either request type. */
type Counting = SessionStorage<unknown, unknown> & {
  parses: number;
  getCookie(request: unknown, name: string): Promise<string | null>;
  getCookies(request: unknown): Promise<Record<string, string>>;
};
const cases: { name: string; storage: (config: AuthKitConfig) => Counting; request: (cookie: string) => unknown }[] = [
  {
    name: 'FetchSessionStorage',
    storage: (config) => new CountingFetchStorage(config) as unknown as Counting,
    request: (cookie) => new Request('http://localhost:3000/', { headers: { cookie } }),
  },
  { name: 'NodeSessionStorage', storage: (config) => new CountingNodeStorage(config) as unknown as Counting, request: nodeRequest },
];

describe.each(cases)('$name with a session split over several cookies', ({ storage: make, request: requestFor }) => {
  it('parses the Cookie header once per request: reading every part, then deleting the parts no longer used', async () => {
    const { jar, small } = await splitSessionJar();
    const parts = [...jar.cookies.keys()].filter((name) => name.startsWith('wos-session.'));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    let storage: Counting | undefined;
    const service = createAuthService<unknown, unknown>({
      config: configFor(ctx.em.port, ctx.em.apiKey),
      sessionStorageFactory: (config) => (storage = make(config)),
    });
    const request = requestFor(jar.header());
    expect((await service.withAuth(request)).auth.user?.email).toBe(DEMO_EMAIL);
    expect(storage?.parses).toBe(1);
    // Writing the small session back looks for every part the request may carry: still the one parse.
    const saved = await service.saveSession(undefined, small, { request });
    expect(storage?.parses).toBe(1);
    jar.apply(saved.headers?.['Set-Cookie']);
    expect([...jar.cookies.keys()].filter((name) => name.startsWith('wos-session'))).toEqual(['wos-session']);
    // The next request has another header: parsed afresh, and answered from its own cookies.
    const next = requestFor(jar.header());
    expect((await service.withAuth(next)).auth.user?.email).toBe(DEMO_EMAIL);
    expect(storage?.parses).toBe(2);
    expect((await service.withAuth(requestFor('other=1'))).auth).toMatchObject({ user: null, reason: 'no_session' });
    expect(storage?.parses).toBe(3);
  });

  it('hands out a fresh map from getCookies, so a caller changing it changes nothing for the next read', async () => {
    const storage = make(configFor(ctx.em.port, ctx.em.apiKey));
    const request = requestFor('a=1; wos-session=Fe26.2*x~2');
    const all = await storage.getCookies(request);
    expect(all).toEqual({ a: '1', 'wos-session': 'Fe26.2*x~2' });
    all['wos-session'] = 'planted';
    delete all.a;
    expect(await storage.getCookie(request, 'wos-session')).toBe('Fe26.2*x~2');
    expect(await storage.getCookies(request)).toEqual({ a: '1', 'wos-session': 'Fe26.2*x~2' });
    expect(storage.parses).toBe(1);
  });
});

/** One request through a middleware over a fresh counting storage: the user, the Set-Cookie lines, the parses. */
type Run = (cookie: string, clock: TestClock) => Promise<{ email?: string | undefined; setCookies: string[]; parses?: number }>;

const middlewares: { name: string; run: Run }[] = [
  {
    name: 'withAuthHandler',
    run: async (cookie, clock) => {
      let storage: CountingFetchStorage | undefined;
      const service = createAuthService<Request, Response>({
        config: configFor(ctx.em.port, ctx.em.apiKey),
        sessionStorageFactory: (config) => (storage = new CountingFetchStorage(config)),
        clock: clock.now,
      });
      const handler = withAuthHandler(service, (_request, auth) => new Response(auth.user?.email ?? 'out'));
      const response = await handler(new Request('http://localhost:3000/', { headers: { cookie } }));
      return { email: await response.text(), setCookies: response.headers.getSetCookie(), parses: storage?.parses };
    },
  },
  {
    name: 'authkitMiddleware',
    run: async (cookie, clock) => {
      let storage: CountingNodeStorage | undefined;
      const service = createAuthService<IncomingMessage, ServerResponse>({
        config: configFor(ctx.em.port, ctx.em.apiKey),
        sessionStorageFactory: (config) => (storage = new CountingNodeStorage(config)),
        clock: clock.now,
      });
      const req = nodeRequest(cookie);
      const res = new ServerResponse(req);
      await new Promise<void>((resolve, reject) => authkitMiddleware(service)(req, res, (error) => (error ? reject(error) : resolve())));
      const setCookies = [res.getHeader('set-cookie') ?? []].flat().map(String);
      return { email: getAuth(req).user?.email, setCookies, parses: storage?.parses };
    },
  },
];

describe.each(middlewares)('$name with a session split over several cookies', ({ run }) => {
  it('parses the Cookie header once per request, a refresh that deletes the parts no longer used included', async () => {
    const { jar } = await splitSessionJar();
    const header = jar.header();
    const clock = new TestClock();
    expect(await run(header, clock)).toEqual({ email: DEMO_EMAIL, setCookies: [], parses: 1 });
    // An hour later the token has expired: refreshed, saved as one cookie, the carried parts deleted.
    clock.advance(3660);
    const refreshed = await run(header, clock);
    expect(refreshed).toMatchObject({ email: DEMO_EMAIL, parses: 1 });
    jar.apply(refreshed.setCookies);
    expect([...jar.cookies.keys()].filter((name) => name.startsWith('wos-session'))).toEqual(['wos-session']);
  });
});
