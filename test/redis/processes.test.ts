import type { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthKitEvent } from '../../src/core/events.js';
import { DEMO_EMAIL, OTHER_EMAIL, startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { FaultProxy } from '../helpers/faultProxy.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { makeService, signIn } from '../helpers/service.js';
import type { StormResult } from '../helpers/storm.js';
import { startWorkers, type WorkerMessage, type WorkerProcess } from '../helpers/workers.js';
import type { InitCommand } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const PROCESSES = 4;
const CALLS = 25;
/** Past the access token's hour: every worker sees the cookie's access token as expired. */
const EXPIRED_OFFSET_MS = (3600 + 60) * 1000;

type Stormed = WorkerMessage & { pid: number; result: StormResult; events: AuthKitEvent[] };

let em: TestEmulator;
let proxy: FaultProxy;
let redis: TestRedis;
let admin: Redis;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  [em, redis, workers] = await Promise.all([startEmulator(), startRedis(), startWorkers(WORKER, PROCESSES)]);
  proxy = await new FaultProxy(em.port).start();
  admin = redis.client();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  admin.disconnect();
  await proxy.close();
  await redis.stop();
  await em.close();
});
beforeEach(async () => {
  proxy.reset();
  await admin.flushall();
  // A worker killed by the previous test is replaced.
  const dead = workers.filter((w) => !w.alive).length;
  if (dead > 0) workers = [...workers.filter((w) => w.alive), ...(await startWorkers(WORKER, dead))];
});

/** Signs in directly at the emulator (the proxy counts nothing) and returns the cookie and its session id. */
async function session(loginHint = DEMO_EMAIL): Promise<{ cookie: string; sessionId: string }> {
  const { service } = makeService(em.port, em.apiKey, { issuer: em.url });
  const { cookie, result } = await signIn(service, { loginHint });
  const claims = JSON.parse(Buffer.from(result.authResponse.accessToken.split('.')[1] as string, 'base64url').toString('utf8'));
  return { cookie, sessionId: claims.sid };
}

/**
 * Every worker builds a fresh service behind the proxy, coordinating through this test's Redis. Five Node
 * processes share two cores here, so a store call is allowed 1 s (default 250 ms) before it counts as failed.
 */
async function initAll(options: Partial<InitCommand> = {}): Promise<void> {
  const command: InitCommand = {
    type: 'init',
    port: proxy.port,
    apiKey: em.apiKey,
    issuer: em.url,
    redisUrl: redis.url,
    via: 'redisUrl',
    coordinationTimeoutMs: 1_000,
    ...options,
  };
  await Promise.all(workers.map((w) => w.request(command)));
}

function stormOn(worker: WorkerProcess, cookie: string, calls = CALLS): Promise<Stormed> {
  return worker.request<Stormed>({ type: 'storm', cookie, calls });
}

function total(replies: Stormed[]): StormResult {
  const sum: StormResult = { calls: 0, authenticated: 0, loggedOut: 0, reasons: {}, errors: 0 };
  for (const { result } of replies) {
    sum.calls += result.calls;
    sum.authenticated += result.authenticated;
    sum.loggedOut += result.loggedOut;
    sum.errors += result.errors;
    for (const [reason, count] of Object.entries(result.reasons)) sum.reasons[reason] = (sum.reasons[reason] ?? 0) + count;
  }
  return sum;
}

const count = (replies: Stormed[], type: AuthKitEvent['type']) =>
  replies.reduce((n, reply) => n + reply.events.filter((e) => e.type === type).length, 0);

describe('4 processes sharing Redis', () => {
  for (const [latencyMs, via] of [
    [0, 'redisUrl'],
    [50, 'store'],
  ] as const) {
    it(`spend one expired cookie's refresh token once across 4 × 25 concurrent calls (${latencyMs} ms latency, ${via})`, async () => {
      const { cookie } = await session();
      await initAll({ via, clockOffsetMs: EXPIRED_OFFSET_MS });
      proxy.latencyMs = latencyMs;
      const replies = await Promise.all(workers.map((w) => stormOn(w, cookie)));
      expect(total(replies)).toEqual({ calls: 100, authenticated: 100, loggedOut: 0, reasons: {}, errors: 0 });
      expect(proxy.stats.refreshAccepted).toBe(1);
      expect(proxy.stats.refreshRejected).toBe(0);
      expect(proxy.stats.refreshFaulted).toBe(0);
      expect(count(replies, 'refresh.succeeded')).toBe(1);
      expect(count(replies, 'coordination.fallback')).toBe(0);
      // The three other processes took the winner's sealed result from Redis.
      const others = replies.filter((r) => !r.events.some((e) => e.type === 'refresh.succeeded'));
      expect(others).toHaveLength(PROCESSES - 1);
      expect(others.every((r) => r.events.some((e) => e.type === 'refresh.reused'))).toBe(true);
      expect(await admin.keys('authkit:lease:*')).toEqual([]);
      expect(await admin.keys('authkit:result:*')).toHaveLength(1);
    });
  }

  it('the winner killed mid-refresh: its lease expires, one other process refreshes, nobody is logged out', async () => {
    const { cookie } = await session();
    // leaseMs = 2 × apiTimeoutMs + maxRetryWaitMs + 1000 = 3100 ms.
    await initAll({ clockOffsetMs: EXPIRED_OFFSET_MS, config: { apiTimeoutMs: 1_000 }, maxRetryWaitMs: 100 });
    // The first refresh grant hangs at the proxy: it never reaches the emulator, so the token stays unspent.
    proxy.rules = [{ fault: { kind: 'hang' }, times: 1 }];
    // The process whose refresh grant the proxy is holding: told by the worker, confirmed by the proxy.
    const sent = new Promise<WorkerProcess>((resolve) => {
      for (const w of workers) w.onNotice = (m) => m.type === 'refresh-sent' && resolve(w);
    }).then(async (w) => {
      while (proxy.stats.refreshFaulted === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      return w;
    });
    const storms = workers.map((w) => stormOn(w, cookie).catch(() => undefined));
    const settled = Promise.all(storms);
    const winner = await Promise.race([sent, settled.then(() => Promise.reject(new Error('no refresh was sent')))]);
    const sentAt = Date.now();
    expect(await admin.keys('authkit:lease:*')).toHaveLength(1);
    await winner.kill();
    const replies = (await settled).filter((r): r is Stormed => r !== undefined);
    expect(replies).toHaveLength(PROCESSES - 1);
    expect(replies.every((r) => r.pid !== winner.child.pid)).toBe(true);
    expect(total(replies)).toEqual({ calls: 75, authenticated: 75, loggedOut: 0, reasons: {}, errors: 0 });
    expect(proxy.stats.refreshFaulted).toBe(1);
    expect(proxy.stats.refreshAccepted + proxy.stats.refreshRejected).toBeLessThanOrEqual(2);
    expect(proxy.stats.refreshAccepted).toBe(1);
    expect(proxy.stats.refreshRejected).toBe(0);
    expect(count(replies, 'refresh.succeeded')).toBe(1);
    expect(count(replies, 'coordination.fallback')).toBe(0);
    // The survivors waited for the dead winner's lease to run out (and, with no rejected call, did not go
    // around it when their own deadline passed).
    expect(Date.now() - sentAt).toBeGreaterThan(2_000);
    for (const w of workers) w.onNotice = () => undefined;
  });

  it('Redis stopped before a storm: no logout, no exception, a fast coordination.fallback in every process', async () => {
    const cookies = await Promise.all(workers.map(() => session()));
    await initAll({ clockOffsetMs: EXPIRED_OFFSET_MS });
    await redis.stop();
    try {
      const replies = await Promise.all(workers.map((w, i) => stormOn(w, (cookies[i] as { cookie: string }).cookie)));
      expect(total(replies)).toEqual({ calls: 100, authenticated: 100, loggedOut: 0, reasons: {}, errors: 0 });
      // Each process still spends its own session's token once (in-process single flight).
      expect(proxy.stats.refreshAccepted).toBe(PROCESSES);
      expect(proxy.stats.refreshRejected).toBe(0);
      for (const reply of replies) {
        const fallbacks = reply.events.filter((e) => e.type === 'coordination.fallback');
        expect(fallbacks.length).toBeGreaterThan(0);
        // Failed on the refused connection (no offline queue), not by waiting out the time bound.
        for (const e of fallbacks) if (e.type === 'coordination.fallback') expect(e.timedOut).toBe(false);
      }
    } finally {
      await redis.restart();
      admin.disconnect();
      admin = redis.client();
    }
  });

  it('Redis stopped: a cookie due for a proactive refresh on all 4 processes at once keeps everyone signed in and spends nothing', async () => {
    // Found by the chaos soak: with Redis down each process refreshed the same still-valid token on its
    // own, WorkOS accepted one and refused the rest, and those users were signed out (refresh_rejected).
    const { cookie } = await session();
    // 30 s before the access token's expiry: inside the 60 s refresh buffer, still valid.
    await initAll({ clockOffsetMs: (3600 - 30) * 1000 });
    await redis.stop();
    try {
      const replies = await Promise.all(workers.map((w) => stormOn(w, cookie, 5)));
      expect(total(replies)).toEqual({ calls: 20, authenticated: 20, loggedOut: 0, reasons: {}, errors: 0 });
      // The refresh waits for the shared lease: no token is spent while the store cannot coordinate.
      expect(proxy.stats.refreshAccepted + proxy.stats.refreshRejected).toBe(0);
      expect(count(replies, 'coordination.fallback')).toBeGreaterThan(0);
    } finally {
      await redis.restart();
      admin.disconnect();
      admin = redis.client();
    }
  });

  it('signing out in one process rejects the cookie in the others on their next request', async () => {
    const { cookie, sessionId } = await session();
    const other = await session(OTHER_EMAIL);
    await initAll();
    const before = await Promise.all(workers.map((w) => stormOn(w, cookie, 3)));
    expect(total(before).authenticated).toBe(PROCESSES * 3);
    await (workers[0] as WorkerProcess).request({ type: 'signOut', sessionId });
    expect(await admin.zscore('authkit:revocations', sessionId)).not.toBeNull();
    const after = await Promise.all(workers.map((w) => stormOn(w, cookie, 1)));
    expect(total(after)).toEqual({
      calls: PROCESSES,
      authenticated: 0,
      loggedOut: PROCESSES,
      reasons: { session_revoked: PROCESSES },
      errors: 0,
    });
    expect(count([...before, ...after], 'coordination.fallback')).toBe(0);
    const unaffected = await Promise.all(workers.map((w) => stormOn(w, other.cookie, 1)));
    expect(total(unaffected).authenticated).toBe(PROCESSES);
  });
});
