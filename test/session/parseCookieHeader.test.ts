import { describe, expect, it } from 'vitest';
import { parseCookieHeader } from '../../src/core/session/parseCookieHeader.js';

describe('parseCookieHeader', () => {
  it('splits and URL-decodes values', () => {
    expect(parseCookieHeader('a=1; b=hello%20world; wos-session=Fe26.2*1*x~2; c=%E6%97%A5')).toEqual({
      a: '1',
      b: 'hello world',
      'wos-session': 'Fe26.2*1*x~2',
      c: '日',
    });
  });

  it('keeps malformed percent-encoding as sent instead of throwing', () => {
    expect(parseCookieHeader('wos-session=%E0%A4%A; ok=%41')).toEqual({ 'wos-session': '%E0%A4%A', ok: 'A' });
    expect(parseCookieHeader('x=%')).toEqual({ x: '%' });
  });

  it('gives an empty map for an empty or absent header', () => {
    expect(parseCookieHeader('')).toEqual({});
    expect(parseCookieHeader(null)).toEqual({});
    expect(parseCookieHeader(undefined)).toEqual({});
    expect(parseCookieHeader(';;  ; ')).toEqual({});
  });

  it('keeps the first of duplicate names and trims whitespace', () => {
    expect(parseCookieHeader('a=first; a=second')).toEqual({ a: 'first' });
    expect(parseCookieHeader('  spaced  =  v  ')).toEqual({ spaced: 'v' });
  });

  it('reads names that are Object.prototype members as plain values', () => {
    expect(parseCookieHeader('__proto__=x; constructor=y; toString=z')).toEqual({ constructor: 'y', toString: 'z' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
