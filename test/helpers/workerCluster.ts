import type { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { AuthKitEvent } from '../../src/core/events.js';
import type { InitCommand } from '../redis/worker.js';
import { startEmulator, type TestEmulator } from './emulator.js';
import { FaultProxy } from './faultProxy.js';
import { startRedis, type TestRedis } from './redis.js';
import type { StormResult } from './storm.js';
import { startWorkers, type WorkerMessage, type WorkerProcess } from './workers.js';

const WORKER = fileURLToPath(new URL('../redis/worker.ts', import.meta.url));

/** A worker's reply to `storm`: the tally and the events of its service. */
export type Stormed = WorkerMessage & { pid: number; result: StormResult; events: AuthKitEvent[] };

/** The parts {@link useWorkerCluster} starts; read them inside tests. `admin` may be replaced (after a Redis restart). */
export interface WorkerCluster {
  em: TestEmulator;
  proxy: FaultProxy;
  redis: TestRedis;
  admin: Redis;
  workers: WorkerProcess[];
}

/**
 * Registers hooks that start the emulator with a fault proxy in front, a `redis-server`, and `count` server
 * processes (test/redis/worker.ts) for the calling file; before each test: the proxy reset, Redis flushed,
 * and any worker killed by the previous test replaced.
 */
export function useWorkerCluster(count: number): WorkerCluster {
  const cluster = {} as WorkerCluster;
  beforeAll(async () => {
    [cluster.em, cluster.redis, cluster.workers] = await Promise.all([startEmulator(), startRedis(), startWorkers(WORKER, count)]);
    cluster.proxy = await new FaultProxy(cluster.em.port).start();
    cluster.admin = cluster.redis.client();
  });
  afterAll(async () => {
    await Promise.all((cluster.workers ?? []).map((w) => w.stop()));
    cluster.admin?.disconnect();
    await cluster.proxy?.close();
    await cluster.redis?.stop();
    await cluster.em?.close();
  });
  beforeEach(async () => {
    cluster.proxy.reset();
    await cluster.admin.flushall();
    const dead = cluster.workers.filter((w) => !w.alive).length;
    if (dead > 0) cluster.workers = [...cluster.workers.filter((w) => w.alive), ...(await startWorkers(WORKER, dead))];
  });
  return cluster;
}

/**
 * Every worker builds a fresh service behind the proxy, coordinating through the cluster's Redis. Several
 * Node processes share two cores here, so a store call is allowed 1 s (default 250 ms) before it counts as failed.
 */
export async function initAll(cluster: WorkerCluster, options: Partial<InitCommand> = {}): Promise<void> {
  const command: InitCommand = {
    type: 'init',
    port: cluster.proxy.port,
    apiKey: cluster.em.apiKey,
    issuer: cluster.em.url,
    redisUrl: cluster.redis.url,
    via: 'redisUrl',
    coordinationTimeoutMs: 1_000,
    ...options,
  };
  await Promise.all(cluster.workers.map((w) => w.request(command)));
}

/** `calls` withAuth calls with `cookie` on one worker (`spacingMs` apart; all at once by default). */
export function stormOn(worker: WorkerProcess, cookie: string, calls: number, spacingMs = 0): Promise<Stormed> {
  return worker.request<Stormed>({ type: 'storm', cookie, calls, spacingMs });
}

/** The workers' tallies added up. */
export function total(replies: Stormed[]): StormResult {
  const sum: StormResult = { calls: 0, authenticated: 0, loggedOut: 0, reasons: {}, errors: 0 };
  for (const { result } of replies) {
    sum.calls += result.calls;
    sum.authenticated += result.authenticated;
    sum.loggedOut += result.loggedOut;
    sum.errors += result.errors;
    for (const [reason, n] of Object.entries(result.reasons)) sum.reasons[reason] = (sum.reasons[reason] ?? 0) + n;
  }
  return sum;
}

/** How many events of `type` the workers reported. */
export const countEvents = (replies: Stormed[], type: AuthKitEvent['type']): number =>
  replies.reduce((n, reply) => n + reply.events.filter((e) => e.type === type).length, 0);
