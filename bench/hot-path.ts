/**
 * `npm run bench`: the `withAuth` hot path of this package (its Node entry, src/index.node.ts) against
 * @workos/authkit-session 0.7.1, in one process, against the WorkOS emulator behind a counting proxy.
 * Rounds alternate between the libraries; the table shows medians over the rounds.
 *   repeated       the same cookie on every call, one call at a time
 *   first sight    a never-seen cookie on every call (the same session sealed again: new salts), one at a time
 *   64 in flight   the same cookie, 64 calls outstanding at all times
 * Then the memory check (bench/lib/memory.ts: 1,000,000 calls over 200,000 cookies, heap sampled), the cost
 * of a cache miss (bench/lib/missCost.ts: first sight with the session cache on and off, CPU time), the
 * `sessionMode: 'server'` rows (bench/lib/serverMode.ts: sessions in a real redis-server), the HTTP bench
 * (bench/http.ts) and the runtime rows (bench/runtimes.ts). Exits non-zero when a call did not
 * authenticate, a request reached WorkOS while timed, or the cache passed its bounds.
 */
import os from 'node:os';
import { WorkOS } from '@workos-inc/node';
import { FetchSessionStorage } from '../src/adapters/fetch.js';
import { createAuthService, nodeCryptoBackend, sealData } from './lib/ours.js';
import { CLIENT_ID, configFor, COOKIE_PASSWORD, DEMO_EMAIL, PASSWORD, startEmulator } from '../test/helpers/emulator.js';
import { FaultProxy } from '../test/helpers/faultProxy.js';
import { anchorService } from './lib/anchor.js';
import { collectGarbage, concurrent, median, sequential, type Call, type RunResult } from './lib/measure.js';
import { printTable } from './lib/table.js';
import { benchServerMode } from './lib/serverMode.js';
import { MEMORY_CALLS, MEMORY_COOKIES, memoryCheck } from './lib/memory.js';
import { runHttpBench } from './http.js';
import { runRuntimeBench } from './runtimes.js';
import { runLibraryBench } from './libraries.js';
import { formatMissCost, missCost } from './lib/missCost.js';

/** BENCH_ROUNDS (default 5) sets the function-level rounds; BENCH_SKIP_HTTP / BENCH_SKIP_RUNTIMES skip those parts. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const IN_FLIGHT = 64;
/** Calls per round: enough for about a second of work for each library. */
const CALLS = {
  ours: { repeated: 200_000, firstSight: 20_000, inFlight: 200_000 },
  anchor: { repeated: 1_500, firstSight: 1_000, inFlight: 2_500 },
};

type Library = 'ours' | 'anchor';
type Scenario = 'repeated' | 'firstSight' | 'inFlight';
interface Service {
  withAuth(request: Request): Promise<{ auth: { user: unknown } }>;
}

const startedAt = performance.now();
/** Progress on stderr (the tables go to stdout): which part runs, and the wall time so far. */
const phase = (name: string) =>
  console.error(`[bench +${Math.round((performance.now() - startedAt) / 1000)} s, load ${os.loadavg()[0]?.toFixed(2)}] ${name}`);
const em = await startEmulator();
const proxy = await new FaultProxy(em.port).start();
let exitCode = 0;
try {
  const workos = new WorkOS(em.apiKey, { apiHostname: 'localhost', port: em.port, https: false, clientId: CLIENT_ID });
  const auth = await workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user };
  const seal = () => sealData(session, { password: COOKIE_PASSWORD }, undefined, nodeCryptoBackend);
  const request = (cookie: string) =>
    new Request('http://localhost:3000/', { headers: { cookie: `wos-session=${encodeURIComponent(cookie)}` } });

  const ours = createAuthService<Request, Response>({
    config: configFor(proxy.port, em.apiKey, { issuer: em.url }),
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
  });
  const services: Record<Library, Service> = { ours, anchor: anchorService(proxy.port, em.apiKey) as unknown as Service };
  const repeatedRequest = request(await seal());
  const authenticates = async (service: Service, req: Request) => (await service.withAuth(req)).auth.user !== null;
  // Warm up: JWKS fetched, code paths compiled, our cache holds the repeated cookie.
  for (const library of ['ours', 'anchor'] as const) {
    for (let i = 0; i < 200; i++) {
      if (!(await authenticates(services[library], i % 2 ? repeatedRequest : request(await seal())))) {
        throw new Error(`${library} did not authenticate during warm-up`);
      }
    }
  }

  const results: Record<Library, Record<Scenario, RunResult[]>> = {
    ours: { repeated: [], firstSight: [], inFlight: [] },
    anchor: { repeated: [], firstSight: [], inFlight: [] },
  };
  proxy.reset();
  phase('function level: repeated, first sight, in flight');
  for (let round = 0; round < ROUNDS; round++) {
    const order: Library[] = round % 2 ? ['anchor', 'ours'] : ['ours', 'anchor'];
    for (const scenario of ['repeated', 'firstSight', 'inFlight'] as const) {
      for (const library of order) {
        const service = services[library];
        const calls = CALLS[library][scenario];
        let call: Call = () => authenticates(service, repeatedRequest);
        if (scenario === 'firstSight') {
          const fresh: Request[] = [];
          for (let i = 0; i < calls; i++) fresh.push(request(await seal()));
          call = (index) => authenticates(service, fresh[index] as Request);
        }
        collectGarbage();
        const result = scenario === 'inFlight' ? await concurrent(call, calls, IN_FLIGHT) : await sequential(call, calls);
        results[library][scenario].push(result);
      }
    }
  }
  const reachedWorkOS = Object.values(proxy.stats.requests).reduce((sum, n) => sum + n, 0);

  // A service of its own, so the heap starts without cached sessions and shows what a full cache costs.
  const fresh = createAuthService<Request, Response>({
    config: configFor(proxy.port, em.apiKey, { issuer: em.url }),
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
  });
  phase(`memory check: sealing ${MEMORY_COOKIES.toLocaleString('en-US')} cookies, then ${MEMORY_CALLS.toLocaleString('en-US')} calls`);
  const distinct: string[] = [];
  for (let i = 0; i < MEMORY_COOKIES; i++) distinct.push(await seal());
  const memory = await memoryCheck(fresh, distinct, request);

  const names: Record<Scenario, string> = {
    repeated: 'repeated cookie, sequential',
    firstSight: 'first sight (new seal every call), sequential',
    inFlight: `repeated cookie, ${IN_FLIGHT} in flight`,
  };
  const rows: string[][] = [];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const us = (n: number) => (n < 100 ? n.toFixed(1) : fmt(n));
  let failures = 0;
  for (const scenario of ['repeated', 'firstSight', 'inFlight'] as const) {
    const stat = (library: Library, key: 'opsPerSecond' | 'p50Us' | 'p99Us') => median(results[library][scenario].map((r) => r[key]));
    for (const library of ['ours', 'anchor'] as const) failures += results[library][scenario].reduce((sum, r) => sum + r.failures, 0);
    rows.push([
      names[scenario],
      fmt(stat('ours', 'opsPerSecond')),
      `${us(stat('ours', 'p50Us'))} / ${us(stat('ours', 'p99Us'))}`,
      fmt(stat('anchor', 'opsPerSecond')),
      `${us(stat('anchor', 'p50Us'))} / ${us(stat('anchor', 'p99Us'))}`,
      `${(stat('ours', 'opsPerSecond') / stat('anchor', 'opsPerSecond')).toFixed(1)}x`,
    ]);
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nwithAuth hot path: authkit-session (node entry, ${(await ours.getCore()).deps.crypto.name} crypto backend) vs @workos/authkit-session 0.7.1`,
  );
  console.log(`${cpu}, ${os.availableParallelism()} cores, node ${process.version}; median of ${ROUNDS} alternating rounds\n`);
  printTable(['scenario', 'ours ops/s', 'ours p50 / p99 µs', '0.7.1 ops/s', '0.7.1 p50 / p99 µs', 'ratio'], rows);
  console.log('');
  console.log(`calls that did not authenticate: ${failures}`);
  console.log(`requests that reached WorkOS while timed: ${reachedWorkOS}`);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(
    memory.gc
      ? `heap and ArrayBuffers over their baseline during ${MEMORY_CALLS.toLocaleString('en-US')} calls on ${MEMORY_COOKIES.toLocaleString('en-US')} cookies, after each ${MEMORY_COOKIES.toLocaleString('en-US')} calls: ` +
          `${memory.samplesMiB.map((n) => `${n < 0 ? '' : '+'}${n.toFixed(1)}`).join(', ')} MiB; cache ${memory.cacheEntries.toLocaleString('en-US')} entries ` +
          `(cap ${memory.maxEntries.toLocaleString('en-US')}), ${mib(memory.cacheBytes)} MiB estimated (budget ${mib(memory.maxBytes)} MiB)`
      : 'heap: run with node --expose-gc for the memory check',
  );
  phase('cache miss: first sight with the session cache on and off');
  const miss = await missCost({ port: proxy.port, apiKey: em.apiKey, issuer: em.url, seal, request });
  console.log(`\n${formatMissCost(miss)}`);
  failures += miss.failures;
  phase("sessionMode 'server' with Redis");
  const server = await benchServerMode({ port: proxy.port, apiKey: em.apiKey, issuer: em.url, rounds: ROUNDS, seal, request });
  console.log(`\nsessionMode 'server' with sessions in redis-server (Redis commands counted by INFO commandstats)\n`);
  printTable(['scenario', 'ops/s', 'p50 / p99 µs', 'Redis commands per call', 'vs cookie mode'], server.rows);
  console.log(`server-mode calls that did not authenticate: ${server.failures}`);

  // Over HTTP: both libraries behind node:http, driven by autocannon (bench/http.ts).
  const cookies: string[] = [];
  for (let i = 0; i < 100_000; i++) cookies.push(`wos-session=${encodeURIComponent(distinct[i] as string)}`);
  phase('HTTP');
  if (process.env.BENCH_SKIP_HTTP === undefined) await runHttpBench({ apiPort: proxy.port, apiKey: em.apiKey, issuer: em.url, cookies });
  // The hand-written node:crypto paths against @hapi/iron and fast-jwt (bench/libraries.ts).
  phase('libraries');
  await runLibraryBench(session, auth.accessToken, `${em.url}/sso/jwks/${CLIENT_ID}`, COOKIE_PASSWORD, em.url, CLIENT_ID);
  // Function level in each runtime (bench/runtimes.ts).
  phase('runtimes');
  if (process.env.BENCH_SKIP_RUNTIMES === undefined) await runRuntimeBench(proxy.port, em.apiKey, em.url, session);

  if (
    failures > 0 ||
    reachedWorkOS > 0 ||
    memory.cacheEntries > memory.maxEntries ||
    memory.cacheBytes > memory.maxBytes ||
    memory.failures > 0 ||
    server.failures > 0
  )
    exitCode = 1;
} finally {
  await proxy.close();
  await em.close();
}
process.exitCode = exitCode;
