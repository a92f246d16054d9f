/**
 * The `sessionMode: 'server'` rows of `npm run bench`: this package with its sessions in a real redis-server,
 * beside cookie mode in the same process. Redis commands are counted by the server itself (`INFO
 * commandstats`), so "0 per call" means no command reached Redis.
 *   repeated cookie   the same id cookie on every call (answered from the instance's copy)
 *   first sight       a never-seen id cookie on every call, one record each (a fresh service: empty caches)
 * Coordination is in memory here (one instance), so only session-store commands are counted; with
 * `redisUrl` the revocation check of the coordination store adds its own commands.
 */
import type { Redis } from 'ioredis';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { createRedisSessionStore } from '../../src/redis/index.js';
import { configFor } from '../../test/helpers/emulator.js';
import { startRedis } from '../../test/helpers/redis.js';
import { createAuthService } from './ours.js';
import { collectGarbage, median, sequential, type RunResult } from './measure.js';

const CALLS = { repeated: 100_000, firstSight: 2_000 };

interface Row {
  name: string;
  result: RunResult;
  commandsPerCall: number;
}

/** Total commands Redis has executed, minus the INFO calls that read it. */
async function commandCount(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * Runs the server-mode scenarios for `rounds` rounds; `cookieFor` turns a cookie-mode seal into a request.
 * Returns table rows: scenario, ops/s, p50 / p99 µs, Redis commands per call, and the failures seen.
 */
export async function benchServerMode(options: {
  port: number;
  apiKey: string;
  issuer: string;
  rounds: number;
  seal: () => Promise<string>;
  request: (cookie: string) => Request;
}): Promise<{ rows: string[][]; failures: number }> {
  const redis = await startRedis();
  const admin = redis.client();
  const store = createRedisSessionStore(redis.url);
  const make = () =>
    createAuthService<Request, Response>({
      config: configFor(options.port, options.apiKey, { issuer: options.issuer, sessionMode: 'server' }),
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
      sessionStore: store,
    });
  const cookieMode = createAuthService<Request, Response>({
    config: configFor(options.port, options.apiKey, { issuer: options.issuer }),
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
  });
  try {
    const authenticated = async (service: ReturnType<typeof make>, request: Request) =>
      (await service.withAuth(request)).auth.user !== null;
    /** An id cookie with its record in Redis: a cookie-mode seal moved to the store by a server-mode service. */
    const idCookie = async (service: ReturnType<typeof make>) => {
      const moved = await service.withAuth(options.request(await options.seal()));
      if (!moved.refreshedSessionData) throw new Error('server-mode bench: the seal was not moved to the store');
      return moved.refreshedSessionData;
    };
    const server = make();
    const repeated = options.request(await idCookie(server));
    const sealed = options.request(await options.seal());
    for (let i = 0; i < 200; i++) await Promise.all([authenticated(server, repeated), authenticated(cookieMode, sealed)]);
    const results: Record<string, { runs: RunResult[]; commands: number[] }> = {};
    const record = (name: string, run: RunResult, commands: number) => {
      results[name] ??= { runs: [], commands: [] };
      results[name].runs.push(run);
      results[name].commands.push(commands / run.calls);
    };
    for (let round = 0; round < options.rounds; round++) {
      collectGarbage();
      record('cookie mode, repeated cookie', await sequential(() => authenticated(cookieMode, sealed), CALLS.repeated), 0);
      collectGarbage();
      let before = await commandCount(admin);
      const hit = await sequential(() => authenticated(server, repeated), CALLS.repeated);
      record('server mode (Redis), repeated cookie', hit, (await commandCount(admin)) - before - 1);
      const fresh = make();
      const cookies: Request[] = [];
      for (let i = 0; i < CALLS.firstSight; i++) cookies.push(options.request(await idCookie(server)));
      await authenticated(fresh, sealed); // JWKS fetched and keys derived before timing
      collectGarbage();
      before = await commandCount(admin);
      const first = await sequential((index) => authenticated(fresh, cookies[index] as Request), CALLS.firstSight);
      record('server mode (Redis), first sight', first, (await commandCount(admin)) - before - 1);
    }
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const us = (n: number) => (n < 100 ? n.toFixed(1) : fmt(n));
    let failures = 0;
    const rows: Row[] = Object.entries(results).map(([name, { runs, commands }]) => {
      failures += runs.reduce((sum, r) => sum + r.failures, 0);
      const result = {
        calls: runs[0]?.calls ?? 0,
        opsPerSecond: median(runs.map((r) => r.opsPerSecond)),
        p50Us: median(runs.map((r) => r.p50Us)),
        p99Us: median(runs.map((r) => r.p99Us)),
        failures: 0,
      };
      return { name, result, commandsPerCall: median(commands) };
    });
    const baseline = rows[0]?.result.opsPerSecond ?? 1;
    return {
      failures,
      rows: rows.map(({ name, result, commandsPerCall }) => [
        name,
        fmt(result.opsPerSecond),
        `${us(result.p50Us)} / ${us(result.p99Us)}`,
        commandsPerCall.toFixed(2),
        `${(result.opsPerSecond / baseline).toFixed(2)}x`,
      ]),
    };
  } finally {
    await store.close();
    admin.disconnect();
    await redis.stop();
  }
}
