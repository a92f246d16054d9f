import { describe, expect, it } from 'vitest';
import { FetchSessionStorage, withHeaders } from '../../src/adapters/fetch.js';
import type { AuthKitConfig } from '../../src/core/config/types.js';
import { isDeletion, setCookieFor } from '../helpers/cookies.js';

const CONFIG: AuthKitConfig = {
  clientId: 'client_1',
  apiKey: 'sk_test_1',
  redirectUri: 'https://app.example/callback',
  cookiePassword: 'x'.repeat(32),
};

describe('FetchSessionStorage', () => {
  const storage = new FetchSessionStorage(CONFIG);

  it('reads the session cookie from the Cookie header, URL-decoded', async () => {
    const request = new Request('https://app.example/', {
      headers: { cookie: `other=1; wos-session=${encodeURIComponent('Fe26.2*1*a b~2')}` },
    });
    expect(await storage.getSession(request)).toBe('Fe26.2*1*a b~2');
    expect(await storage.getSession(new Request('https://app.example/'))).toBeNull();
  });

  it('appends Set-Cookie to a copy of the response, keeping status, body and existing cookies', async () => {
    const original = new Response('hello', { status: 201, statusText: 'Created', headers: { 'set-cookie': 'theme=dark', 'x-app': '1' } });
    const { response, headers } = await storage.saveSession(original, 'sealed');
    expect(headers).toBeUndefined();
    expect(response).toBeInstanceOf(Response);
    expect(response).not.toBe(original);
    expect(response?.status).toBe(201);
    expect(response?.statusText).toBe('Created');
    expect(response?.headers.get('x-app')).toBe('1');
    // Each cookie is its own header, after the ones already there; never comma-joined.
    const [first, ...ours] = response?.headers.getSetCookie() ?? [];
    expect(first).toBe('theme=dark');
    expect(ours.filter((line) => !isDeletion(line))).toEqual([
      'wos-session=sealed; Max-Age=34560000; Path=/; HttpOnly; Secure; SameSite=Lax',
    ]);
    expect(ours.every((line) => /^wos-session(\.\d+)?=/.test(line))).toBe(true);
    expect(await response?.text()).toBe('hello');
    // The original is untouched.
    expect(original.headers.getSetCookie()).toEqual(['theme=dark']);
  });

  it('clearSession appends a deleting Set-Cookie to the response', async () => {
    const { response } = await storage.clearSession(new Response(null, { status: 302, headers: { location: '/' } }));
    expect(response?.status).toBe(302);
    expect(response?.headers.get('location')).toBe('/');
    expect(setCookieFor(response)).toBe('wos-session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax');
    expect(response?.headers.getSetCookie().every(isDeletion)).toBe(true);
  });

  it('returns a headers bag when there is no response', async () => {
    const { response, headers } = await storage.saveSession(undefined, 'sealed');
    expect(response).toBeUndefined();
    expect(setCookieFor(headers)).toMatch(/^wos-session=sealed;/);
  });
});

describe('withHeaders', () => {
  it('appends every value of an array as its own header', () => {
    const response = withHeaders(new Response(null), { 'Set-Cookie': ['a=1', 'b=2'], 'Cache-Control': 'no-store' });
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('appendHeaders and Vary', () => {
  it('merges Vary tokens instead of replacing them', () => {
    const response = withHeaders(new Response(null, { headers: { vary: 'Accept-Encoding' } }), { Vary: 'Cookie' });
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(withHeaders(response, { Vary: 'cookie' }).headers.get('vary')).toBe('Accept-Encoding, Cookie');
  });
});
