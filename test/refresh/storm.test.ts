import { describe, expect, it } from 'vitest';
import { DEMO_EMAIL, OTHER_EMAIL } from '../helpers/emulator.js';
import { FaultProxy } from '../helpers/faultProxy.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { makeService, signIn } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';
import { storm } from '../helpers/storm.js';

const ctx = useEmulatorWithProxy();

/** A fresh service behind the proxy and one signed-in cookie whose access token has expired. */
async function expiredCookie(loginHint = DEMO_EMAIL) {
  const harness = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
  const { cookie } = await signIn(harness.service, { loginHint });
  harness.clock.advance(3600 + 60);
  ctx.proxy.stats = FaultProxy.emptyStats();
  return { ...harness, cookie };
}

describe('refresh storms on one instance', () => {
  it('A: 100 concurrent calls with one expired cookie spend the refresh token once', async () => {
    const { service, cookie, events } = await expiredCookie();
    const result = await storm(service, cookie, 100);
    expect(result).toMatchObject({ authenticated: 100, loggedOut: 0, errors: 0 });
    expect(ctx.proxy.stats.refreshAccepted).toBe(1);
    expect(ctx.proxy.stats.refreshRejected).toBe(0);
    expect(events.filter((e) => e.type === 'refresh.succeeded')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'refresh.coalesced').length).toBeGreaterThan(0);
  });

  for (const latency of [0, 50]) {
    it(`B: 100 calls 2 ms apart with the same old cookie at ${latency} ms latency`, async () => {
      const { service, cookie, events } = await expiredCookie();
      ctx.proxy.latencyMs = latency;
      const result = await storm(service, cookie, 100, 2);
      expect(result).toMatchObject({ authenticated: 100, loggedOut: 0, errors: 0 });
      expect(ctx.proxy.stats.refreshAccepted).toBe(1);
      expect(ctx.proxy.stats.refreshRejected).toBe(0);
      // On a loaded machine every staggered call may still join the in-flight refresh; one more call with the
      // old cookie after the storm is certain to take the grace-window reuse path, and must not spend again.
      const late = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      expect(late.auth.user).toBeTruthy();
      expect(ctx.proxy.stats.refreshAccepted).toBe(1);
      expect(events.some((e) => e.type === 'refresh.reused')).toBe(true);
    });
  }

  it('two different sessions refreshing at once get their own tokens', async () => {
    const harness = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
    const a = await signIn(harness.service, { loginHint: DEMO_EMAIL });
    const b = await signIn(harness.service, { loginHint: OTHER_EMAIL });
    harness.clock.advance(3660);
    ctx.proxy.stats = FaultProxy.emptyStats();
    const [ra, rb] = await Promise.all([
      harness.service.withAuth(requestWithCookies({ 'wos-session': a.cookie })),
      harness.service.withAuth(requestWithCookies({ 'wos-session': b.cookie })),
    ]);
    expect(ctx.proxy.stats.refreshAccepted).toBe(2);
    expect(ra.auth.user?.email).toBe(DEMO_EMAIL);
    expect(rb.auth.user?.email).toBe(OTHER_EMAIL);
    if (!ra.auth.user || !rb.auth.user) throw new Error('unreachable');
    expect(ra.auth.accessToken).not.toBe(rb.auth.accessToken);
    expect(ra.auth.claims.sub).toBe(ra.auth.user.id);
    expect(rb.auth.claims.sub).toBe(rb.auth.user.id);
  });

  it('the grace window ends: after refreshGraceSeconds the old cookie is sent to WorkOS again and rejected', async () => {
    const { service, cookie, clock } = await expiredCookie();
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).not.toBeNull();
    clock.advance(31);
    const late = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(late.auth).toEqual({ user: null, reason: 'refresh_rejected', retryable: false });
    expect(ctx.proxy.stats.refreshAccepted).toBe(1);
    expect(ctx.proxy.stats.refreshRejected).toBe(1);
  });
});

describe('organization switch racing a refresh of the same token', () => {
  it('spends the refresh token once, then refreshes the rotated token into the new organization', async () => {
    const harness = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
    const { cookie } = await signIn(harness.service);
    harness.clock.advance(3660);
    ctx.proxy.stats = FaultProxy.emptyStats();
    const session = await harness.service.getSession(requestWithCookies({ 'wos-session': cookie }));
    if (!session) throw new Error('expected a session');
    const [plain, switched] = await Promise.all([
      harness.service.withAuth(requestWithCookies({ 'wos-session': cookie })),
      harness.service.switchOrganization(session, ctx.em.orgs.Globex as string),
    ]);
    expect(plain.auth.user?.email).toBe(DEMO_EMAIL);
    expect(switched.auth).toMatchObject({ organizationId: ctx.em.orgs.Globex, role: 'member' });
    expect(ctx.proxy.stats.refreshRejected).toBe(0);
    expect(ctx.proxy.stats.refreshAccepted).toBe(2);
  });
});
