import { describe, expect, it } from 'vitest';
import { SieveCache } from '../../src/core/cache/SieveCache.js';

const FAR = 1e15;
const keys = (cache: SieveCache<string>, names: string[]) => names.filter((name) => cache.get(name, 0) !== undefined);

describe('SieveCache', () => {
  it('answers an entry until its expiry, then forgets it', () => {
    const cache = new SieveCache<string>({ maxEntries: 10, maxBytes: 1_000 });
    cache.set('a', 'A', 10, 5_000, 0);
    expect(cache.get('a', 4_999)).toBe('A');
    expect(cache.get('a', 5_000)).toBeUndefined();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
    expect(cache.get('missing', 0)).toBeUndefined();
  });

  it('does not store an entry already expired or larger than the byte bound, and drops the one it replaces', () => {
    const cache = new SieveCache<string>({ maxEntries: 10, maxBytes: 100 });
    cache.set('a', 'A', 10, 5_000, 0);
    cache.set('a', 'A2', 10, 5_000, 5_000);
    expect(cache.size).toBe(0);
    cache.set('b', 'B', 101, FAR, 0);
    expect(cache.size).toBe(0);
    cache.set('c', 'C', 100, FAR, 0);
    expect(cache.get('c', 0)).toBe('C');
  });

  it('evicts the first unvisited entry from the old end, clearing visited bits on the way (SIEVE)', () => {
    const cache = new SieveCache<string>({ maxEntries: 3, maxBytes: 1_000 });
    for (const key of ['a', 'b', 'c']) cache.set(key, key, 1, FAR, 0);
    cache.get('a', 0); // visited: the hand passes it and clears its bit
    cache.set('d', 'd', 1, FAR, 0); // evicts b
    expect(keys(cache, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']); // (this visits a, c and d)
    cache.set('e', 'e', 1, FAR, 0); // hand at c: clears c, d, wraps to a and clears it, then evicts c
    expect(keys(cache, ['a', 'c', 'd', 'e'])).toEqual(['a', 'd', 'e']);
    expect(cache.size).toBe(3);
  });

  it('keeps a working set through a scan of never-repeated keys larger than the cache', () => {
    const cache = new SieveCache<string>({ maxEntries: 100, maxBytes: 1e9 });
    const hot = Array.from({ length: 50 }, (_, i) => `hot${i}`);
    for (const key of hot) cache.set(key, key, 1, FAR, 0);
    let hotHits = 0;
    for (let i = 0; i < 10_000; i++) {
      cache.set(`scan${i}`, 'x', 1, FAR, 0);
      const key = hot[i % hot.length] as string;
      if (cache.get(key, 0) !== undefined) hotHits++;
      else cache.set(key, key, 1, FAR, 0);
    }
    expect(cache.size).toBe(100);
    expect(hotHits).toBeGreaterThan(9_900);
  });

  it('bounds bytes as well as entries, shrinking before evicting', () => {
    const shrinkCalls: string[] = [];
    const cache = new SieveCache<string>({ maxEntries: 100, maxBytes: 100 }, (value) => {
      shrinkCalls.push(value);
      return value.endsWith('!') ? { value: value.slice(0, -1), bytes: 10 } : undefined;
    });
    cache.set('a', 'a!', 40, FAR, 0);
    cache.set('b', 'b!', 40, FAR, 0);
    cache.set('c', 'c', 40, FAR, 0); // 120 > 100: a shrinks to 10 bytes
    expect([cache.size, cache.bytes]).toEqual([3, 90]);
    expect(cache.get('a', 0)).toBe('a');
    cache.set('d', 'd', 40, FAR, 0); // 130: b (unvisited) shrinks → 100
    expect([cache.size, cache.bytes, cache.get('b', 0)]).toEqual([4, 100, 'b']);
    cache.set('e', 'e', 50, FAR, 0); // nothing left to shrink: evicts c then d (a and b visited)
    expect(keys(cache, ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'b', 'e']);
    expect(cache.bytes).toBe(70);
    expect(shrinkCalls).toEqual(['a!', 'b!', 'c', 'd']);
  });

  it('replaces a value in place only within the byte bound', () => {
    const cache = new SieveCache<string>({ maxEntries: 10, maxBytes: 100 });
    cache.set('a', 'a', 10, FAR, 0);
    cache.set('b', 'b', 10, FAR, 0);
    expect(cache.replace('a', 'A', 80)).toBe(true);
    expect([cache.get('a', 0), cache.bytes]).toEqual(['A', 90]);
    expect(cache.replace('b', 'B', 30)).toBe(false);
    expect(cache.replace('missing', 'M', 1)).toBe(false);
    expect([cache.get('b', 0), cache.bytes]).toEqual(['b', 90]);
  });

  it('removes expired entries on later writes, without them being read (no timer)', () => {
    const cache = new SieveCache<string>({ maxEntries: 1_000, maxBytes: 1e9 });
    for (let i = 0; i < 100; i++) cache.set(`old${i}`, 'x', 1, 1_000 + i, 0);
    expect(cache.size).toBe(100);
    for (let i = 0; i < 25; i++) cache.set(`new${i}`, 'y', 1, 100_000, 2_000);
    expect(cache.size).toBe(25);
    expect(cache.bytes).toBe(25);
  });

  it('lets the hand remove expired entries wherever they are', () => {
    const cache = new SieveCache<string>({ maxEntries: 3, maxBytes: 1e9 });
    cache.set('long', 'l', 1, FAR, 0);
    cache.set('short', 's', 1, 500, 0);
    cache.set('other', 'o', 1, FAR, 0);
    cache.get('long', 0);
    cache.get('short', 0);
    cache.get('other', 0);
    cache.set('next', 'n', 1, FAR, 1_000); // all visited, but short has expired: it goes, not a live one
    expect(keys(cache, ['long', 'short', 'other', 'next'])).toEqual(['long', 'other', 'next']);
  });

  it('stays bounded and consistent under deletes anywhere and many distinct keys', () => {
    const cache = new SieveCache<number>({ maxEntries: 100, maxBytes: 1e9 });
    for (let i = 0; i < 20_000; i++) {
      cache.set(`k${i}`, i, 3, FAR, 0);
      if (i % 7 === 0) cache.get(`k${i - 50}`, 0);
      if (i % 11 === 0) cache.delete(`k${i - 3}`);
    }
    expect(cache.size).toBe(100);
    expect(cache.bytes).toBe(300);
    expect(cache.get('k19999', 0)).toBe(19_999);
  });

  it('keeps each value with its key while its slots grow past the first ones and freed slots are reused', () => {
    const cache = new SieveCache<number>({ maxEntries: 600, maxBytes: 1e9 });
    const kept: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      cache.set(`k${i}`, i, 2, FAR, 0);
      kept.push(i);
      if (i % 3 === 0) {
        cache.delete(`k${i - 1}`);
        if (kept.includes(i - 1)) kept.splice(kept.indexOf(i - 1), 1);
      }
    }
    // Nothing visited: the hand evicts from the old end, so the newest 600 not deleted remain, each with its own value.
    const expected = kept.slice(-600);
    expect([cache.size, cache.bytes]).toEqual([600, 1_200]);
    expect(expected.map((i) => cache.get(`k${i}`, 0))).toEqual(expected);
    expect(cache.get(`k${(expected[0] as number) - 2}`, 0)).toBeUndefined();
  });

  it('refuses limits under 1', () => {
    expect(() => new SieveCache({ maxEntries: 0, maxBytes: 1 })).toThrow(RangeError);
    expect(() => new SieveCache({ maxEntries: 1, maxBytes: 0 })).toThrow(RangeError);
  });
});
