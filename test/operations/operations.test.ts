import { beforeAll, describe, expect, it } from 'vitest';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { AuthKitError } from '../../src/core/errors.js';
import { AuthOperations } from '../../src/operations/AuthOperations.js';
import { sanitizeReturnPathname } from '../../src/operations/returnPathname.js';
import { followAuthorize } from '../helpers/authorize.js';
import { isDeletion, setCookieFor, setCookieLines } from '../helpers/cookies.js';
import { CLIENT_ID, configFor, DEMO_EMAIL, REDIRECT_URI } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';
import { openCookie } from '../helpers/session.js';
import { useEmulator } from '../helpers/lifecycle.js';

const APP_ORIGIN = 'https://app.example';

const ctx = useEmulator();
let harness: ServiceHarness;
beforeAll(() => {
  harness = makeService(ctx.em.port, ctx.em.apiKey);
});

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

function params(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/** True when `path` resolved against the app stays on the app's origin. */
function sameOrigin(path: string): boolean {
  return new URL(path, APP_ORIGIN).origin === APP_ORIGIN && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}

describe('authorization URLs', () => {
  const all = {
    organizationId: 'org_123',
    loginHint: DEMO_EMAIL,
    prompt: 'login' as const,
    redirectUri: 'http://localhost:3000/other-callback',
    state: 'custom',
    returnPathname: '/after',
  };

  it('getSignInUrl carries every option', async () => {
    const url = await harness.service.getSignInUrl(all);
    expect(url.startsWith(`${ctx.em.url}/user_management/authorize?`)).toBe(true);
    expect(params(url)).toMatchObject({
      client_id: CLIENT_ID,
      provider: 'authkit',
      response_type: 'code',
      screen_hint: 'sign-in',
      organization_id: 'org_123',
      login_hint: DEMO_EMAIL,
      prompt: 'login',
      redirect_uri: 'http://localhost:3000/other-callback',
      state: expect.any(String),
    });
    expect(params(url).state).not.toBe('');
  });

  it('getSignUpUrl sets screen_hint=sign-up', async () => {
    const url = await harness.service.getSignUpUrl(all);
    expect(params(url)).toMatchObject({ screen_hint: 'sign-up', organization_id: 'org_123', login_hint: DEMO_EMAIL, prompt: 'login' });
  });

  it('getAuthorizationUrl takes screenHint, and defaults redirect_uri to the configured one', async () => {
    expect(params(await harness.service.getAuthorizationUrl({ screenHint: 'sign-up' })).screen_hint).toBe('sign-up');
    expect(params(await harness.service.getAuthorizationUrl({ screenHint: 'sign-in' })).screen_hint).toBe('sign-in');
    const plain = params(await harness.service.getAuthorizationUrl());
    expect(plain).not.toHaveProperty('screen_hint');
    expect(plain).not.toHaveProperty('organization_id');
    expect(plain).not.toHaveProperty('login_hint');
    expect(plain).not.toHaveProperty('prompt');
    expect(plain).toMatchObject({ client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, provider: 'authkit', response_type: 'code' });
  });

  it.each(['none', 'consent', 'select_account'] as const)('passes prompt=%s', async (prompt) => {
    expect(params(await harness.service.getSignInUrl({ prompt })).prompt).toBe(prompt);
  });

  it('the emulator redirects to the requested redirect_uri with a code and the same state', async () => {
    const url = await harness.service.getSignInUrl(all);
    const { code, state, callback } = await followAuthorize(url);
    expect(`${callback.origin}${callback.pathname}`).toBe('http://localhost:3000/other-callback');
    expect(code).toBeTruthy();
    expect(state).toBe(params(url).state);
  });
});

describe('returnPathname and state through handleCallback', () => {
  it('round-trips a non-Latin-1 returnPathname', async () => {
    const { result } = await signIn(harness.service, { returnPathname: '/日本?q=1' });
    expect(result.returnPathname).toBe('/%E6%97%A5%E6%9C%AC?q=1');
    expect(decodeURI(result.returnPathname)).toBe('/日本?q=1');
  });

  it.each(['a.b', 'v1.2.3', '.leading', 'trailing.', '...', 'plain', '日本.語', '{"json":"value.with.dots"}'])(
    'round-trips the custom state %j unchanged',
    async (state) => {
      const { result } = await signIn(harness.service, { state });
      expect(result.state).toBe(state);
      expect(result.returnPathname).toBe('/');
    },
  );

  it('round-trips a custom state with dots together with a returnPathname', async () => {
    const { result } = await signIn(harness.service, { state: 'v1.2.3', returnPathname: '/a/b?c=d#e' });
    expect(result).toMatchObject({ state: 'v1.2.3', returnPathname: '/a/b?c=d#e' });
  });

  it('gives state undefined and returnPathname / when none was given', async () => {
    const { result } = await signIn(harness.service);
    expect(result.state).toBeUndefined();
    expect(result.returnPathname).toBe('/');
  });

  it.each([
    ['//evil.com', '/'],
    ['https://evil.com/x', '/x'],
    ['/\\evil.com', '/'],
    ['\\\\evil.com/y', '/y'],
    ['//evil.com/%2F..', '/%2F..'],
    ['/.//evil.com', '/evil.com'],
    ['https:evil.com', '/evil.com'],
    ['javascript:alert(1)', '/alert(1)'],
    ['/ok\r\nLocation: https://evil.com', '/'],
  ])('returnPathname %j comes back as the same-origin path %j', async (attempt, expected) => {
    const { result } = await signIn(harness.service, { returnPathname: attempt });
    expect(result.returnPathname).toBe(expected);
    expect(sameOrigin(result.returnPathname)).toBe(true);
  });

  it('a callback state that was not issued here is refused before the code is spent', async () => {
    const { code, state } = await followAuthorize(await harness.service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    // A 0.3.4-style state pointing off-site.
    const forged = btoa(JSON.stringify({ returnPathname: '//evil.com' })).replace(/=+$/, '');
    await expect(
      harness.service.handleCallback(new Request(`${REDIRECT_URI}?code=${code}`), new Response(null), { code, state: forged }),
    ).rejects.toMatchObject({ code: 'state_invalid' });
    const { returnPathname } = await harness.service.handleCallback(new Request(REDIRECT_URI), new Response(null), { code, state });
    expect(returnPathname).toBe('/');
  });
});

describe('sanitizeReturnPathname', () => {
  it.each([
    ['/dashboard?tab=1#top', '/dashboard?tab=1#top'],
    ['relative/path', '/relative/path'],
    ['///evil.com', '/'],
    ['/\\/evil.com', '/'],
    ['/%2F%2Fevil.com', '/%2F%2Fevil.com'],
    ['', '/'],
    ['/a\u0000b', '/'],
    ['/a\tb', '/'],
    ['http://[bad', '/'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeReturnPathname(input)).toBe(expected);
    expect(sameOrigin(sanitizeReturnPathname(input))).toBe(true);
  });

  it('falls back to / for non-strings', () => {
    expect(sanitizeReturnPathname(undefined)).toBe('/');
    expect(sanitizeReturnPathname(42)).toBe('/');
  });
});

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

describe('switchOrganization and refreshSession', () => {
  it('switches into Acme as admin, then Globex as member, each result authenticating', async () => {
    const { cookie } = await signIn(harness.service);
    const acme = await harness.service.switchOrganization(await openCookie(harness.service, cookie), ctx.em.orgs.Acme as string);
    if (!acme.auth.user) throw new Error('switch lost the user');
    expect(acme.auth).toMatchObject({
      organizationId: ctx.em.orgs.Acme,
      role: 'admin',
      permissions: ['posts:read', 'posts:write'],
      claims: { org_id: ctx.em.orgs.Acme, role: 'admin' },
    });
    const afterAcme = await harness.service.withAuth(withCookie(acme.encryptedSession));
    expect(afterAcme.auth.user ? afterAcme.auth.organizationId : undefined).toBe(ctx.em.orgs.Acme);

    const globex = await harness.service.switchOrganization(
      await openCookie(harness.service, acme.encryptedSession),
      ctx.em.orgs.Globex as string,
    );
    expect(globex.auth).toMatchObject({ organizationId: ctx.em.orgs.Globex, role: 'member', permissions: ['posts:read'] });
    const afterGlobex = await harness.service.withAuth(withCookie(globex.encryptedSession));
    expect(afterGlobex.auth.user ? afterGlobex.auth.role : undefined).toBe('member');
  });

  it('refreshSession returns an encryptedSession that authenticates, keeping the current organization', async () => {
    const { cookie } = await signIn(harness.service);
    const before = await openCookie(harness.service, cookie);
    const plain = await harness.service.refreshSession(before);
    if (!plain.auth.user) throw new Error('refresh lost the user');
    expect(plain.auth.accessToken).not.toBe(before.accessToken);
    expect(plain.auth.organizationId).toBeUndefined();
    const authed = await harness.service.withAuth(withCookie(plain.encryptedSession));
    expect(authed.auth.user?.email).toBe(DEMO_EMAIL);
    expect(authed.refreshedSessionData).toBeUndefined();

    const acme = await harness.service.refreshSession(await openCookie(harness.service, plain.encryptedSession), ctx.em.orgs.Acme);
    expect(acme.auth.user && acme.auth.organizationId).toBe(ctx.em.orgs.Acme);
    const again = await harness.service.refreshSession(await openCookie(harness.service, acme.encryptedSession));
    expect(again.auth.user && again.auth.organizationId).toBe(ctx.em.orgs.Acme);
    expect(again.auth.user && again.auth.role).toBe('admin');
  });
});
