import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { appendHeaders, PRIVATE_CACHE_HEADERS } from '../../src/adapters/fetch.js';
import { authkit, type AuthkitEnv } from '../../src/adapters/hono.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { makeService, signIn } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';
import { APP_HEADERS, PlatformResponse, SharingResponse } from './platformResponses.js';

const ctx = useEmulator();

/** An app whose only route answers with what `respond` makes (the auth result passed in). */
async function appWith(respond: (email: string | undefined) => Response, options: { cacheHeaders?: boolean } = {}) {
  const { service } = makeService(ctx.em.port, ctx.em.apiKey);
  const { cookie } = await signIn(service);
  const app = new Hono<AuthkitEnv>();
  app.use(authkit(service, options));
  app.get('/', (c) => respond(c.var.auth.user?.email));
  const signedIn = () => app.fetch(requestWithCookies({ 'wos-session': cookie }));
  const anonymous = () => app.fetch(requestWithCookies({}));
  return { signedIn, anonymous };
}

describe('authkit() Hono middleware marking a response private without a cookie to write', () => {
  it("sets the cache headers on the route's platform Response itself, the same headers a copy would carry", async () => {
    const made: Response[] = [];
    const app = await appWith((email) => {
      made.push(new PlatformResponse(email ?? 'out', { status: 203, headers: APP_HEADERS }));
      return made.at(-1) as Response;
    });
    const response = await app.signedIn();
    expect(response).toBe(made[0]);
    const copy = appendHeaders(new PlatformResponse('', { status: 203, headers: APP_HEADERS }), PRIVATE_CACHE_HEADERS);
    expect([...response.headers]).toEqual([...copy.headers]);
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect([response.status, await response.text()]).toEqual([203, DEMO_EMAIL]);
    const anonymous = await app.anonymous();
    expect(anonymous).toBe(made[1]);
    expect(anonymous.headers.get('cache-control')).toBe('private, no-store');
  });

  it('copies a response whose Headers object is shared, which stays untouched', async () => {
    const shared = new Headers({ 'x-app': '1' });
    const app = await appWith((email) => new SharingResponse(email ?? 'out', shared));
    for (const response of [await app.signedIn(), await app.anonymous()]) {
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('x-app')).toBe('1');
    }
    expect([...shared]).toEqual([['x-app', '1']]);
  });

  it('copies a response whose headers are immutable (Response.redirect)', async () => {
    const redirect = PlatformResponse.redirect('http://localhost:3000/next', 303);
    const app = await appWith(() => redirect);
    const response = await app.signedIn();
    expect(response).not.toBe(redirect);
    expect([response.status, response.headers.get('location')]).toEqual([303, 'http://localhost:3000/next']);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(redirect.headers.get('cache-control')).toBeNull();
  });

  it('with cacheHeaders: false, hands an anonymous response on as it is', async () => {
    const made: Response[] = [];
    const app = await appWith(
      (email) => {
        made.push(new PlatformResponse(email ?? 'out', { headers: APP_HEADERS }));
        return made.at(-1) as Response;
      },
      { cacheHeaders: false },
    );
    const anonymous = await app.anonymous();
    expect(anonymous).toBe(made[0]);
    expect([...anonymous.headers]).toEqual([...new PlatformResponse('out', { headers: APP_HEADERS }).headers]);
    expect((await app.signedIn()).headers.get('cache-control')).toBe('private, no-store');
  });
});
