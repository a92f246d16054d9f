import { describe, expect, it } from 'vitest';
import { deepFreeze, SessionCache, type CachedSession } from '../../src/core/cache/SessionCache.js';
import type { Session } from '../../src/core/session/types.js';

const entry = (name: string, expiresAtMs = 10_000): CachedSession => ({
  session: { accessToken: name, refreshToken: 'r', user: { id: name } } as unknown as Session,
  claims: { sid: `session_${name}` },
  expiresAtMs,
});

describe('SessionCache', () => {
  it('answers a stored entry until its expiry, then forgets it', () => {
    const cache = new SessionCache(10);
    const a = entry('a', 5_000);
    cache.set('a', a, 0);
    expect(cache.get('a', 4_999)).toBe(a);
    expect(cache.get('a', 5_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('missing', 0)).toBeUndefined();
  });

  it('does not store an entry that is already expired, and drops the one it replaces', () => {
    const cache = new SessionCache(10);
    cache.set('a', entry('a', 5_000), 0);
    cache.set('a', entry('a', 5_000), 5_000);
    expect(cache.size).toBe(0);
  });

  it('replaces an entry under the same key', () => {
    const cache = new SessionCache(2);
    cache.set('a', entry('a'), 0);
    cache.set('b', entry('b'), 0);
    const next = entry('a2');
    cache.set('a', next, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBe(next);
    cache.set('c', entry('c'), 0);
    expect(cache.get('b', 0)).toBeUndefined();
  });

  it('evicts the least recently used entry past the cap', () => {
    const cache = new SessionCache(3);
    for (const key of ['a', 'b', 'c']) cache.set(key, entry(key), 0);
    expect(cache.get('a', 0)).toBeDefined(); // a is now the most recent; b the least
    cache.set('d', entry('d'), 0);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('c', 0)).toBeDefined(); // order now: a d c → c most recent, a least
    cache.set('b', entry('b'), 0);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(['b', 'c', 'd'].map((key) => cache.get(key, 0)?.session.accessToken)).toEqual(['b', 'c', 'd']);
  });

  it('keeps a cap of one, and survives deletes anywhere in the order', () => {
    const one = new SessionCache(1);
    one.set('a', entry('a'), 0);
    one.set('b', entry('b'), 0);
    expect(one.size).toBe(1);
    expect(one.get('b', 0)).toBeDefined();

    const cache = new SessionCache(5);
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, entry(key), 0);
    cache.delete('b');
    cache.delete('a');
    cache.delete('d');
    cache.delete('missing');
    expect(cache.size).toBe(1);
    for (const key of ['e', 'f', 'g', 'h', 'i']) cache.set(key, entry(key), 0);
    expect(cache.get('c', 0)).toBeUndefined();
    expect(cache.size).toBe(5);
  });

  it('stays bounded and exact under many distinct keys', () => {
    const cache = new SessionCache(100);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`k${i}`, entry(`k${i}`), 0);
      if (i % 7 === 0) cache.get(`k${i - 50}`, 0);
    }
    expect(cache.size).toBe(100);
    expect(cache.get('k9999', 0)).toBeDefined();
    expect(cache.get('k9899', 0)).toBeUndefined();
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays and returns the value', () => {
    const value = { a: { b: [1, { c: 2 }] }, s: 'x' };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.a.b[1])).toBe(true);
    expect(() => {
      (value.a.b as unknown[]).push(3);
    }).toThrow(TypeError);
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze('text')).toBe('text');
  });
});
