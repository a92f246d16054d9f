import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationProvider } from '../../src/core/config/ConfigurationProvider.js';
import { MemoryCoordinationStore } from '../../src/core/coordination/MemoryCoordinationStore.js';
import type { CoordinationStore } from '../../src/core/coordination/CoordinationStore.js';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import { SessionCache } from '../../src/core/cache/SessionCache.js';
import { CLIENT_ID, DEMO_EMAIL, startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { openCookie } from '../helpers/session.js';

const OLD = 'the-previous-cookie-password-that-was-32+';
const NEW = 'the-brand-new-cookie-password-of-32+-chars';
const BUFFER_SECONDS = 60;

let em: TestEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });

describe.each([
  ['webcrypto', createWebCryptoBackend()],
  ['node', nodeCryptoBackend],
] as const)('verified-session cache (%s backend)', (_name, backend: CryptoBackend) => {
  /**
   * Seals opened since the test started, fully or again from their ticket (node: no key derivation, no MAC
   * check): the cache is observable by what it saves.
   */
  let unseals = 0;
  /** Of those, the openings from a ticket. */
  let reopens = 0;
  /** RS256 checks by the backend (node only; WebCrypto verifies through jose). */
  let signatureChecks = 0;
  /** The backend under test, counting; every service of these tests runs on it. */
  let counting: CryptoBackend;
  beforeEach(() => {
    unseals = 0;
    reopens = 0;
    signatureChecks = 0;
    const { verifyRs256, reopen } = backend;
    counting = {
      ...backend,
      unseal: (...args) => {
        unseals++;
        return backend.unseal(...args);
      },
      ...(reopen
        ? {
            reopen: (body: string, ticket: string) => {
              unseals++;
              reopens++;
              return reopen(body, ticket);
            },
          }
        : {}),
      ...(verifyRs256
        ? {
            verifyRs256: (key: CryptoKey, input: string, signature: Uint8Array) => {
              signatureChecks++;
              return verifyRs256(key, input, signature);
            },
          }
        : {}),
    };
  });

  /** A signed-in service and cookie, with the counters reset after sign-in. */
  async function signedIn(extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
    const counter = countingFetch();
    const harness = makeService(em.port, em.apiKey, extra, { fetch: counter.fetch, crypto: counting, ...options } as never);
    const { cookie } = await signIn(harness.service);
    unseals = 0;
    reopens = 0;
    signatureChecks = 0;
    counter.requests.length = 0;
    return { ...harness, counter, cookie };
  }

  it('answers a repeated cookie from the cache: same result, one unseal to keep it whole, then none', async () => {
    const { service, counter, cookie } = await signedIn();
    const first = await service.withAuth(withCookie(cookie));
    expect(first.auth.user?.email).toBe(DEMO_EMAIL);
    expect(unseals).toBe(1);
    const checks = signatureChecks;
    const requests = counter.requests.length;
    for (let i = 0; i < 5; i++) {
      const again = await service.withAuth(withCookie(cookie));
      expect(again).toEqual(first);
      expect(again.refreshedSessionData).toBeUndefined();
    }
    // The first repeat re-opens the seal (a first sight is remembered small) and keeps it whole.
    expect(unseals).toBe(2);
    expect(reopens).toBe(backend.reopen ? 1 : 0); // from the seal's ticket where the backend makes them
    expect(signatureChecks).toBe(checks);
    expect(counter.requests.length).toBe(requests);
  });

  it('past sessionCacheMaxBytes, re-opens the seal on a repeat but skips the JWT check', async () => {
    const { service, cookie } = await signedIn({ sessionCacheMaxBytes: 1_000 });
    const first = await service.withAuth(withCookie(cookie));
    const checks = signatureChecks;
    for (let i = 0; i < 3; i++) expect(await service.withAuth(withCookie(cookie))).toEqual(first);
    expect(unseals).toBe(4);
    expect(reopens).toBe(backend.reopen ? 3 : 0);
    expect(signatureChecks).toBe(checks);
    if (backend.verifyRs256) expect(checks).toBeGreaterThan(0);
    expect((await service.getCore())['parts'].sessionCache?.bytes).toBeLessThanOrEqual(1_000);
  });

  it('never answers a seal that keeps a cached MAC but not its body', async () => {
    const { service, cookie } = await signedIn();
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
    const { service, clock, events, counter, cookie } = await signedIn();
    const first = await service.withAuth(withCookie(cookie));
    if (!first.auth.user) throw new Error(first.auth.reason);
    const expiresAtMs = ((first.auth.claims.exp as number) - BUFFER_SECONDS) * 1000;

    clock.offsetMs = expiresAtMs - Date.now() - 2_000;
    const before = await service.withAuth(withCookie(cookie));
    expect(before.auth.user?.email).toBe(DEMO_EMAIL);
    expect(before.refreshedSessionData).toBeUndefined();
    expect(unseals).toBe(2); // the first repeat re-opens the seal to keep it whole

    clock.offsetMs = expiresAtMs - Date.now() + 1_000;
    const inBuffer = await service.withAuth(withCookie(cookie));
    expect(inBuffer.auth.user?.email).toBe(DEMO_EMAIL);
    expect(inBuffer.refreshedSessionData).toBeTypeOf('string');
    expect(unseals).toBe(3);
    expect(counter.refreshGrants()).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'refresh.succeeded', proactive: true }));

    // The old cookie is never answered from the cache: it keeps getting the rotated session to save.
    const oldAgain = await service.withAuth(withCookie(cookie));
    expect(oldAgain.refreshedSessionData).toBeTypeOf('string');
    expect(unseals).toBe(4);
    expect(counter.refreshGrants()).toBe(1);
    const next = await openCookie(service, oldAgain.refreshedSessionData as string);
    expect(next.accessToken).toBe(inBuffer.auth.user && inBuffer.auth.accessToken);
  });

  it('honours a revocation on a cache hit, for that session only', async () => {
    const { service, cookie } = await signedIn();
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
    const { service, cookie } = await signedIn({}, { coordination: shared });
    const first = await service.withAuth(withCookie(cookie));
    if (!first.auth.user) throw new Error(first.auth.reason);
    await memory.revoke(first.auth.sessionId, 60_000);
    expect((await service.withAuth(withCookie(cookie))).auth).toMatchObject({ user: null, reason: 'session_revoked' });
  });

  it('re-seals a cookie opened with a previous password on every request: such cookies are never cached', async () => {
    const before = makeService(em.port, em.apiKey, { cookiePassword: OLD }, { crypto: counting });
    const { cookie } = await signIn(before.service);
    const after = makeService(em.port, em.apiKey, { cookiePassword: [NEW, OLD] }, { crypto: counting });
    unseals = 0;
    for (let i = 0; i < 3; i++) {
      const result = await after.service.withAuth(withCookie(cookie));
      expect(result.auth.user?.email).toBe(DEMO_EMAIL);
      expect(result.refreshedSessionData).toBeTypeOf('string');
    }
    expect(after.events.filter((e) => e.type === 'session.resealed')).toHaveLength(3);
    expect(unseals).toBe(6); // the current password fails, the previous one opens: twice per request
  });

  it('keeps at most sessionCacheMaxEntries entries, evicting one not seen again (SIEVE)', async () => {
    const { service, cookie } = await signedIn({ sessionCacheMaxEntries: 2 });
    const core = await service.getCore();
    const session = await openCookie(service, cookie);
    const [a, b, c] = [cookie, await core.encryptSession(session), await core.encryptSession(session)] as [string, string, string];
    unseals = 0;
    const call = async (value: string) => {
      const seen = unseals;
      expect((await service.withAuth(withCookie(value))).auth.user?.email).toBe(DEMO_EMAIL);
      return unseals - seen;
    };
    expect([await call(a), await call(b), await call(a), await call(a)]).toEqual([1, 1, 1, 0]);
    expect(await call(c)).toBe(1); // evicts b: a was seen again
    expect([await call(a), await call(c), await call(c), await call(b)]).toEqual([0, 1, 0, 1]);
    expect(core['parts'].sessionCache?.size).toBe(2);
  });

  it('turns off with sessionCacheMaxEntries 0', async () => {
    const { service, cookie } = await signedIn({ sessionCacheMaxEntries: 0 });
    for (let i = 0; i < 3; i++) expect((await service.withAuth(withCookie(cookie))).auth.user?.email).toBe(DEMO_EMAIL);
    expect(unseals).toBe(3);
    expect((await service.getCore())['parts'].sessionCache).toBeUndefined();
  });

  it('hands out frozen results, so one request cannot change what the next one sees', async () => {
    const { service, cookie } = await signedIn();
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

  it('never caches a cookie that does not open', async () => {
    const { service, cookie } = await signedIn();
    const parts = cookie.split('*');
    parts[7] = `${(parts[7] as string).startsWith('A') ? 'B' : 'A'}${(parts[7] as string).slice(1)}`;
    const forged = parts.join('*');
    for (let i = 0; i < 2; i++) expect((await service.withAuth(withCookie(forged))).auth).toMatchObject({ reason: 'invalid_cookie' });
    expect(unseals).toBe(2);
  });
});

describe('sessionCacheMaxEntries configuration', () => {
  const env = (value?: string) => ({
    WORKOS_CLIENT_ID: CLIENT_ID,
    WORKOS_API_KEY: 'sk_test',
    WORKOS_REDIRECT_URI: 'http://localhost:3000/callback',
    WORKOS_COOKIE_PASSWORD: NEW,
    ...(value !== undefined ? { WORKOS_SESSION_CACHE_MAX_ENTRIES: value } : {}),
  });

  it('defaults to 150000 entries in 64 MiB and reads WORKOS_SESSION_CACHE_MAX_ENTRIES and _MAX_BYTES', () => {
    expect(new ConfigurationProvider(env()).getResolvedConfig().sessionCacheMaxEntries).toBe(150_000);
    expect(new ConfigurationProvider(env()).getResolvedConfig().sessionCacheMaxBytes).toBe(64 * 2 ** 20);
    const bytes = new ConfigurationProvider({ ...env(), WORKOS_SESSION_CACHE_MAX_BYTES: '1048576' }).getResolvedConfig();
    expect(bytes.sessionCacheMaxBytes).toBe(1_048_576);
    expect(() => new ConfigurationProvider({ ...env(), WORKOS_SESSION_CACHE_MAX_BYTES: '-5' }).getResolvedConfig()).toThrow(
      /WORKOS_SESSION_CACHE_MAX_BYTES/,
    );
    expect(new ConfigurationProvider(env('25')).getResolvedConfig().sessionCacheMaxEntries).toBe(25);
    expect(new ConfigurationProvider(env('0')).getResolvedConfig().sessionCacheMaxEntries).toBe(0);
  });

  it.each(['-1', '1.5', 'many'])('refuses %s', (value) => {
    expect(() => new ConfigurationProvider(env(value)).getResolvedConfig()).toThrow(/WORKOS_SESSION_CACHE_MAX_ENTRIES/);
  });
});
