import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { CookieSessionStorage } from '../../src/core/session/CookieSessionStorage.js';
import { parseCookieHeader } from '../../src/core/session/parseCookieHeader.js';
import type { CookieOptions, HeadersBag, SessionStorage } from '../../src/core/session/types.js';
import { createAuthService } from '../../src/service/factory.js';
import { followAuthorize } from '../helpers/authorize.js';
import { cookieNameOf, cookieValue, isDeletion, setCookieFor, setCookieLines } from '../helpers/cookies.js';
import { configFor, DEMO_EMAIL, REDIRECT_URI } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';

const ctx = useEmulator();

/** A storage that is no `CookieSessionStorage`: the 0.3.4 interface only, writing header bags. */
function plainStorage(cookieName: string): SessionStorage<Request, Response> & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    async getSession(request) {
      return parseCookieHeader(request.headers.get('cookie'))[cookieName] ?? null;
    },
    async saveSession(_response, sessionData) {
      writes.push('saveSession');
      return { headers: { 'Set-Cookie': `${cookieName}=${sessionData}; Path=/; HttpOnly` } };
    },
    async clearSession() {
      writes.push('clearSession');
      return { headers: { 'Set-Cookie': `${cookieName}=; Path=/; Max-Age=0` } };
    },
  };
}

/** The same, with the optional 0.5+ cookie methods. */
function plainCookieStorage(cookieName: string): SessionStorage<Request, Response> & { writes: string[] } {
  const base = plainStorage(cookieName);
  const line = (name: string, value: string, options: CookieOptions) => `${name}=${value}; Path=${options.path ?? '/'}`;
  return {
    ...base,
    async getCookie(request, name) {
      return parseCookieHeader(request.headers.get('cookie'))[name] ?? null;
    },
    async setCookie(_response, name, value, options) {
      base.writes.push(`setCookie ${name}`);
      return { headers: { 'Set-Cookie': line(name, value, options) } };
    },
    async clearCookie(_response, name, options) {
      base.writes.push(`clearCookie ${name}`);
      return { headers: { 'Set-Cookie': `${line(name, '', options)}; Max-Age=0` } };
    },
  };
}

function serviceOver(storage: SessionStorage<Request, Response>) {
  return createAuthService<Request, Response>({ config: configFor(ctx.em.port, ctx.em.apiKey), sessionStorageFactory: () => storage });
}

describe('the cookie store the service wraps any storage in', () => {
  it('a plain 0.3.4 storage: reads with getSession, writes the session with saveSession, refuses a bound sign-in', async () => {
    const storage = plainStorage('wos-session');
    const service = serviceOver(storage);
    const { code, state } = await followAuthorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    const result = await service.handleCallback(new Request(REDIRECT_URI), new Response(null), { code, state });
    expect(storage.writes).toEqual(['saveSession']);
    const cookie = cookieValue(setCookieFor(result.headers));
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user?.email).toBe(DEMO_EMAIL);
    await expect(service.createSignIn(undefined)).rejects.toMatchObject({ code: 'not_implemented' });
    const signedOut = await service.signOut('');
    expect(isDeletion(setCookieFor(signedOut.headers as HeadersBag))).toBe(true);
    expect(storage.writes).toEqual(['saveSession', 'clearSession']);
  });

  it('a plain storage with the 0.5+ cookie methods: a bound sign-in writes the session, then deletes the flow cookie, in one result', async () => {
    const storage = plainCookieStorage('wos-session');
    const service = serviceOver(storage);
    const started = await service.createSignIn(undefined, { returnPathname: '/after' });
    expect(storage.writes).toEqual([`setCookie ${started.cookieName}`]);
    const flowCookie = cookieValue(setCookieFor(started.headers, started.cookieName));
    const { code, state } = await followAuthorize(started.url);
    const request = requestWithCookies({ [started.cookieName]: flowCookie }, REDIRECT_URI);
    const result = await service.handleCallback(request, new Response(null), { code, state });
    expect(result.returnPathname).toBe('/after');
    expect(setCookieLines(result.headers).map(cookieNameOf)).toEqual(['wos-session', started.cookieName]);
    expect(storage.writes.slice(1)).toEqual(['saveSession', `clearCookie ${started.cookieName}`]);
  });

  it('honours a CookieSessionStorage subclass that overrides saveSession and setCookie (an SDK adapter)', async () => {
    const calls: string[] = [];
    class Sdk extends FetchSessionStorage {
      override async saveSession(response: Response | undefined, sessionData: string, options?: { request?: Request }) {
        calls.push('saveSession');
        return super.saveSession(response, sessionData, options);
      }
      override async setCookie(response: Response | undefined, name: string, value: string, options: CookieOptions) {
        calls.push('setCookie');
        return super.setCookie(response, name, value, options);
      }
    }
    const service = serviceOver(new Sdk(configFor(ctx.em.port, ctx.em.apiKey)));
    const started = await service.createSignIn(new Response(null));
    const flowCookie = cookieValue(setCookieFor(started.response, started.cookieName));
    const { code, state } = await followAuthorize(started.url);
    const request = requestWithCookies({ [started.cookieName]: flowCookie }, REDIRECT_URI);
    const result = await service.handleCallback(request, new Response(null, { status: 302 }), { code, state });
    expect(calls).toEqual(['setCookie', 'saveSession']);
    // Written onto the response the storage returned: session first, then the flow cookie's deletion.
    expect(result.response?.status).toBe(302);
    expect(setCookieLines(result.response).map(cookieNameOf)).toEqual(['wos-session', started.cookieName]);
  });

  it('a CookieSessionStorage without getCookie (0.3.4) cannot present the flow cookie, so a bound callback is refused', async () => {
    class GetSessionOnly extends CookieSessionStorage<Request, Response> {
      override async getSession(request: Request) {
        return parseCookieHeader(request.headers.get('cookie'))[this.cookieName] ?? null;
      }
    }
    const service = serviceOver(new GetSessionOnly(configFor(ctx.em.port, ctx.em.apiKey)));
    const started = await service.createSignIn(undefined);
    const flowCookie = cookieValue(setCookieFor(started.headers, started.cookieName));
    const { code, state } = await followAuthorize(started.url);
    const request = requestWithCookies({ [started.cookieName]: flowCookie }, REDIRECT_URI);
    await expect(service.handleCallback(request, new Response(null), { code, state })).rejects.toMatchObject({ code: 'state_mismatch' });
  });
});
