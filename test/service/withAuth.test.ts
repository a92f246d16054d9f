import { describe, expect, it } from 'vitest';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { makeService, signIn } from '../helpers/service.js';
import { requestWithCookies, setCookieValue } from '../helpers/requests.js';
import { useEmulator } from '../helpers/lifecycle.js';

const ctx = useEmulator();

describe('withAuth against the emulator', () => {
  it('signs in through the hosted flow and authenticates the cookie', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie, result } = await signIn(service, { returnPathname: '/dashboard?tab=1', state: 'app.state.v1' });
    expect(result.returnPathname).toBe('/dashboard?tab=1');
    expect(result.state).toBe('app.state.v1');
    const { auth, refreshedSessionData } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(refreshedSessionData).toBeUndefined();
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    if (!auth.user) throw new Error('unreachable');
    expect(auth.sessionId).toMatch(/^session_/);
    expect(auth.claims.sub).toBe(auth.user.id);
  });

  it('refreshes an expired access token and returns the new session to save', async () => {
    const { service, clock } = makeService(ctx.em.port, ctx.em.apiKey);
    const { cookie } = await signIn(service);
    clock.advance(3600 + 60);
    const first = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(first.auth.user?.email).toBe(DEMO_EMAIL);
    expect(first.refreshedSessionData).toBeTypeOf('string');
    clock.reset();
    const second = await service.withAuth(requestWithCookies({ 'wos-session': first.refreshedSessionData as string }));
    expect(second.auth.user?.email).toBe(DEMO_EMAIL);
    expect(second.refreshedSessionData).toBeUndefined();
    const saved = await service.saveSession(undefined, first.refreshedSessionData as string);
    expect(setCookieValue([saved.headers?.['Set-Cookie'] ?? []].flat()[0] as string)).toBe(first.refreshedSessionData);
  });

  it('answers no_session without a cookie and invalid_cookie for garbage', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    expect((await service.withAuth(requestWithCookies({}))).auth).toEqual({ user: null, reason: 'no_session', retryable: false });
    expect((await service.withAuth(requestWithCookies({ 'wos-session': 'garbage' }))).auth).toEqual({
      user: null,
      reason: 'invalid_cookie',
      retryable: false,
    });
  });
});
