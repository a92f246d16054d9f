import { describe, expect, it } from 'vitest';
import { DEMO_EMAIL, OTHER_EMAIL } from '../helpers/emulator.js';
import { makeService, signIn } from '../helpers/service.js';
import { countEvents, initAll, stormOn, total, useWorkerCluster, type Stormed } from '../helpers/workerCluster.js';
import type { WorkerProcess } from '../helpers/workers.js';

const PROCESSES = 4;
const CALLS = 25;
/** Past the access token's hour: every worker sees the cookie's access token as expired. */
const EXPIRED_OFFSET_MS = (3600 + 60) * 1000;

const cluster = useWorkerCluster(PROCESSES);

/** Signs in directly at the emulator (the cluster.proxy counts nothing) and returns the cookie and its session id. */
async function session(loginHint = DEMO_EMAIL): Promise<{ cookie: string; sessionId: string }> {
  const { service } = makeService(cluster.em.port, cluster.em.apiKey, { issuer: cluster.em.url });
  const { cookie, result } = await signIn(service, { loginHint });
  const claims = JSON.parse(Buffer.from(result.authResponse.accessToken.split('.')[1] as string, 'base64url').toString('utf8'));
  return { cookie, sessionId: claims.sid };
}

describe('4 processes sharing Redis', () => {
  for (const [latencyMs, via] of [
    [0, 'redisUrl'],
    [50, 'store'],
  ] as const) {
    it(`spend one expired cookie's refresh token once across 4 × 25 concurrent calls (${latencyMs} ms latency, ${via})`, async () => {
      const { cookie } = await session();
      await initAll(cluster, { via, clockOffsetMs: EXPIRED_OFFSET_MS });
      cluster.proxy.latencyMs = latencyMs;
      const replies = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, CALLS)));
      expect(total(replies)).toEqual({ calls: 100, authenticated: 100, loggedOut: 0, reasons: {}, errors: 0 });
      expect(cluster.proxy.stats.refreshAccepted).toBe(1);
      expect(cluster.proxy.stats.refreshRejected).toBe(0);
      expect(cluster.proxy.stats.refreshFaulted).toBe(0);
      expect(countEvents(replies, 'refresh.succeeded')).toBe(1);
      expect(countEvents(replies, 'coordination.fallback')).toBe(0);
      // The three other processes took the winner's sealed result from Redis.
      const others = replies.filter((r) => !r.events.some((e) => e.type === 'refresh.succeeded'));
      expect(others).toHaveLength(PROCESSES - 1);
      expect(others.every((r) => r.events.some((e) => e.type === 'refresh.reused'))).toBe(true);
      expect(await cluster.admin.keys('authkit:lease:*')).toEqual([]);
      expect(await cluster.admin.keys('authkit:result:*')).toHaveLength(1);
    });
  }

  it('the winner killed mid-refresh: its lease expires, one other process refreshes, nobody is logged out', async () => {
    const { cookie } = await session();
    // leaseMs = 2 × apiTimeoutMs + maxRetryWaitMs + 1000 = 3100 ms.
    await initAll(cluster, { clockOffsetMs: EXPIRED_OFFSET_MS, config: { apiTimeoutMs: 1_000 }, maxRetryWaitMs: 100 });
    // The first refresh grant hangs at the proxy: it never reaches the emulator, so the token stays unspent.
    cluster.proxy.rules = [{ fault: { kind: 'hang' }, times: 1 }];
    // The process whose refresh grant the cluster.proxy is holding: told by the worker, confirmed by the cluster.proxy.
    const sent = new Promise<WorkerProcess>((resolve) => {
      for (const w of cluster.workers) w.onNotice = (m) => m.type === 'refresh-sent' && resolve(w);
    }).then(async (w) => {
      while (cluster.proxy.stats.refreshFaulted === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      return w;
    });
    const storms = cluster.workers.map((w) => stormOn(w, cookie, CALLS).catch(() => undefined));
    const settled = Promise.all(storms);
    const winner = await Promise.race([sent, settled.then(() => Promise.reject(new Error('no refresh was sent')))]);
    const sentAt = Date.now();
    expect(await cluster.admin.keys('authkit:lease:*')).toHaveLength(1);
    await winner.kill();
    const replies = (await settled).filter((r): r is Stormed => r !== undefined);
    expect(replies).toHaveLength(PROCESSES - 1);
    expect(replies.every((r) => r.pid !== winner.child.pid)).toBe(true);
    expect(total(replies)).toEqual({ calls: 75, authenticated: 75, loggedOut: 0, reasons: {}, errors: 0 });
    expect(cluster.proxy.stats.refreshFaulted).toBe(1);
    expect(cluster.proxy.stats.refreshAccepted + cluster.proxy.stats.refreshRejected).toBeLessThanOrEqual(2);
    expect(cluster.proxy.stats.refreshAccepted).toBe(1);
    expect(cluster.proxy.stats.refreshRejected).toBe(0);
    expect(countEvents(replies, 'refresh.succeeded')).toBe(1);
    expect(countEvents(replies, 'coordination.fallback')).toBe(0);
    // The survivors waited for the dead winner's lease to run out (and, with no rejected call, did not go
    // around it when their own deadline passed).
    expect(Date.now() - sentAt).toBeGreaterThan(2_000);
    for (const w of cluster.workers) w.onNotice = () => undefined;
  });

  it('Redis stopped before a storm: no logout, no exception, a fast coordination.fallback in every process', async () => {
    const cookies = await Promise.all(cluster.workers.map(() => session()));
    await initAll(cluster, { clockOffsetMs: EXPIRED_OFFSET_MS });
    await cluster.redis.stop();
    try {
      const replies = await Promise.all(cluster.workers.map((w, i) => stormOn(w, (cookies[i] as { cookie: string }).cookie, CALLS)));
      expect(total(replies)).toEqual({ calls: 100, authenticated: 100, loggedOut: 0, reasons: {}, errors: 0 });
      // Each process still spends its own session's token once (in-process single flight).
      expect(cluster.proxy.stats.refreshAccepted).toBe(PROCESSES);
      expect(cluster.proxy.stats.refreshRejected).toBe(0);
      for (const reply of replies) {
        const fallbacks = reply.events.filter((e) => e.type === 'coordination.fallback');
        expect(fallbacks.length).toBeGreaterThan(0);
        // Failed on the refused connection (no offline queue), not by waiting out the time bound.
        for (const e of fallbacks) if (e.type === 'coordination.fallback') expect(e.timedOut).toBe(false);
      }
    } finally {
      await cluster.redis.restart();
      cluster.admin.disconnect();
      cluster.admin = cluster.redis.client();
    }
  });

  it('Redis stopped: a cookie due for a proactive refresh on all 4 processes at once keeps everyone signed in and spends nothing', async () => {
    // Found by the chaos soak: with Redis down each process refreshed the same still-valid token on its
    // own, WorkOS accepted one and refused the rest, and those users were signed out (refresh_rejected).
    const { cookie } = await session();
    // 30 s before the access token's expiry: inside the 60 s refresh buffer, still valid.
    await initAll(cluster, { clockOffsetMs: (3600 - 30) * 1000 });
    await cluster.redis.stop();
    try {
      const replies = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 5)));
      expect(total(replies)).toEqual({ calls: 20, authenticated: 20, loggedOut: 0, reasons: {}, errors: 0 });
      // The refresh waits for the shared lease: no token is spent while the store cannot coordinate.
      expect(cluster.proxy.stats.refreshAccepted + cluster.proxy.stats.refreshRejected).toBe(0);
      expect(countEvents(replies, 'coordination.fallback')).toBeGreaterThan(0);
    } finally {
      await cluster.redis.restart();
      cluster.admin.disconnect();
      cluster.admin = cluster.redis.client();
    }
  });

  it('signing out in one process rejects the cookie in the others on their next request', async () => {
    const { cookie, sessionId } = await session();
    const other = await session(OTHER_EMAIL);
    await initAll(cluster);
    const before = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 3)));
    expect(total(before).authenticated).toBe(PROCESSES * 3);
    await (cluster.workers[0] as WorkerProcess).request({ type: 'signOut', sessionId });
    expect(await cluster.admin.zscore('authkit:revocations', sessionId)).not.toBeNull();
    const after = await Promise.all(cluster.workers.map((w) => stormOn(w, cookie, 1)));
    expect(total(after)).toEqual({
      calls: PROCESSES,
      authenticated: 0,
      loggedOut: PROCESSES,
      reasons: { session_revoked: PROCESSES },
      errors: 0,
    });
    expect(countEvents([...before, ...after], 'coordination.fallback')).toBe(0);
    const unaffected = await Promise.all(cluster.workers.map((w) => stormOn(w, other.cookie, 1)));
    expect(total(unaffected).authenticated).toBe(PROCESSES);
  });
});
