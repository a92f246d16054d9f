import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { sessionIdOf } from '../helpers/webhooks.js';

const context = useEmulator();

async function twoBrowsers() {
  const { service } = makeService(context.em.port, context.em.apiKey);
  const browsers = [];
  for (let i = 0; i < 2; i++) {
    const { cookie, result } = await signIn(service);
    browsers.push({ cookie, sessionId: sessionIdOf(result.authResponse.accessToken), userId: result.authResponse.user.id });
  }
  const [a, b] = browsers as [(typeof browsers)[0], (typeof browsers)[0]];
  const withCookie = (cookie: string) => service.withAuth(requestWithCookies({ 'wos-session': cookie }));
  return { service, a, b, withCookie };
}

describe('sign out everywhere', () => {
  it('listSessions: both browsers, newest first, the current one marked', async () => {
    const { service, a, b } = await twoBrowsers();
    const sessions = await service.listSessions(a.userId, a.sessionId);
    const ours = sessions.filter((s) => s.id === a.sessionId || s.id === b.sessionId);
    expect(ours).toHaveLength(2);
    expect(ours.find((s) => s.id === a.sessionId)).toMatchObject({ current: true });
    expect(ours.find((s) => s.id === b.sessionId)).toMatchObject({ current: false, ipAddress: null });
    expect(typeof ours[0]?.createdAt).toBe('string');
    expect([...sessions].sort((x, y) => y.createdAt.localeCompare(x.createdAt))).toEqual(sessions);
  });

  it('revokeOtherSessions: the other browser answers session_revoked (cached cookie included), this one stays signed in', async () => {
    const { service, a, b, withCookie } = await twoBrowsers();
    for (let i = 0; i < 2; i++) expect((await withCookie(b.cookie)).auth.user).not.toBeNull();
    const revoked = await service.revokeOtherSessions(a.sessionId, a.userId);
    expect(revoked).toContain(b.sessionId);
    expect(revoked).not.toContain(a.sessionId);
    expect((await withCookie(b.cookie)).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    expect((await withCookie(a.cookie)).auth.user).not.toBeNull();
    expect((await service.listSessions(a.userId, a.sessionId)).map((s) => s.id)).toEqual([a.sessionId]);
  });

  it('revokeAllSessions: every session answers session_revoked; a sign-in afterwards works', async () => {
    const { service, a, b, withCookie } = await twoBrowsers();
    await service.revokeAllSessions(a.userId);
    for (const { cookie } of [a, b]) expect((await withCookie(cookie)).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    const { cookie } = await signIn(service);
    expect((await withCookie(cookie)).auth.user).not.toBeNull();
  });

  it('rejects missing ids with session_missing', async () => {
    const { service } = makeService(context.em.port, context.em.apiKey);
    await expect(service.revokeOtherSessions('', 'user_1')).rejects.toMatchObject({ code: 'session_missing' });
    await expect(service.revokeAllSessions('')).rejects.toMatchObject({ code: 'session_missing' });
  });
});
