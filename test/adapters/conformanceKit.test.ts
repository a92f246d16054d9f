import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { afterAuth } from '../../src/adapters/afterAuth.js';
import { prependHeaders } from '../../src/adapters/fetchMiddleware.js';
import type { AuthKitConfig } from '../../src/core/config/types.js';
import type { HeadersBag } from '../../src/core/session/types.js';
import { runAdapterConformance, type AdapterUnderTest, type ConformanceResult } from '../../src/testing/index.js';
import { CookieJar, isCommaJoined, isDeletion } from '../../src/testing/index.js';
import type { AuthService } from '../../src/service/AuthService.js';
import { configFor } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { expiredCookie, fetchAdapter, services } from './harness.js';

type FetchService = AuthService<Request, Response>;

function failed(results: ConformanceResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => r.name);
}

function withStorage(Storage: new (config: AuthKitConfig) => FetchSessionStorage): AdapterUnderTest<Request, Response> {
  return { ...fetchAdapter, middleware: undefined, makeStorage: (config) => new Storage(config) };
}

/** A copy of `response` with `headers` written by `write`. */
function rewrite(response: Response | undefined, headers: HeadersBag, write: (target: Headers, name: string, value: string[]) => void) {
  if (!response) return undefined;
  const copy = new Response(response.body, { status: response.status, headers: new Headers(response.headers) });
  for (const [name, value] of Object.entries(headers)) write(copy.headers, name, [value].flat());
  return { response: copy };
}

describe('the kit catches broken storage adapters', () => {
  it('Set-Cookie values comma-joined into one header', async () => {
    // The base class hands applyHeaders one cookie per call; this adapter bypasses that and joins them.
    class Joined extends FetchSessionStorage {
      protected override async applyOrReturn(response: Response | undefined, headers: HeadersBag) {
        return rewrite(response, headers, (target, name, value) => target.append(name, value.join(', '))) ?? { headers };
      }
    }
    const results = await runAdapterConformance(withStorage(Joined));
    expect(failed(results)).toEqual(
      expect.arrayContaining(['save: a large session is split into cookies of at most 4096 bytes and read back whole']),
    );
    expect(results.find((r) => r.name.startsWith('save: a large'))?.detail).toMatch(/joined with commas/);
  });

  it('each cookie replacing the previous one (headers.set)', async () => {
    class Replacing extends FetchSessionStorage {
      protected override async applyHeaders(response: Response | undefined, headers: HeadersBag) {
        return rewrite(response, headers, (target, name, value) => value.forEach((item) => target.set(name, item)));
      }
    }
    expect(failed(await runAdapterConformance(withStorage(Replacing)))).toEqual(
      expect.arrayContaining([
        'save: a large session is split into cookies of at most 4096 bytes and read back whole',
        'save: Set-Cookie already on the response is kept, new lines appended',
      ]),
    );
  });

  it('only Set-Cookie written: no cache headers', async () => {
    class NoCache extends FetchSessionStorage {
      protected override async applyHeaders(response: Response | undefined, headers: HeadersBag) {
        return rewrite(response, headers, (target, name, value) => {
          if (name.toLowerCase() === 'set-cookie') value.forEach((item) => target.append(name, item));
        });
      }
    }
    const results = await runAdapterConformance(withStorage(NoCache));
    expect(failed(results)).toEqual(['cache headers: Cache-Control private, no-store and Vary Cookie on save and clear']);
    expect(results.find((r) => !r.ok)?.detail).toMatch(/Cache-Control is null/);
  });

  it('getCookie that does not URL-decode', async () => {
    class Raw extends FetchSessionStorage {
      override async getCookie(request: Request, name: string) {
        for (const pair of (request.headers.get('cookie') ?? '').split('; ')) {
          const [key, ...rest] = pair.split('=');
          if (key === name) return rest.join('=');
        }
        return null;
      }
    }
    const results = await runAdapterConformance(withStorage(Raw));
    expect(failed(results)).toEqual(['getCookie: URL-decodes values and answers null for absent cookies']);
  });

  it('applyHeaders that assumes a response (the crash signOut triggers)', async () => {
    class Assumes extends FetchSessionStorage {
      protected override async applyHeaders(response: Response | undefined, headers: HeadersBag) {
        for (const value of [headers['Set-Cookie'] ?? []].flat()) (response as Response).headers.append('Set-Cookie', value);
        return { response: response as Response };
      }
    }
    const results = await runAdapterConformance(withStorage(Assumes));
    expect(failed(results)).toContain('save and clear without a response return a headers bag');
    await expect(runAdapterConformance(withStorage(Assumes), { throwOnFailure: true })).rejects.toBeInstanceOf(AggregateError);
  });
});

describe('the kit catches broken middleware', () => {
  const ctx = useEmulator();

  async function check(middleware: AdapterUnderTest<Request, Response, FetchService>['middleware']) {
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    return failed(
      await runAdapterConformance(
        { ...fetchAdapter, middleware },
        { config, service: services(config).fetch, expiredCookie: () => expiredCookie(ctx.em.port, ctx.em.apiKey) },
      ),
    ).filter((name) => name.startsWith('middleware:'));
  }

  function respond(request: Request, routeSetCookies: string[], user: { id: string } | null): Response {
    const response = Response.json({ user }, { headers: { 'Cache-Control': 'private, no-store', Vary: 'Cookie' } });
    for (const line of routeSetCookies) response.headers.append('Set-Cookie', line);
    return response;
  }

  it('a middleware that drops the refreshed session', async () => {
    expect(
      await check(async (service, request, { routeSetCookies }) => {
        const { auth } = await service.withAuth(request);
        const response = respond(request, routeSetCookies, auth.user ? { id: auth.user.id } : null);
        return { setCookies: response.headers.getSetCookie(), headers: response.headers, user: auth.user ? { id: auth.user.id } : null };
      }),
    ).toEqual([
      'middleware: a refreshed session is persisted',
      'middleware: the cookie and its parts are cleared on a terminal failure',
      "middleware: the route's own cookies come after the middleware's and win",
      'middleware: a plain authenticated page (no new cookie) is private',
    ]);
  });

  it("a middleware that appends its cookies after the route's", async () => {
    expect(
      await check(async (service, request, { routeSetCookies }) => {
        const { auth, refreshedSessionData } = await service.withAuth(request);
        const response = respond(request, routeSetCookies, auth.user ? { id: auth.user.id } : null);
        const headers = await afterAuth(service, { auth, refreshedSessionData }, { cacheHeaders: true, request });
        for (const line of [headers['Set-Cookie'] ?? []].flat()) response.headers.append('Set-Cookie', line);
        return { setCookies: response.headers.getSetCookie(), headers: response.headers };
      }),
    ).toEqual(["middleware: the route's own cookies come after the middleware's and win"]);
  });

  it('a middleware that clears the cookie of anonymous requests too', async () => {
    expect(
      await check(async (service, request, context) => {
        const { auth } = await service.withAuth(request);
        const run = await fetchAdapter.middleware!(service, request, context);
        if (auth.user) return run;
        const cleared = [(await service.clearSession(undefined)).headers?.['Set-Cookie'] ?? []].flat();
        return { ...run, setCookies: [...cleared, ...run.setCookies] };
      }),
    ).toEqual(['middleware: a request without a session gets no session cookie']);
  });

  it('a Hono middleware that assigns c.res directly loses its cookies to the route', async () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    const service = services(config).fetch;
    const app = new Hono();
    app.use(async (c, next) => {
      const { auth, refreshedSessionData } = await service.withAuth(c.req.raw);
      await next();
      c.res = prependHeaders(c.res, await afterAuth(service, { auth, refreshedSessionData }, { cacheHeaders: true, request: c.req.raw }));
    });
    app.get('*', (c) => {
      for (const line of JSON.parse(c.req.header('x-route') ?? '[]') as string[]) c.header('Set-Cookie', line, { append: true });
      return c.json({});
    });
    const results = await runAdapterConformance(
      {
        ...fetchAdapter,
        async middleware(_service, _request, { cookieHeader, routeSetCookies }) {
          const response = await app.request('/', { headers: { cookie: cookieHeader, 'x-route': JSON.stringify(routeSetCookies) } });
          return { setCookies: response.headers.getSetCookie(), headers: response.headers };
        },
      },
      { config, service, expiredCookie: () => expiredCookie(ctx.em.port, ctx.em.apiKey) },
    );
    expect(failed(results)).toEqual(["middleware: the route's own cookies come after the middleware's and win"]);
    expect(results.find((r) => !r.ok)?.detail).toBe('the refreshed session was not written');
  });
});

describe('kit helpers', () => {
  it('CookieJar applies lines in order, deletes, drops lines over 4096 bytes', () => {
    const jar = new CookieJar({ a: '1' });
    jar.apply(['b=2; Path=/', 'a=; Max-Age=0', `c=${'x'.repeat(4100)}`, 'd=%20x']);
    expect(Object.fromEntries(jar.cookies)).toEqual({ b: '2', d: ' x' });
    expect(jar.dropped).toBe(1);
    expect(jar.wire()).toEqual({ b: '2', d: '%20x' });
  });

  it('tells comma-joined values from Expires dates', () => {
    expect(isCommaJoined('a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(false);
    expect(isCommaJoined('a=1; Path=/, b=2; Path=/')).toBe(true);
    expect(isDeletion('a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true);
    expect(isDeletion('a=1; Max-Age=10')).toBe(false);
  });
});
