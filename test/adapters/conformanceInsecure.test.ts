import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import type { HeadersBag } from '../../src/core/session/types.js';
import { runAdapterConformance, type AdapterUnderTest, type ConformanceResult } from '../../src/testing/index.js';
import type { AuthService } from '../../src/service/AuthService.js';
import { configFor } from '../helpers/emulator.js';
import { FaultProxy } from '../helpers/faultProxy.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { expiredCookie, fetchAdapter, services } from './harness.js';

// The three insecure adapters of issue 19.3, each of which passed the kit's earlier checks. The kit must
// reject every one (and still pass the shipped adapters: conformance.test.ts).
type FetchService = AuthService<Request, Response>;
const ctx = useEmulator();
let proxy: FaultProxy;
let shared: ReturnType<typeof services>;
let unavailable: ReturnType<typeof services>;

beforeAll(async () => {
  proxy = await new FaultProxy(ctx.em.port).start();
  proxy.rules = [{ fault: { kind: 'status', status: 503 } }];
  shared = services(configFor(ctx.em.port, ctx.em.apiKey));
  unavailable = services(configFor(proxy.port, ctx.em.apiKey));
});
afterAll(async () => {
  await proxy?.close();
});

async function failures(adapter: AdapterUnderTest<Request, Response, FetchService>): Promise<ConformanceResult[]> {
  const results = await runAdapterConformance(adapter, {
    config: configFor(ctx.em.port, ctx.em.apiKey, { redirectUri: 'https://app.example/callback' }),
    service: shared.fetch,
    transientService: unavailable.fetch,
    expiredCookie: () => expiredCookie(ctx.em.port, ctx.em.apiKey),
  });
  expect(results.filter((r) => r.skipped)).toEqual([]);
  return results.filter((r) => !r.ok);
}

describe('the kit rejects insecure adapters', () => {
  it('a storage that drops HttpOnly, Secure and SameSite', async () => {
    class Stripped extends FetchSessionStorage {
      protected override async applyHeaders(response: Response | undefined, headers: HeadersBag) {
        const lines = [headers['Set-Cookie'] ?? []].flat().map((line) => line.replace(/; (HttpOnly|Secure|SameSite=\w+)/gi, ''));
        return super.applyHeaders(response, { ...headers, 'Set-Cookie': lines });
      }
    }
    const failed = await failures({ ...fetchAdapter, makeStorage: (config) => new Stripped(config) });
    expect(failed.map((r) => r.name)).toEqual(['save and clear: every cookie carries HttpOnly, Secure, SameSite and Path=/']);
    expect(failed[0]?.detail).toMatch(/lacks HttpOnly/);
  });

  it('a storage whose getCookie lets a later duplicate cookie win', async () => {
    class LastWins extends FetchSessionStorage {
      override async getCookie(request: Request, name: string) {
        const map = new Map<string, string>();
        for (const pair of (request.headers.get('cookie') ?? '').split(/;\s*/)) {
          const at = pair.indexOf('=');
          if (at > 0) map.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
        }
        return map.get(name) ?? null;
      }
    }
    const failed = await failures({ ...fetchAdapter, makeStorage: (config) => new LastWins(config) });
    expect(failed.map((r) => r.name)).toEqual(['getCookie: the first of duplicate cookies wins, a later duplicate cannot override it']);
    expect(failed[0]?.detail).toMatch(/the later duplicate/);
  });

  it('a middleware that sends authenticated pages without Cache-Control/Vary and deletes the cookie on a WorkOS 503', async () => {
    const careless: AdapterUnderTest<Request, Response, FetchService>['middleware'] = async (service, request, { routeSetCookies }) => {
      const { auth, refreshedSessionData } = await service.withAuth(request);
      const response = Response.json({ user: auth.user ? { id: auth.user.id } : null });
      const bag = refreshedSessionData
        ? await service.saveSession(undefined, refreshedSessionData)
        : auth.user === null && auth.reason !== 'no_session' // any failure, transient or not
          ? await service.clearSession(undefined)
          : { headers: {} };
      for (const [name, value] of Object.entries(bag.headers ?? {})) for (const item of [value].flat()) response.headers.append(name, item);
      // Private only when it wrote a cookie or nobody is signed in: a plain authenticated page is left cacheable.
      if (auth.user === null) {
        response.headers.set('Cache-Control', 'private, no-store');
        response.headers.set('Vary', 'Cookie');
      }
      for (const line of routeSetCookies) response.headers.append('Set-Cookie', line);
      return { setCookies: response.headers.getSetCookie(), headers: response.headers, user: auth.user ? { id: auth.user.id } : null };
    };
    const failed = await failures({ ...fetchAdapter, middleware: careless });
    const byName = new Map(failed.map((r) => [r.name, r.detail]));
    expect(byName.get('middleware: a plain authenticated page (no new cookie) is private')).toMatch(/Cache-Control is null/);
    expect(byName.get('middleware: the cookie is kept when WorkOS is unavailable (a transient failure)')).toMatch(/deletion/);
  });

  it('a harness that reports no response headers fails the middleware checks instead of skipping them', async () => {
    const headless: AdapterUnderTest<Request, Response, FetchService>['middleware'] = async (service, request, context) => {
      const { setCookies, user } = await fetchAdapter.middleware!(service, request, context);
      return { setCookies, ...(user === undefined ? {} : { user }) };
    };
    const failed = await failures({ ...fetchAdapter, middleware: headless });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.name.startsWith('middleware:'))).toBe(true);
    expect(failed.map((r) => r.detail)).toContain(
      'the harness reported no response headers (MiddlewareRun.headers), so the cache headers cannot be checked',
    );
  });
});
