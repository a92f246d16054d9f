import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fullEntryBytes, SessionCache, SLIM_ENTRY_BYTES, slimEntryBytes } from '../../src/core/cache/SessionCache.js';
import { firstSightTicketOf } from '../../src/core/encryption/ironTicket.node.js';
import type { Session } from '../../src/core/session/types.js';

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

  it('holds a first sight (key and seal, no digest yet) in what it counts, not the header the seal was cut from', () => {
    const count = 5_000;
    const cache = new SessionCache({ maxEntries: count, maxBytes: 1e12 });
    const length = 1_658; // a real session seal body (emulator session), without its `~2`
    const key = randomBytes(32);
    gc();
    const before = process.memoryUsage().heapUsed;
    let counted = 0;
    for (let index = 0; index < count; index++) {
      const header = `other=${'h'.repeat(3_000)}; wos-session=${cookie(index).slice(0, length)}; tail=${'t'.repeat(3_000)}`;
      const ticket = firstSightTicketOf(header.slice(3_019, 3_019 + length), key);
      counted += slimEntryBytes(ticket);
      cache.remember(SessionCache.keyOf(cookie(index)), ticket, 1e15, 0);
    }
    gc();
    const perEntry = (process.memoryUsage().heapUsed - before) / count;
    expect(cache.bytes).toBe(counted);
    expect(perEntry).toBeLessThan(counted / count);
    expect(perEntry).toBeGreaterThan(length); // the seal is really there
  });

  it('holds a whole session in less than it counts, with a copy of the cookie and not the header it was cut from', () => {
    const count = 2_000;
    const cache = new SessionCache({ maxEntries: count, maxBytes: 1e12 });
    const length = 1_660; // a real session cookie (emulator session: 666-character access token)
    // Each session as unsealing gives it: parsed JSON of about 1.2 KB, its claims parsed from the token.
    const session = (index: number): Session =>
      JSON.parse(
        JSON.stringify({
          accessToken: `eyJ.${`${index}p`.repeat(330).slice(0, 600)}.sig`,
          refreshToken: `refresh_${index}`.padEnd(26, 'R'),
          user: {
            object: 'user',
            id: `user_${index}`,
            email: `u${index}@example.com`,
            emailVerified: true,
            firstName: 'Ada',
            lastName: 'Lovelace',
            profilePictureUrl: null,
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
            lastSignInAt: '2026-01-01T00:00:00.000Z',
            externalId: null,
            metadata: {},
          },
        }),
      );
    const claims = (index: number) =>
      JSON.parse(
        JSON.stringify({
          iss: 'https://api.workos.com',
          sub: `user_${index}`,
          sid: `session_${index}`,
          jti: `jti_${index}`,
          org_id: `org_${index}`,
          role: 'member',
          permissions: ['read', 'write'],
          exp: 1e10,
          iat: 1e9,
        }),
      );
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < count; index++) {
      const header = `other=${'h'.repeat(3_000)}; wos-session=${cookie(index).slice(0, length)}; tail=${'t'.repeat(3_000)}`;
      const sealed = header.slice(3_019, 3_019 + length);
      const key = SessionCache.keyOf(cookie(index));
      const ticket = randomBytes(64).toString('latin1');
      cache.remember(key, ticket, 1e15, 0);
      expect(cache.keepWhole(key, sealed, ticket, session(index), claims(index))).toBe(true);
    }
    gc();
    const perEntry = (process.memoryUsage().heapUsed - before) / count;
    expect(cache.size).toBe(count);
    expect(perEntry).toBeLessThan(fullEntryBytes(length));
    expect(perEntry).toBeGreaterThan(fullEntryBytes(length) / 3); // the copy and the session are really there
  });
});
