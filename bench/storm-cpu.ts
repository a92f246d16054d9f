/**
 * `npm run storm:cpu`: storm C (4 server processes × 25 concurrent calls with one expired cookie, sharing a
 * Redis) while competing processes saturate every core, several runs. Prints, per run: refresh calls that
 * reached WorkOS (accepted / rejected), authenticated, logged out, and `coordination.fallback` events. The
 * library must hold 1 refresh and 0 logged out in every run.
 *   STORM_RUNS   runs (default 3)
 *   STORM_HOGS   busy-loop processes (default: one per core)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../test/helpers/emulator.js';
import { FaultProxy } from '../test/helpers/faultProxy.js';
import { startRedis } from '../test/helpers/redis.js';
import type { StormResult } from '../test/helpers/storm.js';
import { startWorkers } from '../test/helpers/workers.js';
import { expiredCookie } from './lib/cookies.js';

const RUNS = Number(process.env.STORM_RUNS ?? 3);
const HOGS = Number(process.env.STORM_HOGS ?? os.availableParallelism());
const PROCESSES = 4;
const CALLS = 25;
const WORKER = fileURLToPath(new URL('./lib/stormWorker.ts', import.meta.url));

const em = await startEmulator();
const proxy = await new FaultProxy(em.port).start();
const redis = await startRedis();
const workers = await startWorkers(WORKER, PROCESSES);
const hogs: ChildProcess[] = [];
const rows: string[][] = [];
try {
  for (let i = 0; i < HOGS; i++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  for (let run = 1; run <= RUNS; run++) {
    const init = { type: 'init', library: 'authkit-session', port: proxy.port, apiKey: em.apiKey, issuer: em.url, redisUrl: redis.url };
    await Promise.all(workers.map((w) => w.request(init)));
    const cookie = await expiredCookie(em.port, em.apiKey);
    proxy.reset();
    const replies = await Promise.all(
      workers.map((w) => w.request<{ type: string; result: StormResult; fallbacks: number }>({ type: 'storm', cookie, calls: CALLS })),
    );
    const sum = (pick: (r: (typeof replies)[number]) => number) => replies.reduce((n, r) => n + pick(r), 0);
    rows.push([
      String(run),
      `${proxy.stats.refreshAccepted} / ${proxy.stats.refreshRejected}`,
      String(sum((r) => r.result.authenticated)),
      String(sum((r) => r.result.loggedOut + r.result.errors)),
      String(sum((r) => r.fallbacks ?? 0)),
    ]);
  }
} finally {
  for (const hog of hogs) hog.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.stop()));
  await redis.stop();
  await proxy.close();
  await em.close();
}

const header = ['run', 'refresh calls (accepted / rejected)', 'authenticated', 'logged out', 'coordination.fallback'];
console.log(
  `storm C under CPU load: ${PROCESSES} processes × ${CALLS} calls, ${HOGS} busy-loop processes on ${os.availableParallelism()} cores`,
);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
