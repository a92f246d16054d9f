import { describe, expect, it } from 'vitest';
import { deepFreeze, fullEntryBytes, SessionCache, SLIM_ENTRY_BYTES, type CachedSession } from '../../src/core/cache/SessionCache.js';
import type { Session } from '../../src/core/session/types.js';

const whole = (name: string): CachedSession => ({
  digest: `digest-${name}`,
  session: { accessToken: name, refreshToken: 'r', user: { id: name } } as unknown as Session,
  claims: { sid: `session_${name}` },
});
const seal = (mac: string) => `Fe26.2*1*${'a'.repeat(64)}*iv*body**${'b'.repeat(64)}*${mac}~2`;

describe('SessionCache', () => {
  it('keys a seal by the first 22 characters of its MAC', () => {
    const mac = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq';
    expect(SessionCache.keyOf(seal(mac))).toBe(mac.slice(0, 22));
    expect(SessionCache.keyOf(seal('short'))).toBe('short');
    expect(SessionCache.keyOf('not a seal')).toBe('not a se');
  });

  it('remembers a seal small, keeps it whole on request, and forgets it at expiry', () => {
    const cache = new SessionCache({ maxEntries: 10, maxBytes: 1e9 });
    cache.remember('k', 5_000, 0);
    expect(cache.get('k', 0)).toBeNull();
    expect(cache.bytes).toBe(SLIM_ENTRY_BYTES);
    const entry = whole('k');
    expect(cache.keepWhole('k', entry, 1_600)).toBe(true);
    expect(cache.get('k', 4_999)).toBe(entry);
    expect(cache.bytes).toBe(fullEntryBytes(1_600));
    expect(cache.get('k', 5_000)).toBeUndefined();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
    expect(cache.keepWhole('k', entry, 1_600)).toBe(false);
  });

  it('keeps a session whole only within the byte budget, and shrinks whole entries before evicting any', () => {
    const budget = SLIM_ENTRY_BYTES * 2 + fullEntryBytes(1_000) - 1;
    const cache = new SessionCache({ maxEntries: 10, maxBytes: budget });
    cache.remember('a', 1e15, 0);
    cache.remember('b', 1e15, 0);
    expect(cache.keepWhole('a', whole('a'), 1_000)).toBe(true);
    expect(cache.keepWhole('b', whole('b'), 1_000)).toBe(false); // would pass the budget
    cache.remember('c', 1e15, 0); // a shrinks to small, nothing is evicted
    expect(cache.size).toBe(3);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([null, null, null]);
    expect(cache.bytes).toBe(3 * SLIM_ENTRY_BYTES);
  });

  it('holds 100,000 sessions within the default 64 MiB budget', () => {
    const cache = new SessionCache({ maxEntries: 150_000, maxBytes: 64 * 2 ** 20 });
    for (let i = 0; i < 100_000; i++) cache.remember(`key${i}`, 1e15, 0);
    expect(cache.size).toBe(100_000);
    expect(cache.bytes).toBeLessThanOrEqual(64 * 2 ** 20);
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
