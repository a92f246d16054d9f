import { describe, expect, it } from 'vitest';
import { deepFreeze, fullEntryBytes, SessionCache, SLIM_ENTRY_BYTES, type CachedSession } from '../../src/core/cache/SessionCache.js';
import type { Session } from '../../src/core/session/types.js';

const session = (name: string) => ({ accessToken: name, refreshToken: 'r', user: { id: name } }) as unknown as Session;
const claims = (name: string) => ({ sid: `session_${name}` });
/** A seal of `length` characters. */
const sealOf = (length: number) => 'S'.repeat(length);
const seal = (mac: string) => `Fe26.2*1*${'a'.repeat(64)}*iv*body**${'b'.repeat(64)}*${mac}~2`;

describe('SessionCache', () => {
  it('keys a seal by the first 22 characters of its MAC', () => {
    const mac = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq';
    expect(SessionCache.keyOf(seal(mac))).toBe(mac.slice(0, 22));
    expect(SessionCache.keyOf(seal('short'))).toBe('short');
    expect(SessionCache.keyOf('not a seal')).toBe('not a se');
  });

  it('remembers a seal small, keeps it whole (frozen) on request, and forgets it at expiry', () => {
    const cache = new SessionCache({ maxEntries: 10, maxBytes: 1e9 });
    cache.remember('k', 'ticket-k', 5_000, 0);
    expect(cache.get('k', 0)).toBe('ticket-k');
    expect(cache.bytes).toBe(SLIM_ENTRY_BYTES);
    expect(cache.keepWhole('k', sealOf(1_600), 'ticket-k', session('k'), claims('k'))).toBe(true);
    const entry = cache.get('k', 4_999) as CachedSession;
    expect(entry).toEqual({ cookie: sealOf(1_600), ticket: 'ticket-k', session: session('k'), claims: claims('k') });
    expect([Object.isFrozen(entry), Object.isFrozen(entry.session.user), Object.isFrozen(entry.claims)]).toEqual([true, true, true]);
    expect(cache.bytes).toBe(fullEntryBytes(1_600));
    expect(cache.get('k', 5_000)).toBeUndefined();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
    expect(cache.keepWhole('k', sealOf(1_600), 'ticket-k', session('k'), claims('k'))).toBe(false);
  });

  it('keeps a session whole only within the byte budget, and shrinks whole entries before evicting any', () => {
    const budget = SLIM_ENTRY_BYTES * 2 + fullEntryBytes(1_000) - 1;
    const cache = new SessionCache({ maxEntries: 10, maxBytes: budget });
    cache.remember('a', 'ticket-a', 1e15, 0);
    cache.remember('b', 'ticket-b', 1e15, 0);
    expect(cache.keepWhole('a', sealOf(1_000), 'ticket-a', session('a'), claims('a'))).toBe(true);
    expect(cache.keepWhole('b', sealOf(1_000), 'ticket-b', session('b'), claims('b'))).toBe(false); // would pass the budget
    cache.remember('c', null, 1e15, 0); // a shrinks back to its ticket, nothing is evicted
    expect(cache.size).toBe(3);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual(['ticket-a', 'ticket-b', null]);
    expect(cache.bytes).toBe(3 * SLIM_ENTRY_BYTES);
  });

  it('keeps an own copy of the cookie in a whole entry, counted; without a ticket it shrinks to "verified"', () => {
    const cache = new SessionCache({ maxEntries: 10, maxBytes: 1e9 });
    cache.remember('a', null, 1e15, 0);
    const cookie = `!${sealOf(1_000)}`.slice(1);
    expect(cache.keepWhole('a', cookie, null, session('a'), claims('a'))).toBe(true);
    expect((cache.get('a', 0) as CachedSession).cookie).toBe(cookie);
    expect(cache.bytes).toBeGreaterThanOrEqual(SLIM_ENTRY_BYTES + 2 * 1_000);
    const tight = new SessionCache({ maxEntries: 10, maxBytes: cache.bytes + SLIM_ENTRY_BYTES - 1 });
    tight.remember('a', null, 1e15, 0);
    expect(tight.keepWhole('a', sealOf(1_000), null, session('a'), claims('a'))).toBe(true);
    tight.remember('b', null, 1e15, 0);
    expect([tight.get('a', 0), tight.get('b', 0), tight.size]).toEqual([null, null, 2]);
  });

  it('holds 100,000 sessions within the default 64 MiB budget', () => {
    const cache = new SessionCache({ maxEntries: 150_000, maxBytes: 64 * 2 ** 20 });
    for (let i = 0; i < 100_000; i++) cache.remember(`key${i}`, `ticket${i}`.padEnd(205, '.'), 1e15, 0);
    expect(cache.size).toBe(100_000);
    expect(cache.bytes).toBeLessThanOrEqual(64 * 2 ** 20);
  });
});

describe('SessionCache with tickets of the node:crypto backend (keys, digest and the seal tail: 205 characters)', () => {
  const ticket = (name: string) => `${name}:`.padEnd(205, '.');

  it('counts a ticket of up to 208 characters as a small entry, a longer one by its length, and shrinks neither', () => {
    const cache = new SessionCache({ maxEntries: 10, maxBytes: 2 * SLIM_ENTRY_BYTES + 2 * 300 });
    cache.remember('a', ticket('a'), 1e15, 0);
    expect([cache.get('a', 0), cache.bytes]).toEqual([ticket('a'), SLIM_ENTRY_BYTES]);
    cache.remember('b', 'L'.repeat(300), 1e15, 0);
    expect(cache.bytes).toBe(2 * SLIM_ENTRY_BYTES + 2 * 300);
    cache.remember('c', ticket('c'), 1e15, 0); // no room: the hand passes a (visited: its bit is cleared) and evicts b
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([ticket('a'), undefined, ticket('c')]);
  });

  it("keeps the small slot's ticket in the whole entry, which shrinks back to it", () => {
    const cache = new SessionCache({ maxEntries: 10, maxBytes: fullEntryBytes(1_000) + SLIM_ENTRY_BYTES - 1 });
    cache.remember('a', ticket('a'), 1e15, 0);
    expect(cache.keepWhole('a', sealOf(1_000), ticket('a'), session('a'), claims('a'))).toBe(true);
    expect((cache.get('a', 0) as CachedSession).ticket).toBe(ticket('a'));
    cache.remember('b', ticket('b'), 1e15, 0); // over the budget: a shrinks to its ticket
    expect([cache.get('a', 0), cache.get('b', 0), cache.bytes]).toEqual([ticket('a'), ticket('b'), 2 * SLIM_ENTRY_BYTES]);
    expect(cache.keepWhole('b', sealOf(1_000), ticket('b'), session('b'), claims('b'))).toBe(false); // no room over b's slot
    expect(cache.get('b', 0)).toBe(ticket('b'));
  });

  it('holds 100,000 of them within the default 64 MiB budget, 41.2 MiB counted', () => {
    const cache = new SessionCache({ maxEntries: 150_000, maxBytes: 64 * 2 ** 20 });
    for (let i = 0; i < 100_000; i++) cache.remember(`key${i}`, ticket(`t${i}`), 1e15, 0);
    expect(cache.size).toBe(100_000);
    expect(cache.bytes).toBe(100_000 * SLIM_ENTRY_BYTES);
    expect(cache.bytes).toBeLessThanOrEqual(42 * 2 ** 20);
    expect([cache.get('key0', 0), cache.get('key99999', 0)]).toEqual([ticket('t0'), ticket('t99999')]);
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
