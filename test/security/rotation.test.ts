import { describe, expect, it } from 'vitest';
import { ConfigurationProvider } from '../../src/core/config/ConfigurationProvider.js';
import { CLIENT_ID, COOKIE_PASSWORD, DEMO_EMAIL } from '../helpers/emulator.js';
import { makeService, signIn } from '../helpers/service.js';
import { requestWithCookies } from '../helpers/requests.js';
import { useEmulator } from '../helpers/lifecycle.js';

const OLD = 'the-previous-cookie-password-that-was-32+';
const NEW = 'the-brand-new-cookie-password-of-32+-chars';

const ctx = useEmulator();

describe('cookie password rotation', () => {
  it('re-seals a cookie opened with a previous password under the current one, on that request', async () => {
    const before = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: OLD });
    const { cookie } = await signIn(before.service);
    const after = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: [NEW, OLD] });
    const first = await after.service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(first.auth.user?.email).toBe(DEMO_EMAIL);
    expect(first.refreshedSessionData).toBeTypeOf('string');
    expect(after.events).toContainEqual({ type: 'session.opened', passwordIndex: 1 });
    expect(after.events).toContainEqual({ type: 'session.resealed', passwordIndex: 1 });

    const resealed = first.refreshedSessionData as string;
    const second = await after.service.withAuth(requestWithCookies({ 'wos-session': resealed }));
    expect(second.auth.user?.email).toBe(DEMO_EMAIL);
    expect(second.refreshedSessionData).toBeUndefined();

    const currentOnly = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: NEW });
    expect((await currentOnly.service.withAuth(requestWithCookies({ 'wos-session': resealed }))).auth.user?.email).toBe(DEMO_EMAIL);
    const fromNode = await ctx.workos.userManagement.getSessionFromCookie({ sessionData: resealed, cookiePassword: NEW });
    expect(fromNode?.user.email).toBe(DEMO_EMAIL);
  });

  it('seals with the first password only: previous passwords never write', async () => {
    const rotated = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: [NEW, OLD] });
    const { cookie } = await signIn(rotated.service);
    const oldOnly = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: OLD });
    expect((await oldOnly.service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth).toMatchObject({
      user: null,
      reason: 'invalid_cookie',
    });
  });

  it('reads previous passwords from WORKOS_COOKIE_PASSWORD_PREVIOUS and checks every length', () => {
    const provider = new ConfigurationProvider({
      WORKOS_CLIENT_ID: CLIENT_ID,
      WORKOS_API_KEY: 'sk_test',
      WORKOS_REDIRECT_URI: 'http://localhost:3000/callback',
      WORKOS_COOKIE_PASSWORD: NEW,
      WORKOS_COOKIE_PASSWORD_PREVIOUS: `${OLD}, ${COOKIE_PASSWORD}`,
    });
    expect(provider.getResolvedConfig().cookiePasswords).toEqual([NEW, OLD, COOKIE_PASSWORD]);
    const short = new ConfigurationProvider({
      WORKOS_CLIENT_ID: CLIENT_ID,
      WORKOS_API_KEY: 'sk_test',
      WORKOS_REDIRECT_URI: 'http://localhost:3000/callback',
      WORKOS_COOKIE_PASSWORD: NEW,
      WORKOS_COOKIE_PASSWORD_PREVIOUS: 'too-short',
    });
    expect(() => short.validate()).toThrow(/previous cookie password #1 must be at least 32 characters \(currently 9\)/);
    expect(() => short.validate()).not.toThrow(/too-short/);
  });
});
