import { describe, expect, it } from 'vitest';
import { DEMO_EMAIL, OTHER_EMAIL } from '../helpers/emulator.js';
import { FaultProxy } from '../helpers/faultProxy.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

const ctx = useEmulatorWithProxy();

describe('a 429 with a huge Retry-After', () => {
  it('pauses refreshes for at most the cap (5 minutes by default), then WorkOS is probed again', async () => {
    const { service, clock, events } = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url });
    const mallory = await signIn(service, { loginHint: DEMO_EMAIL });
    const alice = await signIn(service, { loginHint: OTHER_EMAIL });
    ctx.proxy.stats = FaultProxy.emptyStats();
    clock.advance(3_660);
    // One user's refresh is answered 429 Retry-After: 86400 (a day).
    ctx.proxy.rules = [{ fault: { kind: 'status', status: 429, retryAfter: 86_400 }, times: 1 }];
    const first = await service.withAuth(requestWithCookies({ 'wos-session': mallory.cookie }));
    expect(first.auth).toEqual({ user: null, reason: 'refresh_unavailable', retryable: true });
    // Inside the cap every other user is answered at once, without a WorkOS call: the pause is honoured.
    const during = await service.withAuth(requestWithCookies({ 'wos-session': alice.cookie }));
    expect(during.auth).toEqual({ user: null, reason: 'refresh_unavailable', retryable: true });
    expect(ctx.proxy.stats.refreshFaulted).toBe(1);
    expect(ctx.proxy.stats.refreshAccepted).toBe(0);
    // Past the cap (not a day later) the next refresh probes WorkOS, which answers again.
    clock.advance(5 * 60 + 1);
    const after = await service.withAuth(requestWithCookies({ 'wos-session': alice.cookie }));
    expect(after.auth.user?.email).toBe(OTHER_EMAIL);
    expect(ctx.proxy.stats.refreshAccepted).toBe(1);
    expect(events.filter((e) => e.type === 'refresh.succeeded')).toHaveLength(1);
  });

  it('the cap is configurable (maxRateLimitBackoffMs)', async () => {
    const { service, clock } = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url }, { maxRateLimitBackoffMs: 30_000 });
    const { cookie } = await signIn(service);
    clock.advance(3_660);
    ctx.proxy.rules = [{ fault: { kind: 'status', status: 429, retryAfter: 86_400 }, times: 1 }];
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).toBeNull();
    clock.advance(31);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).not.toBeNull();
  });
});
