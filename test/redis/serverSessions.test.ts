import { describe, expect, it } from 'vitest';
import { shouldClearCookie } from '../../src/core/session/reasons.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import type { WorkerProcess } from '../helpers/workers.js';
import { countEvents, initAll, stormOn, total, useWorkerCluster } from '../helpers/workerCluster.js';
import type { InitCommand } from './worker.js';

const PROCESSES = 4;

const cluster = useWorkerCluster(PROCESSES);

/** Every worker builds a fresh server-mode service: sessions and coordination on the cluster's Redis. */
const initServers = (options: Partial<InitCommand> = {}) => initAll(cluster, { config: { sessionMode: 'server' }, ...options });

/** Signs in through a server-mode service on this test's Redis; returns the id cookie and the WorkOS session id. */
async function session(): Promise<{ cookie: string; sessionId: string; refreshToken: string; iat: number; exp: number }> {
  const { service } = makeService(cluster.em.port, cluster.em.apiKey, {
    issuer: cluster.em.url,
    sessionMode: 'server',
    redisUrl: cluster.redis.url,
  });
  const { cookie, result } = await signIn(service, { loginHint: DEMO_EMAIL });
  const claims = JSON.parse(Buffer.from(result.authResponse.accessToken.split('.')[1] as string, 'base64url').toString('utf8'));
  return { cookie, sessionId: claims.sid, refreshToken: result.authResponse.refreshToken, iat: claims.iat, exp: claims.exp };
}

/** Any key's content as text, whatever its Redis type (strings, sets, sorted sets such as the revocations). */
async function readAny(key: string): Promise<string> {
  const type = await cluster.admin.type(key);
  if (type === 'string') return (await cluster.admin.get(key)) ?? '';
  if (type === 'set') return (await cluster.admin.smembers(key)).join(',');
  if (type === 'zset') return (await cluster.admin.zrange(key, '0', '-1')).join(',');
  if (type === 'hash')
    return Object.entries(await cluster.admin.hgetall(key))
      .flat()
      .join(',');
  throw new Error(`unexpected Redis type ${type} at ${key}`);
}

describe("sessionMode: 'server' across 4 processes sharing Redis", () => {
  it('stores only a sealed record under a digest: no token, no cookie, no id in Redis', async () => {
    const { cookie, refreshToken } = await session();
    const keys = await cluster.admin.keys('*');
    expect(keys.filter((k) => k.startsWith('authkit:session:'))).toHaveLength(1);
    const id = cookie.split('.')[1] as string;
    for (const key of keys) {
      expect(key).not.toContain(id);
      const value = await readAny(key);
      expect(value).not.toContain(refreshToken);
      expect(value).not.toContain(id);
      // A JWT's header segment ('{"alg":…' in base64url), not the bare 'eyJ' that random ciphertext holds in ~1% of runs.
      expect(value).not.toContain('eyJhbGciOi');
    }
  });

  it('a refresh storm (4 × 25 concurrent, expired token) spends the refresh token once and logs nobody out', async () => {
    const original = await session();
    const { cookie } = original;
    // Requests that start after the rotation read the rotated record, so the clock must stay honest about the
    // new token: the workers' clock is 1 s past the old token's expiry (no tolerance), and a token issued 6 s or
    // more after the old one stays valid and outside the (zero) refresh buffer for the whole storm. A clock
    // shifted by a whole hour made the rotated token look expired too, and a late request refreshed it again.
    while (Date.now() / 1000 < original.iat + 6) await new Promise((resolve) => setTimeout(resolve, 100));
    await initServers({
      clockOffsetMs: (original.exp + 1) * 1000 - Date.now(),
      config: { sessionMode: 'server', refreshBufferSeconds: 0, clockToleranceSeconds: 0 },
    });
    const replies = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 25)));
    expect(total(replies)).toEqual({ calls: 100, authenticated: 100, loggedOut: 0, reasons: {}, errors: 0 });
    expect(cluster.proxy.stats.refreshAccepted).toBe(1);
    expect(cluster.proxy.stats.refreshRejected).toBe(0);
    expect(countEvents(replies, 'refresh.succeeded')).toBe(1);
    expect(countEvents(replies, 'coordination.fallback')).toBe(0);
  });

  it('a staggered storm (4 × 30 calls, 10 ms apart, token inside the refresh buffer) refreshes once; later requests read the rotated record', async () => {
    const original = await session();
    const { cookie } = original;
    // Later requests read the rotated record, so the clock must stay honest about the new token: the workers'
    // clock is 59 s before the old token's expiry (inside the 60 s refresh buffer: refresh), while a token
    // issued 5 s or more after the old one is outside the buffer for the whole storm.
    while (Date.now() / 1000 < original.iat + 5) await new Promise((resolve) => setTimeout(resolve, 100));
    await initServers({ clockOffsetMs: (original.exp - 59) * 1000 - Date.now() });
    const replies = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 30, 10)));
    expect(total(replies)).toEqual({ calls: 120, authenticated: 120, loggedOut: 0, reasons: {}, errors: 0 });
    expect(cluster.proxy.stats.refreshAccepted).toBe(1);
    expect(cluster.proxy.stats.refreshRejected).toBe(0);
    // The store holds the rotated session; fresh processes (no local copy, real time) read it and refresh nothing.
    const reader = makeService(cluster.em.port, cluster.em.apiKey, {
      issuer: cluster.em.url,
      sessionMode: 'server',
      redisUrl: cluster.redis.url,
    }).service;
    const stored = await reader.getSession(requestWithCookies({ 'wos-session': cookie }));
    expect(stored?.refreshToken).toBeDefined();
    expect(stored?.refreshToken).not.toBe(original.refreshToken);
    await initServers();
    const after = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 5)));
    expect(total(after).authenticated).toBe(20);
    expect(cluster.proxy.stats.refreshAccepted).toBe(1);
  });

  it('signing out in one process refuses the cookie in the others; the record is gone from Redis', async () => {
    const { cookie, sessionId } = await session();
    await initServers();
    const before = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 3)));
    expect(total(before).authenticated).toBe(PROCESSES * 3);
    await (cluster.workers[0] as WorkerProcess).request({ type: 'signOut', sessionId });
    expect(await cluster.admin.keys('authkit:session:*')).toEqual([]);
    const after = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 1)));
    expect(total(after)).toEqual({
      calls: PROCESSES,
      authenticated: 0,
      loggedOut: PROCESSES,
      reasons: { session_revoked: PROCESSES },
      errors: 0,
    });
  });

  it('Redis stopped: cookies never seen answer session_store_unavailable (cookie kept), a process with a copy keeps working', async () => {
    const { cookie } = await session();
    await initServers();
    const [warm, ...cold] = cluster.workers as [WorkerProcess, ...WorkerProcess[]];
    expect((await stormOn(warm, cookie, 1)).result.authenticated).toBe(1);
    await cluster.redis.stop();
    try {
      const coldReplies = await Promise.all(cold.map((w) => stormOn(w, cookie, 20, 5)));
      expect(total(coldReplies)).toEqual({
        calls: 60,
        authenticated: 0,
        loggedOut: 60,
        reasons: { session_store_unavailable: 60 },
        errors: 0,
      });
      expect(shouldClearCookie('session_store_unavailable')).toBe(false);
      const warmReply = await stormOn(warm, cookie, 20, 5);
      expect(warmReply.result).toEqual({ calls: 20, authenticated: 20, loggedOut: 0, reasons: {}, errors: 0 });
      expect(cluster.proxy.stats.refreshAccepted).toBe(0);
    } finally {
      await cluster.redis.restart();
      cluster.admin.disconnect();
      cluster.admin = cluster.redis.client();
    }
  });
});
