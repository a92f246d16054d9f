import { describe, expect, it } from 'vitest';
import { CookieJar, isCommaJoined, isDeletion } from '../../../src/testing/index.js';

describe('kit helpers', () => {
  it('CookieJar applies lines in order, deletes, drops lines over 4096 bytes', () => {
    const jar = new CookieJar({ a: '1' });
    jar.apply(['b=2; Path=/', 'a=; Max-Age=0', `c=${'x'.repeat(4100)}`, 'd=%20x']);
    expect(Object.fromEntries(jar.cookies)).toEqual({ b: '2', d: ' x' });
    expect(jar.dropped).toBe(1);
    expect(jar.wire()).toEqual({ b: '2', d: '%20x' });
  });

  it('tells comma-joined values from Expires dates', () => {
    expect(isCommaJoined('a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(false);
    expect(isCommaJoined('a=1; Path=/, b=2; Path=/')).toBe(true);
    expect(isDeletion('a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true);
    expect(isDeletion('a=1; Max-Age=10')).toBe(false);
  });
});
