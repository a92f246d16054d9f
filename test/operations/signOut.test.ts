import { describe, expect, it } from 'vitest';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { AuthKitError } from '../../src/core/errors.js';
import { AuthOperations } from '../../src/operations/AuthOperations.js';
import { isDeletion, setCookieFor, setCookieLines } from '../helpers/cookies.js';
import { configFor } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { signIn } from '../helpers/service.js';
import { useEmulator, useHarness } from '../helpers/lifecycle.js';

const ctx = useEmulator();

const harness = useHarness(ctx);

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

function params(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

describe('signOut', () => {
  it('returns the WorkOS logout URL, which ends the session on the emulator, and clears the cookie', async () => {
    const { cookie } = await signIn(harness.service);
    const { auth } = await harness.service.withAuth(withCookie(cookie));
    if (!auth.user) throw new Error(`not authenticated: ${auth.reason}`);
    const returnTo = 'http://localhost:3000/goodbye';
    const { logoutUrl, headers } = await harness.service.signOut(auth.sessionId, { returnTo });
    expect(logoutUrl.startsWith(`${ctx.em.url}/user_management/sessions/logout?`)).toBe(true);
    expect(params(logoutUrl)).toEqual({ session_id: auth.sessionId, return_to: returnTo });
    const followed = await fetch(logoutUrl, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(returnTo);
    const setCookie = setCookieFor(headers);
    expect(setCookie).toMatch(/^wos-session=;/);
    expect(isDeletion(setCookie)).toBe(true);
    expect(setCookieLines(headers).every(isDeletion)).toBe(true);
  });

  it('omits return_to when no returnTo is given', async () => {
    const { logoutUrl } = await harness.service.signOut('session_abc');
    expect(params(logoutUrl)).toEqual({ session_id: 'session_abc' });
  });

  it("signOut('') still clears the cookie without throwing", async () => {
    const plain = await harness.service.signOut('');
    expect(plain.logoutUrl).toBe('/');
    expect(setCookieFor(plain.headers)).toMatch(/^wos-session=;.*Max-Age=0/);
    const withReturn = await harness.service.signOut('', { returnTo: 'http://localhost:3000/bye' });
    expect(withReturn.logoutUrl).toBe('http://localhost:3000/bye');
    expect(isDeletion(setCookieFor(withReturn.headers))).toBe(true);
  });

  it('AuthOperations.getLogoutUrl refuses an empty session id with session_missing', () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    const client = createWorkOSClient(config);
    const operations = new AuthOperations(new AuthKitCore(config, client), client, config);
    expect(() => operations.getLogoutUrl('')).toThrow(AuthKitError);
    expect(() => operations.getLogoutUrl('')).toThrow(expect.objectContaining({ code: 'session_missing' }));
    expect(operations.getLogoutUrl('session_1', { returnTo: 'http://localhost:3000/' })).toBe(
      `${ctx.em.url}/user_management/sessions/logout?session_id=session_1&return_to=http%3A%2F%2Flocalhost%3A3000%2F`,
    );
  });
});
