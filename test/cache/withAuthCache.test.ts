import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { CACHE_BACKENDS, useCountingBackend } from '../helpers/countingBackend.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { openCookie } from '../helpers/session.js';

/** One emulator for this file. */
const ctx = useEmulator();

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

/** What a hit saves, and the cache's bounds. */
describe.each(CACHE_BACKENDS)('verified-session cache (%s backend)', (_name, backend: CryptoBackend) => {
  const t = useCountingBackend(backend, () => ctx.em);
  const { counts } = t;

  it('answers a repeated cookie from the cache: same result, one unseal to keep it whole, then none', async () => {
    const { service, counter, cookie } = await t.signedIn();
    const first = await service.withAuth(withCookie(cookie));
    expect(first.auth.user?.email).toBe(DEMO_EMAIL);
    expect(counts.unseals).toBe(1);
    const checks = counts.signatureChecks;
    const requests = counter.requests.length;
    for (let i = 0; i < 5; i++) {
      const again = await service.withAuth(withCookie(cookie));
      expect(again).toEqual(first);
      expect(again.refreshedSessionData).toBeUndefined();
    }
    // The first repeat re-opens the seal (a first sight is remembered small) and keeps it whole.
    expect(counts.unseals).toBe(2);
    expect(counts.reopens).toBe(backend.reopen ? 1 : 0); // from the seal's ticket where the backend makes them
    expect(counts.signatureChecks).toBe(checks);
    expect(counter.requests.length).toBe(requests);
  });

  it('past sessionCacheMaxBytes, re-opens the seal on a repeat but skips the JWT check', async () => {
    const { service, cookie } = await t.signedIn({ sessionCacheMaxBytes: 1_000 });
    const first = await service.withAuth(withCookie(cookie));
    const checks = counts.signatureChecks;
    for (let i = 0; i < 3; i++) expect(await service.withAuth(withCookie(cookie))).toEqual(first);
    expect(counts.unseals).toBe(4);
    expect(counts.reopens).toBe(backend.reopen ? 3 : 0);
    expect(counts.signatureChecks).toBe(checks);
    if (backend.verifyRs256) expect(checks).toBeGreaterThan(0);
    expect((await service.getCore())['parts'].sessionCache?.bytes).toBeLessThanOrEqual(1_000);
  });

  it('keeps at most sessionCacheMaxEntries entries, evicting one not seen again (SIEVE)', async () => {
    const { service, cookie } = await t.signedIn({ sessionCacheMaxEntries: 2 });
    const core = await service.getCore();
    const session = await openCookie(service, cookie);
    const [a, b, c] = [cookie, await core.encryptSession(session), await core.encryptSession(session)] as [string, string, string];
    counts.unseals = 0;
    const call = async (value: string) => {
      const seen = counts.unseals;
      expect((await service.withAuth(withCookie(value))).auth.user?.email).toBe(DEMO_EMAIL);
      return counts.unseals - seen;
    };
    expect([await call(a), await call(b), await call(a), await call(a)]).toEqual([1, 1, 1, 0]);
    expect(await call(c)).toBe(1); // evicts b: a was seen again
    expect([await call(a), await call(c), await call(c), await call(b)]).toEqual([0, 1, 0, 1]);
    expect(core['parts'].sessionCache?.size).toBe(2);
  });

  it('turns off with sessionCacheMaxEntries 0', async () => {
    const { service, cookie } = await t.signedIn({ sessionCacheMaxEntries: 0 });
    for (let i = 0; i < 3; i++) expect((await service.withAuth(withCookie(cookie))).auth.user?.email).toBe(DEMO_EMAIL);
    expect(counts.unseals).toBe(3);
    expect((await service.getCore())['parts'].sessionCache).toBeUndefined();
  });

  it('hands out frozen results, so one request cannot change what the next one sees', async () => {
    const { service, cookie } = await t.signedIn();
    await service.withAuth(withCookie(cookie));
    const { auth } = await service.withAuth(withCookie(cookie));
    if (!auth.user) throw new Error(auth.reason);
    expect(() => {
      (auth.user as { email: string }).email = 'attacker@example.com';
    }).toThrow(TypeError);
    expect(() => {
      (auth.claims as Record<string, unknown>).role = 'admin';
    }).toThrow(TypeError);
    const again = await service.withAuth(withCookie(cookie));
    expect(again.auth.user?.email).toBe(DEMO_EMAIL);
    expect(again.auth.user && again.auth.claims.role).toBe(auth.claims.role);
  });
});
