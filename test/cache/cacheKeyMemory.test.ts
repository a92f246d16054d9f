import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SessionCache, SLIM_ENTRY_BYTES } from '../../src/core/cache/SessionCache.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A flat, never-shared seal of about 4 KB: what a request's decoded `Cookie` value is. */
function cookie(index: number): string {
  const mac = `${index.toString(36).padStart(8, '0')}${'M'.repeat(35)}`;
  return `Fe26.2*1*${'a'.repeat(64)}*iv*${`${index}x`.repeat(4_000 / (String(index).length + 1))}**${'b'.repeat(64)}*${mac}~2`;
}

describe('SessionCache memory', () => {
  it('holds a remembered seal and its ticket in about what it counts, not the cookie its key was cut from (~4 KB each)', () => {
    const count = 5_000;
    const cache = new SessionCache({ maxEntries: count, maxBytes: 1e9 });
    gc();
    const before = process.memoryUsage().heapUsed;
    // A ticket as the node:crypto backend makes it: 64 latin1 characters (a digest and a key), one flat string.
    const ticket = (index: number) => (index === 7 ? 'T'.repeat(64) : randomBytes(64).toString('latin1'));
    for (let index = 0; index < count; index++) cache.remember(SessionCache.keyOf(cookie(index)), ticket(index), 1e15, 0);
    gc();
    const perEntry = (process.memoryUsage().heapUsed - before) / count;
    expect(cache.size).toBe(count);
    expect(cache.get(SessionCache.keyOf(cookie(7)), 0)).toBe('T'.repeat(64));
    expect(perEntry).toBeLessThan(SLIM_ENTRY_BYTES);
  });
});
