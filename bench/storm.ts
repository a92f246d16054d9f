/**
 * `npm run storm`: refresh storms against the WorkOS emulator through the fault proxy, for this package
 * and for @workos/authkit-session 0.7.1 in the same run. Prints, per scenario: calls, refresh calls that
 * reached WorkOS (accepted / rejected), authenticated, logged out.
 *   A   100 concurrent withAuth calls with one expired cookie
 *   B0  100 calls 2 ms apart with the same old cookie, 0 ms added latency
 *   B50 the same with 50 ms added latency on every WorkOS call
 *   C   4 server processes × 25 concurrent calls with one expired cookie; this package shares a Redis
 *       (its own redis-server on a free port), 0.7.1 has no shared store (each process on its own)
 */
import { fileURLToPath } from 'node:url';
import { FetchSessionStorage } from '../src/adapters/fetch.js';
import { createAuthService } from '../src/service/factory.js';
import { configFor, startEmulator } from '../test/helpers/emulator.js';
import { FaultProxy } from '../test/helpers/faultProxy.js';
import { startRedis } from '../test/helpers/redis.js';
import { storm, type StormResult } from '../test/helpers/storm.js';
import { startWorkers } from '../test/helpers/workers.js';
import { anchorService } from './lib/anchor.js';
import { expiredCookie } from './lib/cookies.js';

const scenarios = [
  { name: 'A', spacingMs: 0, latencyMs: 0 },
  { name: 'B0', spacingMs: 2, latencyMs: 0 },
  { name: 'B50', spacingMs: 2, latencyMs: 50 },
];
const CALLS = 100;
const PROCESSES = 4;
const WORKER = fileURLToPath(new URL('./lib/stormWorker.ts', import.meta.url));

const em = await startEmulator();
const proxy = await new FaultProxy(em.port).start();
const rows: string[][] = [];
try {
  for (const scenario of scenarios) {
    for (const library of ['authkit-session', '@workos/authkit-session 0.7.1'] as const) {
      const service: { withAuth(request: Request): Promise<unknown> } =
        library === 'authkit-session'
          ? createAuthService<Request, Response>({
              config: configFor(proxy.port, em.apiKey, { issuer: em.url }),
              sessionStorageFactory: (config) => new FetchSessionStorage(config),
            })
          : anchorService(proxy.port, em.apiKey);
      const cookie = await expiredCookie(em.port, em.apiKey);
      // Warm the JWKS so the storm measures refresh coordination only.
      await service.withAuth(new Request('http://localhost/'));
      proxy.reset();
      proxy.latencyMs = scenario.latencyMs;
      const result = await storm(service as never, cookie, CALLS, scenario.spacingMs);
      rows.push([
        scenario.name,
        library,
        String(CALLS),
        `${proxy.stats.refreshAccepted} / ${proxy.stats.refreshRejected}`,
        String(result.authenticated),
        String(result.loggedOut + result.errors),
      ]);
    }
  }
  const redis = await startRedis();
  const workers = await startWorkers(WORKER, PROCESSES);
  try {
    for (const library of ['authkit-session', '@workos/authkit-session 0.7.1'] as const) {
      const init = { type: 'init', library, port: proxy.port, apiKey: em.apiKey, issuer: em.url, redisUrl: redis.url };
      await Promise.all(workers.map((w) => w.request(init)));
      const cookie = await expiredCookie(em.port, em.apiKey);
      proxy.reset();
      const calls = CALLS / PROCESSES;
      const replies = await Promise.all(
        workers.map((w) => w.request<{ type: string; result: StormResult }>({ type: 'storm', cookie, calls })),
      );
      const sum = (field: 'authenticated' | 'loggedOut' | 'errors') => replies.reduce((n, r) => n + r.result[field], 0);
      rows.push([
        'C',
        library,
        `${CALLS} (${PROCESSES} × ${calls})`,
        `${proxy.stats.refreshAccepted} / ${proxy.stats.refreshRejected}`,
        String(sum('authenticated')),
        String(sum('loggedOut') + sum('errors')),
      ]);
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
} finally {
  await proxy.close();
  await em.close();
}

const header = ['scenario', 'library', 'calls', 'refresh calls (accepted / rejected)', 'authenticated', 'logged out'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
