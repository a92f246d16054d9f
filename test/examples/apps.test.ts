import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../helpers/cookieJar.js';
import { DEMO_EMAIL, envFor } from '../helpers/emulator.js';
import { followAuthorize } from '../helpers/authorize.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { startApp, type AppProcess } from '../helpers/appProcess.js';

// The README's complete apps (the same files, checked by `npm run test:docs`), each run as a user runs it,
// configured only by WORKOS_* variables pointing at the emulator.
const APPS = [
  ['Fetch on Node', 'examples/fetch/node.ts'],
  ['Express', 'examples/express/server.ts'],
  ['Hono', 'examples/hono/server.ts'],
] as const;

const ctx = useEmulator();

describe.each(APPS)('the %s app (%s)', (_name, file) => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startApp(file, (origin) => envFor(ctx.em.port, ctx.em.apiKey, { WORKOS_REDIRECT_URI: `${origin}/callback` }));
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** One request from a browser whose jar is `jar`; redirects are not followed. */
  const send = (jar: CookieJar, path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const cookie = jar.header();
    if (cookie) headers.set('cookie', cookie);
    return fetch(new URL(path, app.origin), { ...init, headers, redirect: 'manual' });
  };

  /** Sign-in as a browser does it: `/` → `/login` → hosted AuthKit (the emulator approves) → `/callback` → `/`. */
  async function signIn(jar: CookieJar): Promise<void> {
    const home = await send(jar, '/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');
    const login = await send(jar, '/login');
    expect(login.status).toBe(303);
    jar.applyResponse(login);
    expect([...jar.cookies.keys()].some((name) => name.startsWith('wos-auth-verifier'))).toBe(true); // bound sign-in
    const { callback } = await followAuthorize(login.headers.get('location') as string);
    expect(callback.origin).toBe(app.origin);
    const back = await send(jar, `${callback.pathname}${callback.search}`);
    expect(back.status, app.output()).toBe(303);
    expect(back.headers.get('location')).toBe('/');
    jar.applyResponse(back);
    expect(jar.cookies.has('wos-session')).toBe(true);
  }

  async function expectSignedIn(jar: CookieJar): Promise<void> {
    const page = await send(jar, '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Signed in as ${DEMO_EMAIL}`);
    expect(page.headers.get('cache-control')).toMatch(/private/);
    expect(page.headers.get('cache-control')).toMatch(/no-store/);
  }

  it('signs in (bound to the browser), shows the protected page, and signs out with a same-origin POST', async () => {
    const jar = new CookieJar();
    await signIn(jar);
    await expectSignedIn(jar);
    const stolen = jar.header();
    const out = await send(jar, '/logout', { method: 'POST', headers: { origin: app.origin, 'sec-fetch-site': 'same-origin' } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toContain('/user_management/sessions/logout');
    jar.applyResponse(out);
    expect(jar.cookies.has('wos-session')).toBe(false);
    expect((await send(jar, '/')).headers.get('location')).toBe('/login');
    // The cookie from before sign-out is dead too (revoked), not only deleted from this browser.
    const replay = await fetch(new URL('/', app.origin), { headers: { cookie: stolen }, redirect: 'manual' });
    expect(replay.headers.get('location')).toBe('/login');
  });

  it('refuses cross-site sign-out: a GET from any link, a cross-site POST, a POST with no Origin', async () => {
    const jar = new CookieJar();
    await signIn(jar);
    const attempts: RequestInit[] = [
      { method: 'GET', headers: { 'sec-fetch-site': 'cross-site' } },
      { method: 'POST', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } },
      { method: 'POST', headers: { origin: 'https://evil.example' } },
      { method: 'POST', headers: { origin: 'null' } },
      { method: 'POST' },
    ];
    for (const attempt of attempts) {
      const response = await send(jar, '/logout', attempt);
      expect([403, 404], `${attempt.method} ${JSON.stringify(attempt.headers)}`).toContain(response.status);
      expect(response.headers.getSetCookie().some((line) => line.startsWith('wos-session='))).toBe(false);
    }
    await expectSignedIn(jar);
  });
});
