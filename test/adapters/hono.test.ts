import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { authkit, type AuthkitEnv } from '../../src/adapters/hono.js';
import { createAuthService } from '../../src/service/factory.js';
import { CookieJar, cookieHeader } from '../../src/testing/index.js';
import { configFor, DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { expiredCookie } from './harness.js';

const ctx = useEmulator();

function service() {
  return createAuthService<Request, Response>({
    config: configFor(ctx.em.port, ctx.em.apiKey),
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
  });
}

function withCookie(value: string): RequestInit {
  return { headers: { cookie: cookieHeader({ 'wos-session': encodeURIComponent(value) }) } };
}

describe('authkit() Hono middleware', () => {
  it("keeps an authenticated page private even with cacheHeaders: false and a route's Cache-Control: public", async () => {
    const app = new Hono<AuthkitEnv>();
    app.use(authkit(service(), { cacheHeaders: false }));
    app.get('/', (c) => {
      c.header('Cache-Control', 'public, max-age=600');
      return c.text(c.var.auth.user?.email ?? 'anonymous');
    });
    const first = await app.request('/', withCookie(await expiredCookie(ctx.em.port, ctx.em.apiKey)));
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const current = new CookieJar().apply(first.headers.getSetCookie()).cookies.get('wos-session') as string;
    const page = await app.request('/', withCookie(current));
    expect([await page.text(), page.headers.getSetCookie()]).toEqual([DEMO_EMAIL, []]);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(page.headers.get('vary')).toBe('Cookie');
    const anonymous = await app.request('/');
    expect(anonymous.headers.get('cache-control')).toBe('public, max-age=600');
  });

  it('sets c.var.auth and the refreshed c.var.session, and saves the refresh on the response', async () => {
    const app = new Hono<AuthkitEnv>();
    app.use(authkit(service()));
    app.get('/', (c) =>
      c.json({
        email: c.var.auth.user?.email ?? null,
        sameToken: c.var.session?.accessToken === (c.var.auth.user && c.var.auth.accessToken),
      }),
    );
    const expired = await expiredCookie(ctx.em.port, ctx.em.apiKey);
    const response = await app.request('/', withCookie(expired));
    expect(await response.json()).toEqual({ email: DEMO_EMAIL, sameToken: true });
    const jar = new CookieJar().apply(response.headers.getSetCookie());
    expect(jar.cookies.get('wos-session')).not.toBe(expired);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it("keeps the route's status, body and headers, merges Vary, and persists even on an error page", async () => {
    const app = new Hono<AuthkitEnv>();
    app.use(authkit(service()));
    app.get('/created', (c) => {
      c.header('Vary', 'Accept-Encoding');
      c.header('X-App', '1');
      c.header('Set-Cookie', 'theme=dark; Path=/', { append: true });
      return c.text('made', 201);
    });
    app.get('/boom', () => {
      throw new Error('route failed');
    });
    app.onError((_error, c) => c.text('sorry', 500));
    const created = await app.request('/created');
    expect(created.status).toBe(201);
    expect(await created.text()).toBe('made');
    expect(created.headers.get('x-app')).toBe('1');
    expect(created.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(created.headers.getSetCookie()).toEqual(['theme=dark; Path=/']);
    const boom = await app.request('/boom', withCookie(await expiredCookie(ctx.em.port, ctx.em.apiKey)));
    expect(boom.status).toBe(500);
    expect(boom.headers.getSetCookie().some((line) => line.startsWith('wos-session=Fe26'))).toBe(true);
  });

  it('cacheHeaders: false leaves responses without session cookies alone', async () => {
    const app = new Hono<AuthkitEnv>();
    app.use(authkit(service(), { cacheHeaders: false }));
    app.get('/', (c) => c.text(c.var.auth.user ? 'in' : c.var.auth.reason));
    const response = await app.request('/');
    expect(await response.text()).toBe('no_session');
    expect(response.headers.get('cache-control')).toBeNull();
    const cleared = await app.request('/', withCookie('garbage'));
    expect(await cleared.text()).toBe('invalid_cookie');
    expect(cleared.headers.get('cache-control')).toBe('private, no-store');
  });
});
