import { describe, expect, it } from 'vitest';
import { withAuthHandler } from '../../src/adapters/fetch.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { FaultProxy, type Fault } from '../helpers/faultProxy.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { makeService, signIn } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';

const ctx = useEmulatorWithProxy();

async function signedIn() {
  const harness = makeService(ctx.proxy.port, ctx.em.apiKey, { apiTimeoutMs: 300, issuer: ctx.em.url });
  const { cookie } = await signIn(harness.service);
  ctx.proxy.stats = FaultProxy.emptyStats();
  return { ...harness, cookie };
}

const transientFaults: [string, Fault][] = [
  ['429 with Retry-After past the budget', { kind: 'status', status: 429, retryAfter: 5 }],
  ['500', { kind: 'status', status: 500 }],
  ['502', { kind: 'status', status: 502 }],
  ['503', { kind: 'status', status: 503 }],
  ['408', { kind: 'status', status: 408 }],
  ['connection reset', { kind: 'reset' }],
  ['hang past the timeout', { kind: 'hang' }],
];

describe('transient refresh faults never lose the session', () => {
  for (const [name, fault] of transientFaults) {
    it(`${name}: expired token → refresh_unavailable, cookie kept, next request authenticates`, async () => {
      const { service, cookie, clock, events } = await signedIn();
      clock.advance(3660);
      ctx.proxy.rules = [{ fault }];
      const handler = withAuthHandler(service, (_request, auth) => new Response(auth.user ? 'in' : 'out'));
      const response = await handler(requestWithCookies({ 'wos-session': cookie }));
      expect(await response.text()).toBe('out');
      expect(response.headers.getSetCookie()).toEqual([]);
      const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      expect(auth).toEqual({ user: null, reason: 'refresh_unavailable', retryable: true });
      expect(events.some((e) => e.type === 'refresh.transient')).toBe(true);
      expect(ctx.proxy.stats.refreshAccepted).toBe(0);

      ctx.proxy.reset();
      clock.advance(6); // past any Retry-After the fault asked for
      const after = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      expect(after.auth.user?.email).toBe(DEMO_EMAIL);
      expect(after.refreshedSessionData).toBeTypeOf('string');
      expect(ctx.proxy.stats.refreshAccepted).toBe(1);
    });

    it(`${name}: token inside the refresh buffer → still authenticated with the old token`, async () => {
      const { service, cookie, clock } = await signedIn();
      const before = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      if (!before.auth.user) throw new Error('expected a user');
      clock.advance(3600 - 30);
      ctx.proxy.rules = [{ fault }];
      const { auth, refreshedSessionData } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      expect(auth).toMatchObject({ user: { email: DEMO_EMAIL } });
      if (!auth.user) throw new Error('unreachable');
      expect(auth.accessToken).toBe(before.auth.accessToken);
      expect(refreshedSessionData).toBeUndefined();
      expect(ctx.proxy.stats.refreshFaulted).toBeGreaterThan(0);
    });
  }

  it('a 429 past the retry budget is honoured: no call to WorkOS until Retry-After has passed', async () => {
    const { service, cookie, clock } = await signedIn();
    clock.advance(3660);
    ctx.proxy.rules = [{ fault: { kind: 'status', status: 429, retryAfter: 5 } }];
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth).toMatchObject({ reason: 'refresh_unavailable' });
    expect(ctx.proxy.stats.refreshFaulted).toBe(1);
    ctx.proxy.reset();
    for (let i = 0; i < 5; i++) {
      expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth).toMatchObject({
        reason: 'refresh_unavailable',
        retryable: true,
      });
    }
    expect(ctx.proxy.stats.refreshFaulted + ctx.proxy.stats.refreshAccepted).toBe(0);
    clock.advance(5);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user?.email).toBe(DEMO_EMAIL);
    expect(ctx.proxy.stats.refreshAccepted).toBe(1);
  });

  it('a one-off 503 is retried once within the request and succeeds', async () => {
    const { service, cookie, clock, events } = await signedIn();
    clock.advance(3660);
    ctx.proxy.rules = [{ fault: { kind: 'status', status: 503 }, times: 1 }];
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(ctx.proxy.stats).toMatchObject({ refreshFaulted: 1, refreshAccepted: 1 });
    expect(events.find((e) => e.type === 'refresh.succeeded')).toMatchObject({ attempts: 2 });
  });

  it('a 429 with Retry-After inside the budget waits and retries the same token', async () => {
    const { service, cookie, clock } = await signedIn();
    clock.advance(3660);
    ctx.proxy.rules = [{ fault: { kind: 'status', status: 429, retryAfter: 1 }, times: 1 }];
    const started = Date.now();
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(ctx.proxy.stats).toMatchObject({ refreshFaulted: 1, refreshAccepted: 1 });
  });

  it('added latency alone changes nothing', async () => {
    const { service, cookie, clock } = await signedIn();
    clock.advance(3660);
    ctx.proxy.latencyMs = 100;
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('a JWKS outage is not an invalid token: no refresh token is spent', async () => {
    const { cookie } = await signedIn();
    const fresh = makeService(ctx.proxy.port, ctx.em.apiKey, { apiTimeoutMs: 300, issuer: ctx.em.url });
    ctx.proxy.rules = [{ match: (r) => r.path.startsWith('/sso/jwks'), fault: { kind: 'status', status: 503 } }];
    const { auth } = await fresh.service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth).toEqual({ user: null, reason: 'jwks_unavailable', retryable: true });
    expect(ctx.proxy.stats.refreshAccepted + ctx.proxy.stats.refreshFaulted + ctx.proxy.stats.refreshRejected).toBe(0);
    ctx.proxy.reset();
    expect((await fresh.service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user?.email).toBe(DEMO_EMAIL);
  });
});

describe('terminal refresh failures', () => {
  it('a consumed refresh token → refresh_rejected and the adapter clears the cookie', async () => {
    const { cookie } = await signedIn();
    const other = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
    other.clock.advance(3660);
    expect((await other.service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).not.toBeNull();

    const third = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
    third.clock.advance(3660);
    const handler = withAuthHandler(third.service, (_request, auth) => new Response(auth.user ? 'in' : `out:${auth.reason}`));
    const response = await handler(requestWithCookies({ 'wos-session': cookie }));
    expect(await response.text()).toBe('out:refresh_rejected');
    const setCookies = response.headers.getSetCookie();
    expect(setCookies[0]).toMatch(/^wos-session=; .*Max-Age=0/);
    expect(setCookies.every((line) => /^wos-session(\.\d)?=; Max-Age=0/.test(line))).toBe(true);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(third.events.some((e) => e.type === 'refresh.terminal')).toBe(true);
    expect(third.events).toContainEqual({ type: 'session.rejected', reason: 'refresh_rejected' });
  });
});
