import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../examples/demo/app.js';
import { followAuthorize } from '../helpers/authorize.js';
import { CookieJar } from '../helpers/cookieJar.js';

// The demo through its real HTTP server: the patterns it teaches must be the safe ones.
describe('demo app: state-changing routes and framing', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo({ port: 0 });
  });
  afterAll(async () => {
    await demo?.close();
  });

  const send = (jar: CookieJar, path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (jar.header()) headers.set('cookie', jar.header());
    return fetch(new URL(path, demo.url), { ...init, headers, redirect: 'manual' });
  };

  async function signIn(): Promise<CookieJar> {
    const jar = new CookieJar();
    const login = await send(jar, '/login');
    jar.applyResponse(login);
    expect([...jar.cookies.keys()].some((name) => name.startsWith('wos-auth-verifier'))).toBe(true); // bound sign-in
    const { callback } = await followAuthorize(login.headers.get('location') as string);
    // Without the per-flow cookie (another browser holding the leaked URL), the callback is refused.
    expect((await send(new CookieJar(), `${callback.pathname}${callback.search}`)).status).toBe(400);
    jar.applyResponse(await send(jar, `${callback.pathname}${callback.search}`));
    expect((await send(jar, '/dashboard')).status).toBe(200);
    return jar;
  }

  it("forbids framing by any site (frame-ancestors 'none')", async () => {
    for (const path of ['/', '/dashboard', '/login', '/nowhere']) {
      const response = await send(new CookieJar(), path);
      expect(response.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
    }
  });

  it('refuses an organization switch without Origin or from another site, and a sign-out by GET or cross-site POST', async () => {
    const jar = await signIn();
    const organizationId = demo.organizations.find((o) => o.name === 'Globex')?.id as string;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = new URLSearchParams({ organizationId }).toString();
    for (const headers of [form, { ...form, origin: 'https://evil.example' }, { ...form, 'sec-fetch-site': 'cross-site' }]) {
      const response = await send(jar, '/switch-org', { method: 'POST', headers, body });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect((await send(jar, '/logout')).status).toBe(404);
    const crossSite = await send(jar, '/logout', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    const me = (await (await send(jar, '/api/me')).json()) as { email?: string; organization?: string };
    expect(me.email).toBe(demo.email);
    expect(me.organization).not.toBe('Globex');
    // The same requests from the demo's own pages work.
    const switched = await send(jar, '/switch-org', { method: 'POST', headers: { ...form, origin: demo.url }, body });
    expect(switched.status).toBe(303);
    jar.applyResponse(switched);
    expect(((await (await send(jar, '/api/me')).json()) as { organization?: string }).organization).toBe('Globex');
    const out = await send(jar, '/logout', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } });
    expect(out.status).toBe(303);
    jar.applyResponse(out);
    expect((await send(jar, '/api/me')).status).toBe(401);
  });
});
