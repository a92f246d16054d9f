import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { afterAuth } from '../../../src/adapters/afterAuth.js';
import { prependHeaders } from '../../../src/adapters/fetchMiddleware.js';
import { runAdapterConformance, type AdapterUnderTest, type ConformanceResult } from '../../../src/testing/index.js';
import type { AuthService } from '../../../src/service/AuthService.js';
import { configFor } from '../../helpers/emulator.js';
import { useEmulator } from '../../helpers/lifecycle.js';
import { expiredCookie, fetchAdapter, services } from '../harness.js';

type FetchService = AuthService<Request, Response>;

function failed(results: ConformanceResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => r.name);
}

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
