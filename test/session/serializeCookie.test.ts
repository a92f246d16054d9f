import { describe, expect, it } from 'vitest';
import { serializeCookie } from '../../src/core/session/serializeCookie.js';

describe('serializeCookie rules', () => {
  it('forces Secure for SameSite=None, __Secure- and __Host- cookies', () => {
    expect(serializeCookie('a', 'v', { sameSite: 'none' })).toContain('Secure');
    expect(serializeCookie('__Secure-a', 'v', {})).toContain('Secure');
    expect(serializeCookie('__Host-a', 'v', { path: '/' })).toContain('Secure');
  });

  it('refuses a __Host- cookie with a Domain or another Path', () => {
    expect(() => serializeCookie('__Host-a', 'v', { domain: 'example.com' })).toThrow(expect.objectContaining({ code: 'cookie_invalid' }));
    expect(() => serializeCookie('__Host-a', 'v', { path: '/app' })).toThrow(expect.objectContaining({ code: 'cookie_invalid' }));
  });

  it.each([';', '\r', '\n', '\0'])('refuses %j in Path or Domain', (bad) => {
    expect(() => serializeCookie('a', 'v', { path: `/x${bad}y` })).toThrow(expect.objectContaining({ code: 'cookie_invalid' }));
    expect(() => serializeCookie('a', 'v', { domain: `example.com${bad}evil` })).toThrow(
      expect.objectContaining({ code: 'cookie_invalid' }),
    );
  });

  it('refuses an invalid cookie name', () => {
    expect(() => serializeCookie('bad name;', 'v', {})).toThrow(expect.objectContaining({ code: 'cookie_invalid' }));
  });

  it('writes Priority, Partitioned and Expires when asked', () => {
    const expires = new Date('2030-01-01T00:00:00Z');
    const header = serializeCookie('a', 'v', { priority: 'high', partitioned: true, expires, secure: true });
    expect(header).toContain('Priority=High');
    expect(header).toContain('Partitioned');
    expect(header).toContain(`Expires=${expires.toUTCString()}`);
    // A deletion never carries a future Expires.
    expect(serializeCookie('a', 'v', { expires }, { expired: true })).not.toContain('Expires');
  });
});
