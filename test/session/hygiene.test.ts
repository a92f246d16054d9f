import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { serializeCookie } from '../../src/core/session/serializeCookie.js';
import { configFor } from '../helpers/emulator.js';

const http = configFor(1234, 'sk_test');

describe('cookie hygiene rules enforced when written', () => {
  it('__Host- forces Secure and needs Path=/ and no Domain', async () => {
    const line = serializeCookie('__Host-wos-session', 'v', { path: '/', secure: false, httpOnly: true });
    expect(line).toMatch(/; Secure/);
    expect(line).not.toMatch(/Domain=/);
    expect(() => serializeCookie('__Host-wos-session', 'v', { path: '/', domain: 'example.com' })).toThrow(
      expect.objectContaining({ code: 'cookie_invalid' }),
    );
    expect(() => serializeCookie('__Host-wos-session', 'v', { path: '/app' })).toThrow(expect.objectContaining({ code: 'cookie_invalid' }));
    const storage = new FetchSessionStorage({ ...http, cookieName: '__Host-wos-session' });
    const saved = await storage.saveSession(undefined, `Fe26.2*${'a'.repeat(5000)}~2`);
    for (const value of [saved.headers?.['Set-Cookie'] ?? []].flat())
      expect(value).toMatch(/^__Host-wos-session(\.\d)?=.*; Path=\/; .*Secure/);
  });

  it('__Secure- forces Secure', () => {
    expect(serializeCookie('__Secure-x', 'v', { secure: false })).toMatch(/; Secure/);
  });

  it('SameSite=None forces Secure even on an http redirect URI', async () => {
    const storage = new FetchSessionStorage({ ...http, cookieSameSite: 'none' });
    expect((await storage.saveSession(undefined, 'v~2')).headers?.['Set-Cookie']).toSatisfy((v: string | string[]) =>
      [v].flat().every((line) => /; Secure/.test(line) && /SameSite=None/.test(line)),
    );
    expect(serializeCookie('x', 'v', { sameSite: 'none', secure: false })).toMatch(/; Secure/);
  });

  it('caps Max-Age at 400 days, and Max-Age 0 configured means a browser-session cookie', async () => {
    expect(serializeCookie('x', 'v', { maxAge: 10 ** 9 })).toMatch(/Max-Age=34560000/);
    const session = new FetchSessionStorage({ ...http, cookieMaxAge: 0 });
    const line = [(await session.saveSession(undefined, 'v~2')).headers?.['Set-Cookie'] ?? []].flat()[0] as string;
    expect(line).toMatch(/^wos-session=v~2;/);
    expect(line).not.toMatch(/Max-Age|Expires/);
    const cleared = [(await session.clearSession(undefined)).headers?.['Set-Cookie'] ?? []].flat()[0] as string;
    expect(cleared).toMatch(/Max-Age=0/);
  });

  it('refuses ; CR LF or NUL in any attribute', () => {
    for (const bad of ['/a;b', '/a\r\nSet-Cookie: x=y', '/a\nb', '/\0']) {
      expect(() => serializeCookie('x', 'v', { path: bad })).toThrow(expect.objectContaining({ code: 'cookie_invalid' }));
      expect(() => serializeCookie('x', 'v', { path: '/', domain: `example.com${bad}` })).toThrow(
        expect.objectContaining({ code: 'cookie_invalid' }),
      );
    }
    expect(() => serializeCookie('bad;name', 'v', {})).toThrow(expect.objectContaining({ code: 'cookie_invalid' }));
    expect(serializeCookie('x', 'a;b\r\n', {})).toMatch(/^x=a%3Bb%0D%0A;/);
  });
});
