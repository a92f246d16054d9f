import { describe, expect, it } from 'vitest';
import { MemoryCoordinationStore } from '../../src/core/coordination/MemoryCoordinationStore.js';
import type { CoordinationStore } from '../../src/core/coordination/CoordinationStore.js';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { SessionCache } from '../../src/core/cache/SessionCache.js';
import { userSubject } from '../../src/core/coordination/marks.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { CACHE_BACKENDS, useCountingBackend } from '../helpers/countingBackend.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie } from '../helpers/session.js';

const OLD = 'the-previous-cookie-password-that-was-32+';
const NEW = 'the-brand-new-cookie-password-of-32+-chars';
const BUFFER_SECONDS = 60;

/** One emulator for this file. */
const ctx = useEmulator();

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

/** A hit never answers another seal, an expired or revoked session, or a cookie under an old password. */
describe.each(CACHE_BACKENDS)('verified-session cache: what a hit never skips (%s backend)', (_name, backend: CryptoBackend) => {
  const t = useCountingBackend(backend, () => ctx.em);
  const { counts } = t;

  it('never answers a seal that keeps a cached MAC but not its body', async () => {
    const { service, cookie } = await t.signedIn();
    const parts = cookie.split('*');
    const body = parts[4] as string;
    parts[4] = `${body.startsWith('A') ? 'B' : 'A'}${body.slice(1)}`;
    const forged = parts.join('*');
    expect(SessionCache.keyOf(forged)).toBe(SessionCache.keyOf(cookie));
    for (let i = 0; i < 3; i++) {
      expect((await service.withAuth(withCookie(forged))).auth).toMatchObject({ user: null, reason: 'invalid_cookie' });
      expect((await service.withAuth(withCookie(cookie))).auth.user?.email).toBe(DEMO_EMAIL); // small, then whole
    }
  });

  it('keeps an entry until the token is within the refresh buffer, then refreshes proactively', async () => {
    const { service, clock, events, counter, cookie } = await t.signedIn();
    const first = await service.withAuth(withCookie(cookie));
    if (!first.auth.user) throw new Error(first.auth.reason);
    const expiresAtMs = ((first.auth.claims.exp as number) - BUFFER_SECONDS) * 1000;

    clock.offsetMs = expiresAtMs - Date.now() - 2_000;
    const before = await service.withAuth(withCookie(cookie));
    expect(before.auth.user?.email).toBe(DEMO_EMAIL);
    expect(before.refreshedSessionData).toBeUndefined();
    expect(counts.unseals).toBe(2); // the first repeat re-opens the seal to keep it whole

    clock.offsetMs = expiresAtMs - Date.now() + 1_000;
    const inBuffer = await service.withAuth(withCookie(cookie));
    expect(inBuffer.auth.user?.email).toBe(DEMO_EMAIL);
    expect(inBuffer.refreshedSessionData).toBeTypeOf('string');
    expect(counts.unseals).toBe(3);
    expect(counter.refreshGrants()).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'refresh.succeeded', proactive: true }));

    // The old cookie is never answered from the cache: it keeps getting the rotated session to save.
    const oldAgain = await service.withAuth(withCookie(cookie));
    expect(oldAgain.refreshedSessionData).toBeTypeOf('string');
    expect(counts.unseals).toBe(4);
    expect(counter.refreshGrants()).toBe(1);
    const next = await openCookie(service, oldAgain.refreshedSessionData as string);
    expect(next.accessToken).toBe(inBuffer.auth.user && inBuffer.auth.accessToken);
  });

  it('honours a revocation on a cache hit, for that session only', async () => {
    const { service, cookie } = await t.signedIn();
    const other = await signIn(service);
    const first = await service.withAuth(withCookie(cookie));
    if (!first.auth.user) throw new Error(first.auth.reason);
    expect((await service.withAuth(withCookie(other.cookie))).auth.user).not.toBeNull();
    await (await service.getCore()).revokeSession(first.auth.sessionId);
    expect((await service.withAuth(withCookie(cookie))).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    expect((await service.withAuth(withCookie(cookie))).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    expect((await service.withAuth(withCookie(other.cookie))).auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('honours a revocation on a hit through a shared (non-local) coordination store', async () => {
    const memory = new MemoryCoordinationStore();
    const shared: CoordinationStore = {
      acquire: (key, leaseMs) => memory.acquire(key, leaseMs),
      release: (key, owner) => memory.release(key, owner),
      getResult: (key) => memory.getResult(key),
      setResult: (key, sealed, ttlMs) => memory.setResult(key, sealed, ttlMs),
      revoke: (sessionId, ttlMs) => memory.revoke(sessionId, ttlMs),
      isRevoked: (sessionId) => memory.isRevoked(sessionId),
      mark: (subject, marks, ttlMs) => memory.mark(subject, marks, ttlMs),
      marksOf: (subjects) => memory.marksOf(subjects),
      claimOnce: (id, ttlMs) => memory.claimOnce(id, ttlMs),
    };
    const { service, cookie } = await t.signedIn({}, { coordination: shared });
    const first = await service.withAuth(withCookie(cookie));
    if (!first.auth.user) throw new Error(first.auth.reason);
    await memory.revoke(first.auth.sessionId, 60_000);
    expect((await service.withAuth(withCookie(cookie))).auth).toMatchObject({ user: null, reason: 'session_revoked' });
  });

  it('honours a mark another instance records on a shared in-process store, on a hit, and one the store held before', async () => {
    const memory = new MemoryCoordinationStore();
    const { service, cookie } = await t.signedIn({}, { coordination: memory });
    const first = await service.withAuth(withCookie(cookie));
    if (!first.auth.user) throw new Error(first.auth.reason);
    expect((await service.withAuth(withCookie(cookie))).auth.user?.email).toBe(DEMO_EMAIL); // now a hit
    // Another service on the same store (or a webhook) marks the user: this one learns it through the store's feed.
    await memory.mark(userSubject(first.auth.user.id), { revokedAt: Date.now() + 60_000 }, 60_000);
    expect((await service.withAuth(withCookie(cookie))).auth).toMatchObject({ user: null, reason: 'session_revoked' });
    // A service started after the mark gets it from the store's feed too.
    const later = await t.signedIn({}, { coordination: memory });
    expect((await later.service.withAuth(withCookie(later.cookie))).auth).toMatchObject({ user: null, reason: 'session_revoked' });
  });

  it('re-seals a cookie opened with a previous password on every request: such cookies are never cached', async () => {
    const before = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: OLD }, { crypto: t.counting });
    const { cookie } = await signIn(before.service);
    const after = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: [NEW, OLD] }, { crypto: t.counting });
    counts.unseals = 0;
    for (let i = 0; i < 3; i++) {
      const result = await after.service.withAuth(withCookie(cookie));
      expect(result.auth.user?.email).toBe(DEMO_EMAIL);
      expect(result.refreshedSessionData).toBeTypeOf('string');
    }
    expect(after.events.filter((e) => e.type === 'session.resealed')).toHaveLength(3);
    expect(counts.unseals).toBe(6); // the current password fails, the previous one opens: twice per request
  });

  it('never caches a cookie that does not open', async () => {
    const { service, cookie } = await t.signedIn();
    const parts = cookie.split('*');
    parts[7] = `${(parts[7] as string).startsWith('A') ? 'B' : 'A'}${(parts[7] as string).slice(1)}`;
    const forged = parts.join('*');
    for (let i = 0; i < 2; i++) expect((await service.withAuth(withCookie(forged))).auth).toMatchObject({ reason: 'invalid_cookie' });
    expect(counts.unseals).toBe(2);
  });
});
