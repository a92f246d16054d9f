import { describe, expect, it } from 'vitest';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { useRedis } from '../helpers/useRedis.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';

const ctx = useEmulatorWithProxy();
const shared = useRedis();

const sidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')).sid;

function instance(extra: Record<string, unknown> = {}): ServiceHarness {
  const harness = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url, ...extra });
  shared.services.push(harness.service);
  return harness;
}

describe('sign-out racing a refresh', () => {
  for (const [name, extra] of [
    ['one instance', {}],
    ['Redis', { redisUrl: '' }],
  ] as const) {
    it(`a sign-out while the refresh is held open by 400 ms of WorkOS latency ends the session (${name})`, async () => {
      const a = instance(name === 'Redis' ? { redisUrl: shared.redis.url } : extra);
      const { cookie, result } = await signIn(a.service);
      a.clock.advance(3_660);
      ctx.proxy.latencyMs = 400;
      const pending = a.service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      // The refresh grant is at WorkOS (held by the latency) when the user signs out.
      while (!ctx.proxy.log.some((r) => r.body.includes('refresh_token'))) await new Promise((resolve) => setTimeout(resolve, 5));
      await a.service.signOut(sidOf(result.authResponse.accessToken));
      const outcome = await pending;
      expect(ctx.proxy.stats.refreshAccepted).toBe(1);
      expect(outcome.auth).toEqual({ user: null, reason: 'session_revoked', retryable: false });
      expect(outcome.refreshedSessionData).toBeUndefined();
      // And the old cookie, inside the grace window that would reuse the rotated session: still refused.
      ctx.proxy.latencyMs = 0;
      expect((await a.service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user).toBeNull();
    });
  }

  it('sign-out on one instance, then a due-for-refresh cookie on another (grace window) is refused', async () => {
    const a = instance({ redisUrl: shared.redis.url });
    const b = instance({ redisUrl: shared.redis.url });
    const { cookie, result } = await signIn(a.service);
    b.clock.advance(3_660);
    // b refreshes the cookie: the rotated session sits in its grace window for 30 s.
    expect((await b.service.withAuth(requestWithCookies({ 'wos-session': cookie }))).refreshedSessionData).toBeDefined();
    await a.service.signOut(sidOf(result.authResponse.accessToken));
    let reason = '';
    for (let i = 0; i < 50 && reason !== 'session_revoked'; i++) {
      const { auth } = await b.service.withAuth(requestWithCookies({ 'wos-session': cookie }));
      reason = auth.user ? 'authenticated' : auth.reason;
      if (reason !== 'session_revoked') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(reason).toBe('session_revoked');
    expect(b.events.filter((e) => e.type === 'refresh.succeeded')).toHaveLength(1);
  });
});
