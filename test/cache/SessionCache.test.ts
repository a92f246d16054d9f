import { describe, expect, it } from 'vitest';
import {
  deepFreeze,
  fullEntryBytes,
  SessionCache,
  SLIM_ENTRY_BYTES,
  slimEntryBytes,
  type CachedSession,
} from '../../src/core/cache/SessionCache.js';
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
    for (let i = 0; i < 100_000; i++) cache.remember(`key${i}`, `ticket${i}`.padEnd(64, '.'), 1e15, 0);
    expect(cache.size).toBe(100_000);
    expect(cache.bytes).toBeLessThanOrEqual(64 * 2 ** 20);
  });
});

describe('SessionCache with first-sight tickets (the seal itself, compacted when memory is wanted)', () => {
  /** A first-sight ticket: longer than 64 characters; its compact form names it, and each compaction is counted. */
  const firstSight = (name: string) => `${name}:`.padEnd(1_700, 'S');
  const short = (ticket: string) => (ticket.length > 64 ? `compact-${ticket.slice(0, ticket.indexOf(':'))}`.padEnd(64, '.') : ticket);
  const compacted: string[] = [];
  const compact = (ticket: string) => {
    compacted.push(ticket);
    return short(ticket);
  };

  it('keeps a first sight as it is while memory allows, counted with its seal: no compaction', () => {
    compacted.length = 0;
    const cache = new SessionCache({ maxEntries: 10, maxBytes: 1e9 }, compact);
    cache.remember('a', firstSight('a'), 1e15, 0);
    expect([cache.get('a', 0), cache.bytes, compacted.length]).toEqual([firstSight('a'), slimEntryBytes(firstSight('a')), 0]);
    expect(slimEntryBytes(firstSight('a'))).toBeGreaterThan(SLIM_ENTRY_BYTES + 1_700);
  });

  it('compacts a first sight at once without room, the one under the hand before evicting it, and one kept whole', () => {
    compacted.length = 0;
    const cache = new SessionCache({ maxEntries: 10, maxBytes: slimEntryBytes(firstSight('a')) + SLIM_ENTRY_BYTES }, compact);
    cache.remember('a', firstSight('a'), 1e15, 0);
    cache.remember('b', firstSight('b'), 1e15, 0); // no room for it as it is: compacted
    expect([cache.get('a', 0), cache.get('b', 0), compacted.length]).toEqual([firstSight('a'), short(firstSight('b')), 1]);
    cache.remember('c', 'compact-c'.padEnd(64, '.'), 1e15, 0); // the hand compacts a (visited once: its bit is cleared first)
    expect([cache.get('a', 0), cache.size, cache.bytes]).toEqual([short(firstSight('a')), 3, 3 * SLIM_ENTRY_BYTES]);
    const roomy = new SessionCache({ maxEntries: 10, maxBytes: 1e9 }, compact);
    roomy.remember('a', firstSight('a'), 1e15, 0);
    expect(roomy.keepWhole('a', sealOf(1_000), firstSight('a'), session('a'), claims('a'))).toBe(true);
    expect((roomy.get('a', 0) as CachedSession).ticket).toBe(short(firstSight('a')));
    const tight = new SessionCache({ maxEntries: 10, maxBytes: fullEntryBytes(1_000) - 1 }, compact);
    tight.remember('a', firstSight('a'), 1e15, 0);
    expect(tight.keepWhole('a', sealOf(1_000), firstSight('a'), session('a'), claims('a'))).toBe(false);
    expect([tight.get('a', 0), tight.bytes]).toEqual([short(firstSight('a')), SLIM_ENTRY_BYTES]); // seen again: compact
  });

  it('holds 100,000 first sights within the default 64 MiB budget, compacting as it fills', () => {
    const cache = new SessionCache({ maxEntries: 150_000, maxBytes: 64 * 2 ** 20 }, compact);
    for (let i = 0; i < 100_000; i++) cache.remember(`key${i}`, firstSight(`t${i}`), 1e15, 0);
    expect(cache.size).toBe(100_000);
    expect(cache.bytes).toBeLessThanOrEqual(64 * 2 ** 20);
    expect(cache.get('key0', 0)).toBe(short(firstSight('t0')));
    expect(cache.get('key99999', 0)).toBe(short(firstSight('t99999')));
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
