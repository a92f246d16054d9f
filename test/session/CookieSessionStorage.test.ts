import { describe, expect, it } from 'vitest';
import type { AuthKitConfig } from '../../src/core/config/types.js';
import { AuthKitError } from '../../src/core/errors.js';
import { CookieSessionStorage } from '../../src/core/session/CookieSessionStorage.js';
import { parseCookieHeader } from '../../src/core/session/parseCookieHeader.js';
import type { HeadersBag } from '../../src/core/session/types.js';
import { isDeletion, otherLinesAreChunkDeletions, setCookieFor } from '../helpers/cookies.js';

const BASE: AuthKitConfig = {
  clientId: 'client_1',
  apiKey: 'sk_test_1',
  redirectUri: 'https://app.example/callback',
  cookiePassword: 'x'.repeat(32),
};

/** The smallest adapter: reads the cookie from a plain record. */
class RecordStorage extends CookieSessionStorage<Record<string, string>, { headers: HeadersBag }> {
  override async getCookie(request: Record<string, string>, name: string): Promise<string | null> {
    return request[name] ?? null;
  }
}

/** Parses one Set-Cookie value into its name, value and attributes (lower-cased names). */
function parseSetCookie(header: string): { name: string; value: string; attributes: Record<string, string | true> } {
  const [pair, ...rest] = header.split('; ');
  const eq = (pair as string).indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const item of rest) {
    const at = item.indexOf('=');
    if (at === -1) attributes[item.toLowerCase()] = true;
    else attributes[item.slice(0, at).toLowerCase()] = item.slice(at + 1);
  }
  return { name: (pair as string).slice(0, eq), value: (pair as string).slice(eq + 1), attributes };
}

async function savedCookie(config: Partial<AuthKitConfig>, value = 'sealed') {
  const name = config.cookieName || 'wos-session';
  const { headers } = await new RecordStorage({ ...BASE, ...config }).saveSession(undefined, value);
  // One cookie carries a small session; any other line may only delete stale chunk parts.
  expect(otherLinesAreChunkDeletions(headers, name)).toBe(true);
  return parseSetCookie(setCookieFor(headers, name));
}

describe('CookieSessionStorage', () => {
  it('writes wos-session with Path=/, HttpOnly, SameSite=Lax, Max-Age=34560000 and Secure for an https redirect', async () => {
    const { headers } = await new RecordStorage(BASE).saveSession(undefined, 'sealed');
    expect(otherLinesAreChunkDeletions(headers)).toBe(true);
    const cookie = parseSetCookie(setCookieFor(headers));
    expect(cookie).toEqual({
      name: 'wos-session',
      value: 'sealed',
      attributes: { path: '/', httponly: true, samesite: 'Lax', 'max-age': '34560000', secure: true },
    });
  });

  it('is not Secure for an http://localhost redirect', async () => {
    expect((await savedCookie({ redirectUri: 'http://localhost:3000/callback' })).attributes).not.toHaveProperty('secure');
  });

  it('is Secure for SameSite=None even with an http redirect', async () => {
    const { attributes } = await savedCookie({ redirectUri: 'http://localhost:3000/callback', cookieSameSite: 'none' });
    expect(attributes).toMatchObject({ samesite: 'None', secure: true });
  });

  it('is Secure when the redirect URI cannot be parsed', async () => {
    expect((await savedCookie({ redirectUri: 'not a url' })).attributes).toHaveProperty('secure', true);
  });

  it.each([
    ['strict', 'Strict'],
    ['lax', 'Lax'],
  ] as const)('writes SameSite=%s as %s', async (sameSite, written) => {
    expect((await savedCookie({ cookieSameSite: sameSite })).attributes.samesite).toBe(written);
  });

  it('adds Domain for cookieDomain and uses cookieName', async () => {
    const cookie = await savedCookie({ cookieDomain: 'example.com', cookieName: 'app-session' });
    expect(cookie.name).toBe('app-session');
    expect(cookie.attributes.domain).toBe('example.com');
  });

  it('falls back to wos-session (not wos_session) when the name is empty', async () => {
    expect((await savedCookie({ cookieName: '' })).name).toBe('wos-session');
  });

  it('cookieMaxAge 0 writes a browser-session cookie (no Max-Age, no Expires)', async () => {
    const { attributes } = await savedCookie({ cookieMaxAge: 0 });
    expect(attributes).not.toHaveProperty('max-age');
    expect(attributes).not.toHaveProperty('expires');
  });

  it('caps Max-Age at 400 days and keeps smaller values', async () => {
    expect((await savedCookie({ cookieMaxAge: 10 ** 9 })).attributes['max-age']).toBe('34560000');
    expect((await savedCookie({ cookieMaxAge: 600 })).attributes['max-age']).toBe('600');
  });

  it('URL-encodes the value so parseCookieHeader gives it back', async () => {
    const value = 'Fe26.2*1*abc~2 with; odd=chars,日本';
    const cookie = await savedCookie({}, value);
    expect(cookie.value).not.toMatch(/[ ;,]/);
    expect(parseCookieHeader(`${cookie.name}=${cookie.value}`)['wos-session']).toBe(value);
  });

  it('clearSession writes an empty value with Max-Age=0 and the same scope', async () => {
    const storage = new RecordStorage({ ...BASE, cookieDomain: 'example.com', cookieMaxAge: 0 });
    const { headers } = await storage.clearSession(undefined);
    expect(parseSetCookie(setCookieFor(headers))).toEqual({
      name: 'wos-session',
      value: '',
      attributes: { path: '/', domain: 'example.com', 'max-age': '0', httponly: true, secure: true, samesite: 'Lax' },
    });
  });

  it('getSession reads the session cookie through getCookie', async () => {
    const storage = new RecordStorage({ ...BASE, cookieName: 'custom' });
    expect(await storage.getSession({ custom: 'sealed' })).toBe('sealed');
    expect(await storage.getSession({ 'wos-session': 'other' })).toBeNull();
  });

  it('rejects not_implemented when an adapter overrides neither getSession nor getCookie', async () => {
    class Bare extends CookieSessionStorage<unknown, unknown> {}
    const error = await new Bare(BASE).getSession({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthKitError);
    expect(error).toMatchObject({ code: 'not_implemented' });
  });

  it('uses an applyHeaders override to write onto the response', async () => {
    class Applying extends RecordStorage {
      seen: HeadersBag[] = [];
      protected override async applyHeaders(response: { headers: HeadersBag } | undefined, headers: HeadersBag) {
        this.seen.push(headers);
        if (!response) return undefined;
        return { response: { headers: { ...response.headers, ...headers } } };
      }
    }
    const storage = new Applying(BASE);
    const saved = await storage.saveSession({ headers: { 'X-Existing': '1' } }, 'sealed');
    expect(saved.headers).toBeUndefined();
    expect(saved.response?.headers['X-Existing']).toBe('1');
    expect(parseSetCookie(setCookieFor(saved.response?.headers)).value).toBe('sealed');
    const cleared = await storage.clearSession({ headers: {} });
    expect(isDeletion(setCookieFor(cleared.response?.headers))).toBe(true);
    // Without a response the override declines and the headers come back as a bag.
    const bag = await storage.clearSession(undefined);
    expect(isDeletion(setCookieFor(bag.headers))).toBe(true);
    expect(storage.seen).toHaveLength(3);
  });

  it('lets 0.3.x adapters override buildSetCookie', async () => {
    class Legacy extends RecordStorage {
      protected override buildSetCookie(value: string, expired?: boolean): string {
        return `legacy=${value}${expired ? '; Max-Age=0' : ''}`;
      }
    }
    expect((await new Legacy(BASE).saveSession(undefined, 'v')).headers?.['Set-Cookie']).toBe('legacy=v');
    expect((await new Legacy(BASE).clearSession(undefined)).headers?.['Set-Cookie']).toBe('legacy=; Max-Age=0');
  });
});
