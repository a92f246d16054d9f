import { describe, expect, it } from 'vitest';
import { withAuthHandler } from '../../src/adapters/fetchMiddleware.js';
import { resolveConfig } from '../../src/core/config/resolve.js';
import { readEnvironment } from '../../src/core/config/environment.js';
import { envFor } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies, setCookieValue } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { isDeletion } from '../helpers/cookies.js';
import { openCookie, seal } from '../helpers/session.js';

const context = useEmulator();

/** A service with the given lifetimes, signed in; `request` runs withAuth and keeps the cookie the response sets. */
async function session(extra: Record<string, unknown>) {
  const harness = makeService(context.em.port, context.em.apiKey, extra);
  let { cookie } = await signIn(harness.service);
  const app = withAuthHandler(harness.service, (_request, auth) => new Response(auth.user ? 'in' : auth.reason));
  const request = async () => {
    const response = await app(requestWithCookies({ 'wos-session': cookie }));
    const lines = response.headers.getSetCookie().filter((line) => line.startsWith('wos-session='));
    if (lines.length > 0 && !isDeletion(lines[0] as string)) cookie = setCookieValue(lines[0] as string) as string;
    return { body: await response.text(), setCookie: lines.length > 0, cleared: lines.length > 0 && isDeletion(lines[0] as string) };
  };
  return { ...harness, request, cookie: () => cookie };
}

describe('idle timeout', () => {
  it('extends the idle clock at most once per touch interval and signs out after the idle time', async () => {
    const { request, clock } = await session({ sessionIdleTimeoutSeconds: 600, sessionTouchIntervalSeconds: 60 });
    expect(await request()).toEqual({ body: 'in', setCookie: false, cleared: false });
    clock.advance(30);
    expect(await request()).toEqual({ body: 'in', setCookie: false, cleared: false });
    clock.advance(31);
    // 61 s since sign-in: the idle clock is extended once, then not again within the interval.
    expect(await request()).toEqual({ body: 'in', setCookie: true, cleared: false });
    expect(await request()).toEqual({ body: 'in', setCookie: false, cleared: false });
    clock.advance(599);
    expect(await request()).toMatchObject({ body: 'in', setCookie: true });
    clock.advance(600);
    expect(await request()).toEqual({ body: 'session_idle_timeout', setCookie: true, cleared: true });
  });

  it('a cookie sealed without times starts its clocks on first use instead of being cut off', async () => {
    const { service, clock, cookie } = await session({ sessionIdleTimeoutSeconds: 600 });
    const { signedInAt, lastActiveAt, tokensAt, ...legacy } = await openCookie(service, cookie());
    expect([signedInAt, lastActiveAt, tokensAt].every((t) => typeof t === 'number')).toBe(true);
    const old = await seal(legacy);
    const first = await service.withAuth(requestWithCookies({ 'wos-session': old }));
    expect(first.auth.user).not.toBeNull();
    const stamped = await openCookie(service, first.refreshedSessionData as string);
    expect(stamped.lastActiveAt).toBe(stamped.signedInAt);
    clock.advance(601);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': first.refreshedSessionData as string }))).auth).toMatchObject({
      reason: 'session_idle_timeout',
    });
  });
});

describe('absolute lifetime', () => {
  it('signs out after the lifetime however active the session is, and the refreshes in between keep the sign-in time', async () => {
    const { request, clock, service, cookie } = await session({ sessionMaxLifetimeSeconds: 7200, sessionIdleTimeoutSeconds: 3600 });
    const signedInAt = (await openCookie(service, cookie())).signedInAt;
    for (let i = 0; i < 4; i++) {
      clock.advance(1790);
      // Past the access token's hour this also refreshes; the sign-in time survives the refresh.
      expect(await request()).toMatchObject({ body: 'in' });
      expect((await openCookie(service, cookie())).signedInAt).toBe(signedInAt);
    }
    clock.advance(50);
    expect(await request()).toEqual({ body: 'session_expired', setCookie: true, cleared: true });
  });

  it('is off by default: a week-old, idle session is still served', async () => {
    const { request, clock } = await session({});
    clock.advance(7 * 24 * 3600);
    expect(await request()).toMatchObject({ body: 'in' });
  });
});

describe('configuration', () => {
  it('reads the lifetimes and the webhook settings from WORKOS_* variables', () => {
    const config = resolveConfig(
      readEnvironment(
        envFor(1, 'sk_test', {
          WORKOS_SESSION_IDLE_TIMEOUT_SECONDS: '900',
          WORKOS_SESSION_MAX_LIFETIME_SECONDS: '86400',
          WORKOS_SESSION_TOUCH_INTERVAL_SECONDS: '30',
          WORKOS_WEBHOOK_SECRET: 'whsec_env',
          WORKOS_WEBHOOK_TOLERANCE_SECONDS: '60',
        }),
      ) as never,
    );
    expect(config).toMatchObject({
      sessionIdleTimeoutSeconds: 900,
      sessionMaxLifetimeSeconds: 86400,
      sessionTouchIntervalSeconds: 30,
      webhookSecret: 'whsec_env',
      webhookToleranceSeconds: 60,
    });
    expect(() => resolveConfig({ ...config, sessionIdleTimeoutSeconds: -1 })).toThrow(/config\.sessionIdleTimeoutSeconds/);
  });
});
