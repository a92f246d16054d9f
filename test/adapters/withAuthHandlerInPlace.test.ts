import { describe, expect, it } from 'vitest';
import { appendHeaders, PRIVATE_CACHE_HEADERS, withAuthHandler } from '../../src/adapters/fetch.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { makeService, signIn } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';
import { APP_HEADERS, PlatformResponse, SharingResponse } from './platformResponses.js';

const ctx = useEmulator();

describe('withAuthHandler marking a response private without a cookie to write', () => {
  it('sets the cache headers on a platform Response itself, the same headers a copy would carry', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const made: Response[] = [];
    const handler = withAuthHandler(service, async (_request, auth) => {
      made.push(new PlatformResponse(auth.user?.email ?? 'out', { status: 203, headers: APP_HEADERS }));
      return made.at(-1) as Response;
    });
    const response = await handler(requestWithCookies({ 'wos-session': cookie }));
    expect(response).toBe(made[0]);
    const copy = appendHeaders(new PlatformResponse('', { status: 203, headers: APP_HEADERS }), PRIVATE_CACHE_HEADERS);
    expect([...response.headers]).toEqual([...copy.headers]);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(response.status).toBe(203);
    expect(await response.text()).toBe(DEMO_EMAIL);
    // Anonymous requests are marked private too (withAuthHandler always sets the cache headers).
    const anonymous = await handler(requestWithCookies({}));
    expect(anonymous.headers.get('cache-control')).toBe('private, no-store');
  });

  it('copies a response whose Headers object is shared, which stays untouched', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const shared = new Headers({ 'x-app': '1' });
    const handler = withAuthHandler(service, (_request, auth) => new SharingResponse(auth.user?.email ?? 'out', shared));
    for (const cookies of [{ 'wos-session': cookie }, {}] as Record<string, string>[]) {
      const response = await handler(requestWithCookies(cookies));
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('x-app')).toBe('1');
    }
    expect([...shared]).toEqual([['x-app', '1']]);
  });

  it('copies a response whose headers are immutable (Response.redirect)', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    const redirect = PlatformResponse.redirect('http://localhost:3000/next', 303);
    const handler = withAuthHandler(service, () => redirect);
    const response = await handler(requestWithCookies({ 'wos-session': cookie }));
    expect(response).not.toBe(redirect);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://localhost:3000/next');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(redirect.headers.get('cache-control')).toBeNull();
  });
});
